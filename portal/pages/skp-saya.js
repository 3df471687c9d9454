// SKP Saya (#/skp?tahun=2026): my SKP of a year as it stands: its status, windows, pejabat
// penilai, each RHK with its indikator, the superiors' RHK it intervenes (the cascade upwards)
// and, for a pegawai with a team, which of their RHK intervene mine (downwards); the penilai's
// note when it was returned; its PDF. Approval, return and results arrive live: the page
// reloads its data and says what happened.
import { query, url } from "../lib/api.js";
import { announce, h, replace } from "../lib/dom.js";
import { label, tanggal, waktu } from "../lib/format.js";
import { jendelaSkp, pilihTahun, rentang, tahunDari } from "../lib/pegawai.js";
import { ikutiSkpSaya, pesanPeristiwa } from "./_pegawai/langsung.js";
import { badge, button, dialog, errorBox, loading, notice, section, table } from "../lib/ui.js";

/** @typedef {import("../generated/types").SkpSayaRinciQuery} Data */
/** @typedef {Data["skpSaya"]["nodes"][number]} Skp */
/** @typedef {Skp["rhk"][number]} Rhk */

/** @param {import("./index.js").Konteks} ctx */
export default async function skpSaya(ctx) {
  const tahun = tahunDari(ctx.search);
  const denganBawahan = ctx.sesi.punyaTim;
  const body = h("div");
  const kabar = h("div"); // announce() says it; the notice shows it
  let chosen = ctx.search.get("versi");

  async function load() {
    /** @type {Data} */
    const data = await query("SkpSayaRinciQuery", { tahun, denganBawahan });
    replace(body, view(data));
  }

  const live = ikutiSkpSaya(ctx, async (event) => {
    if (event.data?.tahun && event.data.tahun !== tahun) return; // another year's SKP
    const text = pesanPeristiwa(event);
    chosen = null; // show the newest version: the one the event is about
    try {
      await load();
      replace(kabar, notice(text));
    } catch (error) {
      replace(kabar, notice(text), errorBox(/** @type {Error} */ (error)));
    }
    announce(text);
  });

  /** @param {Data} data */
  function view(data) {
    const nodes = data.skpSaya.nodes;
    if (!nodes.length) {
      return h(
        "div",
        null,
        h("p", null, `Anda belum memiliki SKP tahun ${tahun}.`),
        h("p", null, h("a", { class: "tombol tombol-utama", href: `#/skp/rencana?tahun=${tahun}` }, "Buat rencana SKP")),
      );
    }
    const skp = nodes.find((n) => n.id === chosen) ?? nodes[0];
    return h(
      "div",
      null,
      nodes.length > 1 ? versions(nodes, skp) : null,
      header(skp),
      section("Periode penilaian", periods(data, skp)),
      section(
        "Rencana hasil kerja",
        skp.rhk.length ? skp.rhk.map((rhk) => rhkCard(rhk)) : h("p", { class: "kosong" }, "Belum ada RHK."),
      ),
      data.cakupanCascade ? coverage(data.cakupanCascade) : null,
    );
  }

  /** @param {Skp[]} nodes @param {Skp} current */
  function versions(nodes, current) {
    return h(
      "nav",
      { class: "versi-skp", "aria-label": "Versi SKP" },
      h("h2", null, "Versi SKP tahun ini"),
      h(
        "ul",
        null,
        nodes.map((n) =>
          h(
            "li",
            null,
            h(
              "a",
              { href: `#/skp?tahun=${tahun}&versi=${encodeURIComponent(n.id)}`, "aria-current": n.id === current.id ? "page" : null },
              `Versi ${n.versi} (${rentang({ awal: n.periodeAwal, akhir: n.periodeAkhir })})`,
            ),
            " ",
            badge(n.status),
            n.digantikanPada ? h("span", { class: "rinci" }, ` digantikan ${tanggal(n.digantikanPada)}`) : null,
          ),
        ),
      ),
    );
  }

  /** @param {Skp} skp */
  function header(skp) {
    const returned = skp.status === "DRAFT" && skp.catatanPengembalian;
    const person = (/** @type {Skp["pejabatPenilai"]} */ p) =>
      p ? [p.nama ?? "–", p.nip ? h("span", { class: "rinci" }, ` (NIP ${p.nip})`) : null, p.jabatan ? h("br") : null, p.jabatan] : "–";
    return h(
      "div",
      null,
      returned
        ? h(
            "div",
            { class: "galat", role: "note" },
            h("strong", null, "Dikembalikan oleh pejabat penilai: "),
            skp.catatanPengembalian,
            h("p", null, h("a", { href: `#/skp/rencana?tahun=${tahun}` }, "Perbaiki rencana dan ajukan lagi")),
          )
        : null,
      h(
        "dl",
        { class: "profil ringkas" },
        h("dt", null, "Status"),
        h("dd", null, badge(returned ? "DIKEMBALIKAN" : skp.status), skp.digantikanPada ? " (sudah digantikan)" : null),
        h("dt", null, "Versi"),
        h("dd", null, String(skp.versi)),
        h("dt", null, "Periode"),
        h("dd", null, rentang({ awal: skp.periodeAwal, akhir: skp.periodeAkhir })),
        h("dt", null, "Pendekatan"),
        h("dd", null, label(skp.pendekatan)),
        h("dt", null, "Pejabat penilai"),
        h("dd", null, person(skp.pejabatPenilai)),
        h("dt", null, "Atasan pejabat penilai"),
        h("dd", null, person(skp.atasanPejabatPenilai)),
        skp.diajukanPada ? [h("dt", null, "Diajukan"), h("dd", null, waktu(skp.diajukanPada))] : null,
        skp.disetujuiPada ? [h("dt", null, "Disetujui"), h("dd", null, waktu(skp.disetujuiPada))] : null,
      ),
      h(
        "p",
        { class: "aksi" },
        h("a", { class: "tombol", href: url(`/skp/${encodeURIComponent(skp.id)}/dokumen.pdf`), target: "_blank", rel: "noopener" }, "Unduh dokumen SKP (PDF)"),
        skp.status === "DRAFT" ? h("a", { class: "tombol tombol-utama", href: `#/skp/rencana?tahun=${tahun}` }, "Ubah rencana") : null,
        skp.status === "DISETUJUI" && !skp.digantikanPada
          ? h("a", { class: "tombol", href: `#/pelaksanaan?tahun=${tahun}` }, "Catat progres & realisasi")
          : null,
      ),
    );
  }

  /** @param {Data} data @param {Skp} skp */
  function periods(data, skp) {
    const list = jendelaSkp(data.periodeEvaluasi, skp);
    return table({
      caption: `Periode penilaian SKP ${tahun}`,
      columns: [
        { label: "Periode", cell: (p) => `${p.nama} (${p.kode})` },
        { label: "Tanggal", cell: (p) => rentang(p) },
        {
          label: "Rencana aksi",
          numeric: true,
          cell: (p) => String(skp.rhk.reduce((n, r) => n + r.rencanaAksi.filter((a) => a.periode === p.kode).length, 0)),
        },
      ],
      rows: list,
      empty: "Tidak ada periode penilaian untuk tanggal SKP ini.",
    });
  }

  /** @param {Rhk} rhk */
  function rhkCard(rhk) {
    const up = [...rhk.cascadeAtas].sort((a, b) => a.kedalaman - b.kedalaman);
    return h(
      "article",
      { class: "kartu rhk", "aria-labelledby": `rhk-${rhk.urutan}` },
      h("h3", { id: `rhk-${rhk.urutan}` }, `RHK ${rhk.urutan} · ${label(rhk.jenis)}: `, rhk.teks),
      h(
        "div",
        { class: "intervensi" },
        h("strong", null, "Mengintervensi: "),
        up.length
          ? h(
              "ol",
              { class: "rantai" },
              up.map((node) => h("li", null, node.teks, h("span", { class: "rinci" }, ` — ${node.pemilikNama}`))),
            )
          : rhk.intervensi
            ? rhk.intervensi.teks
            : rhk.intervensiEksternal
              ? [rhk.intervensiEksternal, h("span", { class: "rinci" }, " (di luar sistem)")]
              : h("span", { class: "rinci" }, "belum ada"),
        rhk.statusIntervensi === "YATIM" || rhk.statusIntervensi === "DIGANTIKAN"
          ? h("p", { class: "galat" }, badge(rhk.statusIntervensi), " ", rhk.petunjukIntervensi ?? "")
          : null,
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
      rhk.rencanaAksi.length
        ? h(
            "details",
            null,
            h("summary", null, `Rencana aksi (${rhk.rencanaAksi.length})`),
            h("ul", null, rhk.rencanaAksi.map((a) => h("li", null, `${a.periode}: ${a.teks}`, a.target ? ` — target ${a.target}` : ""))),
          )
        : null,
      rhk.cascadeBawah ? down(rhk) : null,
    );
  }

  /** @param {Rhk} rhk */
  function down(rhk) {
    const below = rhk.cascadeBawah ?? [];
    if (!below.length) return h("p", null, h("strong", null, "Diintervensi oleh bawahan: "), h("span", { class: "rinci" }, "belum ada."));
    return h(
      "details",
      { open: below.length <= 5 },
      h("summary", null, `Diintervensi oleh ${below.length} RHK bawahan`),
      h("ul", null, below.map((node) => h("li", null, node.teks, h("span", { class: "rinci" }, ` — ${node.pemilikNama} `), badge(node.skpStatus)))),
      h("p", null, button(`Lihat pohon cascade RHK ${rhk.urutan}`, () => tree(rhk))),
    );
  }

  /** The whole tree below one RHK, nested by rhkIndukId. @param {Rhk} rhk */
  async function tree(rhk) {
    await dialog(`Pohon cascade RHK ${rhk.urutan}`, () => {
      const holder = h("div", null, loading());
      query("CascadeRhkQuery", { rhk: rhk.id }).then(
        (/** @type {import("../generated/types").CascadeRhkQuery} */ data) => {
          const nodes = data.rhk?.cascadeBawah ?? [];
          const level = (/** @type {string} */ parent) => {
            const children = nodes.filter((n) => (n.rhkIndukId ?? rhk.id) === parent);
            return children.length
              ? h("ul", null, children.map((n) => h("li", null, n.teks, h("span", { class: "rinci" }, ` — ${n.pemilikNama} (${label(n.skpStatus)})`), level(n.rhkId))))
              : null;
          };
          replace(holder, h("p", null, rhk.teks), level(rhk.id) ?? h("p", { class: "kosong" }, "Belum ada yang mengintervensi."));
        },
        (error) => replace(holder, errorBox(error)),
      );
      return holder;
    });
  }

  /** @param {NonNullable<Data["cakupanCascade"]>} c */
  function coverage(c) {
    return section(
      "Cakupan cascade oleh bawahan",
      h(
        "dl",
        { class: "profil ringkas" },
        h("dt", null, "RHK Anda yang diintervensi bawahan"),
        h("dd", null, `${c.persenRhkTercakup.toLocaleString("id-ID")}%`),
        h("dt", null, "Bawahan dengan SKP disetujui"),
        h("dd", null, `${c.persenSkpDisetujui.toLocaleString("id-ID")}%`),
        h("dt", null, "RHK belum diintervensi"),
        h("dd", null, String(c.rhkBelumDiintervensi.length)),
      ),
    );
  }

  await load();
  return h("div", { class: "pegawai" }, h("h1", null, "SKP Saya"), pilihTahun(ctx.go, "/skp", tahun), live, kabar, body);
}
