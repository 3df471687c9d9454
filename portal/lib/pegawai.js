// What the pegawai's own pages share (issue 19: SKP Saya, Rencana, Progres & Realisasi,
// Keberatan): the year chooser, an SKP's evaluation windows, and refusals shown on their form
// (an indexed field such as indikator[2].targetMin, the rows of a bulk write, a stale version).
// The pages' own helpers are in pages/_pegawai/.
import { h } from "./dom.js";
import { hariIni, tanggal } from "./format.js";
import { button, field, showFormError } from "./ui.js";

/** The year of ?tahun= (2000–2100), else this year. @param {URLSearchParams} search */
export function tahunDari(search) {
  const tahun = Number(search.get("tahun"));
  return Number.isInteger(tahun) && tahun >= 2000 && tahun <= 2100 ? tahun : new Date().getFullYear();
}

/**
 * A small form choosing the year (and, when given, more fields); "Tampilkan" goes to
 * path?tahun=…&… (a select never changes the page by itself).
 * @param {(path: string) => void} go @param {string} path @param {number} tahun @param {...HTMLElement} more
 */
export function pilihTahun(go, path, tahun, ...more) {
  const now = new Date().getFullYear();
  const years = [...new Set([now + 1, now, now - 1, now - 2, tahun])].sort((a, b) => b - a);
  return h(
    "form",
    {
      class: "pilih-tahun",
      "aria-label": "Pilih tahun",
      onsubmit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const params = new URLSearchParams(/** @type {any} */ (new FormData(/** @type {HTMLFormElement} */ (event.target))));
        go(`${path}?${params}`);
      },
    },
    field({ label: "Tahun", name: "tahun", type: "select", value: String(tahun), options: years.map((y) => [String(y), String(y)]) }),
    more,
    button("Tampilkan", undefined, { type: "submit" }),
  );
}

/**
 * The windows of a year that an SKP covers, clipped to its dates.
 * @template {{ kode: string, nama: string, awal: string, akhir: string }} P
 * @param {P[]} periode @param {{ periodeAwal: string, periodeAkhir: string }} skp @returns {P[]}
 */
export function jendelaSkp(periode, skp) {
  return periode
    .filter((p) => p.akhir >= skp.periodeAwal && p.awal <= skp.periodeAkhir)
    .map((p) => ({ ...p, awal: p.awal < skp.periodeAwal ? skp.periodeAwal : p.awal, akhir: p.akhir > skp.periodeAkhir ? skp.periodeAkhir : p.akhir }));
}

/** The window holding today, else the first one to come, else the last. @template {{ awal: string, akhir: string }} P @param {P[]} list */
export function jendelaKini(list) {
  const today = hariIni();
  return list.find((p) => p.awal <= today && today <= p.akhir) ?? list.find((p) => p.awal > today) ?? list.at(-1);
}

/** "1 Jan 2026 – 31 Mar 2026". @param {{ awal: string, akhir: string }} p */
export function rentang(p) {
  return `${tanggal(p.awal)} – ${tanggal(p.akhir)}`;
}

