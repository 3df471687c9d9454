// The admin instansi's pegawai import (docs/import.md): the file is uploaded over HTTP as a dry
// run, a background job checks it (followed here through GraphQL's imporKepegawaian, polled at a
// growing interval while it runs), its refused cells are shown (all of them: the job's
// kesalahan.csv), and a clean dry run is applied (a new job writes it). Below: the recent jobs
// and the pegawai directory (daftarPegawai, searched and paged by cursor).
import { query, refusal, send, url } from "../lib/api.js";
import { announce, h, replace } from "../lib/dom.js";
import { angka, waktu } from "../lib/format.js";
import { button, errorBox, field, loading, notice, section, showFormError, table } from "../lib/ui.js";
import { pager, searchForm } from "./_admin/halaman.js";

/** @typedef {NonNullable<import("../generated/types").ImporKepegawaianQuery["imporKepegawaian"]>} Impor */
/** @typedef {import("../generated/types").ImporRingkasFragment} ImporRingkas */

const TYPES = { csv: "text/csv", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };
const STATUS = {
  QUEUED: ["Menunggu", "diajukan"],
  RUNNING: ["Berjalan", "diajukan"],
  SUCCEEDED: ["Berhasil", "disetujui"],
  REJECTED: ["Ditolak", "dikembalikan"],
  FAILED: ["Gagal", "dikembalikan"],
};
const FASE = {
  queued: "Menunggu giliran",
  reading: "Membaca berkas",
  validating: "Memeriksa baris",
  checking: "Memeriksa terhadap data instansi",
  writing: "Menulis",
  done: "Selesai",
};
const JENIS = { units: "Unit kerja", jabatan: "Jabatan", pegawai: "Pegawai", penugasan: "Penugasan" };
const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 5000;
const POLL_FOR_MS = 12 * 60 * 1000; // a job ends within 10 minutes (its deadline)

/** @param {string} status */
function statusBadge(status) {
  const [text, tone] = STATUS[/** @type {keyof typeof STATUS} */ (status)] ?? [status, ""];
  return h("span", { class: ["lencana", tone && `lencana-${tone}`] }, text);
}

/** @param {string} id */
const errorsCsv = (id) => url(`/kepegawaian/impor/${encodeURIComponent(id)}/kesalahan.csv`);

