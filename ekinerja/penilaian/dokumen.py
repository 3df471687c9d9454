"""Building the evaluation document (dokumen_model) from the database.

The plan part is the SKP document's, built by ``ekinerja.skp.dokumen.build_document``, so the
evaluation prints the RHK, indikator, targets and ekspektasi exactly as the SKP did. Beside it
come the window's realisation (``realisasi_periode``), the penilai's feedback, the ratings and
the unit's predikat organisasi: a fixed number of queries whatever the number of RHK.

The annual document (periode ``YYYY-THN``) shows the realisation and feedback of the year's
last window, not an empty column: execution is recorded per window only, and under the default
annual policy the annual predikat is that window's. Its quantities are those up to the end of
the year (additive aspects summed over the windows), and its predikat organisasi is the unit's
annual one, else the last window's.
"""

from __future__ import annotations

from collections import defaultdict

from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.models.tenant import EvaluasiPeriodik, KinerjaOrganisasi, Rhk, Skp, UmpanBalik
from ekinerja.pelaksanaan.realisasi import RealisasiIndikator, realisasi_periode
from ekinerja.penilaian.dokumen_model import (
    EvaluationDocument,
    HasilKerjaRow,
    PerilakuKerjaRow,
    RealisasiRow,
    UmpanBalikRow,
)
from ekinerja.penilaian.enums import PredikatPegawai
from ekinerja.penilaian.periode import is_annual, skp_last_window, window_of
from ekinerja.skp.berakhlak import NILAI
from ekinerja.skp.dokumen import build_document
from ekinerja.skp.dokumen_model import RhkRow
from ekinerja.skp.enums import JenisRhk
from ekinerja.skp.formatting import plain
from ekinerja.skp.pdf_page import format_tanggal, humanize_code, month_name
from ekinerja.skp.periode import Window

_ROMAN = ("I", "II", "III", "IV")
_WINDOW_KIND = {"T": "TRIWULAN", "S": "SEMESTER"}  # by the letter in the window's kode


def periode_nama(window: Window) -> str:
    """``TRIWULAN I``, ``SEMESTER II``, ``BULAN MARET`` or ``TAHUNAN``, as the form names it."""
    if is_annual(window.kode):
        return "TAHUNAN"
    part = window.kode.split("-", 1)[1]  # "T1", "S2", "B3"
    kind, number = part[0], int(part[1:])
    if kind in _WINDOW_KIND:
        return f"{_WINDOW_KIND[kind]} {_ROMAN[number - 1]}"
    return f"BULAN {month_name(window.awal.month).upper()}"


async def build_evaluation_document(
    evaluasi: EvaluasiPeriodik, instansi_nama: str
) -> EvaluationDocument:
    """The document of ``evaluasi``: people from the SKP's snapshots (as they were when it was
    approved), results of the window or, for the year, of its last window (module docstring)."""
    skp = await _skp_of(evaluasi)
    plan = await build_document(skp, instansi_nama)
    window = await window_of(evaluasi.periode)
    annual = is_annual(evaluasi.periode)
    source = await skp_last_window(skp.tahun, skp.periode_akhir) if annual else window
    realisasi: dict[int, list[RealisasiIndikator]] = defaultdict(list)
    for item in await realisasi_periode(skp, source.kode):
        realisasi[item.rhk_id].append(item)
    feedback = {
        row.kunci_sasaran: _umpan_balik(row)
        for row in await UmpanBalik.filter(skp_id=skp.id, periode=source.kode)
    }
    ids: dict[JenisRhk, list[int]] = {JenisRhk.UTAMA: [], JenisRhk.TAMBAHAN: []}
    # The same order as build_document's rows, so the two line up one to one.
    for rhk_id, jenis in (
        await Rhk.filter(skp_id=skp.id).order_by("urutan", "id").values_list("id", "jenis")
    ):
        ids[JenisRhk(jenis)].append(rhk_id)

    def hasil_kerja(rows: tuple[RhkRow, ...], rhk_ids: list[int]) -> tuple[HasilKerjaRow, ...]:
        return tuple(
            HasilKerjaRow(
                rhk=row,
                realisasi=tuple(
                    _realisasi(item, annual)
                    for _, item in zip(row.indikator, realisasi[rhk_id], strict=True)
                ),
                umpan_balik=feedback.get(f"RHK:{rhk_id}"),
            )
            for row, rhk_id in zip(rows, rhk_ids, strict=True)
        )

    ditetapkan = evaluasi.ditetapkan_pada
    return EvaluationDocument(
        instansi=instansi_nama,
        periode=evaluasi.periode,
        periode_nama=periode_nama(window),
        periode_awal=window.awal,
        periode_akhir=window.akhir,
        status=evaluasi.status.value,
        jenis_form=plan.jenis_form,
        pegawai=plan.pegawai,
        pejabat_penilai=plan.pejabat_penilai,
        atasan_pejabat_penilai=plan.atasan_pejabat_penilai,
        predikat_organisasi=await _predikat_organisasi(evaluasi, source.kode),
        hasil_kerja_utama=hasil_kerja(plan.rhk_utama, ids[JenisRhk.UTAMA]),
        hasil_kerja_tambahan=hasil_kerja(plan.rhk_tambahan, ids[JenisRhk.TAMBAHAN]),
        rating_hasil_kerja=humanize_code(evaluasi.rating_hasil_kerja),
        perilaku=tuple(
            PerilakuKerjaRow(perilaku=row, umpan_balik=feedback.get(f"PERILAKU:{nilai.kode}"))
            for nilai, row in zip(NILAI, plan.perilaku, strict=True)
        ),
        rating_perilaku=humanize_code(evaluasi.rating_perilaku),
        predikat=PredikatPegawai(evaluasi.predikat).label if evaluasi.predikat else None,
        # The form has a place before the date; the instansi's seat is not recorded yet.
        # The date where the instansi is (its zone); a result not fixed yet: the day printed.
        tempat_tanggal=format_tanggal(await hari_ini(ditetapkan)),
        sumber_realisasi=periode_nama(source) if annual else None,
        catatan_pegawai=evaluasi.catatan_pegawai,
        catatan_penilai=evaluasi.catatan_penilai,
    )


async def _skp_of(evaluasi: EvaluasiPeriodik) -> Skp:
    """The evaluation's SKP, without a query when the caller fetched it (select_related)."""
    skp = evaluasi.skp
    return skp if isinstance(skp, Skp) else await skp


def _realisasi(item: RealisasiIndikator, annual: bool) -> RealisasiRow | None:
    amount = item.kuantitas_sampai_periode if annual else item.kuantitas
    if amount is None and not item.narasi:
        return None
    return RealisasiRow(
        kuantitas=None if amount is None else f"{plain(amount):f} {item.satuan or ''}".strip(),
        narasi=item.narasi,
        capaian=None if item.capaian_persen is None else f"{plain(item.capaian_persen):f} %",
    )


def _umpan_balik(row: UmpanBalik) -> UmpanBalikRow:
    return UmpanBalikRow(kalimat=tuple(row.kalimat or ()), teks=row.teks)


async def _predikat_organisasi(evaluasi: EvaluasiPeriodik, source: str) -> str | None:
    """The unit's predikat for the period, else (annual) for the window the results come from."""
    if evaluasi.unit_id is None:
        return None
    found = {
        row.periode: row.predikat
        for row in await KinerjaOrganisasi.filter(
            unit_id=evaluasi.unit_id, periode__in=[evaluasi.periode, source]
        )
    }
    return humanize_code(found.get(evaluasi.periode) or found.get(source))
