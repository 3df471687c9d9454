// Progres & Realisasi (#/pelaksanaan?tahun=2026&periode=2026-T4): one window of my approved
// SKP. The daily log (one entry, several at once, or a CSV/XLSX file), the window's log,
// realisasi per indikator with its evidence (uploaded straight to the evidence store), the
// penilai's feedback with my replies, and the window's evaluation: submitting it, then its
// result and document.
import { mutate, query, url } from "../lib/api.js";
import { h, replace } from "../lib/dom.js";
import { hariIni, label, tanggal, waktu } from "../lib/format.js";
import { jendelaKini, jendelaSkp, onSubmit, pilihTahun, rentang, tahunDari, tampilkanGalat } from "../lib/pegawai.js";
import { badge, button, dialog, errorBox, field, loading, notice, section, table, values } from "../lib/ui.js";
import { bagianRealisasi } from "./_pegawai/realisasi.js";

/** @typedef {import("../generated/types").SkpTahunQuery["skpSaya"]["nodes"][number]} Skp */
/** @typedef {NonNullable<import("../generated/types").PelaksanaanSayaQuery["pelaksanaan"]>} Jendela */
/** @typedef {import("../generated/types").EvaluasiSayaQuery["evaluasi"]} Evaluasi */
/** @typedef {{ skp: Skp, kode: string, nama: string, awal: string, akhir: string, aksi: [string, string][], satuan: Map<string, string>, rhkAksi: Map<string, string>, selesai: (bagian: string, teks: string) => Promise<void> }} Konteks */

const PAGE = 50;

