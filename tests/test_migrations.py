"""Migration fan-out over many tenants: applied once, skipped when current, failures isolated."""

from __future__ import annotations

import os
import subprocess

from ekinerja.models.shared import Instansi
from ekinerja.tenants.migrations import Outcome, migrate_all, migrate_shared, migrate_tenant
from ekinerja.tenants.schema_versions import latest_tenant_version
from tests.support import cli
from tests.support.tenants import drop_tenants, new_tenant, superuser_sql


def _env(database) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database.url()}
    env.pop("EKINERJA_TENANT_ROLE_PREFIX", None)
    return env


def run_cli(database, *args: str) -> subprocess.CompletedProcess:
    """``python -m ekinerja ARGS`` against the test database, forked warm (tests/support/cli.py)."""
    return cli.run(*args, env=_env(database))


async def _tables(database, schema: str) -> set[str]:
    rows = await superuser_sql(
        database, "SELECT tablename FROM pg_tables WHERE schemaname = $1", schema
    )
    return {r["tablename"] for r in rows}


# Tenants this test makes. Each is provisioned (migrated) at creation; what the fan-out does
# with them here is a no-op run (one registry query, whatever the count) and a run where only
# the two broken ones are behind. Two to break plus more untouched bystanders than
# migrate_all's concurrency (4) is all the assertions need; and the registry the runs sweep
# also holds every tenant the session made before (hundreds in a whole run). It was fifty:
# 48 more tenant schemas, ~25 s of DDL, proving nothing further.
TENANTS = 7


async def test_many_tenants_migrate_once_then_noop_and_a_failure_is_isolated(database, role_prefix):
    tenants = [await new_tenant(role_prefix, prefix="M") for _ in range(TENANTS)]
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
        assert report.up_to_date == report.tenants_total >= TENANTS

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
        await broken.refresh_from_db(fields=list(broken._meta.fields_db_projection))
        assert broken.schema_version is None
        assert await _tables(database, broken.schema_name) == all_tables - {"tortoise_migrations"}
        assert await _tables(database, healed.schema_name) == all_tables

        # The CLI says which tenant failed and exits non-zero; the others are untouched.
        result = run_cli(database, "migrate")
        assert result.returncode == 1, result.stderr
        assert f"FAILED {broken.kode}" in result.stderr
        assert "0 migrated" in result.stderr
    finally:
        await drop_tenants(database, tenants)


async def test_cli_noop_migrate_succeeds(database, tenant):
    # Forked warm: `migrate` from a cold interpreter, as an operator runs it, is the deploy
    # kit's setup role (tests/test_deploy_kit.py).
    result = run_cli(database, "migrate")
    assert result.returncode == 0, result.stderr
    assert "0 migrated" in result.stderr and "0 failed" in result.stderr


async def test_migrating_a_current_tenant_or_the_shared_schema_again_changes_nothing(tenant):
    assert (await migrate_tenant(tenant)).outcome is Outcome.UP_TO_DATE
    assert await migrate_shared() == []


async def _catalog(database, schema: str) -> dict[str, list]:
    """A schema's tables, columns, constraints and indexes, with the schema name taken out."""
    columns = await superuser_sql(
        database,
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = $1 "
        "ORDER BY table_name, column_name",
        schema,
    )
    constraints = await superuser_sql(
        database,
        "SELECT conrelid::regclass::text AS t, contype, pg_get_constraintdef(oid) AS d "
        "FROM pg_constraint WHERE connamespace = $1::regnamespace ORDER BY 1, 2, 3",
        schema,
    )
    indexes = await superuser_sql(
        database,
        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2",
        schema,
    )

    def clean(rows):
        return sorted(
            tuple(str(v).replace(f'"{schema}".', "").replace(f"{schema}.", "") for v in r.values())
            for r in rows
        )

    return {"columns": clean(columns), "constraints": clean(constraints), "indexes": clean(indexes)}


async def test_a_new_tenant_gets_exactly_the_schema_the_migrations_build(database, role_prefix):
    fresh = await new_tenant(role_prefix, prefix="F")
    stepwise = await new_tenant(role_prefix, prefix="F")
    try:
        # Rebuild the second one migration by migration through Tortoise's executor.
        await superuser_sql(
            database,
            f'DROP SCHEMA "{stepwise.schema_name}" CASCADE;'
            f'CREATE SCHEMA "{stepwise.schema_name}" AUTHORIZATION "{stepwise.role_name}";',
        )
        await Instansi.filter(id=stepwise.id).update(schema_version=None)
        result = await migrate_tenant(stepwise)
        assert result.outcome is Outcome.MIGRATED and len(result.applied) > 1
        built = await _catalog(database, fresh.schema_name)
        assert len(built["columns"]) > 50 and len(built["constraints"]) > 10
        assert built == await _catalog(database, stepwise.schema_name)
    finally:
        await drop_tenants(database, [fresh, stepwise])
