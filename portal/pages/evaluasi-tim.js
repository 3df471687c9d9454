// The pejabat penilai's evaluations: the windows submitted by those I appraise (oldest first,
// a window at a time or all), each with its evaluation document (PDF), and the rating form:
// what the rating rests on (the window's realisasi with the capaian the service computes and
// the quantity the daily log suggests, the evidence, the feedback given, the pegawai's note),
// then rating hasil kerja and perilaku; the predikat comes back from the service (its matrix).
// A window a subordinate submits arrives live (evaluasi.diajukan, lingkup BAWAHAN): the queue
// reloads and says who submitted.
import { mutate, query, url } from "../lib/api.js";
import { announce, h, replace, uid } from "../lib/dom.js";
import { angka, waktu } from "../lib/format.js";
import { subscribe } from "../lib/live.js";
import { badge, button, dialog, errorBox, field, loading, notice, showFormError, table, values } from "../lib/ui.js";
import { RATING, arti, indikatorLangsung, ratingLabel, setelahReda, tahunDari } from "./_penilai/umum.js";

/** @typedef {import("../generated/types").AntrianEvaluasiQuery["evaluasiUntukDinilai"]["nodes"][number]} Evaluasi */
/** @typedef {{ nama: string, nip: string, jabatan: string }} Orang */

const PAGE = 20;

/** A group of radio buttons with a legend. @param {string} legend @param {string} name @param {[string, string][]} options @param {string | null | undefined} value */
function radios(legend, name, options, value) {
  return h(
    "fieldset",
    { class: "kalimat-pilihan", "data-isian": name },
    h("legend", null, legend, h("span", { class: "wajib", "aria-hidden": "true" }, " *")),
    options.map(([v, text]) => {
      const id = uid(name);
      return h("div", { class: "centang" }, h("input", { type: "radio", id, name, value: v, required: true, checked: v === value }), h("label", { for: id }, text));
    }),
    h("p", { class: "galat-isian", hidden: true }),
  );
}

