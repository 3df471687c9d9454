"""A refused start-up (ekinerja/startup.py) as one line on the terminal and exit code 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from ekinerja.cli._runtime import console
from ekinerja.startup import StartupRefused


@contextmanager
def startup_refusal_as_one_line() -> Iterator[None]:
    try:
        yield
    except StartupRefused as refused:
        console.print(f"[red]error[/red] (STARTUP_REFUSED): {refused}", soft_wrap=True)
        raise typer.Exit(2) from None
