"""The `ekinerja` command line."""

from __future__ import annotations

import typer

from ekinerja.cli import (
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
    statistik,
    storage,
    tenants,
    worker,
)

app = typer.Typer(no_args_is_help=True, help="ekinerja: ASN performance management service.")
app.command("serve")(serve.serve)
app.command("migrate")(migrate.migrate)
app.command("worker")(worker.worker)
app.add_typer(tenants.app, name="tenants")
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


def main() -> None:
    app()
