// The admin instansi's settings (pengaturanInstansi): one form per setting, its control chosen by
// the type of its default (yes/no, a number, a text, a list, an object of such fields, else
// JSON), with its description, its default and when it was last set; saved one at a time
// (ubahPengaturan: the service checks the value and says why it refuses it, shown at the field),
// or put back to the default (pulihkanPengaturan).
import { mutate, query } from "../lib/api.js";
import { announce, h, replace } from "../lib/dom.js";
import { waktu } from "../lib/format.js";
import { button, errorBox, field, notice, showFormError, values } from "../lib/ui.js";

/** @typedef {import("../generated/types").PengaturanQuery["pengaturanInstansi"][number]} Pengaturan */

/** The kind of control a value takes. @param {unknown} value */
function kind(value) {
  if (typeof value === "boolean") return "ya-tidak";
  if (typeof value === "number") return "angka";
  if (typeof value === "string") return "teks";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return "daftar";
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.values(value);
    if (entries.length && entries.every((v) => ["boolean", "number", "string"].includes(typeof v))) return "objek";
  }
  return "json";
}

/** One control for a value of `sample`'s kind. @param {string} label @param {string} name @param {unknown} sample @param {unknown} value @param {string} [hint] */
function control(label, name, sample, value, hint) {
  switch (kind(sample)) {
    case "ya-tidak":
      return field({ label, name, type: "select", value: String(value), options: [["true", "Ya"], ["false", "Tidak"]], hint });
    case "angka":
      return field({ label, name, type: "number", value: String(value ?? ""), step: "1", hint });
    case "teks":
      return field({ label, name, value: String(value ?? ""), hint });
    case "daftar":
      return field({ label, name, value: /** @type {string[]} */ (value ?? []).join(", "), hint: hint ?? "Pisahkan dengan koma." });
    default:
      return field({ label, name, type: "textarea", rows: 8, value: JSON.stringify(value, null, 2), hint: hint ?? "Dalam format JSON." });
  }
}

/** A control's text back as a value of `sample`'s kind; text the service will refuse is sent as
 * it is, so that its reason is shown. @param {string} text @param {unknown} sample */
function parse(text, sample) {
  switch (kind(sample)) {
    case "ya-tidak":
      return text === "true";
    case "angka":
      return text.trim() !== "" && !Number.isNaN(Number(text)) ? Number(text) : text;
    case "teks":
      return text;
    case "daftar":
      return text.split(",").map((s) => s.trim()).filter(Boolean);
    default:
      return JSON.parse(text); // a SyntaxError is shown at the field
  }
}

/** @param {import("./index.js").Konteks} _ctx */
export default async function adminPengaturan(_ctx) {
  /** @type {import("../generated/types").PengaturanQuery} */
  const { pengaturanInstansi } = await query("PengaturanQuery");
  return h(
    "div",
    null,
    h("h1", null, "Pengaturan Instansi"),
    h("p", null, "Setiap pengaturan disimpan sendiri-sendiri dan diperiksa oleh layanan; perubahan dicatat di log audit. Pulihkan untuk kembali ke nilai bawaan."),
    pengaturanInstansi.map((setting) => block(setting)),
  );
}

/** One setting's section, drawn again in place after a change. @param {Pengaturan} setting */
function block(setting) {
  const holder = h("section", { class: "bagian pengaturan", "aria-label": setting.kunci });
  draw(holder, setting);
  return holder;
}

/** @param {HTMLElement} holder @param {Pengaturan} setting @param {Node | null} [message] */
function draw(holder, setting, message = null) {
  const sample = setting.bawaan;
  const shape = kind(sample);
  const value = setting.berlaku;
  const subkeys = shape === "objek" ? Object.keys(/** @type {object} */ (sample)) : [];
  const controls =
    shape === "objek"
      ? h(
          "fieldset",
          null,
          h("legend", null, "Nilai"),
          subkeys.map((key) => control(key, key, /** @type {any} */ (sample)[key], /** @type {any} */ (value)?.[key])),
        )
      : control("Nilai", "nilai", sample, value);
  const form = /** @type {HTMLFormElement} */ (
    h(
      "form",
      { onsubmit: save },
      controls,
      h(
        "div",
        { class: "aksi" },
        button("Simpan", undefined, { type: "submit", kind: "utama", label: `Simpan ${setting.kunci}` }),
        setting.nilai === null ? null : button("Pulihkan bawaan", restore, { label: `Pulihkan bawaan ${setting.kunci}` }),
      ),
    )
  );

  /** @param {SubmitEvent} event */
  async function save(event) {
    event.preventDefault();
    const typed = values(form);
    let nilai;
    try {
      nilai =
        shape === "objek"
          ? Object.fromEntries(subkeys.map((key) => [key, parse(typed[key] ?? "", /** @type {any} */ (sample)[key])]))
          : parse(typed.nilai ?? "", sample);
    } catch (error) {
      showFormError(form, { code: "INVALID_INPUT", message: `Bukan JSON yang sah: ${/** @type {Error} */ (error).message}`, field: "nilai" });
      return;
    }
    await send("UbahPengaturanMutation", { kunci: setting.kunci, nilai }, "Pengaturan disimpan.");
  }

  async function restore() {
    await send("PulihkanPengaturanMutation", { kunci: setting.kunci }, "Nilai bawaan dipulihkan.");
  }

  /** @param {"UbahPengaturanMutation" | "PulihkanPengaturanMutation"} name @param {Record<string, unknown>} variables @param {string} done */
  async function send(name, variables, done) {
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    const { ok, error } = await mutate(name, variables);
    for (const b of form.querySelectorAll("button")) b.disabled = false;
    if (error) {
      // The service names `nilai`; a field of an object is named in its message ("pembulatanMin: …").
      const sub = error.field === "nilai" ? subkeys.find((key) => new RegExp(`(^|[\\s.])${key}:`).test(error.message)) : undefined;
      showFormError(form, { ...error, field: sub ?? error.field });
      return;
    }
    draw(holder, { ...setting, ...ok, masalah: ok.masalah ?? null }, notice(done));
    /** @type {HTMLElement} */ (holder.querySelector("h2")).focus();
    announce(done);
  }

  replace(
    holder,
    h("h2", { tabindex: "-1" }, setting.kunci),
    h("p", null, setting.keterangan),
    h(
      "dl",
      { class: "profil" },
      h("dt", null, "Bawaan"),
      h("dd", null, h("code", { class: "nilai-json" }, JSON.stringify(setting.bawaan))),
      h("dt", null, "Diubah"),
      h("dd", null, setting.diubahPada ? waktu(setting.diubahPada) : "Belum pernah: memakai nilai bawaan"),
    ),
    setting.masalah ? errorBox({ code: "MASALAH", message: `Nilai tersimpan tidak berlaku, bawaan dipakai: ${setting.masalah}` }) : null,
    message,
    form,
  );
}
