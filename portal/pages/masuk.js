// The login page: single sign-on through the service's OIDC login (authorization code with
// PKCE; the service keeps the tokens, the browser only a session cookie), and in development the
// demo people by role.
import { config, send, url } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { errorBox, section } from "../lib/ui.js";

const ROLES = [
  ["pegawai", "Pegawai"],
  ["penilai", "Pejabat penilai"],
  ["atasan-penilai", "Atasan pejabat penilai"],
  ["kepala", "Kepala unit"],
  ["admin-instansi", "Admin instansi"],
];

/** Where the login comes back to: this page (a path here, or the portal's URL on its own origin). */
function returnTo() {
  return config.api ? location.href : `${location.pathname}${location.hash}`;
}

export default async function masuk() {
  const kembali = encodeURIComponent(returnTo());
  const parts = [h("h1", null, "Masuk ke E-Kinerja")];
  if (config.masuk.oidc) {
    parts.push(
      h("p", null, "Masuk dengan akun SSO instansi Anda."),
      h("a", { class: "tombol tombol-utama", href: url(`/auth/login?kembali=${kembali}`) }, "Masuk dengan SSO"),
    );
  }
  if (config.masuk.pengembangan) parts.push(await demoPeople(kembali));
  if (!config.masuk.oidc && !config.masuk.pengembangan) {
    parts.push(h("p", null, "Login belum dikonfigurasi: hubungi admin instansi."));
  }
  return h("div", { class: "masuk" }, parts);
}

/** @param {string} kembali */
async function demoPeople(kembali) {
  const instansi = config.instansi ? `instansi=${encodeURIComponent(config.instansi)}` : "";
  let found;
  try {
    const response = await send(`/auth/dev-login/pengguna?${instansi}`);
    if (!response.ok) throw new Error(`pengguna demo tidak tersedia (${response.status})`);
    found = await response.json();
  } catch (error) {
    return section("Masuk sebagai pengguna demo", errorBox(/** @type {Error} */ (error)));
  }
  return section(
    "Masuk sebagai pengguna demo",
    h("p", { class: "petunjuk" }, `Mode pengembangan: ${found.nama}. Pilih peran dan orangnya.`),
    ROLES.map(([role, title]) =>
      found.peran[role]?.length
        ? h(
            "div",
            { class: "peran-demo" },
            h("h3", null, title),
            h(
              "ul",
              null,
              found.peran[role].map((/** @type {any} */ who) =>
                h(
                  "li",
                  null,
                  h(
                    "a",
                    {
                      href: url(`/auth/dev-login?${instansi}&nip=${who.nip}${role === "admin-instansi" ? "&admin=1" : ""}&kembali=${kembali}`),
                      "data-peran": role,
                      "data-nip": who.nip,
                    },
                    `${who.nama}`,
                  ),
                  h("span", { class: "rinci" }, ` — ${who.jabatan ?? "tanpa jabatan"}${who.unit ? `, ${who.unit}` : ""}`),
                ),
              ),
            ),
          )
        : null,
    ),
  );
}
