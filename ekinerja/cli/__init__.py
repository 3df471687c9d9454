"""The `ekinerja` command line."""

from __future__ import annotations

import typer

from ekinerja.cli import migrate, schema, serve, tenants

app = typer.Typer(no_args_is_help=True, help="ekinerja: ASN performance management service.")
app.command("serve")(serve.serve)
app.command("migrate")(migrate.migrate)
app.add_typer(tenants.app, name="tenants")
app.add_typer(schema.app, name="schema")


def main() -> None:
    app()