/** @param {import("./index.js").Konteks} ctx */
export default async function evaluasiTim(ctx) {
  const tahun = tahunDari(ctx.search);
  /** @type {import("../generated/types").PilihanPenilaiQuery} */
  const pilihan = await query("PilihanPenilaiQuery", { tahun });
  let periode = ctx.search.get("periode") ?? "";
  /** @type {Evaluasi[]} */
  let rows = [];
  /** @type {string | null} */
  let after = null;
  const status = h("div");
  const list = h("div", null, loading());

  /** @param {boolean} fresh */
  async function load(fresh) {
    try {
      /** @type {import("../generated/types").AntrianEvaluasiQuery} */
      const data = await query("AntrianEvaluasiQuery", { periode: periode || null, first: PAGE, after: fresh ? null : after });
      const page = data.evaluasiUntukDinilai;
      rows = fresh ? page.nodes : [...rows, ...page.nodes];
      after = page.pageInfo.endCursor ?? null;
      replace(
        list,
        h("p", { role: "status" }, page.totalCount ? `${page.totalCount} evaluasi menunggu penilaian Anda.` : "Tidak ada evaluasi yang menunggu penilaian Anda."),
        rows.map(kartu),
        page.pageInfo.hasNextPage ? h("div", { class: "aksi" }, button("Muat lebih banyak", () => load(false))) : null,
      );
    } catch (error) {
      replace(list, errorBox(/** @type {Error} */ (error)), button("Coba lagi", () => load(true)));
    }
  }

  /** Whose evaluation it is: the pegawai as they are now, the jabatan the SKP was planned in. @param {Evaluasi} e @returns {Orang} */
  function orang(e) {
    return { nama: e.pegawai.nama, nip: e.pegawai.nip, jabatan: e.skp.snapshotPegawai?.jabatan ?? "" };
  }

  /** @param {Evaluasi} e */
  function kartu(e) {
    const who = orang(e);
    return h(
      "article",
      { class: "kartu-skp" },
      h("h3", null, `${who.nama} · ${e.periode}`),
      h("p", { class: "rinci" }, `NIP ${who.nip} · ${who.jabatan}`),
      h("p", null, `Diajukan ${waktu(e.diajukanPada)} · `, badge(e.status)),
      e.catatanPegawai ? h("p", null, h("strong", null, "Catatan pegawai: "), e.catatanPegawai) : null,
      e.predikat
        ? h("p", null, `Penilaian saat ini: hasil kerja ${ratingLabel(e.ratingHasilKerja)}, perilaku ${ratingLabel(e.ratingPerilaku)}, predikat `, badge(e.predikat))
        : null,
      h(
        "div",
        { class: "aksi" },
        button(e.status === "DINILAI" ? "Ubah penilaian" : "Nilai", () => nilai(e), { kind: "utama", label: `Nilai evaluasi ${who.nama} ${e.periode}` }),
        h("a", { class: "tombol", href: url(`/evaluasi/${e.id}/dokumen.pdf`), target: "_blank", rel: "noopener" }, `Dokumen evaluasi ${e.periode} (PDF)`),
      ),
    );
  }

  /** @param {Evaluasi} e */
  async function nilai(e) {
    const who = orang(e);
    const result = await dialog(`Penilaian ${who.nama} · ${e.periode}`, (close) => {
      const basis = h("div", null, loading());
      const form = h(
        "form",
        {
          onsubmit: async (/** @type {Event} */ event) => {
            event.preventDefault();
            const given = values(form);
            const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
            submit.disabled = true;
            const { ok, error } = await mutate("NilaiEvaluasiMutation", {
              evaluasi: e.id,
              versi: e.versiKunci,
              hasilKerja: given.ratingHasilKerja,
              perilaku: given.ratingPerilaku,
              catatan: given.catatan.trim() || null,
            });
            submit.disabled = false;
            if (error) {
              showFormError(form, arti(error));
              if (error.code === "STALE_VERSION") load(true);
            } else close(ok);
          },
        },
        radios("Rating hasil kerja", "ratingHasilKerja", RATING, e.ratingHasilKerja),
        radios("Rating perilaku kerja (BerAKHLAK)", "ratingPerilaku", RATING, e.ratingPerilaku),
        field({ label: "Catatan penilai", name: "catatan", type: "textarea", rows: 3, maxlength: 2000, value: e.catatanPenilai ?? "" }),
        h("p", { class: "petunjuk" }, "Predikat ditentukan layanan dari kedua rating (matriks predikat kinerja pegawai)."),
        h("div", { class: "aksi" }, button("Simpan penilaian", undefined, { kind: "utama", type: "submit" })),
      );
      dasar(e, basis);
      return h("div", null, basis, form);
    });
    if (result) {
      const text = `Penilaian ${who.nama} periode ${e.periode} tersimpan: predikat ${result.predikatLabel ?? result.predikat}.`;
      replace(status, notice(text));
      load(true);
    }
  }

  /** What the rating rests on, into `box`. @param {Evaluasi} e @param {HTMLElement} box */
  async function dasar(e, box) {
    /** @type {import("../generated/types").RincianEvaluasiQuery} */
    let data;
    try {
      data = await query("RincianEvaluasiQuery", { skp: e.skpId, periode: e.periode });
    } catch (error) {
      replace(box, errorBox(/** @type {Error} */ (error)));
      return;
    }
    const names = new Map((data.skp?.rhk ?? []).flatMap((r) => r.indikator.map((i) => [i.id, `${r.teks} — ${i.teks}`])));
    const window = data.pelaksanaan;
    const realisasi = window?.realisasi ?? [];
    const capaian = realisasi.map((r) => Number(r.capaianPersen)).filter((n) => Number.isFinite(n));
    replace(
      box,
      h("h3", null, "Dasar penilaian"),
      capaian.length
        ? h("p", null, `Rata-rata capaian indikator (dihitung layanan): ${angka(capaian.reduce((a, b) => a + b, 0) / capaian.length)}% dari ${capaian.length} indikator.`)
        : h("p", { class: "kosong" }, "Belum ada capaian yang dapat dihitung untuk periode ini."),
      table({
        caption: `Realisasi ${e.periode}`,
        empty: "Belum ada indikator.",
        rows: realisasi,
        columns: [
          { label: "RHK — indikator", cell: (r) => names.get(r.indikatorId) ?? "–" },
          { label: "Target", cell: (r) => `${angka(r.target)}${r.satuan ? ` ${r.satuan}` : ""}`, numeric: true },
          { label: "Realisasi", cell: (r) => angka(r.kuantitas), numeric: true },
          { label: "Saran dari progres", cell: (r) => angka(r.saranKuantitas), numeric: true },
          { label: "Capaian s.d. periode", cell: (r) => (r.capaianPersen === null || r.capaianPersen === undefined ? "–" : `${angka(r.capaianPersen)}%`), numeric: true },
          { label: "Bukti", cell: (r) => String(r.bukti.filter((b) => b.status === "TERSEDIA").length), numeric: true },
        ],
      }),
      window?.umpanBalik.length
        ? [h("h3", null, "Umpan balik yang sudah diberikan"), h("ul", null, window.umpanBalik.map((u) => h("li", null, [...u.kalimat, u.teks].filter(Boolean).join(" "))))]
        : null,
    );
  }

  const chooser = field({
    label: "Periode",
    name: "periode",
    type: "select",
    value: periode,
    options: [["", "Semua periode"], ...pilihan.periodeEvaluasi.map((p) => /** @type {[string, string]} */ ([p.kode, p.nama]))],
  });
  chooser.querySelector("select")?.addEventListener("change", (event) => {
    periode = /** @type {HTMLSelectElement} */ (event.target).value;
    replace(status);
    load(true);
  });

  const live = indikatorLangsung();
  const updates = h("p", { class: "rinci", "aria-live": "off" });
  /** @type {(() => void)[]} what to say once the queue has reloaded (it then knows the names) */
  const pending = [];
  const reload = setelahReda(async () => {
    await load(true);
    for (const say of pending.splice(0)) say();
  });
  const stop = subscribe(
    "PeristiwaSkpSubscription",
    { lingkup: "BAWAHAN", jenis: ["evaluasi.diajukan"] },
    {
      cursorOf: (data) => data?.peristiwaSkp?.cursor ?? null,
      onState: live.set,
      onEvent: (data) => {
        const event = data.peristiwaSkp;
        const nip = event.data?.nip ?? "";
        const window = event.data?.periode ?? "";
        const say = () => {
          const nama = rows.find((r) => r.pegawai.nip === nip)?.pegawai.nama ?? `NIP ${nip}`;
          const text = `${nama} mengajukan evaluasi ${window}.`;
          replace(updates, h("time", { datetime: event.terjadiPada }, waktu(event.terjadiPada)), ` ${text}`);
          announce(text);
        };
        if (periode && periode !== window) say();
        else {
          pending.push(say);
          reload();
        }
      },
    },
  );
  ctx.onLeave(stop);

  await load(true);
  return h(
    "div",
    null,
    h("h1", null, "Evaluasi Tim"),
    live.el,
    h("form", { class: "pilih-tahun", onsubmit: (/** @type {Event} */ e) => e.preventDefault() }, chooser),
    updates,
    status,
    list,
  );
}
