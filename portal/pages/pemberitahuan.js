// The person's in-app notifications (decision 0041): newest first, all or unread only, a page at
// a time ("Muat lebih banyak"), each linking to the page about what it concerns; marked read one
// at a time or all at once (the header's count is read again); and the choice per kind: shown in
// the app, sent by email.
import { mutate, query } from "../lib/api.js";
import { announce, h, replace } from "../lib/dom.js";
import { waktu } from "../lib/format.js";
import { button, errorBox, field, loading, notice, section, showFormError } from "../lib/ui.js";

/** @typedef {import("../generated/types").PemberitahuanQuery["pemberitahuan"]["nodes"][number]} Pemberitahuan */

const PAGE = 20;
// Per kind: what it is called, and the page about it (the SKP, the team, the keberatan).
const KINDS = {
  SKP_DIAJUKAN: ["SKP diajukan kepada Anda", "/tim", "Buka Tim Saya"],
  SKP_DIKEMBALIKAN: ["SKP Anda dikembalikan", "/skp/rencana", "Buka Rencana SKP"],
  SKP_DISETUJUI: ["SKP Anda disetujui", "/skp", "Buka SKP Saya"],
  EVALUASI_DITETAPKAN: ["Hasil evaluasi ditetapkan", "/skp", "Buka SKP Saya"],
  KEBERATAN_DIAJUKAN: ["Keberatan diajukan kepada Anda", "/keberatan/putusan", "Buka Putusan Keberatan"],
  KEBERATAN_DIPUTUS: ["Keberatan Anda diputus", "/keberatan", "Buka Keberatan"],
  TENGGAT_RENCANA: ["Tenggat pengajuan rencana SKP", "/skp/rencana", "Buka Rencana SKP"],
  TENGGAT_EVALUASI: ["Tenggat evaluasi periodik", "/pelaksanaan", "Buka Progres & Realisasi"],
  TENGGAT_KEBERATAN: ["Batas pengajuan keberatan", "/keberatan", "Buka Keberatan"],
};

/** @param {string} jenis */
const kindOf = (jenis) => KINDS[/** @type {keyof typeof KINDS} */ (jenis)] ?? [jenis, null, null];

/** @param {import("./index.js").Konteks} ctx */
export default async function pemberitahuan(ctx) {
  let unreadOnly = ctx.search.get("belum") === "1";
  /** @type {string | null} */
  let after = null;
  const count = h("p", { role: "status" });
  const list = h("ul", { class: "daftar-pemberitahuan" });
  const more = h("div", { class: "aksi" });
  const status = h("div");

  /** @param {number} unread */
  function showCount(unread) {
    replace(count, unread ? `${unread} belum dibaca.` : "Semua sudah dibaca.");
  }

  /** Read a page: the first (again) or the next. @param {boolean} first */
  async function load(first) {
    if (first) {
      after = null;
      replace(list);
      replace(more, loading());
    }
    /** @type {import("../generated/types").PemberitahuanQuery} */
    let data;
    try {
      data = await query("PemberitahuanQuery", { filter: unreadOnly ? { belumDibaca: true } : null, first: PAGE, after });
    } catch (error) {
      replace(more, errorBox(/** @type {Error} */ (error)), button("Coba lagi", () => load(first)));
      return;
    }
    const { nodes, pageInfo } = data.pemberitahuan;
    showCount(data.jumlahPemberitahuanBelumDibaca);
    list.append(...nodes.map(item));
    if (first && !nodes.length) list.append(h("li", { class: "kosong" }, unreadOnly ? "Tidak ada pemberitahuan yang belum dibaca." : "Belum ada pemberitahuan."));
    after = pageInfo.endCursor ?? null;
    replace(more, pageInfo.hasNextPage ? button("Muat lebih banyak", () => load(false)) : null);
  }

  /** @param {Pemberitahuan} n */
  function item(n) {
    const [kindName, path, linkText] = kindOf(n.jenis);
    const unread = !n.dibacaPada;
    const entry = h(
      "li",
      { class: ["pemberitahuan", unread && "belum-dibaca"] },
      h("h3", null, n.judul),
      h("p", { class: "rinci" }, unread ? h("strong", null, "Belum dibaca · ") : "Dibaca · ", kindName, " · ", h("time", { datetime: n.dibuatPada }, waktu(n.dibuatPada))),
      h("p", null, n.isi),
      h(
        "div",
        { class: "aksi" },
        path
          ? h(
              "a",
              {
                href: `#${path}`,
                onclick: async (/** @type {MouseEvent} */ event) => {
                  if (!unread) return; // nothing to mark: follow the link
                  event.preventDefault();
                  await mark([n.id]);
                  ctx.go(path);
                },
              },
              linkText,
            )
          : null,
        unread ? button("Tandai dibaca", () => mark([n.id], entry), { label: `Tandai dibaca: ${n.judul}` }) : null,
      ),
    );
    return entry;
  }

  /** Mark read (`ids`, or every unread one when null) and show it. @param {string[] | null} ids @param {HTMLElement} [entry] */
  async function mark(ids, entry) {
    const { ok, error } = await mutate("TandaiPemberitahuanDibacaMutation", ids ? { id: ids, semua: false } : { semua: true });
    if (error) {
      replace(status, errorBox(error));
      return false;
    }
    showCount(ok.belumDibaca);
    await ctx.refreshSesi().catch(() => {}); // the header's count
    if (entry) {
      entry.classList.remove("belum-dibaca");
      const meta = entry.querySelector("strong");
      meta?.replaceWith("Dibaca · ");
      entry.querySelector("button")?.remove();
      replace(status);
      /** @type {HTMLElement | null} */ (entry.querySelector("a") ?? entry.querySelector("h3"))?.focus();
      announce("Ditandai dibaca");
    } else if (!ids) {
      replace(status, notice(ok.jumlah ? `${ok.jumlah} pemberitahuan ditandai dibaca.` : "Tidak ada yang belum dibaca."));
      await load(true);
    }
    return true;
  }

  const filter = field({
    label: "Tampilkan",
    name: "tampilkan",
    type: "select",
    value: unreadOnly ? "belum" : "semua",
    options: [
      ["semua", "Semua pemberitahuan"],
      ["belum", "Belum dibaca saja"],
    ],
  });
  filter.querySelector("select")?.addEventListener("change", (event) => {
    unreadOnly = /** @type {HTMLSelectElement} */ (event.target).value === "belum";
    load(true);
  });

  const [preferences] = await Promise.all([preferencesForm(), load(true)]);
  return h(
    "div",
    null,
    h("h1", null, "Pemberitahuan"),
    count,
    h("div", { class: "saring" }, filter, button("Tandai semua dibaca", () => mark(null))),
    status,
    list,
    more,
    section("Preferensi pemberitahuan", preferences),
  );
}

