// Rencana SKP (#/skp/rencana?tahun=2026): planning. Create the year's SKP, write its RHK with
// their indikator and the pejabat penilai's RHK each intervenes (chosen from rhkAtasan), the
// rencana aksi of every window, and submit it. Every change sends the versiKunci last read
// (optimistic concurrency): STALE_VERSION reloads the page and says so at the top.
import { mutate, query } from "../lib/api.js";
import { h, replace } from "../lib/dom.js";
import { label } from "../lib/format.js";
import { arti, jendelaKini, jendelaSkp, onSubmit, pilihTahun, rentang, tahunDari, tampilkanGalat } from "../lib/pegawai.js";
import { daftarIsian } from "./_pegawai/daftar.js";
import { badge, button, dialog, errorBox, field, notice, section, table, values } from "../lib/ui.js";

/** @typedef {import("../generated/types").SkpSayaQuery["skpSaya"]["nodes"][number]} Skp */
/** @typedef {Skp["rhk"][number]} Rhk */
/** @typedef {{ id: string, teks: string, aspek: string, targetMin: string, targetMax: string, satuan: string, targetKualitatif: string }} Butir */

const ASPEK = /** @type {[string, string][]} */ ([["", "–"], ["KUANTITAS", "Kuantitas"], ["KUALITAS", "Kualitas"], ["WAKTU", "Waktu"], ["BIAYA", "Biaya"]]);

