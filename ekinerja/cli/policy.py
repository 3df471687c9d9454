"""`ekinerja policy …`: the authorization table for people."""

from __future__ import annotations

import typer

from ekinerja.auth.policy_doc import AUTHORIZATION_DOC, render
from ekinerja.cli._runtime import console

app = typer.Typer(no_args_is_help=True, help="The authorization policy.")


@app.command("show")
def show() -> None:
    """Print the policy table."""
    print(render())


@app.command("export")
def export() -> None:
    """Rewrite docs/authorization.md from the policy table."""
    AUTHORIZATION_DOC.write_text(render())
    console.print(f"wrote {AUTHORIZATION_DOC}")
