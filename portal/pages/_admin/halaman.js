// What the admin pages share: a list paged by cursor (Relay connections: the previous page's
// pageInfo.endCursor is the next one's `after`), and a pegawai search form.
import { h, replace } from "../../lib/dom.js";
import { button, errorBox, field, loading, values } from "../../lib/ui.js";

/**
 * A list paged by cursor, with "Sebelumnya" / "Berikutnya" (the cursors of the pages seen are
 * kept, so going back reads the same page again). `load(after)` reads a page; `draw(rows)`
 * draws it. `reload()` starts again from the first page (after a new search).
 * @template T
 * @param {string} name what the list is, for the buttons' accessible names
 * @param {(after: string | null) => Promise<{ rows: T[], pageInfo: { hasNextPage: boolean, endCursor?: string | null } }>} load
 * @param {(rows: T[]) => Node} draw
 */
export function pager(name, load, draw) {
  const holder = h("div", { class: "halaman-daftar" });
  /** @type {(string | null)[]} */
  let cursors = [null];
  let index = 0;
  let ticket = 0;

  async function show() {
    const mine = ++ticket; // a slow earlier page never overwrites a later one
    replace(holder, loading());
    let page;
    try {
      page = await load(cursors[index]);
    } catch (error) {
      if (mine === ticket) replace(holder, errorBox(/** @type {Error} */ (error)), button("Coba lagi", show));
      return;
    }
    if (mine !== ticket) return;
    const { hasNextPage, endCursor } = page.pageInfo;
    const previous = index > 0 ? button("Sebelumnya", () => ((index -= 1), show()), { label: `${name}: halaman sebelumnya` }) : null;
    const next = hasNextPage && endCursor
      ? button("Berikutnya", () => ((cursors = [...cursors.slice(0, index + 1), endCursor]), (index += 1), show()), { label: `${name}: halaman berikutnya` })
      : null;
    replace(
      holder,
      draw(page.rows),
      previous || next ? h("div", { class: "aksi" }, previous, h("span", { class: "rinci" }, `Halaman ${index + 1}`), next) : null,
    );
  }

  return {
    element: holder,
    reload() {
      cursors = [null];
      index = 0;
      return show();
    },
  };
}

/**
 * A search form ("Cari"): `onSearch(values)` with the form's values (`cari` trimmed; "" for
 * everyone). `extra`: more fields, before the button.
 * @param {string} label @param {(values: Record<string, string>) => void} onSearch @param {Node[]} [extra]
 */
export function searchForm(label, onSearch, extra = []) {
  const form = /** @type {HTMLFormElement} */ (
    h(
      "form",
      {
        class: "cari",
        role: "search",
        "aria-label": label,
        onsubmit: (/** @type {Event} */ event) => {
          event.preventDefault();
          const found = values(form);
          onSearch({ ...found, cari: (found.cari ?? "").trim() });
        },
      },
      field({ label, name: "cari", type: "search", hint: "Awal NIP atau bagian nama; kosongkan untuk semua." }),
      extra,
      button("Cari", undefined, { type: "submit" }),
    )
  );
  return form;
}
