"""The `ekinerja` command line. `main` is the entry point: every error of every command ends
here as one line (ekinerja/cli/_errors.py)."""

from __future__ import annotations

import sys

import typer

from ekinerja import __version__
from ekinerja.cli import (
    db,
    demo,
    dev,
    identity,
    importer,
    migrate,
    outbox,
    penilaian,
    policy,
    schema,
    serve,
    sessions,
    statistik,
    storage,
    tenants,
    worker,
)
from ekinerja.cli._errors import DEBUG_VARIABLE, report, set_debug
from ekinerja.db import embedded

app = typer.Typer(
    no_args_is_help=True,
    help="ekinerja: ASN performance management service.",
    pretty_exceptions_enable=False,  # errors are one line; --debug shows the plain traceback
)


def _show_version(asked: bool) -> None:
    if asked:
        typer.echo(f"ekinerja {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: bool = typer.Option(
        False,
        "--debug",
        envvar=DEBUG_VARIABLE,
        help="On failure, show the traceback too (otherwise one line on stderr).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version."
    ),
    verbose: bool = typer.Option(
        False,
        "--verbose",
        "-v",
        help="Show the embedded PostgreSQL's own log lines too (hidden unless this or "
        "EKINERJA_LOG_LEVEL=DEBUG).",
    ),
) -> None:
    set_debug(debug)
    embedded.verbose = verbose


app.command("serve")(serve.serve)
app.command("migrate")(migrate.migrate)
app.command("worker")(worker.worker)
app.add_typer(tenants.app, name="tenants")
app.add_typer(db.app, name="db")
app.add_typer(schema.app, name="schema")
app.add_typer(importer.app, name="import")
app.add_typer(demo.app, name="demo")
app.add_typer(identity.idp_app, name="idp")
app.add_typer(identity.clients_app, name="clients")
app.add_typer(policy.app, name="policy")
app.add_typer(dev.app, name="dev")
app.add_typer(storage.app, name="storage")
app.add_typer(penilaian.app, name="angka-kredit")
app.add_typer(statistik.app, name="statistik")
app.add_typer(outbox.app, name="outbox")
app.add_typer(sessions.app, name="sessions")


def main() -> None:
    try:
        app()
    except Exception as error:  # SystemExit (a command's exit code) passes through
        sys.exit(report(error))
