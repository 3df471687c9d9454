"""Commands that sweep tenants: one instansi failing (its schema broken, its role gone) must not
leave the others undone. Each tenant's outcome is kept; the successes are printed, then every
failure in one line, and the command exits 1 if any failed (`ekinerja migrate` reports the
same way)."""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ekinerja.cli._errors import debugging, describe
from ekinerja.cli._runtime import console as stderr
from ekinerja.models.shared import Instansi
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """One tenant's result, or the one-line reason it failed."""

    kode: str
    result: T | None = None
    error: str | None = None


async def each_tenant(
    tenants: list[Instansi], work: Callable[[Instansi], Awaitable[T]], concurrency: int = 1
) -> list[Outcome[T]]:
    """``work`` for every tenant, ``concurrency`` at a time; outcomes in the tenants' order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(instansi: Instansi) -> Outcome[T]:
        async with gate:
            try:
                return Outcome(instansi.kode, await work(instansi))
            except Exception as error:
                if debugging():
                    traceback.print_exception(error, file=sys.stderr)
                return Outcome(instansi.kode, error=describe(error)[0])

    return list(await asyncio.gather(*(one(i) for i in tenants)))


def bound(work: Callable[[], Awaitable[T]]) -> Callable[[Instansi], Awaitable[T]]:
    """``work`` in one transaction bound to each tenant it is given (for each_tenant)."""

    async def run(instansi: Instansi) -> T:
        async with tenant_transaction(as_bound(instansi)):
            return await work()

    return run


def print_failures(failures: list[tuple[str, str]]) -> None:
    """``FAILED KODE: reason`` for each (kode, reason), on stderr."""
    for kode, reason in failures:
        stderr.print(f"[red]FAILED[/red] {kode}: {escape(reason)}", soft_wrap=True)


def report(
    outcomes: list[Outcome[T]], say: Callable[[T], str] | None = None, out: Console = stderr
) -> None:
    """Print each success (``KODE: what was done``, if ``say`` says it), then the failures;
    exit 1 if any."""
    for outcome in outcomes:
        if outcome.error is None and say is not None:
            out.print(f"{outcome.kode}: {say(outcome.result)}", soft_wrap=True)
    failed = [(o.kode, o.error) for o in outcomes if o.error is not None]
    print_failures(failed)
    if failed:
        stderr.print(f"{len(failed)} of {len(outcomes)} instansi failed", soft_wrap=True)
        raise typer.Exit(1)
