"""`ekinerja dev users`: demo identities by role, so a newcomer can follow the journey as each
of them; refused in production like `dev token`."""

from __future__ import annotations

import subprocess

from ekinerja.kepegawaian.calendar import today
from ekinerja.kepegawaian.demo import MIN_PEGAWAI, generate_demo_rows
from ekinerja.kepegawaian.demo.identities import DemoRole, demo_identities
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.tenant import EvaluasiPeriodik, Pegawai, Penugasan, Skp
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.skp.demo_tahun import seed_demo_year
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.server import settings_for
from tests.test_dev_tokens import dev_command


def dev_users(settings, *args: str, mode: str = "development") -> subprocess.CompletedProcess:
    return dev_command(settings, "users", *args, mode=mode)


async def nips(ids) -> set[str]:
    return set(await Pegawai.filter(id__in=list(ids)).values_list("nip", flat=True))


async def test_each_role_lists_people_who_really_play_it(tenant):
    assert (await import_pegawai(tenant.kode, generate_demo_rows(MIN_PEGAWAI), "t", "t")).ok
    async with tenant_transaction(as_bound(tenant)):
        await seed_demo_skp(today().year, on=today())

        async def listed(role: DemoRole) -> set[str]:
            return {i.nip for i in await demo_identities(role, today(), 1000)}

        # The SKPs snapshot who appraises whom: the same people, no one else.
        penilai = await Skp.filter(penilai_pegawai_id__isnull=False).distinct()
        assert await listed(DemoRole.PENILAI) == await nips(s.penilai_pegawai_id for s in penilai)
        atasan = await Skp.filter(atasan_penilai_pegawai_id__isnull=False)
        assert await listed(DemoRole.ATASAN_PENILAI) == await nips(
            s.atasan_penilai_pegawai_id for s in atasan
        )
        heads = await Penugasan.filter(jabatan__kepala_unit=True).values_list(
            "pegawai_id", flat=True
        )
        assert await listed(DemoRole.KEPALA) == await nips(heads)
        # Every listed pegawai has both appraisers in the system, shown by name.
        pegawai = await demo_identities(DemoRole.PEGAWAI, today(), 1000)
        assert pegawai and all(p.penilai and p.atasan_penilai and p.jabatan for p in pegawai)
        admins = await demo_identities(DemoRole.ADMIN_INSTANSI, today(), 5)
        assert admins and all("Kepegawaian" in (a.unit or "") for a in admins)
        assert len(await demo_identities(DemoRole.PEGAWAI, today(), 3)) == 3

        # Those in the walked demo year come first: their results are there to look at.
        await seed_demo_year(today().year)
        team = await Skp.filter(
            id__in=await EvaluasiPeriodik.all().values_list("skp_id", flat=True)
        )
        involved = await nips(
            {s.pegawai_id for s in team} | {s.penilai_pegawai_id for s in team}
            | {s.atasan_penilai_pegawai_id for s in team}
        )  # fmt: skip
        first = await demo_identities(DemoRole.PEGAWAI, today(), 3)
        assert {p.nip for p in first} <= involved


async def test_cli_lists_penilai_and_is_refused_in_production(database, tenant):
    assert (await import_pegawai(tenant.kode, generate_demo_rows(MIN_PEGAWAI), "t", "t")).ok
    settings = settings_for(database)
    shown = dev_users(settings, "--tenant", tenant.kode, "--role", "penilai", "--limit", "5")
    assert shown.returncode == 0, shown.stderr
    header, *lines = shown.stdout.splitlines()
    assert header.split("\t") == ["NIP", "NAMA", "JABATAN", "UNIT", "PENILAI", "ATASAN PENILAI"]
    assert len(lines) == 5 and "dev token --nip NIP" in shown.stderr
    async with tenant_transaction(as_bound(tenant)):
        expected = {i.nip for i in await demo_identities(DemoRole.PENILAI, today(), 5)}
    assert {line.split("\t")[0] for line in lines} == expected

    refused = dev_users(settings, "--tenant", tenant.kode, mode="production")
    assert refused.returncode == 2 and "refused in production" in refused.stderr
    assert refused.stdout == ""
