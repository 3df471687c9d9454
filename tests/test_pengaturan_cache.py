"""The instansi's settings are remembered in the process (ekinerja/pengaturan/reader.py; issue
17, decision 0035): a request that needs "today" in the instansi's zone reads `tenant_setting`
once per process, not once per request, and a change is in force from the very next request,
whether made through the API (the writer forgets, the mutation forgets again once its
transaction is over) or by another process (the trigger of tenant migration 0021 notifies
`ekinerja_registry`, the registry's watcher forgets). One instansi's settings never answer for
another's."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from ekinerja import memo, pengaturan
from ekinerja.auth.principal import Role
from ekinerja.db.config import CONNECTION
from ekinerja.models.tenant import EvaluasiPeriodik
from ekinerja.pengaturan import reader
from ekinerja.pengaturan import registry as kunci
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import build_bidang, fix
from tests.support.query_counter import count_queries
from tests.support.registry_watcher import running_watcher
from tests.test_penilaian_keberatan import EVALUASI

ADMIN = Role.ADMIN_INSTANSI
SESUAI = "SESUAI_EKSPEKTASI"
SET = """mutation($kunci: String!, $nilai: JSON!) { ubahPengaturan(kunci: $kunci, nilai: $nilai) {
  __typename ... on Pengaturan { berlaku } ... on MutationError { code message } } }"""
TODAY = "{ unitKerjaAkar { nama } }"  # "today" in the instansi's zone: its settings
FIXED = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)  # 23:30 on the 1st in WIB, the 2nd in WITA


def settings_read(statements: list[str]) -> list[str]:
    return [s for s in statements if 'FROM "tenant_setting"' in s]


async def read(tenant) -> tuple[pengaturan.PengaturanInstansi, list[str]]:
    """The tenant's settings as its next transaction reads them, and the statements that
    read `tenant_setting` for it."""
    async with tenant_transaction(as_bound(tenant)):
        with count_queries() as statements:
            found = await pengaturan.baca()
    return found, settings_read(statements)


async def as_another_process(database, tenant, sql: str, *args, as_tenant: bool = True) -> None:
    """``sql`` on a connection of its own: bound as the service binds (the tenant's schema and
    role), or as the superuser with the default search_path (a fix by hand)."""
    connection = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        async with connection.transaction():
            if as_tenant:
                await connection.execute(
                    "SELECT set_config('search_path', $1, true), set_config('role', $2, true)",
                    tenant.schema_name,
                    tenant.role_name,
                )
            await connection.execute(sql, *args)
    finally:
        await connection.close()


@pytest.fixture
async def watcher(database, settings, tenant):
    """The registry's watcher as the app runs it, started after the test's instansi exists."""
    async with running_watcher(database, settings) as running:
        yield running


# --- one read per process -----------------------------------------------------------------


async def test_a_second_request_that_needs_today_reads_no_tenant_setting(portal, team):
    pengaturan.lupakan()
    with count_queries() as first:
        answer = await portal.as_(team.staf, TODAY)
    assert "errors" not in answer, answer
    assert len(settings_read(first)) == 1, first  # the request does need its settings
    for _ in range(2):
        with count_queries() as later:
            again = await portal.as_(team.staf, TODAY)
        assert again == answer
        assert settings_read(later) == [], later


async def test_a_read_inside_a_savepoint_is_remembered_too(tenant):
    pengaturan.lupakan()
    async with tenant_transaction(as_bound(tenant)):
        async with in_transaction(CONNECTION):  # a mutation's savepoint (guarded)
            assert await pengaturan.baca() == pengaturan.bawaan()
    found, statements = await read(tenant)
    assert (found, statements) == (pengaturan.bawaan(), [])


# --- changes ------------------------------------------------------------------------------


async def test_a_change_through_the_mutation_is_seen_by_the_very_next_request(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)])
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id=row_of(ids[0])).update(ditetapkan_pada=FIXED)
    person = bidang.analis[0]
    skp = gid_of(portal.tenant, bidang.skp_of(person))

    async def batas() -> str:
        seen = await portal.as_(person, EVALUASI, skp=skp, periode="2026-T1")
        return seen["data"]["evaluasi"]["kesempatanKeberatan"]["batas"]

    assert await batas() == "2026-01-15"  # WIB: the 1st + 14 days
    assert (await read(tenant))[1] == []  # remembered
    changed = await portal.as_(
        bidang.rekan, SET, ADMIN, kunci=kunci.ZONA_WAKTU, nilai="Asia/Makassar"
    )
    assert changed["data"]["ubahPengaturan"]["berlaku"] == "Asia/Makassar", changed
    assert await batas() == "2026-01-16"  # WITA: the 2nd + 14 days
    changed = await portal.as_(bidang.rekan, SET, ADMIN, kunci=kunci.BATAS_HARI_KEBERATAN,
                               nilai=21)  # fmt: skip
    assert changed["data"]["ubahPengaturan"]["berlaku"] == 21, changed
    assert await batas() == "2026-01-23"


async def test_a_transaction_that_changes_a_setting_sees_it_and_keeps_nothing_uncommitted(
    tenant,
):
    assert (await read(tenant))[0].batas_hari_keberatan == 14  # remembered from here
    with pytest.raises(RuntimeError):
        async with tenant_transaction(as_bound(tenant)):
            await pengaturan.tetapkan(kunci.BATAS_HARI_KEBERATAN, 21, "admin")
            assert (await pengaturan.baca()).batas_hari_keberatan == 21  # its own write
            raise RuntimeError("rolled back")
    found, statements = await read(tenant)
    assert (found.batas_hari_keberatan, len(statements)) == (14, 1)
    # A savepoint rolled back takes its value with it; the transaction reads the table.
    async with tenant_transaction(as_bound(tenant)):
        with pytest.raises(RuntimeError):
            async with in_transaction(CONNECTION):
                await pengaturan.tetapkan(kunci.BATAS_HARI_KEBERATAN, 30, "admin")
                assert (await pengaturan.baca()).batas_hari_keberatan == 30
                raise RuntimeError("rolled back to the savepoint")
        assert (await pengaturan.baca()).batas_hari_keberatan == 14
        await pengaturan.tetapkan(kunci.ZONA_WAKTU, "Asia/Jayapura", "admin")
    found, statements = await read(tenant)
    assert (str(found.zona_waktu), len(statements)) == ("Asia/Jayapura", 1)  # committed
    assert (await read(tenant))[1] == []


async def test_a_read_overlapping_a_forget_is_not_remembered(monkeypatch, tenant):
    """A change announced while a read was on its way: the read may have seen the row before
    the change, so it answers its own request but is not kept."""
    pengaturan.lupakan()
    original = reader._rows

    async def rows_then_announced():
        found = await original()
        pengaturan.lupakan(tenant.schema_name)  # the watcher, hearing a commit meanwhile
        return found

    monkeypatch.setattr(reader, "_rows", rows_then_announced)
    assert len((await read(tenant))[1]) == 1
    monkeypatch.setattr(reader, "_rows", original)
    assert len((await read(tenant))[1]) == 1  # asked again
    assert (await read(tenant))[1] == []


async def test_a_change_by_another_process_is_heard_by_the_watcher_and_then_seen(
    database, watcher, tenant
):
    heard = f"{pengaturan.NOTIFY_PREFIX}{tenant.schema_name}"
    assert (await read(tenant))[0].zona_waktu.key == "Asia/Jakarta"
    await as_another_process(
        database, tenant,
        "INSERT INTO tenant_setting (kunci, nilai, diubah_pada) VALUES ($1, $2, now())",
        kunci.ZONA_WAKTU, '"Asia/Makassar"',
    )  # fmt: skip
    await watcher.heard_of(heard)
    found, statements = await read(tenant)
    assert (found.zona_waktu.key, len(statements)) == ("Asia/Makassar", 1)
    assert (await read(tenant))[1] == []
    # A fix by hand as the superuser, naming the schema, with another search_path: the
    # trigger still names the tenant's schema.
    await as_another_process(
        database, tenant,
        f'UPDATE "{tenant.schema_name}".tenant_setting SET nilai = $1 WHERE kunci = $2',
        '"Asia/Jayapura"', kunci.ZONA_WAKTU, as_tenant=False,
    )  # fmt: skip
    await watcher.heard_of(heard)
    assert (await read(tenant))[0].zona_waktu.key == "Asia/Jayapura"
    await as_another_process(database, tenant, "DELETE FROM tenant_setting")
    await watcher.heard_of(heard)
    assert (await read(tenant))[0] == pengaturan.bawaan()


async def test_a_stored_value_that_cannot_be_read_still_leaves_the_default(
    database, watcher, tenant
):
    await read(tenant)
    await as_another_process(
        database, tenant,
        "INSERT INTO tenant_setting (kunci, nilai, diubah_pada) VALUES ($1, $2, now())",
        kunci.BATAS_HARI_KEBERATAN, "0",
    )  # fmt: skip
    await watcher.heard_of(f"{pengaturan.NOTIFY_PREFIX}{tenant.schema_name}")
    assert (await read(tenant))[0] == pengaturan.bawaan()
    async with tenant_transaction(as_bound(tenant)):
        listed = {n.setting.kunci: n for n in await pengaturan.daftar()}
    assert listed[kunci.BATAS_HARI_KEBERATAN].masalah.startswith("keberatan.batas_hari:")


async def test_without_a_watcher_the_floor_bounds_staleness(database, monkeypatch, tenant):
    await read(tenant)
    await as_another_process(
        database, tenant,
        "INSERT INTO tenant_setting (kunci, nilai, diubah_pada) VALUES ($1, $2, now())",
        kunci.BATAS_HARI_KEBERATAN, "9",
    )  # fmt: skip
    assert (await read(tenant))[0].batas_hari_keberatan == 14  # nobody heard: remembered
    monkeypatch.setattr(memo, "FLOOR_SECONDS", 0.0)
    assert (await read(tenant))[0].batas_hari_keberatan == 9


async def test_every_tenant_schema_gets_the_trigger_in_its_own_schema(database, tenant):
    connection = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        found = await connection.fetch(
            "SELECT t.tgname, n.nspname AS function_schema FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace s ON s.oid = c.relnamespace "
            "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE s.nspname = $1 AND c.relname = 'tenant_setting' AND NOT t.tgisinternal",
            tenant.schema_name,
        )
    finally:
        await connection.close()
    assert [tuple(row) for row in found] == [("beritahu_pengaturan", tenant.schema_name)]


# --- per instansi -------------------------------------------------------------------------


async def test_one_instansis_settings_never_answer_for_another(tenant, other_tenant):
    async with tenant_transaction(as_bound(tenant)):
        await pengaturan.tetapkan(kunci.ZONA_WAKTU, "Asia/Jayapura", "admin")
        await pengaturan.tetapkan(kunci.BATAS_HARI_KEBERATAN, 21, "admin")
    async with tenant_transaction(as_bound(other_tenant)):
        await pengaturan.tetapkan(kunci.ZONA_WAKTU, "Asia/Makassar", "admin")
    for _ in range(2):  # read, then remembered: each its own
        ours, _ = await read(tenant)
        theirs, _ = await read(other_tenant)
        assert (ours.zona_waktu.key, ours.batas_hari_keberatan) == ("Asia/Jayapura", 21)
        assert (theirs.zona_waktu.key, theirs.batas_hari_keberatan) == ("Asia/Makassar", 14)
    # Forgetting one instansi (its trigger's payload) leaves the other remembered.
    pengaturan.lupakan(tenant.schema_name)
    assert len((await read(tenant))[1]) == 1
    assert (await read(other_tenant))[1] == []


async def test_requests_of_two_instansi_each_remember_their_own(portal, tenant, other_tenant, idp):
    """Requests needing "today" of two instansi, one after the other in one process: what each
    left remembered is its own instansi's."""
    ours = await build_bidang(tenant, analis=1)
    theirs = await build_bidang(other_tenant, analis=1, tag=" B")
    b = Portal(portal.api, idp, other_tenant)
    await portal.as_(ours.rekan, SET, ADMIN, kunci=kunci.ZONA_WAKTU, nilai="Asia/Jayapura")
    pengaturan.lupakan()
    for _ in range(2):
        assert "errors" not in await portal.as_(ours.analis[0], TODAY)
        assert "errors" not in await b.as_(theirs.analis[0], TODAY)
    found, statements = await read(tenant)
    assert (found.zona_waktu.key, statements) == ("Asia/Jayapura", [])
    found, statements = await read(other_tenant)
    assert (found.zona_waktu.key, statements) == ("Asia/Jakarta", [])