/** @param {import("./index.js").Konteks} ctx */
export default async function pelaksanaan(ctx) {
  const tahun = tahunDari(ctx.search);
  /** @type {import("../generated/types").SkpTahunQuery} */
  const base = await query("SkpTahunQuery", { tahun });
  const skps = base.skpSaya.nodes.filter((n) => n.status === "DISETUJUI" && !n.digantikanPada);
  const title = h("h1", null, "Progres & Realisasi");
  if (!skps.length) {
    return h(
      "div",
      { class: "pegawai" },
      title,
      pilihTahun(ctx.go, "/pelaksanaan", tahun),
      h("p", null, `Belum ada SKP tahun ${tahun} yang disetujui. Progres dan realisasi dicatat pada SKP yang sudah disetujui.`),
      h("p", null, h("a", { href: `#/skp?tahun=${tahun}` }, `Lihat SKP ${tahun}`)),
    );
  }
  const windows = skps.flatMap((skp) => jendelaSkp(base.periodeEvaluasi, skp).map((p) => ({ ...p, skp })));
  const wanted = ctx.search.get("periode");
  const chosen = windows.find((w) => `${w.skp.id}|${w.kode}` === wanted || w.kode === wanted) ?? jendelaKini(windows);
  const several = skps.length > 1;
  const chooser = field({
    label: "Periode",
    name: "periode",
    type: "select",
    value: several ? `${chosen.skp.id}|${chosen.kode}` : chosen.kode,
    options: windows.map((w) => [several ? `${w.skp.id}|${w.kode}` : w.kode, `${w.nama} (${rentang(w)})`]),
  });

  /** @type {Konteks} */
  const k = {
    skp: chosen.skp,
    kode: chosen.kode,
    nama: chosen.nama,
    awal: chosen.awal,
    akhir: chosen.akhir,
    aksi: [],
    satuan: new Map(),
    rhkAksi: new Map(),
    selesai,
  };
  for (const rhk of k.skp.rhk) {
    for (const a of rhk.rencanaAksi.filter((a) => a.periode === k.kode)) {
      k.aksi.push([a.id, `RHK ${rhk.urutan} · ${a.teks}${a.target ? ` (target ${a.target})` : ""}`]);
      k.satuan.set(a.id, (a.target ?? "").replace(/^[\d.,\s–-]+/, "").trim());
      k.rhkAksi.set(a.id, `RHK ${rhk.urutan}`);
    }
  }

  const body = h("div");
  /** @type {Jendela} */
  let jendela;
  /** @type {Evaluasi} */
  let evaluasi;

  async function load() {
    const [pel, ev] = await Promise.all([
      query("PelaksanaanSayaQuery", { skp: k.skp.id, periode: k.kode, first: PAGE }),
      query("EvaluasiSayaQuery", { skp: k.skp.id, periode: k.kode }),
    ]);
    jendela = pel.pelaksanaan;
    evaluasi = ev.evaluasi;
    draw();
  }

  /** After a change: reload, then say `teks` in section `bagian` and move focus there. @param {string} bagian @param {string} teks */
  async function selesai(bagian, teks) {
    await load();
    const holder = /** @type {HTMLElement | null} */ (body.querySelector(`[data-kabar="${bagian}"]`));
    if (holder) {
      replace(holder, notice(teks));
      holder.tabIndex = -1;
      holder.focus();
    }
  }

  function draw() {
    const open = jendela.statusEvaluasi === "BELUM_DIAJUKAN";
    const kabar = (/** @type {string} */ name) => h("div", { "data-kabar": name });
    replace(
      body,
      h(
        "p",
        null,
        h("strong", null, `${k.nama} (${k.kode}): `),
        rentang(k),
        " · Evaluasi: ",
        badge(jendela.statusEvaluasi),
      ),
      open ? null : h("p", { class: "berhasil", role: "note" }, "Evaluasi periode ini sudah diajukan: progres, realisasi dan bukti dukungnya tidak dapat diubah lagi."),
      h(
        "nav",
        { "aria-label": "Bagian halaman", class: "aksi" },
        [["progres", "Progres harian"], ["log", "Log"], ["realisasi", "Realisasi"], ["umpan-balik", "Umpan balik"], ["evaluasi", "Evaluasi"]].map(([id, text]) =>
          h("a", { href: `#/pelaksanaan?tahun=${tahun}&periode=${encodeURIComponent(k.kode)}`, onclick: (/** @type {Event} */ e) => jump(e, id) }, text),
        ),
      ),
      open
        ? h(
            "div",
            { id: "progres" },
            section("Catat progres harian", kabar("progres"), k.aksi.length ? progresForm() : h("p", { class: "kosong" }, "Belum ada rencana aksi untuk periode ini.")),
            k.aksi.length ? bulk("Catat beberapa progres sekaligus", (m) => m.bagianMassal(k)) : null,
            k.aksi.length ? bulk("Impor progres dari berkas", (m) => m.bagianImpor(k)) : null,
          )
        : null,
      h("div", { id: "log" }, section(`Log progres ${k.kode}`, kabar("log"), log(open))),
      h("div", { id: "realisasi" }, bagianRealisasi(k, jendela, open, kabar("realisasi"))),
      h("div", { id: "umpan-balik" }, section("Umpan balik penilai", kabar("umpan-balik"), feedback())),
      h("div", { id: "evaluasi" }, section(`Evaluasi ${k.kode}`, kabar("evaluasi"), evaluation())),
    );
  }

  /**
   * A part opened on demand (the bulk table, the file import): its module is fetched only then.
   * @param {string} summary @param {(module: typeof import("./_pegawai/progres.js")) => Node} build
   */
  function bulk(summary, build) {
    const holder = h("div", null, loading());
    const details = h("details", null, h("summary", null, summary), holder);
    details.addEventListener("toggle", async () => {
      if (!details.open || holder.dataset.siap) return;
      holder.dataset.siap = "1";
      try {
        replace(holder, build(await import("./_pegawai/progres.js")));
      } catch (error) {
        replace(holder, errorBox(/** @type {Error} */ (error)));
      }
    });
    return details;
  }

  /** In-page links without leaving the route. @param {Event} event @param {string} id */
  function jump(event, id) {
    event.preventDefault();
    const target = /** @type {HTMLElement | null} */ (body.querySelector(`#${id} h2`));
    target?.setAttribute("tabindex", "-1");
    target?.focus();
  }

  function progresForm() {
    const today = hariIni();
    const day = today < k.awal ? k.awal : today > k.akhir ? k.akhir : today;
    const form = h(
      "form",
      {
        "aria-label": "Progres harian",
        onsubmit: onSubmit(async (f) => {
          const v = values(f);
          const input = { rencanaAksiId: v.rencanaAksiId, tanggal: v.tanggal, jamMulai: v.jamMulai, jamSelesai: v.jamSelesai, kegiatan: v.kegiatan, realisasi: Number(v.realisasi), satuan: v.satuan };
          const result = await mutate("CatatProgresMutation", { input });
          if (result.error) return tampilkanGalat(f, result.error);
          await selesai("progres", `Progres ${tanggal(v.tanggal)} disimpan.`);
        }),
      },
      field({ label: "Rencana aksi", name: "rencanaAksiId", type: "select", options: k.aksi, required: true }),
      h(
        "div",
        { class: "baris-isian" },
        field({ label: "Tanggal", name: "tanggal", type: "date", value: day, min: k.awal, max: day, required: true }),
        field({ label: "Jam mulai", name: "jamMulai", type: "time", value: "08:00", required: true }),
        field({ label: "Jam selesai", name: "jamSelesai", type: "time", value: "10:00", required: true }),
      ),
      field({ label: "Kegiatan", name: "kegiatan", type: "textarea", rows: 2, required: true, maxlength: 2000 }),
      h(
        "div",
        { class: "baris-isian" },
        field({ label: "Realisasi", name: "realisasi", type: "number", min: 0, step: "1", value: "1", required: true, hint: "Bilangan bulat." }),
        field({ label: "Satuan", name: "satuan", value: k.satuan.get(k.aksi[0][0]), required: true, maxlength: 50 }),
      ),
      button("Simpan progres", undefined, { kind: "utama", type: "submit" }),
    );
    const select = /** @type {HTMLSelectElement} */ (form.querySelector("select[name=rencanaAksiId]"));
    const satuan = /** @type {HTMLInputElement} */ (form.querySelector("input[name=satuan]"));
    select.addEventListener("change", () => (satuan.value = k.satuan.get(select.value) || satuan.value));
    return form;
  }

  /** The window's log, a page at a time. @param {boolean} open */
  function log(open) {
    /** @type {Jendela["progres"]["nodes"]} */
    const rows = [...jendela.progres.nodes];
    const holder = h("div");
    let page = jendela.progres.pageInfo;
    const more = button("Muat lebih banyak", async () => {
      more.setAttribute("disabled", "");
      const next = await query("PelaksanaanSayaQuery", { skp: k.skp.id, periode: k.kode, first: PAGE, after: page.endCursor });
      rows.push(...next.pelaksanaan.progres.nodes);
      page = next.pelaksanaan.progres.pageInfo;
      redraw();
    });
    const redraw = () =>
      replace(
        holder,
        h("p", { class: "rinci" }, `${jendela.progres.totalCount} entri.`),
        table({
          caption: `Progres harian ${k.kode}`,
          columns: [
            { label: "Tanggal", cell: (p) => tanggal(p.tanggal) },
            { label: "Jam", cell: (p) => `${p.jamMulai.slice(0, 5)}–${p.jamSelesai.slice(0, 5)}` },
            { label: "Kegiatan", cell: (p) => [p.kegiatan, " ", h("span", { class: "rinci" }, `(${k.rhkAksi.get(p.rencanaAksiId) ?? "RHK lain"})`)] },
            { label: "Realisasi", cell: (p) => `${p.realisasi} ${p.satuan}` },
            { label: "Sumber", cell: (p) => p.sumberData },
            ...(open ? [{ label: "Tindakan", cell: (/** @type {any} */ p) => button("Hapus", () => remove(p), { kind: "bahaya", label: `Hapus progres ${tanggal(p.tanggal)} ${p.jamMulai.slice(0, 5)}` }) }] : []),
          ],
          rows,
          empty: "Belum ada progres pada periode ini.",
        }),
        page.hasNextPage ? h("p", null, more) : null,
      );
    redraw();
    return holder;
  }

  /** @param {{ id: string, tanggal: string, kegiatan: string }} p */
  async function remove(p) {
    const yes = await dialog("Hapus progres?", (close) =>
      h("div", null, h("p", null, `${tanggal(p.tanggal)}: ${p.kegiatan}`), h("p", { class: "aksi" }, button("Hapus", () => close(true), { kind: "bahaya" }), button("Batal", () => close(false)))),
    );
    if (!yes) return;
    const result = await mutate("HapusProgresMutation", { progres: p.id });
    if (result.error) {
      const holder = /** @type {HTMLElement} */ (body.querySelector('[data-kabar="log"]'));
      replace(holder, h("div", { class: "galat", role: "alert" }, result.error.message));
      return;
    }
    await selesai("log", "Progres dihapus.");
  }

  function feedback() {
    if (!jendela.umpanBalik.length) return h("p", { class: "kosong" }, "Belum ada umpan balik pada periode ini.");
    const rhk = new Map(k.skp.rhk.map((r) => [r.id, r]));
    const me = ctx.sesi.saya.id;
    return jendela.umpanBalik.map((u) => {
      const about = u.rhkId && rhk.get(u.rhkId);
      return h(
        "article",
        { class: "kartu rhk" },
        h("h3", null, about ? `RHK ${about.urutan}: ${about.teks}` : `Perilaku: ${u.nilaiPerilaku ?? "–"}`),
        h("p", { class: "rinci" }, waktu(u.diubahPada)),
        u.kalimat.length ? h("ul", null, u.kalimat.map((s) => h("li", null, s))) : null,
        u.teks ? h("p", null, u.teks) : null,
        u.tanggapan.map((t) => h("div", { class: "tanggapan" }, h("strong", null, t.penulisPegawaiId === me ? "Anda" : "Penilai"), h("span", { class: "rinci" }, ` · ${waktu(t.dibuatPada)}`), h("p", null, t.teks))),
        button("Balas umpan balik", () => reply(u.id)),
      );
    });
  }

  /** @param {string} id */
  async function reply(id) {
    const sent = await dialog("Balas umpan balik", (close) =>
      h(
        "form",
        {
          onsubmit: onSubmit(async (f) => {
            const result = await mutate("BalasUmpanBalikMutation", { umpanBalik: id, teks: values(f).teks });
            if (result.error) return tampilkanGalat(f, result.error);
            close(true);
          }),
        },
        field({ label: "Tanggapan", name: "teks", type: "textarea", rows: 4, required: true }),
        button("Kirim tanggapan", undefined, { kind: "utama", type: "submit" }),
      ),
    );
    if (sent) await selesai("umpan-balik", "Tanggapan terkirim.");
  }

  function evaluation() {
    const status = jendela.statusEvaluasi;
    if (status === "BELUM_DIAJUKAN") {
      return h(
        "form",
        {
          "aria-label": "Ajukan evaluasi",
          onsubmit: onSubmit(async (f) => {
            const result = await mutate("AjukanEvaluasiMutation", { skp: k.skp.id, periode: k.kode, catatan: values(f).catatan || null });
            if (result.error) return tampilkanGalat(f, result.error);
            await selesai("evaluasi", `Evaluasi ${k.kode} diajukan ke pejabat penilai.`);
          }),
        },
        h("p", null, "Setelah diajukan, progres, realisasi dan bukti dukung periode ini tidak dapat diubah lagi."),
        field({ label: "Catatan untuk pejabat penilai", name: "catatan", type: "textarea", rows: 3 }),
        button(`Ajukan evaluasi ${k.kode}`, undefined, { kind: "utama", type: "submit" }),
      );
    }
    const ev = evaluasi;
    if (!ev || status === "DIAJUKAN") {
      return h("p", null, `Diajukan ${waktu(jendela.diajukanPada)}; menunggu penilaian pejabat penilai.`, jendela.catatanPegawai ? ` Catatan Anda: ${jendela.catatanPegawai}` : "");
    }
    const chance = ev.kesempatanKeberatan;
    return h(
      "div",
      null,
      h(
        "dl",
        { class: "profil ringkas" },
        h("dt", null, "Predikat"),
        h("dd", null, badge(ev.predikat), ev.predikatLabel ? ` ${ev.predikatLabel}` : ""),
        h("dt", null, "Rating hasil kerja"),
        h("dd", null, label(ev.ratingHasilKerja)),
        h("dt", null, "Rating perilaku"),
        h("dd", null, label(ev.ratingPerilaku)),
        h("dt", null, "Catatan penilai"),
        h("dd", null, ev.catatanPenilai ?? "–"),
        h("dt", null, "Dinilai"),
        h("dd", null, waktu(ev.dinilaiPada)),
        h("dt", null, "Ditetapkan"),
        h("dd", null, ev.ditetapkanPada ? waktu(ev.ditetapkanPada) : "belum"),
      ),
      h(
        "p",
        { class: "aksi" },
        h("a", { class: "tombol", href: url(`/evaluasi/${encodeURIComponent(ev.id)}/dokumen.pdf`), target: "_blank", rel: "noopener" }, "Unduh dokumen evaluasi (PDF)"),
        ev.keberatan
          ? h("a", { class: "tombol", href: `#/keberatan?tahun=${tahun}` }, `Keberatan: ${label(ev.keberatan.status)}`)
          : chance.tersedia
            ? h("a", { class: "tombol", href: `#/keberatan?tahun=${tahun}` }, `Ajukan keberatan (sampai ${tanggal(chance.batas)})`)
            : null,
      ),
    );
  }

  await load();
  return h("div", { class: "pegawai" }, title, pilihTahun(ctx.go, "/pelaksanaan", tahun, chooser), body);
}
