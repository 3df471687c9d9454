// Home: who I am, who appraises me, and where to go next.
import { query } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { section } from "../lib/ui.js";

/** @param {import("./index.js").Konteks} ctx */
export default async function beranda({ sesi }) {
  /** @type {import("../generated/types").BerandaQuery} */
  const { saya } = await query("BerandaQuery");
  const jabatan = saya.jabatan?.jabatan;
  const penilai = saya.atasan?.pejabatPenilai;
  const atasanPenilai = saya.atasan?.atasanPejabatPenilai;
  const shortcuts = [
    ["#/skp", "SKP Saya", "Rencana hasil kerja tahun ini dan kaitannya dengan atasan."],
    ["#/pelaksanaan", "Progres & Realisasi", "Catat progres harian dan realisasi dengan bukti dukung."],
    sesi.punyaTim ? ["#/tim", "Tim Saya", "Persetujuan SKP, progres dan evaluasi tim Anda."] : null,
    sesi.kepalaUnit ? ["#/dasbor", "Dasbor Pimpinan", "Cakupan cascade dan sebaran predikat unit."] : null,
  ].filter(Boolean);
  return h(
    "div",
    null,
    h("h1", null, `Selamat datang, ${saya.namaLengkap}`),
    h(
      "dl",
      { class: "profil" },
      h("dt", null, "NIP"),
      h("dd", null, saya.nip),
      h("dt", null, "Jabatan"),
      h("dd", null, jabatan ? `${jabatan.nama}${jabatan.unit ? `, ${jabatan.unit.nama}` : ""}` : "–"),
      h("dt", null, "Pejabat penilai"),
      h("dd", null, penilai?.pegawai?.namaLengkap ?? penilai?.namaEksternal ?? "–"),
      h("dt", null, "Atasan pejabat penilai"),
      h("dd", null, atasanPenilai?.pegawai?.namaLengkap ?? "–"),
    ),
    section(
      "Pintasan",
      h(
        "ul",
        { class: "kartu-kartu" },
        shortcuts.map((item) => {
          const [href, title, text] = /** @type {string[]} */ (item);
          return h("li", { class: "kartu" }, h("a", { href }, title), h("p", null, text));
        }),
      ),
    ),
  );
}