/** The choice per kind: two checkboxes each, saved together. */
async function preferencesForm() {
  /** @type {import("../generated/types").PreferensiPemberitahuanQuery} */
  let data;
  try {
    data = await query("PreferensiPemberitahuanQuery");
  } catch (error) {
    return errorBox(/** @type {Error} */ (error));
  }
  /** @param {string} jenis @param {"dalamAplikasi" | "surel"} name @param {boolean} checked @param {string} text */
  const box = (jenis, name, checked, text) =>
    h("label", { class: "pilihan" }, h("input", { type: "checkbox", name: `${jenis}.${name}`, checked }), ` ${text}`);
  const form = /** @type {HTMLFormElement} */ (
    h(
      "form",
      { class: "preferensi", onsubmit: save },
      h("p", { class: "petunjuk" }, "Matikan keduanya bila Anda tidak ingin pemberitahuan jenis itu sama sekali. Surel dikirim bila layanan dan alamat surel Anda mendukungnya."),
      data.preferensiPemberitahuan.map((p) =>
        h(
          "fieldset",
          { "data-isian": p.jenis },
          h("legend", null, kindOf(p.jenis)[0]),
          box(p.jenis, "dalamAplikasi", p.dalamAplikasi, "Tampil di aplikasi"),
          box(p.jenis, "surel", p.surel, "Kirim surel"),
        ),
      ),
      h("div", { class: "aksi" }, button("Simpan preferensi", undefined, { type: "submit", kind: "utama" })),
    )
  );
  const saved = h("div");
  form.append(saved);

  /** @param {SubmitEvent} event */
  async function save(event) {
    event.preventDefault();
    replace(saved);
    const checked = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).checked;
    const input = data.preferensiPemberitahuan.map((p) => ({
      jenis: p.jenis,
      dalamAplikasi: checked(`${p.jenis}.dalamAplikasi`),
      surel: checked(`${p.jenis}.surel`),
    }));
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    submit.disabled = true;
    const { error } = await mutate("UbahPreferensiPemberitahuanMutation", { input });
    submit.disabled = false;
    showFormError(form, error ?? null);
    if (!error) {
      replace(saved, notice("Preferensi disimpan."));
      announce("Preferensi disimpan");
    }
  }
  return form;
}
