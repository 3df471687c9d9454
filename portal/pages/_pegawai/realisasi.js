// Realisasi of a window per RHK and indikator (pelaksanaan.js): the quantity and account of
// each indikator (with the suggestion from the log), and its evidence: files uploaded straight
// to the evidence store (unggahBukti, below), links, and removal while the window is open.
import { mutate } from "../../lib/api.js";
import { h } from "../../lib/dom.js";
import { angka, label } from "../../lib/format.js";
import { arti, onSubmit, tampilkanGalat } from "../../lib/pegawai.js";
import { badge, button, dialog, errorBox, field, section, showFormError, values } from "../../lib/ui.js";

/** @typedef {import("../../generated/types").SkpTahunQuery["skpSaya"]["nodes"][number]} Skp */
/** @typedef {NonNullable<import("../../generated/types").PelaksanaanSayaQuery["pelaksanaan"]>} Jendela */
/** @typedef {Jendela["realisasi"][number]} Realisasi */
/** @typedef {{ skp: Skp, kode: string, selesai: (bagian: string, teks: string) => Promise<void> }} Konteks */

/** @param {Konteks} k @param {Jendela} jendela @param {boolean} open @param {HTMLElement} kabar */
export function bagianRealisasi(k, jendela, open, kabar) {
  const byIndikator = new Map(jendela.realisasi.map((r) => [r.indikatorId, r]));
  return section(
    `Realisasi ${k.kode}`,
    kabar,
    k.skp.rhk.map((rhk) =>
      h(
        "div",
        null,
        h("h3", null, `RHK ${rhk.urutan}: `, rhk.teks),
        rhk.indikator.map((indikator, index) => {
          const r = byIndikator.get(indikator.id);
          return r ? card(k, open, `RHK ${rhk.urutan} indikator ${index + 1}`, indikator, r) : null;
        }),
      ),
    ),
  );
}

/**
 * @param {Konteks} k @param {boolean} open @param {string} name
 * @param {Skp["rhk"][number]["indikator"][number]} indikator @param {Realisasi} r
 */
function card(k, open, name, indikator, r) {
  const saran = r.saranKuantitas !== null ? `Saran dari ${r.jumlahProgres} progres: ${angka(r.saranKuantitas)}${r.satuan ? ` ${r.satuan}` : ""}.` : undefined;
  return h(
    "article",
    { class: "kartu rhk", "aria-label": `Realisasi ${name}` },
    h("h4", null, indikator.teks),
    h(
      "p",
      { class: "rinci" },
      `${label(indikator.aspek)} · target ${indikator.target}`,
      r.capaianPersen !== null ? ` · capaian ${angka(r.capaianPersen)}%` : "",
    ),
    open
      ? h(
          "form",
          {
            "aria-label": `Realisasi ${name}`,
            onsubmit: onSubmit(async (f) => {
              const v = values(f);
              const items = [{ indikatorId: r.indikatorId, kuantitas: v.kuantitas || null, narasi: v.narasi || null }];
              const result = await mutate("SimpanRealisasiMutation", { skp: k.skp.id, periode: k.kode, items });
              if (result.error) {
                const first = /** @type {any} */ (result.error).baris?.[0];
                return tampilkanGalat(f, first ? { ...result.error, field: first.field, message: first.message, baris: [] } : result.error);
              }
              await k.selesai("realisasi", `Realisasi ${indikator.teks} disimpan.`);
            }),
          },
          h(
            "div",
            { class: "baris-isian" },
            field({ label: "Kuantitas", name: "kuantitas", type: "number", step: "any", min: 0, value: r.kuantitas !== null ? Number(r.kuantitas) : "", hint: saran }),
            field({ label: "Narasi", name: "narasi", type: "textarea", rows: 2, value: r.narasi }),
          ),
          button(`Simpan realisasi ${name}`, undefined, { kind: "utama", type: "submit" }),
        )
      : h("p", null, `Realisasi: ${angka(r.kuantitas)}${r.satuan ? ` ${r.satuan}` : ""}`, r.narasi ? ` — ${r.narasi}` : ""),
    evidence(k, open, name, r),
  );
}

