"""`ekinerja schema export`: write the GraphQL SDL."""

from __future__ import annotations

from pathlib import Path

import typer

from ekinerja.cli._runtime import console
from ekinerja.schema import SCHEMA_FILE, export_sdl

app = typer.Typer(no_args_is_help=True, help="The GraphQL schema.")


@app.command("export")
def export(output: Path = typer.Option(SCHEMA_FILE, "--output", "-o")) -> None:
    """Write the schema (SDL) to schema.graphql, or to --output."""
    output.write_text(export_sdl())
    console.print(f"wrote {output}")