// What the codes a pegawai meets mean, in Indonesian (the service's own message follows for
// the codes whose detail matters: INVALID_INPUT names the value at fault).
const ARTI = {
  STALE_VERSION: "Data ini sudah berubah sejak Anda membukanya (misalnya dikembalikan penilai atau disimpan di tab lain). Data terbaru sudah dimuat: periksa, lalu ulangi perubahan Anda.",
  INTERVENTION_REQUIRED: "RHK ini harus mengintervensi RHK pejabat penilai (atau isi intervensi eksternal) sebelum diajukan.",
  INTERVENTION_ORPHANED: "RHK atasan yang diintervensi sudah dihapus dari SKP atasan: pilih RHK atasan yang berlaku.",
  INTERVENTION_SUPERSEDED: "RHK atasan yang diintervensi sudah diganti versi barunya: pilih RHK atasan yang berlaku.",
  OVERLAPPING_SKP: "Sudah ada SKP Anda untuk tanggal tersebut.",
  SKP_NOT_APPROVED: "SKP belum disetujui: progres dan realisasi dicatat pada SKP yang disetujui.",
  SUPERSEDED: "SKP ini sudah digantikan versi yang lebih baru.",
  WINDOW_CLOSED: "Evaluasi periode ini sudah diajukan: progres, realisasi dan bukti tidak dapat diubah lagi.",
  PERIOD_NOT_STARTED: "Periode ini belum dimulai.",
  PERIOD_OUTSIDE_SKP: "Periode ini di luar tanggal SKP Anda.",
  KEBERATAN_CLOSED: "Batas waktu keberatan sudah lewat, atau keberatan sudah diajukan.",
  NOT_FIXED: "Hasil evaluasi ini belum ditetapkan.",
  NO_ATASAN: "SKP ini tidak memiliki atasan pejabat penilai: hasilnya final.",
  NOT_UPLOADED: "Berkas belum terunggah (atau formulirnya kedaluwarsa): coba unggah lagi.",
  SIZE_MISMATCH: "Ukuran berkas yang tersimpan berbeda: coba unggah lagi.",
  CHECKSUM_MISMATCH: "Isi berkas yang tersimpan berbeda: coba unggah lagi.",
  UNSUPPORTED_TYPE: "Jenis berkas tidak diterima: gunakan PDF, gambar atau dokumen perkantoran.",
  TOO_LARGE: "Berkas terlalu besar.",
  STORAGE_UNAVAILABLE: "Penyimpanan berkas tidak menjawab: coba lagi nanti.",
  INVALID_ROWS: "Ada baris yang tidak valid; tidak ada yang disimpan.",
  RHK_HAS_REALISASI: "RHK ini sudah memiliki realisasi: ubah teksnya saja.",
  RHK_HAS_PROGRES: "RHK ini sudah memiliki progres harian: ubah teksnya saja.",
  RHK_HAS_UMPAN_BALIK: "RHK ini sudah memiliki umpan balik penilai: ubah teksnya saja.",
  RHK_INTERVENED: "RHK ini diintervensi bawahan: ubah teksnya saja.",
  INDIKATOR_HAS_REALISASI: "Indikator ini sudah memiliki realisasi dan tidak dapat dihapus.",
  RENCANA_AKSI_HAS_PROGRES: "Rencana aksi ini sudah memiliki progres harian dan tidak dapat dihapus.",
  INVALID_TRANSITION: "Status SKP tidak memungkinkan tindakan ini (mungkin sudah berubah).",
};

/** A refusal's text: what the code means, and the service's own detail when it matters. @param {{ code: string, message: string }} error */
export function arti(error) {
  const known = ARTI[/** @type {keyof typeof ARTI} */ (error.code)];
  return known ?? error.message;
}

/** "indikator[2].targetMin" → "indikator-2-targetMin", the data-isian of that control. @param {string | null | undefined} name */
export function kunciIsian(name) {
  return name ? name.replace(/\[(\d+)\]\.?/g, "-$1-").replace(/-$/, "") : null;
}

/**
 * Show a mutation's refusal on its form: the field it names (indexed names matched with
 * kunciIsian), else its last part, else said in the message; a bulk write's rows listed.
 * @param {HTMLFormElement} form @param {any} error null clears @param {string} [pesan] the text, when not arti(error)
 */
export function tampilkanGalat(form, error, pesan = error ? arti(error) : "") {
  if (!error) return showFormError(form, null);
  const has = (/** @type {string | null | undefined} */ key) => key && form.querySelector(`[data-isian="${CSS.escape(key)}"]`) ? key : null;
  const key = has(kunciIsian(error.field)) ?? has(error.field?.split(".").pop());
  const rows = error.baris?.map((/** @type {any} */ b) => ({ row: b.baris, field: b.field, message: b.message })) ?? error.rows;
  const message = key || !error.field ? pesan : `${pesan} (isian: ${error.field})`;
  showFormError(form, { code: error.code, message, field: key, rows });
}

/** A form's submit handler that disables its submit buttons while `act` runs. @param {(form: HTMLFormElement) => Promise<void>} act */
export function onSubmit(act) {
  return async (/** @type {SubmitEvent} */ event) => {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    const buttons = [...form.querySelectorAll("button[type=submit]")];
    for (const b of buttons) b.setAttribute("disabled", "");
    try {
      await act(form);
    } catch (error) {
      showFormError(form, { code: /** @type {any} */ (error).code ?? "GAGAL", message: /** @type {Error} */ (error).message });
    } finally {
      for (const b of buttons) b.removeAttribute("disabled");
    }
  };
}
