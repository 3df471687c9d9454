"""Schema migrations: the shared schema, one tenant, and the fan-out over every tenant.

Tortoise's built-in migration executor does the DDL; we choose where it runs. Each tenant is
migrated in one transaction that takes a per-tenant advisory lock, re-reads the registry's
``schema_version`` (another process may have just done the work), binds to the tenant schema and
role, and applies what is missing. A failure rolls back that tenant alone; the fan-out reports it
and goes on, and a later run resumes where it failed. Up-to-date tenants are filtered out by one
registry query, so a no-op run costs one query whatever the tenant count.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.expressions import Q
from tortoise.migrations.executor import MigrationExecutor
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.recorder import MigrationRecorder
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from ekinerja.db.config import CONNECTION, MIGRATION_MODULES, SHARED_APP, SHARED_SCHEMA, TENANT_APP
from ekinerja.models.shared import Instansi
from ekinerja.tenants.binding import bind_connection
from ekinerja.tenants.identifiers import quote_identifier
from ekinerja.tenants.registry import as_bound
from ekinerja.tenants.schema_versions import latest_tenant_version, oldest_serving_version

log = logging.getLogger(__name__)

_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext($1))"


class Outcome(StrEnum):
    MIGRATED = "migrated"
    UP_TO_DATE = "up_to_date"
    FAILED = "failed"


@dataclass(frozen=True)
class TenantMigration:
    kode: str
    outcome: Outcome
    applied: tuple[str, ...] = ()
    error: str | None = None


@dataclass
class MigrationReport:
    shared_applied: list[str]
    tenants_total: int
    tenants: list[TenantMigration] = field(default_factory=list)

    @property
    def failed(self) -> list[TenantMigration]:
        return [t for t in self.tenants if t.outcome is Outcome.FAILED]

    @property
    def migrated(self) -> list[TenantMigration]:
        return [t for t in self.tenants if t.outcome is Outcome.MIGRATED]

    @property
    def up_to_date(self) -> int:
        return self.tenants_total - len(self.migrated) - len(self.failed)


def _app_config(app: str) -> dict:
    return {
        "models": [f"ekinerja.models.{app}"],
        "default_connection": CONNECTION,
        "migrations": MIGRATION_MODULES[app],
    }


async def _apply_app(app: str, connection: TransactionalDBClient) -> list[str]:
    """Apply ``app``'s pending migrations through an open, already bound transaction."""
    executor = MigrationExecutor(connection, {app: _app_config(app)})
    # Create the history table first: the executor reads it before creating it, and inside a
    # transaction that failed read would abort everything that follows.
    await executor.recorder.ensure_schema(executor._schema_editor(atomic=False))
    applied: list[str] = []

    def record(event: str, _app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    await executor.migrate(progress=record)
    return applied


class _NothingApplied(MigrationRecorder):
    """A recorder for computing SQL only: reports nothing applied, touches no database."""

    def __init__(self) -> None:
        super().__init__(connection=None)

    async def applied_migrations(self) -> list[MigrationKey]:
        return []


_fresh_scripts: dict[str, tuple[str, tuple[str, ...]]] = {}


async def _fresh_schema_script(
    app: str, connection: TransactionalDBClient
) -> tuple[str, tuple[str, ...]]:
    """All of ``app``'s migrations as one SQL script, in order, exactly as Tortoise's executor
    generates them (its `sqlmigrate`), and their names. Computed once per process: replaying
    the migration state is the slow part of migrating, and a new schema needs it only once.
    One pass over the plan, each migration applied to the state the ones before it left (as
    the executor's ``migrate`` does): ``collect_sql`` per migration would replay the state
    from the first migration for each, quadratic in their number (seconds of CPU by now)."""
    if app not in _fresh_scripts:
        executor = MigrationExecutor(connection, {app: _app_config(app)})
        executor.loader.recorder = _NothingApplied()
        await executor.loader.build_graph()
        state = await executor._project_state(set())  # the empty state collect_sql starts from
        names: list[str] = []
        statements: list[str] = []
        for key in executor._full_plan():
            migration = executor.loader.graph.nodes[key]
            if key.app_label != app:  # another app's migration this one depends on: state only
                await migration.apply(state, dry_run=True, schema_editor=None)
                continue
            editor = executor._schema_editor(atomic=False, collect_sql=True)
            await migration.apply(state, schema_editor=editor, collect_sql=True)
            names.append(key.name)
            statements += editor.collected_sql
        script = ";\n".join(s for s in statements if not s.lstrip().startswith("--"))
        _fresh_scripts[app] = (script + ";" if script else "", tuple(names))
    return _fresh_scripts[app]


async def prepare_fresh_tenant_script() -> None:
    """Build the new-tenant script before a provisioning transaction opens. Building it is
    seconds of CPU (replaying the migration state) and no query; inside the transaction it
    would leave the connection idle in transaction, past the server's timeout on a loaded
    machine (the first tenant of a process failed with DatabaseUnavailable)."""
    await _fresh_schema_script(TENANT_APP, connections.get(CONNECTION))


async def _create_fresh(app: str, connection: TransactionalDBClient) -> list[str]:
    """Create a brand-new, empty schema's tables by running the migrations' SQL as one script
    and recording every migration as applied: what the executor would do, without replaying
    the migration state for each new tenant."""
    script, names = await _fresh_schema_script(app, connection)
    recorder = MigrationRecorder(connection)
    await recorder.ensure_schema(MigrationExecutor(connection, {})._schema_editor(atomic=False))
    await connection.execute_script(script)
    for name in names:
        await recorder.record_applied(app, name)
    return list(names)


async def migrate_shared() -> list[str]:
    async with in_transaction(CONNECTION) as connection:
        await connection.execute_query(_LOCK_SQL, ["ekinerja.migrate.shared"])
        await connection.execute_script(
            f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(SHARED_SCHEMA)}"
        )
        await connection.execute_query(
            "SELECT set_config('search_path', $1, true)", [SHARED_SCHEMA]
        )
        return await _apply_app(SHARED_APP, connection)


