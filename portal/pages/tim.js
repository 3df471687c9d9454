// The pejabat penilai's team page: the SKPs waiting for my approval (approve, with the optional
// ekspektasi per BerAKHLAK value, or return with a note; both with the version I read), the
// team's execution in a window (who logs, realisation per RHK, evidence) with feedback per
// subordinate, kept current by live updates (lingkup BAWAHAN): a submission reloads the
// approvals, a logged progres or saved realisasi the monitoring, and each is announced.
import { mutate, query } from "../lib/api.js";
import { announce, h, replace } from "../lib/dom.js";
import { label, tanggal, waktu } from "../lib/format.js";
import { subscribe } from "../lib/live.js";
import { badge, button, dialog, errorBox, field, loading, notice, section, showFormError, values } from "../lib/ui.js";
import { pantauan } from "./_penilai/pantau.js";
import { arti, indikatorLangsung, periodeAwal, setelahReda, tahunDari } from "./_penilai/umum.js";

/** @typedef {import("../generated/types").AntrianPersetujuanQuery["skpUntukDisetujui"]["nodes"][number]} SkpAntre */
/** @typedef {import("../generated/types").PilihanPenilaiQuery} Pilihan */

const PAGE = 20;

/** What an event says about a subordinate, as the rest of a sentence after their name. @param {string} jenis @param {any} data */
function kejadian(jenis, data) {
  const periode = data?.periode ? ` (${data.periode})` : "";
  const aksi = data?.aksi;
  const said = {
    "skp.dibuat": "membuat draf SKP",
    "skp.diajukan": "mengajukan SKP untuk Anda setujui",
    "skp.ditarik": "menarik kembali pengajuan SKP",
    "skp.dikembalikan": "menerima SKP yang dikembalikan",
    "skp.disetujui": "SKP-nya disetujui",
    "skp.diakhiri": "SKP-nya diakhiri",
    "pelaksanaan.progres": `${aksi === "DIHAPUS" ? "menghapus" : aksi === "DIUBAH" ? "mengubah" : "mencatat"} progres harian${periode}`,
    "pelaksanaan.realisasi": `${aksi === "BUKTI_DITAMBAHKAN" ? "menambahkan bukti dukung" : aksi === "BUKTI_DIHAPUS" ? "menghapus bukti dukung" : "menyimpan realisasi"}${periode}`,
    "evaluasi.diajukan": `mengajukan evaluasi${periode} untuk Anda nilai`,
    "evaluasi.ditetapkan": `hasil evaluasinya ditetapkan${periode}`,
    "evaluasi.diubah": `hasil evaluasinya diubah karena keberatan${periode}`,
    "evaluasi.final": `hasil evaluasinya final${periode}`,
    "keberatan.diajukan": `mengajukan keberatan${periode}`,
    "keberatan.diputus": `keberatannya diputus${periode}`,
  };
  return said[/** @type {keyof typeof said} */ (jenis)] ?? "ada perubahan pada SKP-nya";
}

