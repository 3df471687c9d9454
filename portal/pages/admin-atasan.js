// The admin instansi's superior overrides (pengecualian atasan): pegawai found by name or NIP,
// each with who appraises them today and by which rule (OVERRIDE: an exception is in force),
// and the form recording an exception from a date (aturPengecualianAtasan): the penilai or the
// atasan penilai is another pegawai or an official outside the system. Below, the exceptions
// on record (pengecualianAtasan: those in force today, or all of them), each with "Akhiri": a
// dialog asking its last day and why (akhiriPengecualianAtasan; the day before it starts
// removes it).
import { mutate, query } from "../lib/api.js";
import { announce, h, replace } from "../lib/dom.js";
import { hariIni, tanggal, waktu } from "../lib/format.js";
import { button, dialog, errorBox, field, notice, section, showFormError, table, values } from "../lib/ui.js";
import { pager, searchForm } from "./_admin/halaman.js";

/** @typedef {import("../generated/types").AtasanPegawaiQuery["daftarPegawai"]["nodes"][number]} Baris */
/** @typedef {import("../generated/types").PenilaiKinerjaRinciFragment} Penilai */
/** @typedef {import("../generated/types").PengecualianAtasanRinciFragment} Pengecualian */

const RULES = {
  OVERRIDE: "Pengecualian",
  POSITION_OVERRIDE: "Atasan jabatan yang ditetapkan",
  UNIT_HEAD: "Kepala unit",
  ACTING: "Plt/Plh",
  VACANCY_WALKED_UP: "Jabatan atasan kosong: naik satu tingkat",
  EXTERNAL: "Pejabat di luar sistem",
  NONE: "Tidak ada",
};

/** Who holds a role of the chain, and by which rule. @param {Penilai | null | undefined} who */
function holder(who) {
  if (!who) return h("span", { class: "rinci" }, "–");
  const name = who.pegawai
    ? `${who.pegawai.namaLengkap} (${who.pegawai.nip})`
    : who.namaEksternal
      ? `${who.namaEksternal}${who.jabatanEksternal ? `, ${who.jabatanEksternal}` : ""}`
      : "Tidak ada";
  const rule = RULES[/** @type {keyof typeof RULES} */ (who.aturan)] ?? who.aturan;
  return h(
    "span",
    null,
    name,
    " ",
    h("span", { class: ["lencana", who.aturan === "OVERRIDE" && "lencana-diajukan"] }, rule),
  );
}

/** The rule's steps, folded. @param {string} title @param {Penilai | null | undefined} who */
function steps(title, who) {
  if (!who?.penjelasan.length) return null;
  return h("details", null, h("summary", null, title), h("ol", null, who.penjelasan.map((s) => h("li", null, s))));
}

const PERAN = { PENILAI: "Pejabat penilai", ATASAN_PENILAI: "Atasan pejabat penilai" };

