// The leader's dashboard for a unit (theirs or one below it) and a year's window: how much of my
// plan my subordinates carry (cascade coverage, the matriks peran hasil), the unit's predikat
// distribution checked against the curve of its predikat organisasi (the rules it breaks), and
// how far the unit's assessments are; charts as SVG with their tables. Kept current by live
// updates (lingkup SEMUA: approvals, results fixed or changed, keberatan decided).
import { query } from "../lib/api.js";
import { batang } from "../lib/chart.js";
import { announce, h, replace } from "../lib/dom.js";
import { angka, label, persen } from "../lib/format.js";
import { subscribe } from "../lib/live.js";
import { badge, button, errorBox, field, loading, section, table } from "../lib/ui.js";
import { indikatorLangsung, periodeAwal, setelahReda, tahunDari } from "./_penilai/umum.js";

/** @typedef {import("../generated/types").KinerjaUnitQuery} KinerjaUnit */
/** @typedef {import("../generated/types").CakupanCascadeQuery["cakupanCascade"]} Cakupan */

const PAGE = 50;
// What changes these figures (progres and realisasi do not).
const JENIS = ["skp.diajukan", "skp.disetujui", "skp.dikembalikan", "skp.ditarik", "skp.diakhiri", "evaluasi.diajukan", "evaluasi.ditetapkan", "evaluasi.diubah", "keberatan.diputus"];
const KELENGKAPAN = /** @type {const} */ ([
  ["tanpaSkp", "Tanpa SKP disetujui"],
  ["belumDiajukan", "Belum mengajukan evaluasi"],
  ["diajukan", "Diajukan, belum dinilai"],
  ["dinilai", "Dinilai, belum ditetapkan"],
  ["ditetapkan", "Ditetapkan"],
]);

/** Key figures as a definition list. @param {[string, string][]} items */
const angkaUtama = (items) =>
  h("dl", { class: "angka-utama" }, items.map(([term, value]) => h("div", null, h("dt", null, term), h("dd", null, value))));