/** @param {import("./index.js").Konteks} ctx */
export default async function adminPegawai(ctx) {
  const panel = h("div", { tabindex: "-1", class: "panel-impor" }, h("p", { class: "kosong" }, "Pilih berkas lalu unggah, atau lihat impor terakhir di bawah."));
  const history = h("div");
  // The dry runs applied (by a job that did not fail), as the recent jobs show.
  /** @type {Set<string | null>} */
  let applied = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let following = ""; // the job being followed; another one replaces it
  let left = false;
  ctx.onLeave(() => {
    left = true;
    clearTimeout(timer);
  });

  /** Follow a job until it ends: read it now, then again after a growing pause. @param {string} id */
  async function follow(id) {
    clearTimeout(timer);
    following = id;
    const started = Date.now();
    let pause = FIRST_POLL_MS;
    const step = async () => {
      if (left || following !== id) return;
      let job;
      try {
        job = /** @type {import("../generated/types").ImporKepegawaianQuery} */ (await query("ImporKepegawaianQuery", { id })).imporKepegawaian;
      } catch (error) {
        replace(panel, errorBox(/** @type {Error} */ (error)), button("Periksa lagi", () => follow(id)));
        return;
      }
      if (left || following !== id) return;
      if (!job) {
        replace(panel, errorBox({ code: "NOT_FOUND", message: "Impor ini tidak ditemukan." }));
        return;
      }
      const running = job.status === "QUEUED" || job.status === "RUNNING";
      replace(panel, showJob(job));
      if (!running) {
        announce(`Impor ${STATUS[job.status]?.[0] ?? job.status}`);
        loadHistory();
      } else if (Date.now() - started < POLL_FOR_MS) {
        timer = setTimeout(step, pause);
        pause = Math.min(MAX_POLL_MS, Math.round(pause * 1.5));
      } else {
        panel.append(h("p", null, "Impor masih berjalan. ", button("Periksa lagi", () => follow(id))));
      }
    };
    replace(panel, loading("Membaca status impor…"));
    await step();
  }

  /** Follow a job of the list, brought into view. @param {string} id */
  function show(id) {
    panel.scrollIntoView({ block: "start" });
    panel.focus({ preventScroll: true });
    return follow(id);
  }

  /** @param {Impor} job */
  function showJob(job) {
    const running = job.status === "QUEUED" || job.status === "RUNNING";
    const parts = [
      h("h3", null, `${job.uji ? "Uji coba" : "Penerapan"}: ${job.namaBerkas}`),
      h("p", null, statusBadge(job.status), " ", FASE[/** @type {keyof typeof FASE} */ (job.fase)] ?? job.fase),
    ];
    if (running) {
      parts.push(
        h(
          "p",
          null,
          h("progress", { max: job.total ?? undefined, value: job.total ? job.selesai : undefined, "aria-label": "Kemajuan impor" }),
          " ",
          job.total ? `${angka(job.selesai)} dari ${angka(job.total)}` : `${angka(job.selesai)} diproses`,
        ),
      );
    }
    if (job.pesan && !job.jumlahKesalahan) parts.push(errorBox({ code: job.status, message: job.pesan }));
    if (job.jumlahBaris !== null) parts.push(h("p", null, `${angka(job.jumlahBaris)} baris data.`));
    if (job.kolomDiabaikan.length) parts.push(h("p", { class: "rinci" }, `Kolom diabaikan (tidak dikenal): ${job.kolomDiabaikan.join(", ")}.`));
    if (job.jumlah.length) {
      parts.push(
        table({
          caption: job.uji ? "Yang akan ditulis bila diterapkan" : "Yang ditulis",
          columns: [
            { label: "Data", cell: (r) => JENIS[/** @type {keyof typeof JENIS} */ (r.jenis)] ?? r.jenis },
            { label: "Dibuat", cell: (r) => angka(r.dibuat), numeric: true },
            { label: "Diubah", cell: (r) => angka(r.diubah), numeric: true },
            { label: "Tetap", cell: (r) => angka(r.tetap), numeric: true },
          ],
          rows: job.jumlah,
        }),
      );
    }
    if (job.jumlahKesalahan) {
      const shown = job.kesalahan.length;
      parts.push(
        h("div", { class: "galat", role: "alert" }, `${angka(job.jumlahKesalahan)} isian ditolak; tidak ada yang ditulis. Perbaiki berkas lalu unggah lagi.`),
        table({
          caption: shown < job.jumlahKesalahan ? `Kesalahan (${shown} pertama dari ${job.jumlahKesalahan})` : "Kesalahan",
          columns: [
            { label: "Baris", cell: (r) => r.baris, numeric: true },
            { label: "Kolom", cell: (r) => r.kolom },
            { label: "Alasan", cell: (r) => r.alasan },
          ],
          rows: job.kesalahan,
        }),
        h("p", null, h("a", { href: errorsCsv(job.id), download: "" }, "Unduh semua kesalahan (CSV)")),
      );
    }
    if (job.uji && job.status === "SUCCEEDED" && applied.has(job.id)) {
      parts.push(h("p", null, "Uji coba ini sudah diterapkan."));
    } else if (job.uji && job.status === "SUCCEEDED") {
      parts.push(
        h("p", null, "Uji coba bersih. Terapkan untuk menulis data ini; semuanya diperiksa lagi saat diterapkan."),
        h("div", { class: "aksi" }, button("Terapkan", (event) => apply(job, /** @type {HTMLButtonElement} */ (event.currentTarget)), { kind: "utama" })),
      );
    } else if (!job.uji && job.status === "SUCCEEDED") {
      parts.push(notice("Impor diterapkan."));
    }
    return h("div", null, parts);
  }

  /** @param {Impor} job @param {HTMLButtonElement} trigger */
  async function apply(job, trigger) {
    trigger.disabled = true;
    try {
      const response = await send(`/kepegawaian/impor/${encodeURIComponent(job.id)}/terapkan`, { method: "POST" });
      if (response.status !== 202) throw await refusal(response);
      const next = await response.json();
      await follow(next.id);
    } catch (error) {
      trigger.disabled = false;
      trigger.after(errorBox(/** @type {Error} */ (error)));
    }
  }

  const form = /** @type {HTMLFormElement} */ (
    h(
      "form",
      { onsubmit: upload },
      field({
        label: "Jenis berkas",
        name: "jenis",
        type: "select",
        options: [
          ["pegawai", "Pegawai (dengan unit, jabatan dan penugasan)"],
          ["unor", "Unit kerja saja"],
        ],
      }),
      field({
        label: "Berkas CSV atau XLSX",
        name: "file",
        type: "file",
        required: true,
        accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        hint: "Baris pertama berisi judul kolom (NIP, NAMA, JENIS_PEGAWAI, UNOR_ID, …). Berkas diuji dulu: tidak ada yang ditulis sebelum Anda menerapkannya.",
      }),
      h("div", { class: "aksi" }, button("Unggah dan uji", undefined, { type: "submit", kind: "utama" })),
    )
  );

  /** @param {SubmitEvent} event */
  async function upload(event) {
    event.preventDefault();
    showFormError(form, null);
    const input = /** @type {HTMLInputElement} */ (form.elements.namedItem("file"));
    const jenis = /** @type {HTMLSelectElement} */ (form.elements.namedItem("jenis")).value;
    const file = input.files?.[0];
    const format = file?.name.match(/\.(csv|xlsx)$/i)?.[1].toLowerCase();
    if (!file || !format) {
      showFormError(form, { code: "UNSUPPORTED_TYPE", message: "Pilih berkas .csv atau .xlsx.", field: "file" });
      return;
    }
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    submit.disabled = true;
    try {
      const path = `/kepegawaian/impor/${jenis}?uji=true&format=${format}&nama=${encodeURIComponent(file.name)}`;
      const response = await send(path, { method: "POST", headers: { "Content-Type": TYPES[/** @type {"csv" | "xlsx"} */ (format)] }, body: file });
      if (response.status !== 202) throw await refusal(response);
      const job = await response.json();
      form.reset();
      loadHistory();
      await follow(job.id);
    } catch (error) {
      const failed = /** @type {any} */ (error);
      showFormError(form, { code: failed.code, message: failed.message, field: failed.field ?? "file" });
    } finally {
      submit.disabled = false;
    }
  }

  async function loadHistory() {
    try {
      /** @type {import("../generated/types").DaftarImporKepegawaianQuery} */
      const data = await query("DaftarImporKepegawaianQuery", { first: 10 });
      const jobs = data.daftarImporKepegawaian.nodes;
      applied = new Set(jobs.filter((j) => j.dariUjiId && j.status !== "FAILED").map((j) => j.dariUjiId));
      replace(
        history,
        table({
          caption: "Impor terakhir",
          columns: [
            {
              label: "Berkas",
              cell: (j) => [j.namaBerkas, h("br"), button("Lihat", () => show(j.id), { label: `Lihat impor ${j.namaBerkas}, ${waktu(j.dibuatPada)}` })],
            },
            { label: "Jenis", cell: (j) => (j.jenis === "UNOR" ? "Unit kerja" : "Pegawai") },
            { label: "Cara", cell: (j) => (j.uji ? (applied.has(j.id) ? "Uji coba (diterapkan)" : "Uji coba") : "Penerapan") },
            { label: "Status", cell: (j) => statusBadge(j.status) },
            { label: "Kesalahan", cell: (j) => angka(j.jumlahKesalahan), numeric: true },
            { label: "Diunggah", cell: (j) => waktu(j.dibuatPada) },
          ],
          rows: jobs,
          empty: "Belum ada impor.",
        }),
      );
    } catch (error) {
      replace(history, errorBox(/** @type {Error} */ (error)));
    }
  }

  let cari = "";
  const directory = pager(
    "Daftar pegawai",
    async (after) => {
      /** @type {import("../generated/types").DaftarPegawaiQuery} */
      const data = await query("DaftarPegawaiQuery", { filter: cari ? { cari } : null, first: 20, after });
      return { rows: data.daftarPegawai.edges.map((e) => e.node), pageInfo: data.daftarPegawai.pageInfo };
    },
    (rows) =>
      table({
        caption: cari ? `Pegawai: "${cari}"` : "Pegawai",
        columns: [
          { label: "NIP", cell: (p) => p.nip },
          { label: "Nama", cell: (p) => p.namaLengkap },
          { label: "Golongan", cell: (p) => p.golongan ?? "–" },
          { label: "Jabatan", cell: (p) => p.jabatan?.jabatan.nama ?? "–" },
          { label: "Unit kerja", cell: (p) => p.jabatan?.jabatan.unit?.nama ?? "–" },
        ],
        rows,
        empty: "Tidak ada pegawai yang cocok.",
      }),
  );

  loadHistory();
  directory.reload();
  return h(
    "div",
    null,
    h("h1", null, "Impor Pegawai"),
    section("Unggah berkas", form),
    section("Hasil impor", panel),
    section("Riwayat impor", history),
    section(
      "Daftar pegawai",
      searchForm("Cari pegawai", (found) => {
        cari = found.cari;
        directory.reload();
      }),
      directory.element,
    ),
  );
}
