// Dates and numbers as Indonesians read them.
const DATE = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "short", year: "numeric" });
const DATE_TIME = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const NUMBER = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });

/** "2026-12-07" or an ISO date-time → "7 Des 2026". @param {string | null | undefined} value */
export function tanggal(value) {
  if (!value) return "–";
  const date = value.length === 10 ? new Date(`${value}T00:00:00`) : new Date(value);
  return Number.isNaN(date.getTime()) ? value : DATE.format(date);
}

/** @param {string | null | undefined} value */
export function waktu(value) {
  if (!value) return "–";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : DATE_TIME.format(date);
}

/** Decimals travel as strings (docs/integrators.md §9). @param {string | number | null | undefined} value */
export function angka(value) {
  if (value === null || value === undefined || value === "") return "–";
  const number = Number(value);
  return Number.isNaN(number) ? String(value) : NUMBER.format(number);
}

/** @param {number} part @param {number} whole */
export function persen(part, whole) {
  return whole ? `${NUMBER.format((100 * part) / whole)}%` : "–";
}

/** Today as YYYY-MM-DD in the browser's zone. */
export function hariIni() {
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// The contract's enum values as the UI says them.
const LABELS = {
  DRAFT: "Draf",
  DIAJUKAN: "Diajukan",
  DISETUJUI: "Disetujui",
  DIKEMBALIKAN: "Dikembalikan",
  BERAKHIR: "Berakhir",
  DINILAI: "Dinilai",
  SANGAT_BAIK: "Sangat Baik",
  BAIK: "Baik",
  BUTUH_PERBAIKAN: "Butuh Perbaikan",
  KURANG: "Kurang",
  SANGAT_KURANG: "Sangat Kurang",
  DIATAS_EKSPEKTASI: "Di atas ekspektasi",
  SESUAI_EKSPEKTASI: "Sesuai ekspektasi",
  DIBAWAH_EKSPEKTASI: "Di bawah ekspektasi",
  UTAMA: "Utama",
  TAMBAHAN: "Tambahan",
};

/** @param {string | null | undefined} value */
export function label(value) {
  if (!value) return "–";
  return LABELS[/** @type {keyof typeof LABELS} */ (value)] ?? value.charAt(0) + value.slice(1).toLowerCase().replaceAll("_", " ");
}