async def migrate_tenant_in(
    connection: TransactionalDBClient, instansi: Instansi, *, fresh: bool = False
) -> TenantMigration:
    """Migrate one tenant inside ``connection``'s transaction (the caller commits). ``fresh``:
    the schema was created empty in this transaction, so it can take the whole script."""
    target = latest_tenant_version()
    await connection.execute_query(_LOCK_SQL, [f"ekinerja.migrate.{instansi.schema_name}"])
    locked = await Instansi.select_for_update().get(id=instansi.id)
    if locked.schema_version is not None and locked.schema_version >= target:
        # Up to date, or migrated by a newer release already (a rollout): never downgraded.
        return TenantMigration(instansi.kode, Outcome.UP_TO_DATE)
    # Written before binding, while the session role may still write `shared`; the same
    # transaction applies the DDL, so both land together or not at all.
    await Instansi.filter(id=instansi.id).update(
        schema_version=target,
        oldest_serving_version=oldest_serving_version(target),
        updated_at=now(),
    )
    await bind_connection(connection, as_bound(locked))
    if fresh:
        applied = await _create_fresh(TENANT_APP, connection)
    else:
        applied = await _apply_app(TENANT_APP, connection)
    return TenantMigration(instansi.kode, Outcome.MIGRATED, tuple(applied))


async def migrate_tenant(instansi: Instansi) -> TenantMigration:
    try:
        async with in_transaction(CONNECTION) as connection:
            return await migrate_tenant_in(connection, instansi)
    except Exception as exc:  # one tenant's failure must not stop the others
        log.exception("tenant migration failed", extra={"kode": instansi.kode})
        return TenantMigration(instansi.kode, Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")


async def tenants_behind() -> list[Instansi]:
    target = latest_tenant_version()
    return await Instansi.filter(
        Q(schema_version__isnull=True) | Q(schema_version__lt=target)
    ).order_by("kode")


async def migrate_all(
    concurrency: int = 4,
    on_start: Callable[[int], None] | None = None,
    on_tenant: Callable[[TenantMigration], None] | None = None,
) -> MigrationReport:
    """Migrate the shared schema, then every tenant that is behind, ``concurrency`` at a time."""
    shared_applied = await migrate_shared()
    total = await Instansi.all().count()
    pending = await tenants_behind()
    if on_start:
        on_start(len(pending))
    report = MigrationReport(shared_applied=shared_applied, tenants_total=total)
    gate = asyncio.Semaphore(concurrency)

    async def run(instansi: Instansi) -> None:
        async with gate:
            result = await migrate_tenant(instansi)
        report.tenants.append(result)
        if on_tenant:
            on_tenant(result)

    await asyncio.gather(*(run(instansi) for instansi in pending))
    report.tenants.sort(key=lambda t: t.kode)
    return report
