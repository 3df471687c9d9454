// The daily log in bulk (pelaksanaan.js loads this when one of them is opened): a table of
// several entries sent at once (buatProgresHarianMassal: all or none, every bad row named), and
// a CSV/XLSX file posted to POST /pelaksanaan/progres-harian/import (docs/import.md), with a dry
// run and a template.
import { mutate, send } from "../../lib/api.js";
import { h, replace, uid } from "../../lib/dom.js";
import { hariIni } from "../../lib/format.js";
import { arti, onSubmit, tampilkanGalat } from "../../lib/pegawai.js";
import { button, field, notice, section, showFormError } from "../../lib/ui.js";

const COLUMNS = /** @type {const} */ ([
  ["rencanaAksiId", "Rencana aksi"],
  ["tanggal", "Tanggal"],
  ["jamMulai", "Jam mulai"],
  ["jamSelesai", "Jam selesai"],
  ["kegiatan", "Kegiatan"],
  ["realisasi", "Realisasi"],
  ["satuan", "Satuan"],
]);

/** @typedef {{ kode: string, awal: string, akhir: string, aksi: [string, string][], satuan: Map<string, string>, selesai: (bagian: string, teks: string) => Promise<void> }} Jendela */

/** Several entries at once. @param {Jendela} k */
export function bagianMassal(k) {
  const prefix = uid("massal");
  const heads = COLUMNS.map(([name, text]) => h("th", { scope: "col", id: `${prefix}-${name}` }, text));
  const tbody = h("tbody");
  const today = hariIni();
  const day = today < k.awal ? k.awal : today > k.akhir ? k.akhir : today;
  let count = 0;

  function addRow() {
    count += 1;
    const rowId = `${prefix}-baris-${count}`;
    const labelled = (/** @type {string} */ name) => ({ name, "aria-labelledby": `${prefix}-${name} ${rowId}` });
    const select = h("select", labelled("rencanaAksiId"), k.aksi.map(([value, text]) => h("option", { value }, text)));
    const satuan = h("input", { ...labelled("satuan"), value: k.satuan.get(k.aksi[0][0]) ?? "", maxlength: 50 });
    select.addEventListener("change", () => (/** @type {HTMLInputElement} */ (satuan).value = k.satuan.get(/** @type {HTMLSelectElement} */ (select).value) || /** @type {HTMLInputElement} */ (satuan).value));
    tbody.append(
      h(
        "tr",
        { "data-baris": count },
        h("th", { scope: "row", id: rowId }, `Baris ${count}`),
        h("td", { class: "lebar" }, select),
        h("td", null, h("input", { ...labelled("tanggal"), type: "date", value: day, min: k.awal, max: day })),
        h("td", null, h("input", { ...labelled("jamMulai"), type: "time", value: "08:00" })),
        h("td", null, h("input", { ...labelled("jamSelesai"), type: "time", value: "10:00" })),
        h("td", { class: "lebar" }, h("input", { ...labelled("kegiatan"), maxlength: 2000 })),
        h("td", null, h("input", { ...labelled("realisasi"), type: "number", min: 0, step: 1, value: "1" })),
        h("td", null, satuan),
      ),
    );
  }
  for (let i = 0; i < 3; i += 1) addRow();

  const form = h(
    "form",
    {
      class: "massal",
      "aria-label": "Progres sekaligus",
      onsubmit: onSubmit(async (f) => {
        for (const old of tbody.querySelectorAll(".baris-galat")) old.remove();
        for (const bad of tbody.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
        // Rows whose kegiatan is empty are left out; the service counts the rows it gets from 1.
        const rows = [...tbody.querySelectorAll("tr[data-baris]")].filter((tr) => /** @type {HTMLInputElement} */ (tr.querySelector("[name=kegiatan]")).value.trim());
        if (!rows.length) return showFormError(f, { code: "KOSONG", message: "Isi kegiatan pada setidaknya satu baris.", field: null });
        const read = (/** @type {Element} */ tr, /** @type {string} */ name) => /** @type {HTMLInputElement} */ (tr.querySelector(`[name=${name}]`)).value;
        const baris = rows.map((tr) => ({
          rencanaAksiId: read(tr, "rencanaAksiId"),
          tanggal: read(tr, "tanggal"),
          jamMulai: read(tr, "jamMulai"),
          jamSelesai: read(tr, "jamSelesai"),
          kegiatan: read(tr, "kegiatan"),
          realisasi: Number(read(tr, "realisasi")),
          satuan: read(tr, "satuan"),
        }));
        const result = await mutate("CatatProgresMassalMutation", { baris });
        if (!result.error) return k.selesai("progres", `${baris.length} progres disimpan.`);
        const refused = /** @type {any} */ (result.error);
        /** @type {{ baris: number, field: string, message: string }[]} */
        const bad = refused.baris ?? [];
        // Numbered as shown (empty rows were left out); the summary first: it clears the marks.
        tampilkanGalat(f, { ...refused, baris: bad.map((b) => ({ ...b, baris: Number(rows[b.baris - 1]?.getAttribute("data-baris") ?? b.baris) })) });
        for (const b of bad) {
          const tr = rows[b.baris - 1];
          tr?.querySelector(`[name=${b.field}]`)?.setAttribute("aria-invalid", "true");
          const text = `Baris ${tr?.getAttribute("data-baris") ?? b.baris}: ${COLUMNS.find(([n]) => n === b.field)?.[1] ?? b.field}: ${b.message}`;
          tr?.after(h("tr", { class: "baris-galat" }, h("td", { colspan: COLUMNS.length + 1 }, text)));
        }
      }),
    },
    h("p", { class: "petunjuk" }, "Baris yang kegiatannya kosong diabaikan. Semua baris disimpan bersama, atau tidak sama sekali."),
    h(
      "div",
      { class: "tabel-gulir tabel-isian", tabindex: "0", role: "region", "aria-label": "Tabel progres sekaligus" },
      h("table", null, h("caption", null, "Progres sekaligus"), h("thead", null, h("tr", null, h("th", { scope: "col" }, "Baris"), heads)), tbody),
    ),
    h("p", { class: "aksi" }, button("Tambah baris", addRow), button("Simpan semua progres", undefined, { kind: "utama", type: "submit" })),
  );
  return form;
}

/** A CSV or XLSX file of entries. @param {Jendela} k */
export function bagianImpor(k) {
  const result = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    {
      "aria-label": "Impor progres",
      onsubmit: onSubmit(async (f) => {
        replace(result);
        const file = /** @type {HTMLInputElement} */ (f.querySelector("input[type=file]")).files?.[0];
        if (!file) return showFormError(f, { code: "KOSONG", message: "Pilih berkas CSV atau XLSX.", field: "berkas" });
        const uji = /** @type {HTMLInputElement} */ (f.querySelector("input[name=uji]")).checked;
        const format = file.name.toLowerCase().endsWith(".xlsx") ? "xlsx" : "csv";
        const response = await send(`/pelaksanaan/progres-harian/import?format=${format}${uji ? "&uji=true" : ""}`, {
          method: "POST",
          headers: { "Content-Type": format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv" },
          body: file,
        });
        const answer = await response.json().catch(() => ({}));
        if (response.ok) {
          showFormError(f, null);
          if (uji) return replace(result, notice(`Berkas valid: ${answer.jumlah} progres siap disimpan. Hapus centang "Uji saja" untuk menyimpannya.`));
          return k.selesai("progres", `${answer.jumlah} progres dari berkas disimpan.`);
        }
        const error = answer.errors?.[0] ?? answer.error ?? {};
        const extensions = error.extensions ?? {};
        const code = extensions.code ?? error.code ?? `HTTP_${response.status}`;
        const message = arti({ code, message: error.message ?? `Berkas ditolak (${response.status}).` });
        const more = extensions.jumlahKesalahan > (extensions.baris?.length ?? 0) ? ` Ditampilkan ${extensions.baris.length} dari ${extensions.jumlahKesalahan} kesalahan.` : "";
        tampilkanGalat(f, { code, message: `${message}${more}`, field: extensions.field === "file" ? "berkas" : null, baris: extensions.baris });
      }),
    },
    h(
      "p",
      { class: "petunjuk" },
      "Kolom: RENCANA_AKSI_ID, TANGGAL (YYYY-MM-DD), JAM_MULAI, JAM_SELESAI (HH:MM), KEGIATAN, REALISASI (bilangan bulat), SATUAN. Semua baris disimpan bersama, atau tidak sama sekali. ",
      templat(k),
    ),
    field({ label: "Berkas CSV atau XLSX", name: "berkas", type: "file", accept: ".csv,.xlsx,text/csv", required: true }),
    h("div", { class: "isian", "data-isian": "uji" }, h("label", null, h("input", { type: "checkbox", name: "uji", checked: true }), " Uji saja (periksa tanpa menyimpan)")),
    button("Unggah berkas progres", undefined, { kind: "utama", type: "submit" }),
  );
  return h("div", null, form, result);
}

/** A template with this window's rencana aksi. @param {Jendela} k */
function templat(k) {
  const quote = (/** @type {string} */ s) => `"${s.replaceAll('"', '""')}"`;
  const lines = ["RENCANA_AKSI_ID,TANGGAL,JAM_MULAI,JAM_SELESAI,KEGIATAN,REALISASI,SATUAN"];
  for (const [id, text] of k.aksi) lines.push([quote(id), k.awal, "08:00", "10:00", quote(`Contoh: ${text}`), "1", quote(k.satuan.get(id) ?? "")].join(","));
  const href = URL.createObjectURL(new Blob([`${lines.join("\r\n")}\r\n`], { type: "text/csv" }));
  return h("a", { href, download: `progres-${k.kode}.csv` }, "Unduh templat CSV periode ini");
}
