"""`ekinerja migrate`: the shared schema, then every tenant that is behind."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ekinerja.cli._per_tenant import print_failures
from ekinerja.cli._runtime import console, run_with_database
from ekinerja.tenants.migrations import MigrationReport, migrate_all


def migrate(
    concurrency: int = typer.Option(
        None, min=1, max=64, help="Tenants migrated at once (default EKINERJA_MIGRATE_CONCURRENCY)."
    ),
) -> None:
    """Apply pending migrations; up-to-date tenants are skipped, failures reported at the end."""

    async def work(settings, _address) -> MigrationReport:
        with Progress(
            TextColumn("migrating tenants"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not console.is_terminal,  # as phase_progress: bars only for a person
        ) as progress:
            task = progress.add_task("tenants", total=0)
            return await migrate_all(
                concurrency or settings.migrate_concurrency,
                on_start=lambda n: progress.update(task, total=n),
                on_tenant=lambda _r: progress.advance(task),
            )

    report = run_with_database(work)
    if report.shared_applied:
        console.print(f"shared schema: applied {', '.join(report.shared_applied)}")
    console.print(
        f"tenants: {report.tenants_total} total, {len(report.migrated)} migrated, "
        f"{report.up_to_date} already current, {len(report.failed)} failed"
    )
    print_failures([(result.kode, " ".join(str(result.error).split())) for result in report.failed])
    if report.failed:
        raise typer.Exit(1)
