"""`ekinerja angka-kredit hitung` as a subprocess: the ledger job a scheduler runs."""

from __future__ import annotations

from datetime import timedelta

from tortoise.timezone import now

from ekinerja.models.tenant import AngkaKredit, EvaluasiPeriodik
from ekinerja.penilaian.enums import PredikatPegawai, Rating
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.penilaian import build_bidang
from tests.test_migrations import run_cli


async def test_the_job_counts_final_results_once(database, tenant):
    bidang = await build_bidang(tenant, analis=2)
    async with tenant_transaction(as_bound(tenant)):
        for person, days_ago in zip(bidang.analis, (30, 1), strict=True):
            await EvaluasiPeriodik.create(
                skp=bidang.skp_of(person),
                periode="2026-T1",
                status="DITETAPKAN",
                jenjang="AHLI_PERTAMA",
                unit_id=bidang.seksi.id,
                rating_hasil_kerja=Rating.SESUAI_EKSPEKTASI,
                rating_perilaku=Rating.SESUAI_EKSPEKTASI,
                predikat=PredikatPegawai.BAIK,
                ditetapkan_pada=now() - timedelta(days=days_ago),
            )

    first = run_cli(database, "angka-kredit", "hitung", "--tahun", "2026", "--tenant", tenant.kode)
    again = run_cli(database, "angka-kredit", "hitung", "--tahun", "2026", "--tenant", tenant.kode)

    assert first.returncode == 0, first.stderr
    # One result is past its keberatan period; the other (fixed yesterday) is not final yet.
    assert f"{tenant.kode}: 1 new, 0 changed, 0 unchanged, 1 not final yet" in first.stderr
    assert f"{tenant.kode}: 0 new, 0 changed, 1 unchanged, 1 not final yet" in again.stderr
    async with tenant_transaction(as_bound(tenant)):
        lines = await AngkaKredit.all().values_list("pegawai_id", "nilai")
    assert [(p, str(n)) for p, n in lines] == [(bidang.analis[0].id, "3.13")]