/** @param {import("./index.js").Konteks} ctx */
export default async function rencana(ctx) {
  const tahun = tahunDari(ctx.search);
  const top = h("div", { "aria-live": "polite" });
  const body = h("div");
  /** @type {Skp[]} */
  let nodes = [];
  /** @type {{ kode: string, nama: string, awal: string, akhir: string }[]} */
  let periode = [];
  let periodeDipilih = ctx.search.get("periode");

  async function load() {
    const [skp, windows] = await Promise.all([query("SkpSayaQuery", { tahun }), query("PeriodeEvaluasiQuery", { tahun })]);
    nodes = skp.skpSaya.nodes;
    periode = windows.periodeEvaluasi;
    replace(body, view());
  }

  /** Say something at the top of the page (a live region; a refusal is focused too). @param {Node} what */
  function say(what) {
    replace(top, what);
    const alert = /** @type {HTMLElement | null} */ (top.querySelector("[role=alert]"));
    if (alert) {
      alert.tabIndex = -1;
      alert.focus();
    }
  }

  /**
   * Send a mutation from a form: its refusal on the form, STALE_VERSION by reloading and saying
   * so at the top, success by reloading and saying `done`.
   * @param {HTMLFormElement} form @param {() => ReturnType<typeof mutate>} run @param {string} done
   */
  async function send(form, run, done) {
    const result = await run();
    if (result.error?.code === "STALE_VERSION") {
      await load();
      say(errorBox({ code: "STALE_VERSION", message: arti(result.error) }));
    } else if (result.error) {
      const rhk = /^rhk\[(\d+)\]/.exec(result.error.field ?? "");
      const text = arti(result.error);
      tampilkanGalat(form, result.error, rhk ? (text.startsWith("RHK ini") ? text.replace("RHK ini", `RHK ${rhk[1]}`) : `RHK ${rhk[1]}: ${text}`) : text);
    } else {
      await load();
      say(notice(done));
    }
  }

  function view() {
    if (!nodes.length) return createForm();
    const skp = nodes.find((n) => n.status !== "DISETUJUI") ?? nodes[0];
    const draft = skp.status === "DRAFT";
    const returned = draft && skp.catatanPengembalian;
    return h(
      "div",
      null,
      returned ? h("div", { class: "galat", role: "note" }, h("strong", null, "Dikembalikan oleh pejabat penilai: "), skp.catatanPengembalian) : null,
      h(
        "dl",
        { class: "profil ringkas" },
        h("dt", null, "Status"),
        h("dd", null, badge(returned ? "DIKEMBALIKAN" : skp.status)),
        h("dt", null, "Versi"),
        h("dd", null, String(skp.versi)),
        h("dt", null, "Periode"),
        h("dd", null, rentang({ awal: skp.periodeAwal, akhir: skp.periodeAkhir })),
        h("dt", null, "Pejabat penilai"),
        h("dd", null, skp.pejabatPenilai?.nama ?? "–"),
      ),
      draft ? null : stateActions(skp),
      section(
        "Rencana hasil kerja",
        skp.rhk.map((rhk) => rhkCard(skp, rhk, draft)),
        skp.rhk.length ? null : h("p", { class: "kosong" }, "Belum ada RHK."),
        draft ? addRhk(skp) : null,
      ),
      draft ? rencanaAksi(skp) : null,
      draft ? submitForm(skp) : null,
    );
  }

  function createForm() {
    return section(
      `Buat SKP tahun ${tahun}`,
      h("p", null, `Anda belum memiliki SKP tahun ${tahun}. Pejabat penilai dan atasannya dicatat saat SKP dibuat.`),
      h(
        "form",
        {
          "aria-label": "Buat SKP",
          onsubmit: onSubmit((form) => send(form, () => mutate("BuatSkpMutation", { tahun, pendekatan: values(form).pendekatan }), `SKP ${tahun} dibuat. Tambahkan RHK-nya.`)),
        },
        field({ label: "Pendekatan", name: "pendekatan", type: "select", value: "KUANTITATIF", options: [["KUANTITATIF", "Kuantitatif"], ["KUALITATIF", "Kualitatif"]] }),
        button("Buat SKP", undefined, { kind: "utama", type: "submit" }),
      ),
    );
  }

  /** A submitted SKP may be withdrawn; an approved one revised. @param {Skp} skp */
  function stateActions(skp) {
    const submitted = skp.status === "DIAJUKAN";
    return h(
      "form",
      {
        "aria-label": submitted ? "Tarik SKP" : "Perubahan SKP",
        onsubmit: onSubmit((form) =>
          submitted
            ? send(form, () => mutate("TarikSkpMutation", { skp: skp.id, versi: skp.versiKunci }), "SKP ditarik kembali menjadi draf.")
            : send(form, () => mutate("RevisiSkpMutation", { skp: skp.id, versi: skp.versiKunci }), "Perubahan SKP dibuat sebagai versi baru (draf)."),
        ),
      },
      h(
        "p",
        null,
        submitted
          ? "SKP sedang menunggu persetujuan pejabat penilai. Tarik kembali bila masih ingin mengubahnya."
          : "SKP sudah disetujui. Perubahan dibuat sebagai versi baru; versi yang disetujui tetap berlaku sampai perubahan disetujui.",
      ),
      button(submitted ? "Tarik kembali ke draf" : "Buat perubahan SKP", undefined, { type: "submit" }),
    );
  }

  /** @param {Skp} skp @param {Rhk} rhk @param {boolean} draft */
  function rhkCard(skp, rhk, draft) {
    const card = h(
      "article",
      { class: "kartu rhk", id: `rhk-kartu-${rhk.urutan}`, "aria-labelledby": `rhk-judul-${rhk.urutan}` },
      h("h3", { id: `rhk-judul-${rhk.urutan}` }, `RHK ${rhk.urutan} · ${label(rhk.jenis)}: `, rhk.teks),
      h(
        "p",
        null,
        h("strong", null, "Mengintervensi: "),
        rhk.intervensi?.teks ?? (rhk.intervensiEksternal ? `${rhk.intervensiEksternal} (di luar sistem)` : "belum ada"),
        rhk.statusIntervensi === "YATIM" || rhk.statusIntervensi === "DIGANTIKAN" ? [" ", badge(rhk.statusIntervensi), " ", rhk.petunjukIntervensi ?? ""] : null,
      ),
      table({
        caption: `Indikator RHK ${rhk.urutan}`,
        columns: [
          { label: "Indikator", cell: (i) => i.teks },
          { label: "Aspek", cell: (i) => label(i.aspek) },
          { label: "Target", cell: (i) => i.target },
        ],
        rows: rhk.indikator,
        empty: "Belum ada indikator.",
      }),
      draft
        ? h(
            "form",
            {
              class: "aksi",
              "aria-label": `Tindakan RHK ${rhk.urutan}`,
              onsubmit: onSubmit(async (form) => {
                const yes = await dialog(`Hapus RHK ${rhk.urutan}?`, (close) =>
                  h("div", null, h("p", null, rhk.teks), h("p", { class: "aksi" }, button("Hapus", () => close(true), { kind: "bahaya" }), button("Batal", () => close(false)))),
                );
                if (yes) await send(form, () => mutate("HapusRhkMutation", { skp: skp.id, versi: skp.versiKunci, rhk: rhk.id }), `RHK ${rhk.urutan} dihapus.`);
              }),
            },
            button(`Ubah RHK ${rhk.urutan}`, () => card.replaceWith(rhkForm(skp, rhk))),
            button(`Hapus RHK ${rhk.urutan}`, undefined, { kind: "bahaya", type: "submit" }),
          )
        : null,
    );
    return card;
  }

  /** @param {Skp} skp */
  function addRhk(skp) {
    const holder = h("div");
    const open = button("Tambah RHK", () => {
      replace(holder, rhkForm(skp, null));
      /** @type {HTMLElement | null} */ (holder.querySelector("textarea"))?.focus();
    }, { kind: "utama" });
    replace(holder, open);
    return holder;
  }

  /** The form of one RHK, new (rhk null) or to change. @param {Skp} skp @param {Rhk | null} rhk */
  function rhkForm(skp, rhk) {
    const kualitatif = skp.pendekatan === "KUALITATIF";
    const atasan = skp.rhkAtasan ?? [];
    /** @type {[string, string][]} */
    const choices = [["", atasan.length ? "— pilih RHK pejabat penilai —" : "— belum ada RHK atasan yang disetujui —"]];
    for (const a of atasan) choices.push([a.id, `${label(a.jenis)}: ${a.teks}`]);
    if (rhk?.intervensi && !atasan.some((a) => a.id === rhk.intervensi?.id)) choices.push([rhk.intervensi.id, `${rhk.intervensi.teks} (tidak berlaku lagi)`]);
    /** @type {(i?: Partial<Butir>) => Butir} */
    const item = (i = {}) => ({ id: i.id ?? "", teks: i.teks ?? "", aspek: i.aspek ?? "", targetMin: i.targetMin ?? "", targetMax: i.targetMax ?? "", satuan: i.satuan ?? "", targetKualitatif: i.targetKualitatif ?? "" });
    const indikator = daftarIsian({
      items: (rhk?.indikator.length ? rhk.indikator : [{}]).map((i) => item(/** @type {any} */ (i))),
      legend: (n) => `Indikator ${n}`,
      tambah: "Tambah indikator",
      min: 1,
      blank: () => item(),
      read: (n, get) => item({ id: get(`indikator-${n}-id`), teks: get(`indikator-${n}-teks`), aspek: get(`indikator-${n}-aspek`), targetMin: get(`indikator-${n}-targetMin`), targetMax: get(`indikator-${n}-targetMax`), satuan: get(`indikator-${n}-satuan`), targetKualitatif: get(`indikator-${n}-targetKualitatif`) }),
      draw: (i, n) => [
        h("input", { type: "hidden", name: `indikator-${n}-id`, value: i.id }),
        field({ label: "Indikator", name: `indikator-${n}-teks`, value: i.teks, required: true }),
        h(
          "div",
          { class: "baris-isian" },
          field({ label: "Aspek", name: `indikator-${n}-aspek`, type: "select", value: i.aspek, options: ASPEK }),
          kualitatif
            ? field({ label: "Target (uraian)", name: `indikator-${n}-targetKualitatif`, value: i.targetKualitatif })
            : [
                field({ label: "Target", name: `indikator-${n}-targetMin`, type: "number", step: "any", value: i.targetMin }),
                field({ label: "Target maksimum", name: `indikator-${n}-targetMax`, type: "number", step: "any", value: i.targetMax, hint: "Bila target berupa rentang." }),
                field({ label: "Satuan", name: `indikator-${n}-satuan`, value: i.satuan }),
              ],
        ),
      ],
    });
    const title = rhk ? `Ubah RHK ${rhk.urutan}` : "RHK baru";
    const form = h(
      "form",
      {
        class: "kartu rhk",
        "aria-label": title,
        onsubmit: onSubmit(async (f) => {
          const v = values(f);
          const input = {
            skpId: skp.id,
            versiDiharapkan: skp.versiKunci,
            rhkId: rhk?.id ?? null,
            teks: v.teks,
            jenis: v.jenis,
            klasifikasi: v.klasifikasi || null,
            intervensiRhkId: v.intervensiRhkId || null,
            intervensiEksternal: v.intervensiEksternal?.trim() || null,
            indikator: indikator.values().map((i) => ({
              id: i.id || null,
              teks: i.teks,
              aspek: i.aspek || null,
              targetMin: i.targetMin || null,
              targetMax: i.targetMax || null,
              satuan: i.satuan || null,
              targetKualitatif: i.targetKualitatif || null,
            })),
          };
          await send(f, () => mutate("SimpanRhkMutation", { input }), rhk ? `RHK ${rhk.urutan} disimpan.` : "RHK baru disimpan.");
        }),
      },
      h("h3", null, title),
      field({ label: "Rencana hasil kerja", name: "teks", type: "textarea", value: rhk?.teks, required: true, rows: 2 }),
      h(
        "div",
        { class: "baris-isian" },
        field({ label: "Jenis", name: "jenis", type: "select", value: rhk?.jenis ?? "UTAMA", options: [["UTAMA", "Utama"], ["TAMBAHAN", "Tambahan"]] }),
        skp.jenisForm === "JPT"
          ? field({ label: "Klasifikasi", name: "klasifikasi", type: "select", value: rhk?.klasifikasi ?? "", options: [["", "–"], ["ORGANISASI", "Organisasi"], ["INDIVIDU", "Individu"]] })
          : null,
      ),
      field({ label: "RHK atasan yang diintervensi", name: "intervensiRhkId", type: "select", value: rhk?.intervensi?.id ?? "", options: choices, hint: "RHK pejabat penilai yang didukung RHK ini." }),
      field({ label: "Intervensi eksternal", name: "intervensiEksternal", value: rhk?.intervensiEksternal, hint: "Hanya bila atasan di luar sistem (mis. Bupati): hasil yang didukung." }),
      indikator.element,
      h("p", { class: "aksi" }, button("Simpan RHK", undefined, { kind: "utama", type: "submit" }), button("Batal", () => replace(body, view()))),
    );
    return form;
  }

  /** The rencana aksi of every RHK in one window. @param {Skp} skp */
  function rencanaAksi(skp) {
    const windows = jendelaSkp(periode, skp);
    if (!windows.length || !skp.rhk.length) return null;
    const current = windows.find((p) => p.kode === periodeDipilih) ?? jendelaKini(windows);
    const forms = h("div");
    const draw = (/** @type {string} */ kode) => {
      periodeDipilih = kode;
      replace(forms, skp.rhk.map((rhk) => aksiForm(skp, rhk, kode)));
    };
    const chooser = field({ label: "Periode", name: "periode", type: "select", value: current.kode, options: windows.map((p) => [p.kode, `${p.nama} (${rentang(p)})`]) });
    chooser.querySelector("select")?.addEventListener("change", (event) => draw(/** @type {HTMLSelectElement} */ (event.target).value));
    draw(current.kode);
    return section("Rencana aksi per periode", h("p", { class: "petunjuk" }, "Progres harian nanti dicatat terhadap rencana aksi ini."), h("div", { class: "sempit" }, chooser), forms);
  }

  /** @param {Skp} skp @param {Rhk} rhk @param {string} kode */
  function aksiForm(skp, rhk, kode) {
    const saved = rhk.rencanaAksi.filter((a) => a.periode === kode).map((a) => ({ teks: a.teks, target: a.target ?? "" }));
    const list = daftarIsian({
      items: saved.length ? saved : [{ teks: "", target: "" }],
      legend: (n) => `Butir ${n}`,
      tambah: `Tambah butir RHK ${rhk.urutan}`,
      blank: () => ({ teks: "", target: "" }),
      read: (n, get) => ({ teks: get(`items-${n}-teks`), target: get(`items-${n}-target`) }),
      draw: (a, n) =>
        h(
          "div",
          { class: "baris-isian" },
          field({ label: "Rencana aksi", name: `items-${n}-teks`, value: a.teks }),
          field({ label: "Target", name: `items-${n}-target`, value: a.target, hint: "Mis. 1 Dokumen" }),
        ),
    });
    return h(
      "form",
      {
        class: "kartu rhk",
        "aria-label": `Rencana aksi RHK ${rhk.urutan} ${kode}`,
        onsubmit: onSubmit((form) => {
          const items = list.values().filter((a) => a.teks.trim() || a.target.trim()).map((a) => ({ teks: a.teks, target: a.target.trim() || null }));
          return send(form, () => mutate("SimpanRencanaAksiMutation", { skp: skp.id, versi: skp.versiKunci, rhk: rhk.id, periode: kode, items }), `Rencana aksi RHK ${rhk.urutan} periode ${kode} disimpan.`);
        }),
      },
      h("h3", null, `RHK ${rhk.urutan}: `, rhk.teks),
      list.element,
      button(`Simpan rencana aksi RHK ${rhk.urutan}`, undefined, { kind: "utama", type: "submit" }),
    );
  }

  /** @param {Skp} skp */
  function submitForm(skp) {
    return section(
      "Ajukan SKP",
      h(
        "form",
        {
          "aria-label": "Ajukan SKP",
          onsubmit: onSubmit((form) => send(form, () => mutate("AjukanSkpMutation", { skp: skp.id, versi: skp.versiKunci }), "SKP diajukan ke pejabat penilai.")),
        },
        h("p", null, `SKP diajukan ke ${skp.pejabatPenilai?.nama ?? "pejabat penilai"} untuk disetujui. Setelah diajukan, SKP tidak dapat diubah kecuali ditarik kembali atau dikembalikan.`),
        button("Ajukan ke pejabat penilai", undefined, { kind: "utama", type: "submit" }),
      ),
    );
  }

  await load();
  return h(
    "div",
    { class: "pegawai" },
    h("h1", null, "Rencana SKP"),
    pilihTahun(ctx.go, "/skp/rencana", tahun),
    h("p", null, h("a", { href: `#/skp?tahun=${tahun}` }, `Lihat SKP ${tahun}`)),
    top,
    body,
  );
}
