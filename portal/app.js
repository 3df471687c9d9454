// The portal's shell: load the configuration and the session, draw the header and the menu for
// what this person may do, and show the page the address (#/path?query) names. Hash routing:
// the portal is static files, served by the service at /portal/ or by any web server.
import { ApiError, config, loadConfig, send, whenUnauthenticated } from "./lib/api.js";
import { announce, h, replace } from "./lib/dom.js";
import { peristiwaCursor, subscribe } from "./lib/live.js";
import { loadSesi } from "./lib/sesi.js";
import { errorBox, loading } from "./lib/ui.js";
import { PAGES, match } from "./pages/index.js";

/** @type {import("./lib/sesi.js").Sesi | null} */
let sesi = null;
/** @type {(() => void)[]} */
let cleanups = [];
let rendering = 0;
/** @type {(() => void) | null} */
let stopMine = null;

const main = /** @type {HTMLElement} */ (document.getElementById("isi"));
const nav = /** @type {HTMLElement} */ (document.getElementById("navigasi"));
const header = /** @type {HTMLElement} */ (document.getElementById("kepala"));

/** The address's path and query: "#/tim?periode=2026-Q1" → ["/tim", URLSearchParams]. */
function address() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = hash.split("?");
  return { path: path || "/", search: new URLSearchParams(search) };
}

/** @param {string} path */
function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

async function refreshSesi() {
  sesi = await loadSesi();
  drawChrome();
}

function drawChrome() {
  if (!sesi) {
    replace(header, h("span", { class: "merek" }, "E-Kinerja"));
    nav.hidden = true;
    return;
  }
  const current = address().path;
  const unread = sesi.belumDibaca;
  replace(
    header,
    h("a", { class: "merek", href: "#/" }, "E-Kinerja"),
    h("span", { class: "instansi" }, sesi.instansi.nama),
    h(
      "a",
      { class: "lonceng", href: "#/pemberitahuan" },
      "Pemberitahuan",
      // The badge for the eye, the words for a screen reader: the link's name starts with
      // what it shows (WCAG 2.5.3).
      unread ? h("span", { class: "jumlah", "aria-hidden": "true" }, String(unread)) : null,
      unread ? h("span", { class: "sr-only" }, `(${unread} belum dibaca)`) : null,
    ),
    h("span", { class: "pengguna" }, sesi.nama),
    h("button", { type: "button", class: "tombol tombol-biasa", onclick: logout }, "Keluar"),
  );
  /** @type {Map<string, HTMLElement[]>} */
  const groups = new Map();
  for (const page of PAGES) {
    if (!page.menu || !page.menu(sesi)) continue;
    const link = h("a", { href: `#${page.path}`, "aria-current": page.path === current ? "page" : null }, page.title);
    const group = page.group ?? "";
    groups.set(group, [...(groups.get(group) ?? []), h("li", null, link)]);
  }
  replace(
    nav,
    [...groups].map(([group, items]) => h("div", { class: "kelompok" }, group ? h("h2", null, group) : null, h("ul", null, items))),
  );
  nav.hidden = false;
}

async function logout() {
  try {
    await send("/auth/logout", { method: "POST" });
  } catch {
    /* the session is gone either way: show the login page */
  }
  history.replaceState(null, "", "#/"); // no hashchange: the login page is drawn here
  showLogin();
}

async function render() {
  const ticket = ++rendering; // a slower earlier render never overwrites a later one
  for (const cleanup of cleanups.splice(0)) cleanup();
  const { path, search } = address();
  const found = match(path);
  // The page's module downloads while the session is asked for (one round trip, not two).
  const module = found?.page.load();
  module?.catch(() => {}); // a failure is reported where it is awaited
  if (sesi) refreshSesi().catch(() => {}); // the unread count may have changed meanwhile
  if (!sesi) {
    try {
      sesi = await loadSesi();
      if (ticket !== rendering) return; // the address changed meanwhile: that render draws
    } catch (error) {
      if (ticket !== rendering) return;
      if (error instanceof ApiError && error.status === 401) return showLogin();
      drawChrome();
      replace(main, h("h1", null, "E-Kinerja"), errorBox(/** @type {Error} */ (error)));
      return;
    }
  }
  drawChrome();
  followMine();
  if (!found || !module) {
    replace(main, h("h1", null, "Halaman tidak ditemukan"), h("p", null, h("a", { href: "#/" }, "Kembali ke beranda")));
    return;
  }
  document.title = `${found.page.title} · E-Kinerja`;
  replace(main, loading());
  try {
    const content = await (await module).default({
      sesi,
      params: found.params,
      search,
      go,
      refreshSesi,
      onLeave: (cleanup) => cleanups.push(cleanup),
    });
    if (ticket !== rendering) return;
    replace(main, content);
  } catch (error) {
    if (ticket !== rendering) return;
    if (error instanceof ApiError && error.status === 401) return;
    replace(main, h("h1", null, found.page.title), errorBox(/** @type {Error} */ (error)));
  }
  main.focus({ preventScroll: true });
  announce(found.page.title);
}

/** A change to one's own SKPs (approved, returned, rated, a keberatan decided) usually brings a
 * notification: the header's unread count is read again when one happens. */
function followMine() {
  if (stopMine) return;
  stopMine = subscribe(
    "PeristiwaSkpSubscription",
    { lingkup: "SAYA" },
    { onEvent: () => refreshSesi().catch(() => {}), cursorOf: peristiwaCursor },
  );
}

async function showLogin() {
  stopMine?.();
  stopMine = null;
  sesi = null;
  drawChrome();
  document.title = "Masuk · E-Kinerja";
  const module = await import("./pages/masuk.js");
  replace(main, await module.default());
  main.focus({ preventScroll: true });
}

whenUnauthenticated(() => {
  if (sesi) {
    sesi = null;
    showLogin();
  }
});
addEventListener("hashchange", render);
await loadConfig().catch(() => config);
render();
