"""`ekinerja db status|stop`: the embedded PostgreSQL under the data directory.

Its lifetime (ekinerja/db/embedded.py): any command that needs the database starts it when it
is not running and stops it when it exits; `ekinerja serve` keeps it for as long as it serves.
When several ekinerja processes use it (serve, and a command beside it), the last one to exit
stops it. A server that was running before and was not started by ekinerja is left running.
"""

from __future__ import annotations

import json

import typer

from ekinerja.cli._errors import CommandError
from ekinerja.cli._listing import JSON
from ekinerja.cli._runtime import console
from ekinerja.db.embedded import EmbeddedInUse, status, stop_embedded
from ekinerja.settings import get_settings

app = typer.Typer(
    no_args_is_help=True,
    help="The embedded PostgreSQL (used when DATABASE_URL is unset): status, stop.",
)

NOT_RUNNING = 3  # pg_ctl status's and systemctl status's code for "not running"


@app.command("status")
def status_command(as_json: bool = JSON) -> None:
    """Whether the embedded server under EKINERJA_DATA_DIR runs: its pid, data directory and
    where it listens (a unix socket; it never listens on TCP), and which ekinerja processes use
    it. Never starts it. Exit code 0 when it runs, 3 when it does not (as `pg_ctl status`)."""
    settings = get_settings()
    found = status(settings.data_dir)
    if as_json:
        typer.echo(json.dumps(found.as_dict() | {"database_url_set": bool(settings.database_url)}))
    elif found.running:
        users = ", ".join(map(str, found.users)) or "none (left running)"
        typer.echo(f"running: pid {found.pid}")
        typer.echo(f"data directory: {found.pgdata}")
        typer.echo(f"listening on: {found.listens_on}")
        typer.echo(f"used by ekinerja processes: {users}")
    else:
        what = "" if found.initialised else " (no data directory yet: created on first use)"
        typer.echo(f"not running: {found.pgdata}{what}")
    if settings.database_url and not as_json:
        console.print("note: DATABASE_URL is set, so ekinerja does not use the embedded server")
    if not found.running:
        raise typer.Exit(NOT_RUNNING)


@app.command("stop")
def stop_command(
    force: bool = typer.Option(
        False, "--force", help="Stop it even while ekinerja processes (a serve) still use it."
    ),
) -> None:
    """Stop the embedded server under EKINERJA_DATA_DIR cleanly (pg_ctl stop, fast mode: open
    sessions are ended, nothing written is lost). Refused while an ekinerja process such as
    `serve` uses it (it would lose its database), unless --force. Not running: says so, exit 0.
    The next command that needs the database starts it again."""
    settings = get_settings()
    try:
        stopped = stop_embedded(settings.data_dir, force=force)
    except EmbeddedInUse as refused:
        raise CommandError(str(refused)) from None  # one line, exit 2
    pgdata = status(settings.data_dir).pgdata
    typer.echo(f"stopped: {pgdata}" if stopped else f"not running: {pgdata}")
