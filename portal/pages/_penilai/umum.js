// What the penilai's and the leader's pages share: the live indicator, a refresh that waits for
// a burst of events to pass, the window to show by default, the rating choices.
import { h } from "../../lib/dom.js";
import { hariIni } from "../../lib/format.js";

export const RATING = /** @type {[string, string][]} */ ([
  ["DI_ATAS_EKSPEKTASI", "Di atas ekspektasi"],
  ["SESUAI_EKSPEKTASI", "Sesuai ekspektasi"],
  ["DI_BAWAH_EKSPEKTASI", "Di bawah ekspektasi"],
]);

/** @param {string | null | undefined} value */
export const ratingLabel = (value) => RATING.find(([v]) => v === value)?.[1] ?? "–";

/**
 * The live updates' state as text and a dot (class "langsung", data-keadaan terhubung |
 * terputus): `el` to show, `set(state)` from the subscription's onState.
 */
export function indikatorLangsung() {
  const el = h("p", { class: "langsung", "data-keadaan": "terputus" }, "Pembaruan langsung: menghubungkan…");
  /** @param {string} state */
  const set = (state) => {
    el.dataset.keadaan = state;
    el.textContent = state === "terhubung" ? "Pembaruan langsung: terhubung" : "Pembaruan langsung: terputus, menghubungkan lagi…";
  };
  return { el, set };
}

/** `fn` once, `ms` after the last of several calls in a row (a burst of events, one reload). @param {() => void} fn */
export function setelahReda(fn, ms = 300) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/**
 * The window to show first: the one today falls in (`berjalan`), else the last that ended
 * (`selesai`: a finished window is the one rated and fixed).
 * @param {{ kode: string, awal: string, akhir: string }[]} windows @param {"berjalan" | "selesai"} [mode]
 */
export function periodeAwal(windows, mode = "berjalan") {
  const today = hariIni();
  const ended = windows.filter((w) => w.akhir < today);
  const running = windows.find((w) => w.awal <= today && today <= w.akhir);
  const pick = mode === "berjalan" ? running ?? ended.at(-1) : ended.at(-1) ?? running;
  return (pick ?? windows[0])?.kode ?? "";
}

/** A year from the address (?tahun=2026), else this year. @param {URLSearchParams} search */
export const tahunDari = (search) => Number(search.get("tahun")) || Number(hariIni().slice(0, 4));

// The codes a penilai or an atasan meets, in Indonesian (the service's message otherwise: it
// names the value at fault for INVALID_INPUT).
const ARTI = {
  STALE_VERSION: "Data ini berubah sejak Anda membukanya (misalnya ditarik pegawai atau dinilai di tab lain). Daftar sudah dimuat ulang: periksa, lalu ulangi.",
  INVALID_TRANSITION: "SKP ini tidak lagi menunggu persetujuan (mungkin ditarik pegawai).",
  NOT_PENILAI: "Anda bukan pejabat penilai SKP ini.",
  NOT_ATASAN_PENILAI: "Anda bukan atasan pejabat penilai untuk keberatan ini.",
  INTERVENTION_ORPHANED: "Ada RHK yang mengintervensi RHK Anda yang sudah dihapus: kembalikan agar pegawai menautkannya ulang.",
  INTERVENTION_SUPERSEDED: "Ada RHK yang mengintervensi versi lama RHK Anda: kembalikan agar pegawai menautkannya ulang.",
  LOCKED: "Hasil periode ini sudah ditetapkan dan tidak dapat dinilai ulang.",
  FINAL: "Keberatan ini sudah diputus.",
  WINDOW_CLOSED: "Periode ini sudah ditutup.",
  SUPERSEDED: "SKP ini sudah digantikan versi yang lebih baru. Daftar sudah dimuat ulang: buka lagi dari barisnya.",
};

/** A refusal with its message in Indonesian where the code is known. @template {{ code: string, message: string }} E @param {E} error @returns {E} */
export const arti = (error) => ({ ...error, message: ARTI[/** @type {keyof typeof ARTI} */ (error.code)] ?? error.message });