/** @param {Konteks} k @param {boolean} open @param {string} name @param {Realisasi} r */
function evidence(k, open, name, r) {
  const list = r.bukti.length
    ? h(
        "ul",
        { class: "bukti", "aria-label": `Bukti dukung ${name}` },
        r.bukti.map((b) =>
          h(
            "li",
            null,
            b.unduhUrl ? h("a", { href: b.unduhUrl, target: "_blank", rel: "noopener noreferrer" }, b.nama) : h("span", null, b.nama),
            h("span", { class: "rinci" }, b.jenis === "TAUTAN" ? "tautan" : "berkas"),
            b.status === "TERSEDIA" ? null : badge(b.status),
            open ? button("Hapus", () => remove(k, b), { kind: "bahaya", label: `Hapus bukti ${b.nama}` }) : null,
          ),
        ),
      )
    : h("p", { class: "kosong" }, "Belum ada bukti dukung.");
  if (!open) return h("div", null, h("h5", null, "Bukti dukung"), list);
  if (!r.realisasiId) return h("div", null, h("h5", null, "Bukti dukung"), list, h("p", { class: "petunjuk" }, "Simpan realisasinya dulu untuk menambah bukti dukung."));
  const target = { realisasiId: r.realisasiId };
  const upload = h(
    "form",
    {
      "aria-label": `Unggah bukti ${name}`,
      onsubmit: onSubmit(async (f) => {
        const file = /** @type {HTMLInputElement} */ (f.querySelector("input[type=file]")).files?.[0];
        if (!file) return showFormError(f, { code: "KOSONG", message: "Pilih berkas.", field: "berkas" });
        const result = await unggahBukti(target, file);
        if (result.error) return tampilkanGalat(f, { ...result.error, field: result.error.field === "file" ? "berkas" : result.error.field });
        await k.selesai("realisasi", `Bukti ${file.name} terunggah.`);
      }),
    },
    field({ label: "Berkas bukti", name: "berkas", type: "file", accept: ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx", required: true, hint: "PDF, gambar atau dokumen perkantoran." }),
    button(`Unggah bukti ${name}`, undefined, { type: "submit" }),
  );
  const link = h(
    "form",
    {
      "aria-label": `Tautan bukti ${name}`,
      onsubmit: onSubmit(async (f) => {
        const v = values(f);
        const result = await mutate("TambahTautanBuktiMutation", { input: { ...target, nama: v.nama, tautan: v.tautan } });
        if (result.error) return tampilkanGalat(f, result.error);
        await k.selesai("realisasi", `Tautan ${v.nama} ditambahkan.`);
      }),
    },
    h("div", { class: "baris-isian" }, field({ label: "Nama bukti", name: "nama", required: true }), field({ label: "Tautan", name: "tautan", type: "url", required: true })),
    button(`Tambah tautan ${name}`, undefined, { type: "submit" }),
  );
  return h("div", null, h("h5", null, "Bukti dukung"), list, h("details", null, h("summary", null, "Tambah bukti dukung"), upload, link));
}

/** @param {Konteks} k @param {{ id: string, nama: string }} b */
async function remove(k, b) {
  const yes = await dialog("Hapus bukti dukung?", (close) =>
    h("div", null, h("p", null, b.nama), h("p", { class: "aksi" }, button("Hapus", () => close(true), { kind: "bahaya" }), button("Batal", () => close(false)))),
  );
  if (!yes) return;
  const result = await mutate("HapusBuktiMutation", { bukti: b.id });
  if (result.error) await dialog("Bukti tidak terhapus", () => errorBox({ ...result.error, message: arti(/** @type {any} */ (result.error)) }));
  else await k.selesai("realisasi", `Bukti ${b.nama} dihapus.`);
}

const TYPES = { pdf: "application/pdf", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", doc: "application/msword", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", xls: "application/vnd.ms-excel", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };

/** @param {Blob} file */
async function sha256(file) {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Upload an evidence file straight to the store: ask for a form (name, type, size and SHA-256
 * declared), POST it with the file to the store (no cookie: the form is the permission), then
 * confirm. `{ ok }` with the confirmed BuktiDukung, or `{ error }` as mutate() gives it.
 * @param {{ realisasiId?: string, progresId?: string }} target @param {File} file
 */
async function unggahBukti(target, file) {
  const extension = /** @type {keyof typeof TYPES} */ (file.name.split(".").pop()?.toLowerCase() ?? "");
  const contentType = file.type || TYPES[extension] || "application/octet-stream";
  const ticket = await mutate("MintaUnggahBuktiMutation", {
    input: { ...target, nama: file.name, contentType, ukuran: file.size, sha256: await sha256(file) },
  });
  if (ticket.error) return ticket;
  const form = new FormData();
  for (const { name, value } of ticket.ok.fields) form.append(name, value);
  form.append("file", file, file.name);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 120_000);
  try {
    const response = await fetch(ticket.ok.url, { method: "POST", body: form, credentials: "omit", signal: controller.signal });
    if (!response.ok) return { error: { code: `HTTP_${response.status}`, message: `Penyimpanan menolak berkas (${response.status}).`, field: "file" } };
  } catch {
    return { error: { code: "STORAGE_UNAVAILABLE", message: arti({ code: "STORAGE_UNAVAILABLE", message: "" }), field: "file" } };
  } finally {
    clearTimeout(timer);
  }
  return mutate("KonfirmasiBuktiMutation", { bukti: ticket.ok.bukti.id });
}
