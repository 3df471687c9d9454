"""Migration fan-out over many tenants: applied once, skipped when current, failures isolated."""

from __future__ import annotations

import os
import subprocess
import sys

from ekinerja.models.shared import Instansi
from ekinerja.tenants.migrations import Outcome, migrate_all, migrate_shared, migrate_tenant
from ekinerja.tenants.schema_versions import latest_tenant_version
from tests.support.tenants import drop_tenant, new_tenant, superuser_sql


def run_cli(database, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database.url()}
    env.pop("EKINERJA_TENANT_ROLE_PREFIX", None)
    return subprocess.run(
        [sys.executable, "-m", "ekinerja", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def _tables(database, schema: str) -> set[str]:
    rows = await superuser_sql(
        database, "SELECT tablename FROM pg_tables WHERE schemaname = $1", schema
    )
    return {r["tablename"] for r in rows}


async def test_fifty_tenants_migrate_once_then_noop_and_a_failure_is_isolated(
    database, role_prefix
):
    tenants = [await new_tenant(role_prefix, prefix="M") for _ in range(50)]
    try:
        for instansi in tenants:
            assert instansi.schema_version == latest_tenant_version()
            assert {"tenant_setting", "tortoise_migrations"} <= await _tables(
                database, instansi.schema_name
            )

        # The first run brings along whatever earlier tests left behind; the second has
        # nothing to do at all.
        await migrate_all(concurrency=4)
        report = await migrate_all(concurrency=4)
        assert report.migrated == [] and report.failed == []
        assert report.up_to_date == report.tenants_total >= 50

        # One tenant lost its tables (re-migrates fine); one lost only its history, so
        # re-running 0001 collides with the tables it still has (fails).
        healed, broken = tenants[0], tenants[1]
        all_tables = await _tables(database, broken.schema_name)
        await superuser_sql(
            database,
            f'DROP SCHEMA "{healed.schema_name}" CASCADE;'
            f'CREATE SCHEMA "{healed.schema_name}" AUTHORIZATION "{healed.role_name}";'
            f'DROP TABLE "{broken.schema_name}".tortoise_migrations;',
        )
        await Instansi.filter(id__in=[healed.id, broken.id]).update(schema_version=None)

        report = await migrate_all(concurrency=4)
        assert [t.kode for t in report.migrated] == [healed.kode]
        assert report.migrated[0].applied[-1] == latest_tenant_version()
        assert [t.kode for t in report.failed] == [broken.kode]
        assert "already exists" in report.failed[0].error
        assert report.up_to_date == report.tenants_total - 2

        # The failed tenant was rolled back whole: version still unset, tables as they were.
        await broken.refresh_from_db()
        assert broken.schema_version is None
        assert await _tables(database, broken.schema_name) == all_tables - {"tortoise_migrations"}
        assert await _tables(database, healed.schema_name) == all_tables

        # The CLI says which tenant failed and exits non-zero; the others are untouched.
        result = run_cli(database, "migrate")
        assert result.returncode == 1, result.stderr
        assert f"FAILED {broken.kode}" in result.stderr
        assert "0 migrated" in result.stderr
    finally:
        for instansi in tenants:
            await drop_tenant(database, instansi)


async def test_cli_noop_migrate_succeeds(database, tenant):
    result = run_cli(database, "migrate")
    assert result.returncode == 0, result.stderr
    assert "0 migrated" in result.stderr and "0 failed" in result.stderr


async def test_migrating_a_current_tenant_or_the_shared_schema_again_changes_nothing(tenant):
    assert (await migrate_tenant(tenant)).outcome is Outcome.UP_TO_DATE
    assert await migrate_shared() == []
