"""A refused start-up (ekinerja/startup.py) as one line on the terminal and exit code 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from ekinerja.cli._errors import report
from ekinerja.startup import StartupRefused


@contextmanager
def startup_refusal_as_one_line() -> Iterator[None]:
    try:
        yield
    except StartupRefused as refused:
        raise typer.Exit(report(refused)) from None  # the one format of every CLI error
