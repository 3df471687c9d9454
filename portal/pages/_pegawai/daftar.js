// An editable list of fieldsets for the pegawai's forms: the indikator of an RHK and the
// rencana aksi of a window (rencana.js), the links of a keberatan (keberatan.js).
import { h, replace } from "../../lib/dom.js";
import { button } from "../../lib/ui.js";

/**
 * An editable list of fieldsets (indikator, rencana aksi, lampiran): `draw(item, n)` makes the
 * fields of item n (from 1, as the service's refusals count: indikator[2]), `read(n, get)` reads
 * them back (`get(name)` is a control's value). Returns the element and `values()`.
 * @template T
 * @param {{ items: T[], legend: (n: number) => string, draw: (item: T, n: number) => any, read: (n: number, get: (name: string) => string) => T, blank: () => T, tambah: string, min?: number }} spec
 */
export function daftarIsian(spec) {
  const box = h("div");
  let list = [...spec.items];
  const get = (/** @type {string} */ name) => /** @type {HTMLInputElement | null} */ (box.querySelector(`[name="${name}"]`))?.value ?? "";
  const sync = () => (list = list.map((_, i) => spec.read(i + 1, get)));
  const redraw = () =>
    replace(
      box,
      list.map((item, i) =>
        h(
          "fieldset",
          null,
          h("legend", null, spec.legend(i + 1)),
          spec.draw(item, i + 1),
          list.length > (spec.min ?? 0)
            ? button(`Hapus ${spec.legend(i + 1).toLowerCase()}`, () => {
                sync();
                list.splice(i, 1);
                redraw();
              })
            : null,
        ),
      ),
    );
  redraw();
  const add = button(spec.tambah, () => {
    sync();
    list.push(spec.blank());
    redraw();
    /** @type {HTMLElement | null | undefined} */ (box.lastElementChild?.querySelector("input, textarea, select"))?.focus();
  });
  return { element: h("div", null, box, h("p", null, add)), values: () => sync() };
}
