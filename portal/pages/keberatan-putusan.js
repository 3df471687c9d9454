// The atasan pejabat penilai's keberatan: those waiting for my decision (oldest first), each
// with the result objected to (window, ratings, predikat, its evaluation document), the
// pegawai's reasons and links, and both sides' explanations; asking both sides to explain,
// then deciding: DITOLAK (the result stands) or DIUBAH with new ratings. The decision is final.
import { mutate, query, url } from "../lib/api.js";
import { h, replace } from "../lib/dom.js";
import { waktu } from "../lib/format.js";
import { badge, button, errorBox, field, loading, notice, showFormError, values } from "../lib/ui.js";
import { RATING, arti, ratingLabel } from "./_penilai/umum.js";

/** @typedef {import("../generated/types").AntrianKeberatanQuery["keberatanUntukDiputus"]["nodes"][number]} Keberatan */

const PAGE = 20;

/** @param {import("./index.js").Konteks} _ctx */
export default async function keberatanPutusan(_ctx) {
  /** @type {Keberatan[]} */
  let rows = [];
  /** @type {string | null} */
  let after = null;
  const status = h("div");
  const list = h("div", null, loading());

  /** @param {boolean} fresh */
  async function load(fresh) {
    try {
      /** @type {import("../generated/types").AntrianKeberatanQuery} */
      const data = await query("AntrianKeberatanQuery", { first: PAGE, after: fresh ? null : after });
      const page = data.keberatanUntukDiputus;
      rows = fresh ? page.nodes : [...rows, ...page.nodes];
      after = page.pageInfo.endCursor ?? null;
      replace(
        list,
        h("p", { role: "status" }, page.totalCount ? `${page.totalCount} keberatan menunggu putusan Anda.` : "Tidak ada keberatan yang menunggu putusan Anda."),
        rows.map(kartu),
        page.pageInfo.hasNextPage ? h("div", { class: "aksi" }, button("Muat lebih banyak", () => load(false))) : null,
      );
    } catch (error) {
      replace(list, errorBox(/** @type {Error} */ (error)), button("Coba lagi", () => load(true)));
    }
  }

  /** @param {Keberatan} k */
  function kartu(k) {
    const evaluasi = k.evaluasi;
    const nama = evaluasi.pegawai.nama;
    const periode = evaluasi.periode;
    const out = h("div");
    return h(
      "article",
      { class: "kartu-skp" },
      h("h3", null, `${nama} · ${periode}`),
      h("p", { class: "rinci" }, `NIP ${evaluasi.pegawai.nip} · ${evaluasi.skp.snapshotPegawai?.jabatan ?? ""}`),
      h("p", null, `Diajukan ${waktu(k.diajukanPada)} · `, badge(k.status)),
      h(
        "p",
        null,
        `Hasil yang diajukan keberatan: hasil kerja ${ratingLabel(evaluasi.ratingHasilKerja)}, perilaku ${ratingLabel(evaluasi.ratingPerilaku)}, predikat `,
        badge(evaluasi.predikat),
        " · ",
        h("a", { href: url(`/evaluasi/${k.evaluasiId}/dokumen.pdf`), target: "_blank", rel: "noopener" }, `Dokumen evaluasi ${periode} (PDF)`),
      ),
      h("p", null, h("strong", null, "Alasan: "), k.alasan),
      k.lampiran.length
        ? h("ul", null, k.lampiran.map((l) => h("li", null, h("a", { href: l.tautan, target: "_blank", rel: "noopener noreferrer" }, l.nama))))
        : null,
      k.permintaanPenjelasan ? h("p", null, h("strong", null, "Permintaan penjelasan: "), k.permintaanPenjelasan) : null,
      k.permintaanPenjelasan ? h("p", null, h("strong", null, "Penjelasan pejabat penilai: "), k.penjelasanPenilai ?? "belum ada") : null,
      k.permintaanPenjelasan ? h("p", null, h("strong", null, "Penjelasan pegawai: "), k.penjelasanPegawai ?? "belum ada") : null,
      out,
      h(
        "div",
        { class: "aksi" },
        k.status === "DIAJUKAN" ? button("Minta penjelasan", () => show(out, mintaForm(k, nama)), { label: `Minta penjelasan keberatan ${nama}` }) : null,
        button("Putuskan", () => show(out, putusForm(k, nama, evaluasi)), { kind: "utama", label: `Putuskan keberatan ${nama}` }),
      ),
    );
  }

  /** @param {HTMLElement} out @param {HTMLFormElement} form */
  function show(out, form) {
    replace(out, form);
    /** @type {HTMLElement | null} */ (form.querySelector("textarea, input, select"))?.focus();
  }

  /** Send a form's mutation; on success say `done` and reload. @param {HTMLFormElement} form @param {"MintaPenjelasanKeberatanMutation" | "PutuskanKeberatanMutation"} name @param {Record<string, unknown>} variables @param {string} done */
  async function send(form, name, variables, done) {
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    submit.disabled = true;
    const { error } = await mutate(name, variables);
    submit.disabled = false;
    if (error) {
      showFormError(form, arti(error));
      return;
    }
    replace(status, notice(done));
    await load(true);
    /** @type {HTMLElement | null} */ (status.firstElementChild)?.focus?.();
  }

  /** @param {Keberatan} k @param {string} nama */
  function mintaForm(k, nama) {
    const form = h(
      "form",
      {
        class: "bingkai",
        onsubmit: (/** @type {Event} */ event) => {
          event.preventDefault();
          send(form, "MintaPenjelasanKeberatanMutation", { keberatan: k.id, permintaan: values(form).permintaan.trim() }, `Permintaan penjelasan atas keberatan ${nama} terkirim.`);
        },
      },
      field({ label: "Apa yang perlu dijelaskan pejabat penilai dan pegawai", name: "permintaan", type: "textarea", required: true, rows: 3, maxlength: 2000 }),
      h("div", { class: "aksi" }, button("Kirim permintaan", undefined, { kind: "utama", type: "submit" })),
    );
    return form;
  }

  /** @param {Keberatan} k @param {string} nama @param {any} evaluasi */
  function putusForm(k, nama, evaluasi) {
    const ratings = h(
      "div",
      { hidden: true },
      field({ label: "Rating hasil kerja baru", name: "ratingHasilKerja", type: "select", options: RATING, value: evaluasi?.ratingHasilKerja ?? "" }),
      field({ label: "Rating perilaku kerja baru", name: "ratingPerilaku", type: "select", options: RATING, value: evaluasi?.ratingPerilaku ?? "" }),
    );
    const hasil = field({
      label: "Putusan",
      name: "hasil",
      type: "select",
      required: true,
      options: [
        ["DITOLAK", "Ditolak: hasil penilaian tetap"],
        ["DIUBAH", "Diubah: tetapkan rating baru"],
      ],
    });
    const select = /** @type {HTMLSelectElement} */ (hasil.querySelector("select"));
    select.addEventListener("change", () => (ratings.hidden = select.value !== "DIUBAH"));
    const form = h(
      "form",
      {
        class: "bingkai",
        onsubmit: (/** @type {Event} */ event) => {
          event.preventDefault();
          const given = values(form);
          const changed = given.hasil === "DIUBAH";
          send(
            form,
            "PutuskanKeberatanMutation",
            { keberatan: k.id, hasil: given.hasil, catatan: given.catatan.trim(), hasilKerja: changed ? given.ratingHasilKerja : null, perilaku: changed ? given.ratingPerilaku : null },
            `Keberatan ${nama} diputus: ${changed ? "hasil diubah" : "ditolak"}.`,
          );
        },
      },
      hasil,
      ratings,
      field({ label: "Alasan putusan", name: "catatan", type: "textarea", required: true, rows: 3, maxlength: 2000 }),
      h("p", { class: "petunjuk" }, "Putusan atasan pejabat penilai bersifat final."),
      h("div", { class: "aksi" }, button("Simpan putusan", undefined, { kind: "utama", type: "submit" })),
    );
    return form;
  }

  await load(true);
  return h("div", null, h("h1", null, "Putusan Keberatan"), status, list);
}