/** @param {import("./index.js").Konteks} ctx */
export default async function dasbor(ctx) {
  const tahun = tahunDari(ctx.search);
  const own = ctx.sesi.unit;
  if (!own) return h("div", null, h("h1", null, "Dasbor Pimpinan"), h("p", null, "Jabatan Anda tidak tercatat pada unit kerja."));
  /** @type {import("../generated/types").UnitDasborQuery} */
  const base = await query("UnitDasborQuery", { unit: own.id, tahun });
  const top = base.unitKerja ?? { id: own.id, nama: own.nama, anak: [] };
  /** @type {[string, string][]} */
  const units = [[top.id, top.nama], ...top.anak.flatMap((a) => [[a.id, `— ${a.nama}`], ...a.anak.map((c) => [c.id, `— — ${c.nama}`])])].map((u) => /** @type {[string, string]} */ (u));
  let unit = ctx.search.get("unit") || top.id;
  let periode = ctx.search.get("periode") || periodeAwal(base.periodeEvaluasi, "selesai");
  const coverage = h("div", null, loading());
  const distribution = h("div", null, loading());
  const completeness = h("div");
  const live = indikatorLangsung();

  async function loadCoverage() {
    try {
      /** @type {import("../generated/types").CakupanCascadeQuery} */
      const data = await query("CakupanCascadeQuery", { tahun });
      replace(coverage, cakupan(data.cakupanCascade));
    } catch (error) {
      replace(coverage, errorBox(/** @type {Error} */ (error)), button("Coba lagi", loadCoverage));
    }
  }

  /** @param {Cakupan} c */
  function cakupan(c) {
    if (!c) return h("p", { class: "kosong" }, `Anda belum memiliki SKP ${tahun} untuk diintervensi.`);
    const mine = c.rhk.map((r, i) => ({ ...r, kode: `RHK ${i + 1}` }));
    const subordinates = new Map(c.bawahan.map((b) => [b.pegawai?.nip, b]));
    return [
      angkaUtama([
        ["RHK Anda yang diintervensi bawahan", `${angka(c.persenRhkTercakup)}%`],
        ["SKP bawahan disetujui", `${angka(c.persenSkpDisetujui)}%`],
      ]),
      batang({
        judul: `Jumlah RHK bawahan yang mengintervensi tiap RHK Anda (${tahun})`,
        kolom: ["RHK Anda", "RHK bawahan"],
        data: mine.map((r) => ({ label: r.kode, lengkap: `${r.kode}: ${r.rhk.teks}`, nilai: r.jumlahIntervensi })),
      }),
      h("p", { class: "rinci" }, mine.map((r) => `${r.kode}: ${r.rhk.teks}`).join(" · ")),
      c.rhkBelumDiintervensi.length
        ? h("div", { class: "galat", role: "note" }, h("strong", null, "Belum diintervensi siapa pun: "), c.rhkBelumDiintervensi.map((r) => r.teks).join("; "))
        : null,
      table({
        caption: "Matriks peran hasil: RHK bawahan per RHK Anda",
        empty: "Belum ada bawahan langsung.",
        rows: c.matriksPeranHasil,
        columns: [
          { label: "Bawahan", cell: (b) => b.pegawai?.namaLengkap ?? "–" },
          { label: "Status SKP", cell: (b) => badge(subordinates.get(b.pegawai?.nip)?.statusSkp) },
          ...mine.map((r) => ({
            label: r.kode,
            cell: (/** @type {any} */ b) => String(b.sel.find((/** @type {any} */ s) => s.rhkAtasanId === r.rhk.id)?.rhkBawahanId.length ?? 0),
            numeric: true,
          })),
          { label: "RHK tidak terhubung", cell: (b) => String(subordinates.get(b.pegawai?.nip)?.rhkTidakTerhubung ?? 0), numeric: true },
        ],
      }),
      c.intervensiYatim.length
        ? [h("h3", null, "Intervensi yatim (RHK Anda yang dihapus revisi)"), h("ul", null, c.intervensiYatim.map((y) => h("li", null, `${y.pegawai?.namaLengkap ?? "–"}: ${y.rhk.teks}. ${y.petunjuk}`)))]
        : null,
    ];
  }

  async function loadUnit() {
    replace(distribution, loading());
    /** @type {KinerjaUnit} */
    let data;
    try {
      data = await query("KinerjaUnitQuery", { unit, periode, first: PAGE });
    } catch (error) {
      replace(distribution, errorBox(/** @type {Error} */ (error)), button("Coba lagi", loadUnit));
      replace(completeness);
      return;
    }
    const k = data.kinerjaUnit;
    const total = k.distribusi.reduce((n, d) => n + d.jumlah, 0);
    const check = k.pemeriksaan;
    replace(
      distribution,
      angkaUtama([
        ["Predikat organisasi", k.predikat ? label(k.predikat) : "Belum ditetapkan"],
        ["Pegawai berpredikat", String(total)],
        ["Penetapan", k.ditetapkanPada ? "Sudah" : "Belum"],
      ]),
      batang({
        judul: `Sebaran predikat ${periode}`,
        kolom: ["Predikat", "Pegawai"],
        data: k.distribusi.map((d) => ({ label: label(d.predikat), nilai: d.jumlah, teks: `${d.jumlah} (${persen(d.jumlah, total)})` })),
      }),
      check
        ? [
            h("p", null, "Pemeriksaan kurva distribusi: ", h("span", { class: ["lencana", `lencana-${check.hasil.toLowerCase()}`] }, check.hasil), ` (${check.total} pegawai).`),
            table({
              caption: "Aturan kurva yang dilanggar",
              empty: "Sebaran sesuai kurva predikat organisasi.",
              rows: check.pelanggaran,
              columns: [
                { label: "Aturan", cell: (p) => p.keterangan },
                { label: "Jumlah", cell: (p) => String(p.jumlah), numeric: true },
                { label: "Batas", cell: (p) => String(p.batas), numeric: true },
                { label: "Keterangan", cell: (p) => p.pesan },
              ],
            }),
          ]
        : h("p", { class: "kosong" }, "Kurva diperiksa setelah predikat organisasi unit ditetapkan."),
    );
    const c = data.kelengkapanPenilaian;
    replace(
      completeness,
      batang({
        judul: `Kelengkapan penilaian ${periode}`,
        kolom: ["Tahap", "Pegawai"],
        data: KELENGKAPAN.map(([key, text]) => ({ label: text, nilai: c[key] })),
      }),
      table({
        caption: `Pegawai unit dan tahap penilaiannya (${periode})`,
        empty: "Unit ini tidak memiliki pegawai.",
        rows: c.pegawai.nodes,
        columns: [
          { label: "Nama", cell: (p) => p.nama },
          { label: "NIP", cell: (p) => p.nip },
          { label: "Status", cell: (p) => (p.status ? badge(p.status) : "Tanpa SKP") },
          { label: "Predikat", cell: (p) => (p.predikat ? badge(p.predikat) : "–") },
        ],
      }),
      c.pegawai.pageInfo.hasNextPage ? h("p", { class: "rinci" }, `Ditampilkan ${c.pegawai.nodes.length} pegawai pertama menurut nama.`) : null,
    );
  }

  const unitField = field({ label: "Unit kerja", name: "unit", type: "select", value: unit, options: units });
  const periodField = field({
    label: "Periode",
    name: "periode",
    type: "select",
    value: periode,
    options: base.periodeEvaluasi.map((p) => /** @type {[string, string]} */ ([p.kode, p.nama])),
  });
  unitField.querySelector("select")?.addEventListener("change", (e) => {
    unit = /** @type {HTMLSelectElement} */ (e.target).value;
    loadUnit();
  });
  periodField.querySelector("select")?.addEventListener("change", (e) => {
    periode = /** @type {HTMLSelectElement} */ (e.target).value;
    loadUnit();
  });

  const refresh = setelahReda(() => {
    loadCoverage();
    loadUnit();
    announce("Dasbor diperbarui.");
  }, 1000);
  ctx.onLeave(
    subscribe("PeristiwaSkpSubscription", { lingkup: "SEMUA", jenis: JENIS }, { cursorOf: (d) => d?.peristiwaSkp?.cursor ?? null, onState: live.set, onEvent: refresh }),
  );

  await Promise.all([loadCoverage(), loadUnit()]);
  return h(
    "div",
    null,
    h("h1", null, "Dasbor Pimpinan"),
    live.el,
    section(`Cakupan cascade ${tahun}`, coverage),
    section(
      "Kinerja unit",
      h("form", { class: "pilih-tahun", onsubmit: (/** @type {Event} */ e) => e.preventDefault() }, unitField, periodField),
      distribution,
    ),
    section("Kelengkapan penilaian", completeness),
  );
}
