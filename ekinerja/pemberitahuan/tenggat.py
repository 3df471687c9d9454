"""Deadlines approaching (decision 0041), checked by the worker once a day per instansi, on
the instansi's own date: a reminder goes `pemberitahuan.hari_pengingat` days before each
deadline, and until it (the worker may first look on a later day), at most once per person per
deadline (its `kunci`):

- plan submission (`pemberitahuan.batas_rencana`, default 31 January): the owner of an SKP of
  the year that is still a draft (new or returned);
- a window's evaluation: the owner of an approved SKP reaching into a window that ends soon,
  while its evaluation is not submitted;
- keberatan day 14 (`keberatan.batas_hari`): the pegawai whose fixed result can still be
  objected to (an atasan exists, no keberatan filed, not final) until the last day.
"""

from __future__ import annotations

from datetime import date, timedelta

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, PemberitahuanPosisi, Skp
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.pemberitahuan.produksi import Calon, buat
from ekinerja.pemberitahuan.templat import JenisPemberitahuan, tanggal_indonesia
from ekinerja.penilaian.batas_keberatan import batas_dari
from ekinerja.penilaian.finalitas import ada_atasan
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.periode import kadensi_of, windows


def _near(deadline: date, today: date, days: int) -> bool:
    return deadline - timedelta(days=days) <= today <= deadline


async def calon(today: date, settings: pengaturan.PengaturanInstansi) -> list[Calon]:
    days = settings.pemberitahuan_hari_pengingat
    found: list[Calon] = []
    tahun = today.year
    month, day = settings.pemberitahuan_batas_rencana
    deadline = date(tahun, month, day)
    if _near(deadline, today, days):
        tanggal = tanggal_indonesia(deadline)
        for skp in await Skp.filter(tahun=tahun, status=StatusSkp.DRAFT):
            found.append(Calon(skp.pegawai_id, JenisPemberitahuan.TENGGAT_RENCANA,
                               f"tenggat:rencana:{tahun}", "skp", str(skp.id),
                               {"tahun": tahun, "tanggal": tanggal}))  # fmt: skip
    for window in windows(tahun, await kadensi_of(tahun)):
        if not _near(window.akhir, today, days):
            continue
        submitted = set(
            await EvaluasiPeriodik.filter(periode=window.kode)
            .exclude(status=StatusEvaluasi.BELUM_DIAJUKAN)
            .values_list("skp_id", flat=True)
        )
        skps = await Skp.filter(
            tahun=tahun,
            status=StatusSkp.DISETUJUI,
            digantikan_pada=None,
            periode_awal__lte=window.akhir,
            periode_akhir__gte=window.awal,
        )
        tanggal = tanggal_indonesia(window.akhir)
        for skp in skps:
            if skp.id not in submitted:
                found.append(Calon(skp.pegawai_id, JenisPemberitahuan.TENGGAT_EVALUASI,
                                   f"tenggat:evaluasi:{window.kode}", "skp", str(skp.id),
                                   {"tahun": tahun, "periode": window.kode,
                                    "tanggal": tanggal}))  # fmt: skip
    # Fixed, not announced final, no keberatan: the period may still be open.
    objected = Keberatan.all().values_list("evaluasi_id", flat=True)
    open_results = (
        await EvaluasiPeriodik.filter(
            status=StatusEvaluasi.DITETAPKAN,
            final_diumumkan_pada=None,
            ditetapkan_pada__gte=today - timedelta(days=settings.batas_hari_keberatan + 2),
        )
        .exclude(id__in=await objected)
        .prefetch_related("skp")
    )
    for evaluasi in open_results:
        if evaluasi.ditetapkan_pada is None or not ada_atasan(evaluasi.skp):
            continue
        last = batas_dari(evaluasi.ditetapkan_pada, settings.batas_hari_keberatan,
                          settings.zona_waktu)  # fmt: skip
        if _near(last, today, days):
            found.append(Calon(evaluasi.skp.pegawai_id, JenisPemberitahuan.TENGGAT_KEBERATAN,
                               f"tenggat:keberatan:{evaluasi.id}", "evaluasi", str(evaluasi.id),
                               {"tahun": evaluasi.skp.tahun, "periode": evaluasi.periode,
                                "tanggal": tanggal_indonesia(last)}))  # fmt: skip
    return found


async def periksa(email_aktif: bool, force: bool = False) -> int | None:
    """Once a day (the instansi's day): the reminders due, made. None when already checked
    today (or another worker holds the producer's row); else how many were made."""
    row = await PemberitahuanPosisi.select_for_update(skip_locked=True).first()
    if row is None:
        return None
    settings = await pengaturan.baca()
    today = tanggal_di(settings.zona_waktu)
    if not force and row.tenggat_diperiksa is not None and row.tenggat_diperiksa >= today:
        return None
    made = await buat(await calon(today, settings), email_aktif)
    row.tenggat_diperiksa = today
    await row.save(update_fields=["tenggat_diperiksa"])
    return made
