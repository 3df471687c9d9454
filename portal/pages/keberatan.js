// Keberatan (#/keberatan?tahun=2026): my results of a year, and for each fixed one whether a
// keberatan may still be filed (kesempatanKeberatan: until its batas, counted in the
// instansi's days) with the form to file it; a filed keberatan's state, the explanations asked
// and given, and the decision. A decision arrives live.
import { mutate, query, url } from "../lib/api.js";
import { h, replace } from "../lib/dom.js";
import { label, tanggal, waktu } from "../lib/format.js";
import { jendelaSkp, onSubmit, pilihTahun, tahunDari, tampilkanGalat } from "../lib/pegawai.js";
import { badge, errorBox, field, button, notice, section, values } from "../lib/ui.js";
import { daftarIsian } from "./_pegawai/daftar.js";
import { ikutiSkpSaya, pesanPeristiwa } from "./_pegawai/langsung.js";

/** @typedef {NonNullable<import("../generated/types").EvaluasiSayaQuery["evaluasi"]>} Evaluasi */
/** @typedef {NonNullable<Evaluasi["keberatan"]>} Keberatan */

/** @param {import("./index.js").Konteks} ctx */
export default async function keberatan(ctx) {
  const tahun = tahunDari(ctx.search);
  const body = h("div");
  const kabar = h("div", { "aria-live": "polite" });

  async function load() {
    /** @type {import("../generated/types").SkpTahunQuery} */
    const base = await query("SkpTahunQuery", { tahun });
    const asked = base.skpSaya.nodes
      .filter((skp) => skp.status === "DISETUJUI")
      .flatMap((skp) => [...jendelaSkp(base.periodeEvaluasi, skp), { kode: `${tahun}-THN`, nama: "Tahunan" }].map((p) => ({ skp, p })));
    const found = await Promise.all(asked.map(({ skp, p }) => query("EvaluasiSayaQuery", { skp: skp.id, periode: p.kode }).then((d) => ({ p, ev: d.evaluasi }))));
    // One result per window: a revision's SKP answers for the windows an earlier version did too.
    const seen = new Set();
    const results = found.filter(({ ev }) => ev && ev.status !== "BELUM_DIAJUKAN" && !seen.has(ev.id) && seen.add(ev.id));
    replace(
      body,
      results.length ? results.map(({ p, ev }) => card(p.nama, /** @type {Evaluasi} */ (ev))) : h("p", { class: "kosong" }, `Belum ada hasil evaluasi tahun ${tahun}.`),
    );
  }

  /** After a change: reload and say so. @param {string} text */
  async function done(text) {
    await load();
    replace(kabar, notice(text));
  }

  /** @param {string} nama @param {Evaluasi} ev */
  function card(nama, ev) {
    const chance = ev.kesempatanKeberatan;
    return section(
      `${nama} (${ev.periode})`,
      h(
        "dl",
        { class: "profil ringkas" },
        h("dt", null, "Predikat"),
        h("dd", null, ev.predikat ? [badge(ev.predikat), ev.predikatLabel && ev.predikatLabel !== label(ev.predikat) ? ` ${ev.predikatLabel}` : ""] : "belum dinilai"),
        h("dt", null, "Status"),
        h("dd", null, badge(ev.status), ev.final ? " (final)" : ""),
        h("dt", null, "Ditetapkan"),
        h("dd", null, ev.ditetapkanPada ? tanggal(ev.ditetapkanPada) : "belum"),
        chance.batas ? [h("dt", null, "Batas keberatan"), h("dd", null, tanggal(chance.batas))] : null,
      ),
      h("p", null, h("a", { href: url(`/evaluasi/${encodeURIComponent(ev.id)}/dokumen.pdf`), target: "_blank", rel: "noopener" }, `Dokumen evaluasi ${ev.periode} (PDF)`)),
      ev.keberatan ? filed(ev.keberatan) : chance.tersedia ? fileForm(ev) : h("p", { class: "rinci" }, why(ev)),
    );
  }

  /** Why no keberatan can be filed, in words. @param {Evaluasi} ev */
  function why(ev) {
    const chance = ev.kesempatanKeberatan;
    if (!ev.ditetapkanPada) return "Keberatan dapat diajukan setelah hasil ini ditetapkan.";
    if (chance.batas) return `Batas pengajuan keberatan (${tanggal(chance.batas)}) sudah lewat: hasil ini final.`;
    return `Keberatan tidak dapat diajukan: ${chance.alasan ?? "hasil ini final"}.`;
  }

  /** @param {Evaluasi} ev */
  function fileForm(ev) {
    const lampiran = daftarIsian({
      items: /** @type {{ nama: string, tautan: string }[]} */ ([]),
      legend: (n) => `Lampiran ${n}`,
      tambah: "Tambah lampiran",
      blank: () => ({ nama: "", tautan: "" }),
      read: (n, get) => ({ nama: get(`lampiran-${n}-nama`), tautan: get(`lampiran-${n}-tautan`) }),
      draw: (l, n) =>
        h(
          "div",
          { class: "baris-isian" },
          field({ label: "Nama lampiran", name: `lampiran-${n}-nama`, value: l.nama }),
          field({ label: "Tautan", name: `lampiran-${n}-tautan`, type: "url", value: l.tautan }),
        ),
    });
    return h(
      "form",
      {
        "aria-label": `Ajukan keberatan ${ev.periode}`,
        onsubmit: onSubmit(async (f) => {
          const items = lampiran.values().filter((l) => l.nama.trim() || l.tautan.trim());
          const result = await mutate("AjukanKeberatanMutation", { evaluasi: ev.id, alasan: values(f).alasan, lampiran: items.length ? items : null });
          if (result.error) return tampilkanGalat(f, result.error);
          await done(`Keberatan atas hasil ${ev.periode} diajukan ke atasan pejabat penilai.`);
        }),
      },
      h("p", null, `Anda dapat mengajukan keberatan atas hasil ini kepada atasan pejabat penilai sampai ${tanggal(ev.kesempatanKeberatan.batas)}. Putusannya final.`),
      field({ label: "Alasan keberatan", name: "alasan", type: "textarea", rows: 4, required: true }),
      lampiran.element,
      button(`Ajukan keberatan ${ev.periode}`, undefined, { kind: "utama", type: "submit" }),
    );
  }

  /** @param {Keberatan} k */
  function filed(k) {
    const asked = k.status === "DIPERIKSA" && k.permintaanPenjelasan && !k.penjelasanPegawai;
    const item = (/** @type {string} */ term, /** @type {any} */ detail) => (detail ? [h("dt", null, term), h("dd", null, detail)] : null);
    return h(
      "div",
      { class: "kartu rhk" },
      h("h3", null, "Keberatan Anda"),
      h(
        "dl",
        { class: "profil ringkas" },
        item("Status", badge(k.status)),
        item("Diajukan", waktu(k.diajukanPada)),
        item("Alasan", k.alasan),
        item("Lampiran", k.lampiran.length ? h("ul", null, k.lampiran.map((l) => h("li", null, h("a", { href: l.tautan, target: "_blank", rel: "noopener noreferrer" }, l.nama)))) : null),
        item("Permintaan penjelasan", k.permintaanPenjelasan),
        item("Penjelasan penilai", k.penjelasanPenilai),
        item("Penjelasan Anda", k.penjelasanPegawai),
        item("Putusan", k.hasil ? badge(k.hasil) : null),
        item("Rating hasil kerja baru", k.ratingHasilKerjaBaru ? label(k.ratingHasilKerjaBaru) : null),
        item("Rating perilaku baru", k.ratingPerilakuBaru ? label(k.ratingPerilakuBaru) : null),
        item("Catatan putusan", k.catatanKeputusan),
        item("Diputus", k.diputusPada ? waktu(k.diputusPada) : null),
      ),
      k.status === "FINAL" ? null : h("p", { class: "rinci" }, "Menunggu putusan atasan pejabat penilai."),
      asked
        ? h(
            "form",
            {
              "aria-label": "Penjelasan keberatan",
              onsubmit: onSubmit(async (f) => {
                const result = await mutate("BeriPenjelasanKeberatanMutation", { keberatan: k.id, penjelasan: values(f).penjelasan });
                if (result.error) return tampilkanGalat(f, result.error);
                await done("Penjelasan Anda terkirim.");
              }),
            },
            field({ label: "Penjelasan Anda", name: "penjelasan", type: "textarea", rows: 4, required: true }),
            button("Kirim penjelasan", undefined, { kind: "utama", type: "submit" }),
          )
        : null,
    );
  }

  const live = ikutiSkpSaya(ctx, async (event) => {
    if (!event.jenis.startsWith("evaluasi.") && !event.jenis.startsWith("keberatan.")) return;
    if (event.data?.tahun && event.data.tahun !== tahun) return; // another year's result
    const text = pesanPeristiwa(event);
    try {
      await load();
      replace(kabar, notice(text));
    } catch (error) {
      replace(kabar, notice(text), errorBox(/** @type {Error} */ (error)));
    }
  });

  await load();
  return h(
    "div",
    { class: "pegawai" },
    h("h1", null, "Keberatan"),
    pilihTahun(ctx.go, "/keberatan", tahun),
    h("p", null, "Keberatan atas hasil evaluasi yang sudah ditetapkan diajukan kepada atasan pejabat penilai, dalam batas waktu yang berlaku di instansi Anda."),
    live,
    kabar,
    body,
  );
}
