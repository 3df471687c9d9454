"""The event types integrators can read and subscribe to, with what each means. An event's
`data` always names the pegawai by NIP, because integrators key people by NIP, not our ids."""

from __future__ import annotations

from enum import StrEnum

from ekinerja.refusals import invalid


class JenisPeristiwa(StrEnum):
    SKP_DIBUAT = "skp.dibuat"
    SKP_DIAJUKAN = "skp.diajukan"
    SKP_DITARIK = "skp.ditarik"
    SKP_DIKEMBALIKAN = "skp.dikembalikan"
    SKP_DISETUJUI = "skp.disetujui"
    SKP_DIAKHIRI = "skp.diakhiri"
    EVALUASI_DIAJUKAN = "evaluasi.diajukan"
    EVALUASI_DITETAPKAN = "evaluasi.ditetapkan"
    EVALUASI_DIUBAH = "evaluasi.diubah"
    EVALUASI_FINAL = "evaluasi.final"
    KEBERATAN_DIAJUKAN = "keberatan.diajukan"
    KEBERATAN_DIPUTUS = "keberatan.diputus"
    PELAKSANAAN_PROGRES = "pelaksanaan.progres"
    PELAKSANAAN_REALISASI = "pelaksanaan.realisasi"
    PEGAWAI_DIBUAT = "pegawai.dibuat"
    PEGAWAI_DIUBAH = "pegawai.diubah"
    PEGAWAI_MUTASI = "pegawai.mutasi"


MEANING: dict[JenisPeristiwa, str] = {
    JenisPeristiwa.SKP_DIBUAT: "a pegawai started an SKP (a draft)",
    JenisPeristiwa.SKP_DIAJUKAN: "an SKP was submitted to its pejabat penilai",
    JenisPeristiwa.SKP_DITARIK: "a submitted SKP was withdrawn by its pegawai",
    JenisPeristiwa.SKP_DIKEMBALIKAN: "the pejabat penilai returned an SKP with notes",
    JenisPeristiwa.SKP_DISETUJUI: "an SKP version was approved by its pejabat penilai",
    JenisPeristiwa.SKP_DIAKHIRI: "an SKP was ended before its planned date (a transfer, a "
    "retirement): `periodeAkhir` is its new last day; its windows after it no longer exist",
    JenisPeristiwa.EVALUASI_DIAJUKAN: "a pegawai submitted a window's (or the year's) "
    "realisasi for evaluation (the window closed): the pejabat penilai may now rate it",
    JenisPeristiwa.EVALUASI_DITETAPKAN: "a periodic or annual result was fixed (penetapan); "
    "`final` says whether it can still change by keberatan, `batasKeberatan` until when",
    JenisPeristiwa.EVALUASI_DIUBAH: "a fixed result changed because a keberatan was decided "
    "DIUBAH (also the annual result that follows the year's last window); it is final",
    JenisPeristiwa.EVALUASI_FINAL: "a result can no longer change (no keberatan possible, its "
    "period passed, or it was decided): exactly one per result, with the final predikat — "
    "what payroll (TPP) and angka kredit act on",
    JenisPeristiwa.KEBERATAN_DIAJUKAN: "a pegawai objected to a fixed result",
    JenisPeristiwa.KEBERATAN_DIPUTUS: "a keberatan was decided: the result is final, with the "
    "predikat it ends with",
    JenisPeristiwa.PELAKSANAAN_PROGRES: "a pegawai's daily log (progres harian) changed: one "
    "event per SKP and window a call touched, never one per entry (a bulk write or an import of "
    "many entries is one event); `aksi` DIBUAT, DIUBAH or DIHAPUS, `jumlah` the entries",
    JenisPeristiwa.PELAKSANAAN_REALISASI: "a pegawai's realisasi of a window was saved, or "
    "evidence (bukti dukung) of it or of a progres entry was confirmed, linked or removed: one "
    "event per SKP and window a call touched; `aksi` REALISASI, BUKTI_DITAMBAHKAN or "
    "BUKTI_DIHAPUS, `jumlah` the indikator saved (1 for evidence)",
    JenisPeristiwa.PEGAWAI_DIBUAT: "a pegawai was added (import)",
    JenisPeristiwa.PEGAWAI_DIUBAH: "a pegawai's personal or rank data changed (import)",
    JenisPeristiwa.PEGAWAI_MUTASI: "a pegawai took up a new definitive position (import)",
}


def check_jenis(values: list[str]) -> list[str]:
    """The event types named, each known (else a refusal naming the first unknown one), sorted
    and without repeats: the change-feed filter and webhook subscriptions take the same."""
    known = {j.value for j in JenisPeristiwa}
    for index, value in enumerate(values):
        if value not in known:
            raise invalid(
                f"jenis[{index}]",
                f"{value!r} is not an event type (known: {', '.join(sorted(known))})",
            )
    return sorted(set(values))
