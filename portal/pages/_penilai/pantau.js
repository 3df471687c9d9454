// The team's execution in one window (monitoringPelaksanaan): who logged and when, realisation
// per RHK, evidence completeness, a page at a time; and the feedback dialog per subordinate
// (beriUmpanBalik on an RHK or a BerAKHLAK value, with the instansi's ready-made sentences).
import { mutate, query } from "../../lib/api.js";
import { h, replace, uid } from "../../lib/dom.js";
import { angka, tanggal } from "../../lib/format.js";
import { button, dialog, errorBox, field, loading, notice, showFormError, table, values } from "../../lib/ui.js";
import { arti } from "./umum.js";

/** @typedef {import("../../generated/types").MonitoringPelaksanaanQuery["monitoringPelaksanaan"]["nodes"][number]} Baris */
/** @typedef {import("../../generated/types").PilihanPenilaiQuery} Pilihan */

const PAGE = 50;

/**
 * The monitoring block: `el` to show, `reload()` (keeps as many rows as were shown),
 * `sorot(nip)` to mark a row changed by a live event, `periode()` the window shown.
 * @param {{ tahun: number, periode: string, pilihan: Pilihan, names: Map<string, string> }} spec
 */
export function pantauan({ tahun, periode, pilihan, names }) {
  let current = periode;
  /** @type {Baris[]} */
  let rows = [];
  /** @type {string | null} */
  let after = null;
  const changed = new Set();
  const body = h("div", null, loading());
  const status = h("div");
  const chooser = field({
    label: "Periode",
    name: "periode",
    type: "select",
    value: current,
    options: pilihan.periodeEvaluasi.map((p) => [p.kode, `${p.nama} (${tanggal(p.awal)} – ${tanggal(p.akhir)})`]),
  });
  chooser.querySelector("select")?.addEventListener("change", (event) => {
    current = /** @type {HTMLSelectElement} */ (event.target).value;
    changed.clear();
    load(true);
  });

  /** @param {boolean} fresh the first page again (as many rows as shown), else the next */
  async function load(fresh) {
    const first = fresh ? Math.min(100, Math.max(PAGE, rows.length)) : PAGE;
    /** @type {import("../../generated/types").MonitoringPelaksanaanQuery} */
    let data;
    try {
      data = await query("MonitoringPelaksanaanQuery", { tahun, periode: current, first, after: fresh ? null : after });
    } catch (error) {
      replace(body, errorBox(/** @type {Error} */ (error)), /** @type {any} */ (button("Coba lagi", () => load(true))));
      return;
    }
    const page = data.monitoringPelaksanaan;
    rows = fresh ? page.nodes : [...rows, ...page.nodes];
    after = page.pageInfo.endCursor ?? null;
    for (const row of page.nodes) if (row.nip) names.set(row.nip, row.nama ?? "");
    replace(
      body,
      h("p", { class: "rinci" }, `${page.totalCount} SKP yang Anda nilai, ${rows.length} ditampilkan.`),
      table({
        caption: `Pelaksanaan tim periode ${current}`,
        empty: "Belum ada SKP disetujui yang Anda nilai tahun ini.",
        rows,
        columns: [
          {
            label: "Pegawai",
            cell: (r) => [
              h("strong", null, r.nama ?? "–"),
              h("br"),
              h("span", { class: "rinci" }, `NIP ${r.nip ?? "–"}`),
              changed.has(r.nip) ? [" ", h("span", { class: "lencana lencana-baru" }, "Diperbarui")] : null,
              h("br"),
              button("Umpan balik", () => umpanBalik(r), { label: `Beri umpan balik kepada ${r.nama ?? r.nip}` }),
            ],
          },
          { label: "Progres terakhir", cell: (r) => tanggal(r.progresTerakhir) },
          { label: "Progres minggu ini", cell: (r) => String(r.progresMingguIni), numeric: true },
          { label: "Progres bulan ini", cell: (r) => String(r.progresBulanIni), numeric: true },
          { label: "Indikator terealisasi", cell: (r) => `${r.indikatorTerealisasi} dari ${r.indikator}`, numeric: true },
          { label: "Kelengkapan bukti", cell: (r) => (r.kelengkapanBuktiPersen === null || r.kelengkapanBuktiPersen === undefined ? "–" : `${angka(r.kelengkapanBuktiPersen)}%`), numeric: true },
          {
            label: "Per RHK (periode ini)",
            cell: (r) =>
              h(
                "details",
                { class: "per-rhk" },
                h("summary", null, `${r.rhk.length} RHK, ${r.rhk.reduce((n, x) => n + x.progresPeriode, 0)} progres`),
                h("ul", null, r.rhk.map((x) => h("li", null, `${x.teks}: ${x.progresPeriode} progres, ${x.indikatorTerealisasi} indikator terealisasi`))),
              ),
          },
        ],
      }),
      page.pageInfo.hasNextPage ? h("div", { class: "aksi" }, button("Muat lebih banyak", () => load(false))) : null,
    );
  }

  /** @param {Baris} row */
  async function umpanBalik(row) {
    const nama = row.nama ?? row.nip ?? "pegawai";
    const done = await dialog(`Umpan balik untuk ${nama} (${current})`, (close) => {
      const sentences = h("fieldset", { class: "kalimat-pilihan" });
      const about = field({
        label: "Tentang",
        name: "tentang",
        type: "select",
        required: true,
        options: [
          ...row.rhk.map((r) => /** @type {[string, string]} */ ([`rhk:${r.rhkId}`, `Hasil kerja: ${r.teks}`])),
          ...pilihan.berakhlak.map((b) => /** @type {[string, string]} */ ([`perilaku:${b.kode}`, `Perilaku: ${b.nama}`])),
        ],
      });
      const select = /** @type {HTMLSelectElement} */ (about.querySelector("select"));
      const showSentences = () => {
        const sasaran = select.value.startsWith("rhk:") ? "HASIL_KERJA" : "PERILAKU";
        const offered = pilihan.kalimatUmpanBalik.filter((k) => k.sasaran === sasaran);
        replace(
          sentences,
          h("legend", null, "Kalimat umpan balik (pilih yang sesuai)"),
          offered.length
            ? offered.map((k) => {
                const id = uid("kalimat");
                return h("div", { class: "centang" }, h("input", { type: "checkbox", id, name: "kalimat", value: k.teks }), h("label", { for: id }, k.teks));
              })
            : h("p", { class: "kosong" }, "Tidak ada kalimat siap pakai untuk ini."),
        );
      };
      select.addEventListener("change", showSentences);
      showSentences();
      const form = h(
        "form",
        {
          onsubmit: async (/** @type {Event} */ event) => {
            event.preventDefault();
            const [kind, key] = select.value.split(/:(.*)/s);
            const kalimat = new FormData(form).getAll("kalimat").map(String);
            const teks = values(form).teks.trim() || null;
            if (!kalimat.length && !teks) {
              showFormError(form, { code: "INVALID_INPUT", message: "Pilih kalimat atau tulis umpan balik.", field: "teks" });
              return;
            }
            const input = { skpId: row.skpId, periode: current, kalimat, teks, rhkId: kind === "rhk" ? key : null, nilaiPerilaku: kind === "perilaku" ? key : null };
            const { error } = await mutate("BeriUmpanBalikMutation", { input });
            if (error) {
              showFormError(form, arti(error));
              if (error.code === "SUPERSEDED") load(true);
            } else close(true);
          },
        },
        about,
        sentences,
        field({ label: "Umpan balik Anda", name: "teks", type: "textarea", rows: 3, maxlength: 2000 }),
        h("div", { class: "aksi" }, button("Kirim umpan balik", undefined, { kind: "utama", type: "submit" })),
      );
      return form;
    });
    if (done) {
      replace(status, notice(`Umpan balik untuk ${nama} tersimpan.`));
    }
  }

  return {
    el: h("div", null, h("form", { class: "pilih-tahun", onsubmit: (/** @type {Event} */ e) => e.preventDefault() }, chooser), status, body),
    reload: () => load(true),
    /** @param {string} nip */
    sorot: (nip) => changed.add(nip),
    periode: () => current,
  };
}
