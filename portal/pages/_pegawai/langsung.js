// Live updates of my own SKPs (lingkup SAYA) for the pegawai's pages: approval, return, a fixed
// result, a keberatan decided, each said as a sentence.
import { h } from "../../lib/dom.js";
import { peristiwaCursor, subscribe } from "../../lib/live.js";

/** Which events about my SKPs the pages follow (the log and realisasi are my own doing). */
const JENIS = ["skp.diajukan", "skp.ditarik", "skp.dikembalikan", "skp.disetujui", "skp.diakhiri", "evaluasi.ditetapkan", "evaluasi.diubah", "keberatan.diputus"];

/** An event as a sentence. @param {{ jenis: string, data: any }} event */
export function pesanPeristiwa({ jenis, data }) {
  const periode = data?.periode ? ` periode ${data.periode}` : "";
  const sentences = {
    "skp.diajukan": "SKP Anda diajukan ke pejabat penilai.",
    "skp.ditarik": "SKP Anda ditarik kembali menjadi draf.",
    "skp.dikembalikan": "SKP Anda dikembalikan oleh pejabat penilai. Lihat catatannya.",
    "skp.disetujui": "SKP Anda disetujui oleh pejabat penilai.",
    "skp.diakhiri": "SKP Anda diakhiri.",
    "evaluasi.ditetapkan": `Hasil evaluasi${periode} ditetapkan.`,
    "evaluasi.diubah": `Hasil evaluasi${periode} diubah oleh putusan keberatan.`,
    "keberatan.diputus": `Keberatan Anda${periode} sudah diputus.`,
  };
  return sentences[/** @type {keyof typeof sentences} */ (jenis)] ?? "SKP Anda berubah.";
}

/**
 * Follow my own SKPs live (lingkup SAYA) while the page is shown: `onEvent(peristiwa)` for
 * each event. Returns the element saying whether the live connection is up.
 * @param {import("../index.js").Konteks} ctx @param {(event: { jenis: string, data: any, entitasId: string }) => void} onEvent
 */
export function ikutiSkpSaya(ctx, onEvent) {
  const state = h("p", { class: "langsung", "data-keadaan": "terputus" }, "Pembaruan langsung: menghubungkan…");
  const stop = subscribe(
    "PeristiwaSkpSubscription",
    { lingkup: "SAYA", jenis: JENIS },
    {
      onEvent: (data) => onEvent(data.peristiwaSkp),
      onState: (keadaan) => {
        state.dataset.keadaan = keadaan;
        state.textContent = keadaan === "terhubung" ? "Pembaruan langsung: aktif" : "Pembaruan langsung: terputus, menyambung ulang…";
      },
      cursorOf: peristiwaCursor,
    },
  );
  ctx.onLeave(stop);
  return state;
}
