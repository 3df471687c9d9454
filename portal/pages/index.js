// Every page of the portal: its path (`:name` parts are parameters), its title, whether the menu
// shows it for this person, and its module, loaded when first visited (a low-end phone
// downloads only the pages it opens).
/** @typedef {import("../lib/sesi.js").Sesi} Sesi */
/** @typedef {{ sesi: Sesi, params: Record<string, string>, search: URLSearchParams, go: (path: string) => void, refreshSesi: () => Promise<void>, onLeave: (cleanup: () => void) => void }} Konteks */
/** @typedef {{ path: string, title: string, menu?: (sesi: Sesi) => boolean, group?: string, load: () => Promise<{ default: (ctx: Konteks) => Promise<Node> | Node }> }} Halaman */

/** @type {Halaman[]} */
export const PAGES = [
  { path: "/", title: "Beranda", menu: () => true, load: () => import("./beranda.js") },
  // Pegawai
  { path: "/skp", title: "SKP Saya", group: "Kinerja Saya", menu: () => true, load: () => import("./skp-saya.js") },
  { path: "/skp/rencana", title: "Rencana SKP", group: "Kinerja Saya", menu: () => true, load: () => import("./rencana.js") },
  { path: "/pelaksanaan", title: "Progres & Realisasi", group: "Kinerja Saya", menu: () => true, load: () => import("./pelaksanaan.js") },
  { path: "/keberatan", title: "Keberatan", group: "Kinerja Saya", menu: () => true, load: () => import("./keberatan.js") },
  // Penilai and leaders
  { path: "/tim", title: "Tim Saya", group: "Penilai", menu: (s) => s.punyaTim, load: () => import("./tim.js") },
  { path: "/tim/evaluasi", title: "Evaluasi Tim", group: "Penilai", menu: (s) => s.punyaTim, load: () => import("./evaluasi-tim.js") },
  { path: "/keberatan/putusan", title: "Putusan Keberatan", group: "Penilai", menu: (s) => s.punyaTim, load: () => import("./keberatan-putusan.js") },
  { path: "/dasbor", title: "Dasbor Pimpinan", group: "Pimpinan", menu: (s) => s.kepalaUnit || s.boleh("penilaian:dashboard", "INSTANSI"), load: () => import("./dasbor.js") },
  // Admin instansi
  { path: "/admin/pegawai", title: "Impor Pegawai", group: "Admin Instansi", menu: (s) => s.boleh("kepegawaian:import", "INSTANSI"), load: () => import("./admin-pegawai.js") },
  { path: "/admin/atasan", title: "Pengecualian Atasan", group: "Admin Instansi", menu: (s) => s.boleh("atasan-override:write", "INSTANSI"), load: () => import("./admin-atasan.js") },
  { path: "/admin/pengaturan", title: "Pengaturan", group: "Admin Instansi", menu: (s) => s.adminInstansi, load: () => import("./admin-pengaturan.js") },
  // Everyone
  { path: "/pemberitahuan", title: "Pemberitahuan", load: () => import("./pemberitahuan.js") },
];

/**
 * The page for a path and its parameters, or null.
 * @param {string} path
 * @returns {{ page: Halaman, params: Record<string, string> } | null}
 */
export function match(path) {
  const parts = path.split("/").filter(Boolean);
  for (const page of PAGES) {
    const pattern = page.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    /** @type {Record<string, string>} */
    const params = {};
    if (pattern.every((p, i) => (p.startsWith(":") ? ((params[p.slice(1)] = decodeURIComponent(parts[i])), true) : p === parts[i]))) {
      return { page, params };
    }
  }
  return null;
}