/** @param {import("./index.js").Konteks} ctx */
export default async function tim(ctx) {
  const tahun = tahunDari(ctx.search);
  /** @type {Pilihan} */
  const pilihan = await query("PilihanPenilaiQuery", { tahun });
  /** @type {Map<string, string>} names by NIP, from what the page has read */
  const names = new Map();
  const status = h("div");
  const approvals = h("div", null, loading());
  const updates = h("ul", { class: "pembaruan", "aria-label": "Pembaruan terbaru" }, h("li", { class: "kosong" }, "Belum ada pembaruan sejak halaman ini dibuka."));
  const live = indikatorLangsung();
  const monitoring = pantauan({
    tahun,
    periode: ctx.search.get("periode") || periodeAwal(pilihan.periodeEvaluasi),
    pilihan,
    names,
  });

  async function loadApprovals() {
    /** @type {import("../generated/types").AntrianPersetujuanQuery} */
    let data;
    try {
      data = await query("AntrianPersetujuanQuery", { first: PAGE });
    } catch (error) {
      replace(approvals, errorBox(/** @type {Error} */ (error)), button("Coba lagi", loadApprovals));
      return;
    }
    const { nodes, totalCount } = data.skpUntukDisetujui;
    for (const skp of nodes) if (skp.snapshotPegawai?.nip) names.set(skp.snapshotPegawai.nip, skp.snapshotPegawai.nama ?? "");
    replace(
      approvals,
      h("p", { role: "status" }, totalCount ? `${totalCount} SKP menunggu persetujuan Anda.` : "Tidak ada SKP yang menunggu persetujuan Anda."),
      nodes.map(kartu),
      totalCount > nodes.length ? h("p", { class: "rinci" }, `Ditampilkan ${nodes.length} yang terlama; setujui atau kembalikan untuk melihat berikutnya.`) : null,
    );
  }

  /** @param {SkpAntre} skp */
  function kartu(skp) {
    const who = skp.snapshotPegawai;
    const nama = who?.nama ?? "Pegawai";
    return h(
      "article",
      { class: "kartu-skp" },
      h("h3", null, nama),
      h("p", { class: "rinci" }, `NIP ${who?.nip ?? "–"} · ${who?.jabatan ?? ""}`),
      h("p", null, `SKP ${skp.tahun} versi ${skp.versi} · ${tanggal(skp.periodeAwal)} – ${tanggal(skp.periodeAkhir)} · diajukan ${waktu(skp.diajukanPada)} · `, badge(skp.status)),
      h(
        "ol",
        { class: "rhk-antre" },
        skp.rhk.map((r) =>
          h(
            "li",
            null,
            h("strong", null, `${label(r.jenis)}: `),
            r.teks,
            r.intervensi ? h("p", { class: "rinci" }, `Mengintervensi: ${r.intervensi.teks}`) : null,
            r.intervensiEksternal ? h("p", { class: "rinci" }, `Intervensi eksternal: ${r.intervensiEksternal}`) : null,
            r.petunjukIntervensi ? h("p", { class: "galat-isian" }, r.petunjukIntervensi) : null,
            h(
              "ul",
              null,
              r.indikator.map((i) => h("li", null, `${i.teks}: ${i.target}`)),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "aksi" },
        button("Setujui", () => setujui(skp), { kind: "utama", label: `Setujui SKP ${nama}` }),
        button("Kembalikan", () => kembalikan(skp), { label: `Kembalikan SKP ${nama}` }),
      ),
    );
  }

  /** Send a decision from a dialog's form; a stale version reloads the list. @param {HTMLFormElement} form @param {"SetujuiSkpMutation" | "KembalikanSkpMutation"} name @param {Record<string, unknown>} variables @param {(v?: any) => void} close */
  async function decide(form, name, variables, close) {
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    submit.disabled = true;
    const { ok, error } = await mutate(name, variables);
    submit.disabled = false;
    if (error) {
      showFormError(form, arti(error));
      if (error.code === "STALE_VERSION" || error.code === "INVALID_TRANSITION") loadApprovals();
      return;
    }
    close(ok);
  }

  /** @param {SkpAntre} skp */
  async function setujui(skp) {
    const nama = skp.snapshotPegawai?.nama ?? "pegawai";
    const done = await dialog(`Setujui SKP ${nama}`, (close) => {
      const form = h(
        "form",
        {
          onsubmit: (/** @type {Event} */ event) => {
            event.preventDefault();
            const given = values(form);
            const ekspektasi = pilihan.berakhlak
              .map((b) => ({ nilai: b.kode, ekspektasi: (given[`ekspektasi-${b.kode}`] ?? "").trim() }))
              .filter((e) => e.ekspektasi);
            decide(form, "SetujuiSkpMutation", { skp: skp.id, versi: skp.versiKunci, ekspektasi: ekspektasi.length ? ekspektasi : null }, close);
          },
        },
        h("p", null, `SKP ${skp.tahun} versi ${skp.versi} akan disetujui dan berlaku untuk pelaksanaan.`),
        h(
          "details",
          null,
          h("summary", null, "Ekspektasi khusus pimpinan per nilai BerAKHLAK (opsional)"),
          pilihan.berakhlak.map((b) => field({ label: b.nama, name: `ekspektasi-${b.kode}`, type: "textarea", rows: 2, maxlength: 1000 })),
        ),
        h("div", { class: "aksi" }, button("Setujui SKP", undefined, { kind: "utama", type: "submit" })),
      );
      return form;
    });
    if (done) said(`SKP ${nama} disetujui.`);
  }

  /** @param {SkpAntre} skp */
  async function kembalikan(skp) {
    const nama = skp.snapshotPegawai?.nama ?? "pegawai";
    const done = await dialog(`Kembalikan SKP ${nama}`, (close) => {
      const form = h(
        "form",
        {
          onsubmit: (/** @type {Event} */ event) => {
            event.preventDefault();
            decide(form, "KembalikanSkpMutation", { skp: skp.id, versi: skp.versiKunci, catatan: values(form).catatan.trim() }, close);
          },
        },
        field({ label: "Catatan untuk pegawai", name: "catatan", type: "textarea", required: true, rows: 4, maxlength: 2000, hint: "Apa yang perlu diperbaiki sebelum diajukan lagi." }),
        h("div", { class: "aksi" }, button("Kembalikan SKP", undefined, { kind: "bahaya", type: "submit" })),
      );
      return form;
    });
    if (done) said(`SKP ${nama} dikembalikan.`);
  }

  /** @param {string} text */
  function said(text) {
    replace(status, notice(text));
    loadApprovals();
  }

  const reloadApprovals = setelahReda(loadApprovals);
  const reloadMonitoring = setelahReda(() => monitoring.reload());
  const stop = subscribe(
    "PeristiwaSkpSubscription",
    { lingkup: "BAWAHAN" },
    {
      cursorOf: (data) => data?.peristiwaSkp?.cursor ?? null,
      onState: live.set,
      onEvent: (data) => {
        const event = data.peristiwaSkp;
        const nip = event.data?.nip ?? "";
        const text = `${names.get(nip) || `NIP ${nip}`} ${kejadian(event.jenis, event.data)}.`;
        updates.querySelector(".kosong")?.remove();
        updates.prepend(h("li", null, h("time", { datetime: event.terjadiPada }, waktu(event.terjadiPada)), ` ${text}`));
        while (updates.children.length > 5) updates.lastElementChild?.remove();
        announce(text);
        if (event.jenis.startsWith("skp.")) reloadApprovals();
        if (event.jenis.startsWith("pelaksanaan.") || event.jenis === "skp.disetujui") {
          if (!event.data?.periode || event.data.periode === monitoring.periode()) {
            monitoring.sorot(nip);
            reloadMonitoring();
          }
        }
      },
    },
  );
  ctx.onLeave(stop);

  await Promise.all([loadApprovals(), monitoring.reload()]);
  return h(
    "div",
    null,
    h("h1", null, "Tim Saya"),
    live.el,
    updates,
    status,
    section("SKP menunggu persetujuan", approvals),
    section(`Pelaksanaan tim ${tahun}`, monitoring.el),
    h("p", null, h("a", { href: "#/tim/evaluasi" }, "Evaluasi yang menunggu penilaian Anda")),
  );
}