/** An ISO day moved by `days`. @param {string} iso @param {number} days */
function geser(iso, days) {
  const day = new Date(`${iso}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Where an override stands today, said in words (not by colour alone). @param {Pengecualian} p */
function keadaan(p) {
  const today = hariIni();
  if (p.berlakuMulai > today) return h("span", { class: "lencana lencana-diajukan" }, "Akan berlaku");
  if (p.tanggalAkhir && p.tanggalAkhir < today) return h("span", { class: "lencana" }, "Berakhir");
  return h("span", { class: "lencana lencana-disetujui" }, "Berlaku");
}

/** Who the override appoints. @param {Pengecualian} p */
function ditunjuk(p) {
  if (p.atasan) return [p.atasan.namaLengkap, h("br"), h("span", { class: "rinci" }, p.atasan.nip)];
  return [p.namaEksternal ?? "–", p.jabatanEksternal ? [h("br"), h("span", { class: "rinci" }, p.jabatanEksternal)] : null];
}

/** @param {Pengecualian} p */
function masa(p) {
  return `${tanggal(p.berlakuMulai)} – ${p.tanggalAkhir ? tanggal(p.tanggalAkhir) : "tanpa batas"}`;
}

/** @param {import("./index.js").Konteks} _ctx */
export default async function adminAtasan(_ctx) {
  let cari = "";
  let per = ""; // the day the chains are read as of ("": today)
  const editor = h("div");
  const list = pager(
    "Pegawai",
    async (after) => {
      /** @type {import("../generated/types").AtasanPegawaiQuery} */
      const data = await query("AtasanPegawaiQuery", { filter: cari ? { cari } : null, tanggal: per || null, first: 20, after });
      return { rows: data.daftarPegawai.nodes, pageInfo: data.daftarPegawai.pageInfo };
    },
    (rows) =>
      table({
        caption: `${cari ? `Pegawai "${cari}"` : "Pegawai"} dan penilainya ${per ? `pada ${tanggal(per)}` : "hari ini"}`,
        columns: [
          {
            label: "Pegawai",
            cell: (p) => [
              p.namaLengkap,
              h("br"),
              h("span", { class: "rinci" }, p.nip),
              h("br"),
              button("Atur", () => edit(p), { label: `Atur pengecualian atasan ${p.namaLengkap}` }),
            ],
          },
          { label: "Pejabat penilai", cell: (p) => holder(p.atasan?.pejabatPenilai) },
          { label: "Atasan pejabat penilai", cell: (p) => holder(p.atasan?.atasanPejabatPenilai) },
        ],
        rows,
        empty: "Tidak ada pegawai yang cocok.",
      }),
  );

  /** The form for one pegawai, shown below the list. @param {Baris} pegawai */
  function edit(pegawai) {
    const pada = pegawai.atasan ? ` pada ${tanggal(pegawai.atasan.tanggal)}` : "";
    const titleId = "atur-judul";
    const pilihan = h("div");
    const mode = field({
      label: "Atasan dari",
      name: "sumber",
      type: "select",
      options: [
        ["pegawai", "Pegawai instansi ini"],
        ["eksternal", "Pejabat di luar sistem (mis. Bupati)"],
      ],
    });
    const internal = h(
      "div",
      { class: "bingkai" },
      field({ label: "Cari atasan (nama atau NIP)", name: "cariAtasan", type: "search" }),
      button("Cari atasan", () => findSuperior()),
      pilihan,
    );
    const external = h(
      "div",
      { class: "bingkai", hidden: true },
      field({ label: "Nama pejabat", name: "eksternalNama", maxlength: 255 }),
      field({ label: "Jabatan pejabat", name: "eksternalJabatan", maxlength: 255, hint: "Mis. Bupati Sumber Makmur." }),
    );
    const form = /** @type {HTMLFormElement} */ (
      h(
        "form",
        { onsubmit: save },
        field({
          label: "Peran",
          name: "peran",
          type: "select",
          options: [
            ["PENILAI", "Pejabat penilai"],
            ["ATASAN_PENILAI", "Atasan pejabat penilai"],
          ],
        }),
        mode,
        internal,
        external,
        field({ label: "Berlaku mulai", name: "berlakuMulai", type: "date", value: hariIni(), required: true }),
        field({
          label: "Berlaku sampai (tidak termasuk)",
          name: "berlakuSampai",
          type: "date",
          hint: "Kosongkan bila tanpa batas. Pengecualian baru untuk peran yang sama mengakhiri yang masih berlaku pada tanggal mulainya.",
        }),
        field({ label: "Alasan", name: "alasan", type: "textarea", required: true, hint: "Dicatat di log audit." }),
        h("div", { class: "aksi" }, button("Simpan pengecualian", undefined, { type: "submit", kind: "utama" }), button("Batal", () => replace(editor))),
      )
    );
    mode.querySelector("select")?.addEventListener("change", (event) => {
      const outside = /** @type {HTMLSelectElement} */ (event.target).value === "eksternal";
      internal.hidden = outside;
      external.hidden = !outside;
    });

    async function findSuperior() {
      const text = /** @type {HTMLInputElement} */ (form.elements.namedItem("cariAtasan")).value.trim();
      if (!text) return;
      replace(pilihan, h("p", { class: "memuat", role: "status" }, "Mencari…"));
      try {
        /** @type {import("../generated/types").DaftarPegawaiQuery} */
        const data = await query("DaftarPegawaiQuery", { filter: { cari: text }, first: 20 });
        const found = data.daftarPegawai.edges.map((e) => e.node).filter((p) => p.nip !== pegawai.nip);
        replace(
          pilihan,
          found.length
            ? field({
                label: "Atasan",
                name: "atasanNip",
                type: "select",
                options: found.map((p) => [p.nip, `${p.namaLengkap} (${p.nip})${p.jabatan ? `, ${p.jabatan.jabatan.nama}` : ""}`]),
              })
            : h("p", { class: "kosong", role: "status" }, "Tidak ada pegawai yang cocok."),
        );
      } catch (error) {
        replace(pilihan, errorBox(/** @type {Error} */ (error)));
      }
    }

    /** @param {SubmitEvent} event */
    async function save(event) {
      event.preventDefault();
      const v = values(form);
      const outside = v.sumber === "eksternal";
      if (outside ? !v.eksternalNama?.trim() : !v.atasanNip) {
        showFormError(form, {
          code: "INVALID_INPUT",
          message: outside ? "Isi nama pejabat di luar sistem." : "Cari lalu pilih atasannya.",
          field: outside ? "eksternalNama" : "cariAtasan",
        });
        return;
      }
      const input = {
        pegawaiNip: pegawai.nip,
        peran: v.peran,
        berlakuMulai: v.berlakuMulai,
        berlakuSampai: v.berlakuSampai || null,
        alasan: v.alasan,
        atasanNip: outside ? null : v.atasanNip,
        eksternalNama: outside ? v.eksternalNama.trim() : null,
        eksternalJabatan: outside ? v.eksternalJabatan?.trim() || null : null,
      };
      const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
      submit.disabled = true;
      const { ok, error } = await mutate("AturPengecualianAtasanMutation", { input });
      submit.disabled = false;
      if (error) {
        showFormError(form, error);
        return;
      }
      const chain = ok.pegawai?.atasan;
      replace(
        editor,
        notice(`Pengecualian untuk ${pegawai.namaLengkap} dicatat, berlaku mulai ${tanggal(input.berlakuMulai)}.`),
        chain
          ? h(
              "dl",
              { class: "profil" },
              h("dt", null, "Pejabat penilai hari ini"),
              h("dd", null, holder(chain.pejabatPenilai)),
              h("dt", null, "Atasan pejabat penilai hari ini"),
              h("dd", null, holder(chain.atasanPejabatPenilai)),
            )
          : null,
      );
      announce("Pengecualian dicatat");
      list.reload();
      recorded.reload();
    }

    replace(
      editor,
      h(
        "section",
        { class: "bagian", "aria-labelledby": titleId },
        h("h2", { id: titleId, tabindex: "-1" }, `Atur pengecualian: ${pegawai.namaLengkap}`),
        h("p", { class: "rinci" }, `NIP ${pegawai.nip}${pegawai.jabatan ? `, ${pegawai.jabatan.jabatan.nama}` : ""}`),
        h(
          "dl",
          { class: "profil" },
          h("dt", null, `Pejabat penilai${pada}`),
          h("dd", null, holder(pegawai.atasan?.pejabatPenilai)),
          h("dt", null, `Atasan pejabat penilai${pada}`),
          h("dd", null, holder(pegawai.atasan?.atasanPejabatPenilai)),
        ),
        steps("Mengapa pejabat penilai ini?", pegawai.atasan?.pejabatPenilai),
        steps("Mengapa atasan pejabat penilai ini?", pegawai.atasan?.atasanPejabatPenilai),
        form,
      ),
    );
    const title = /** @type {HTMLElement} */ (editor.querySelector("h2"));
    title.scrollIntoView({ block: "start" });
    title.focus();
  }

  // The overrides on record: in force today, or all of them (past and future too).
  let semua = false;
  const said = h("div");
  const recorded = pager(
    "Pengecualian tercatat",
    async (after) => {
      /** @type {import("../generated/types").DaftarPengecualianAtasanQuery} */
      const data = await query("DaftarPengecualianAtasanQuery", { filter: semua ? null : { berlakuPada: hariIni() }, first: 20, after });
      return { rows: data.pengecualianAtasan.nodes, pageInfo: data.pengecualianAtasan.pageInfo };
    },
    (rows) =>
      table({
        caption: semua ? "Semua pengecualian atasan tercatat" : "Pengecualian atasan yang berlaku hari ini",
        columns: [
          { label: "Pegawai", cell: (p) => [p.pegawai.namaLengkap, h("br"), h("span", { class: "rinci" }, p.pegawai.nip)] },
          { label: "Peran", cell: (p) => PERAN[/** @type {keyof typeof PERAN} */ (p.peran)] ?? p.peran },
          { label: "Ditetapkan", cell: ditunjuk },
          { label: "Masa berlaku", cell: (p) => [masa(p), h("br"), keadaan(p)] },
          { label: "Alasan", cell: (p) => p.alasan },
          { label: "Dicatat", cell: (p) => [p.pembuat?.namaLengkap ?? p.dibuatOleh, h("br"), h("span", { class: "rinci" }, waktu(p.dibuatPada))] },
          {
            label: "Aksi",
            cell: (p) => button("Akhiri", () => akhiri(p), { label: `Akhiri pengecualian ${p.pegawai.namaLengkap} mulai ${tanggal(p.berlakuMulai)}` }),
          },
        ],
        rows,
        empty: semua ? "Belum ada pengecualian atasan." : "Tidak ada pengecualian atasan yang berlaku hari ini.",
      }),
  );

  /** The "Akhiri" dialog: the override's last day and why. @param {Pengecualian} p */
  async function akhiri(p) {
    const dayBefore = geser(p.berlakuMulai, -1);
    // Suggested: today, or the day before its current last day, and never before the day before it starts.
    let usul = hariIni();
    if (p.tanggalAkhir && usul >= p.tanggalAkhir) usul = geser(p.tanggalAkhir, -1);
    if (usul < dayBefore) usul = dayBefore;
    const done = await dialog(`Akhiri pengecualian ${p.pegawai.namaLengkap}`, (close) => {
      const form = /** @type {HTMLFormElement} */ (
        h(
          "form",
          {
            onsubmit: async (/** @type {Event} */ event) => {
              event.preventDefault();
              const v = values(form);
              const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
              submit.disabled = true;
              const { ok, error } = await mutate("AkhiriPengecualianAtasanMutation", { pengecualianId: p.id, tanggalAkhir: v.tanggalAkhir, alasan: v.alasan });
              submit.disabled = false;
              if (error) showFormError(form, error);
              else close({ ...ok, tanggalAkhir: v.tanggalAkhir });
            },
          },
          h(
            "dl",
            { class: "profil" },
            h("dt", null, PERAN[/** @type {keyof typeof PERAN} */ (p.peran)] ?? p.peran),
            h("dd", null, ditunjuk(p)),
            h("dt", null, "Masa berlaku"),
            h("dd", null, masa(p)),
          ),
          field({
            label: "Tanggal akhir (hari terakhir berlaku)",
            name: "tanggalAkhir",
            type: "date",
            required: true,
            value: usul,
            hint: `Mulai hari berikutnya penilai kembali mengikuti susunan unit kerja. Isi ${tanggal(dayBefore)} (sehari sebelum mulai berlaku) untuk menghapus pengecualian ini.`,
          }),
          field({ label: "Alasan mengakhiri", name: "alasan", type: "textarea", required: true, maxlength: 2000, hint: "Dicatat di log audit." }),
          h("div", { class: "aksi" }, button("Akhiri pengecualian", undefined, { kind: "bahaya", type: "submit" }), button("Batal", () => close())),
        )
      );
      return form;
    });
    if (!done) return;
    const text = done.dihapus
      ? `Pengecualian untuk ${p.pegawai.namaLengkap} dihapus: tidak pernah berlaku.`
      : `Pengecualian untuk ${p.pegawai.namaLengkap} diakhiri; hari terakhirnya ${tanggal(done.tanggalAkhir)}.`;
    replace(said, notice(text));
    announce(text);
    recorded.reload();
    list.reload();
  }

  const tampil = /** @type {HTMLFormElement} */ (
    h(
      "form",
      {
        class: "cari",
        "aria-label": "Saring pengecualian tercatat",
        onsubmit: (/** @type {Event} */ event) => {
          event.preventDefault();
          semua = values(tampil).tampil === "semua";
          replace(said);
          recorded.reload();
        },
      },
      field({
        label: "Tampilkan",
        name: "tampil",
        type: "select",
        options: [
          ["berlaku", "Yang berlaku hari ini"],
          ["semua", "Semua yang tercatat"],
        ],
      }),
      button("Tampilkan", undefined, { type: "submit" }),
    )
  );

  list.reload();
  recorded.reload();
  return h(
    "div",
    null,
    h("h1", null, "Pengecualian Atasan"),
    h(
      "p",
      null,
      "Pengecualian menetapkan pejabat penilai atau atasan pejabat penilai seorang pegawai mulai tanggal tertentu, apa pun susunan unit kerjanya. Setiap pengecualian dicatat di log audit.",
    ),
    section(
      "Cari pegawai",
      searchForm(
        "Cari pegawai",
        (found) => {
          cari = found.cari;
          per = found.per ?? "";
          replace(editor);
          list.reload();
        },
        [field({ label: "Penilai per tanggal", name: "per", type: "date", hint: "Kosongkan untuk hari ini; isi untuk melihat pengecualian yang berlaku nanti." })],
      ),
      list.element,
    ),
    editor,
    section("Pengecualian tercatat", tampil, said, recorded.element),
  );
}
