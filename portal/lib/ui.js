// The portal's few building blocks: labelled fields, buttons, tables, dialogs, errors. Every
// control has a visible label (or an aria-label), errors are announced (role="alert") and tied
// to their field (aria-invalid, aria-describedby), dialogs are native <dialog> (focus kept in).
import { h, replace, uid } from "./dom.js";
import { label as enumLabel } from "./format.js";

/**
 * A labelled form control. `type` "select" takes `options` [[value, text]]; "textarea" takes rows.
 * @param {{ label: string, name: string, type?: string, value?: any, required?: boolean, hint?: string,
 *   options?: [string, string][], rows?: number, min?: string|number, max?: string|number, step?: string,
 *   accept?: string, multiple?: boolean, autocomplete?: string, maxlength?: number }} spec
 */
export function field(spec) {
  const id = uid(spec.name);
  const hintId = spec.hint ? `${id}-petunjuk` : null;
  const errorId = `${id}-galat`;
  const common = {
    id,
    name: spec.name,
    required: spec.required,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
  };
  let control;
  if (spec.type === "select") {
    control = h(
      "select",
      common,
      (spec.options ?? []).map(([value, text]) => h("option", { value, selected: String(spec.value ?? "") === value }, text)),
    );
  } else if (spec.type === "textarea") {
    control = h("textarea", { ...common, rows: spec.rows ?? 3, maxlength: spec.maxlength }, spec.value ?? "");
  } else {
    control = h("input", {
      ...common,
      type: spec.type ?? "text",
      value: spec.type === "file" ? undefined : spec.value ?? "",
      min: spec.min,
      max: spec.max,
      step: spec.step,
      accept: spec.accept,
      multiple: spec.multiple,
      autocomplete: spec.autocomplete ?? "off",
      maxlength: spec.maxlength,
    });
  }
  return h(
    "div",
    { class: "isian", "data-isian": spec.name },
    h("label", { for: id }, spec.label, spec.required ? h("span", { class: "wajib", "aria-hidden": "true" }, " *") : null),
    spec.hint ? h("p", { class: "petunjuk", id: hintId }, spec.hint) : null,
    control,
    h("p", { class: "galat-isian", id: errorId, hidden: true }),
  );
}

/** @param {string} text @param {(event: Event) => void} [onclick] @param {{ kind?: "utama" | "bahaya" | "biasa", type?: string, disabled?: boolean, label?: string }} [options] */
export function button(text, onclick, options = {}) {
  return h(
    "button",
    {
      type: options.type ?? "button",
      class: ["tombol", `tombol-${options.kind ?? "biasa"}`],
      onclick,
      disabled: options.disabled,
      "aria-label": options.label,
    },
    text,
  );
}

/** A status as a badge. @param {string | null | undefined} status */
export function badge(status) {
  return h("span", { class: ["lencana", status ? `lencana-${status.toLowerCase()}` : null] }, enumLabel(status));
}

/**
 * A table with a caption and column headers.
 * @template T
 * @param {{ caption: string, columns: { label: string, cell: (row: T) => any, numeric?: boolean }[], rows: T[], empty?: string }} spec
 */
export function table(spec) {
  if (!spec.rows.length) return h("p", { class: "kosong" }, spec.empty ?? "Belum ada data.");
  return h(
    "div",
    { class: "tabel-gulir", tabindex: "0", role: "region", "aria-label": spec.caption },
    h(
      "table",
      null,
      h("caption", null, spec.caption),
      h("thead", null, h("tr", null, spec.columns.map((c) => h("th", { scope: "col", class: c.numeric ? "angka" : null }, c.label)))),
      h(
        "tbody",
        null,
        spec.rows.map((row) => h("tr", null, spec.columns.map((c) => h("td", { class: c.numeric ? "angka" : null }, c.cell(row))))),
      ),
    ),
  );
}

/** A titled section of a page. @param {string} title @param {...any} children */
export function section(title, ...children) {
  const id = uid("bagian");
  return h("section", { class: "bagian", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/** A refusal or failure as an alert. @param {{ code?: string, message: string } | Error} error */
export function errorBox(error) {
  const code = /** @type {any} */ (error).code;
  return h("div", { class: "galat", role: "alert" }, h("strong", null, "Gagal: "), error.message, code ? h("span", { class: "kode" }, ` (${code})`) : null);
}

/** A success message, announced. @param {string} text */
export function notice(text) {
  return h("div", { class: "berhasil", role: "status" }, text);
}

/** @param {string} [text] */
export function loading(text = "Memuat…") {
  return h("p", { class: "memuat", role: "status" }, text);
}

/**
 * Show a mutation's refusal on its form: the named field gets aria-invalid and the message, and
 * the form's alert box says it too. Clears earlier errors first. `error` null clears only.
 * @param {HTMLFormElement} form @param {{ code: string, message: string, field?: string | null, rows?: any[] } | null} error
 */
export function showFormError(form, error) {
  for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
  for (const text of form.querySelectorAll(".galat-isian")) {
    text.textContent = "";
    /** @type {HTMLElement} */ (text).hidden = true;
  }
  let box = form.querySelector(":scope > .galat-formulir");
  if (!box) {
    box = h("div", { class: "galat-formulir" });
    form.prepend(box);
  }
  replace(box);
  if (!error) return;
  const leaf = error.field?.split(".").pop();
  const holder = leaf ? form.querySelector(`[data-isian="${CSS.escape(leaf)}"]`) : null;
  if (holder) {
    holder.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
    const text = /** @type {HTMLElement} */ (holder.querySelector(".galat-isian"));
    text.textContent = error.message;
    text.hidden = false;
  }
  const rows = (error.rows ?? []).slice(0, 20).map((r) => h("li", null, `Baris ${r.row}${r.field ? ` (${r.field})` : ""}: ${r.message}`));
  box.append(errorBox(error), ...(rows.length ? [h("ul", { class: "galat-baris" }, rows)] : [])); // append(null) would write "null"
  /** @type {HTMLElement} */ (holder?.querySelector("input, select, textarea") ?? box).focus?.();
}

/** A form's values as an object of strings (files left out). @param {HTMLFormElement} form */
export function values(form) {
  /** @type {Record<string, string>} */
  const found = {};
  for (const [name, value] of new FormData(form)) if (typeof value === "string") found[name] = value;
  return found;
}

/**
 * A modal dialog (native <dialog>: focus is trapped, Escape closes it). `build(close)` returns
 * its content. Resolves with what `close(value)` was given (undefined when dismissed).
 * @param {string} title @param {(close: (value?: any) => void) => any} build
 * @returns {Promise<any>}
 */
export function dialog(title, build) {
  return new Promise((resolve) => {
    const titleId = uid("dialog");
    let result;
    const close = (/** @type {any} */ value) => {
      result = value;
      element.close();
    };
    const element = h(
      "dialog",
      { class: "dialog", "aria-labelledby": titleId },
      h("div", { class: "dialog-kepala" }, h("h2", { id: titleId }, title), button("Tutup", () => close(), { label: "Tutup dialog" })),
      build(close),
    );
    element.addEventListener("close", () => {
      element.remove();
      resolve(result);
    });
    document.body.append(element);
    element.showModal();
  });
}
