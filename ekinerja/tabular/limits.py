"""How much of a file a reader accepts, and the bounded list of errors it reports back.

Every limit stops the work as soon as it is passed, so the cost of an upload is bounded by
the limits, not by the upload: the row cap is checked as rows are read (a file is never
materialised whole), and the deadline is checked on every row read."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ekinerja.settings import Settings
from ekinerja.tabular.errors import TooSlow

T = TypeVar("T")

# Columns read per row: the widest layout has 19. A wider row is refused if a cell beyond this
# holds anything; XLSX cells beyond it are not read at all (a sheet may declare 16,384 columns).
MAX_COLUMNS = 256


@dataclass(frozen=True)
class Limits:
    max_rows: int = 50_000  # data rows, the header not counted
    max_bytes: int = 50 * 1024 * 1024  # of the file as sent
    max_xlsx_bytes: int = 128 * 1024 * 1024  # of an XLSX's parts once unpacked
    max_errors: int = 100  # errors listed; their total is always counted
    seconds: float | None = None  # reading deadline; None: none (the CLI)
    max_columns: int = MAX_COLUMNS

    @classmethod
    def from_settings(cls, settings: Settings, *, deadline: bool = False) -> Limits:
        """The configured limits; with ``deadline``, also the configured time limit (uploads
        over HTTP: an operator at the CLI can interrupt a slow import themselves)."""
        return cls(
            max_rows=settings.import_max_rows,
            max_bytes=settings.import_max_bytes,
            max_xlsx_bytes=settings.import_max_xlsx_bytes,
            max_errors=settings.import_max_errors,
            seconds=settings.import_seconds if deadline else None,
        )


class Deadline:
    """Checked once per row by the thread reading a file: past it, the thread stops by
    raising TooSlow, so an abandoned parse does not keep working."""

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds
        self._end = None if seconds is None else time.monotonic() + seconds

    def check(self, name: str) -> None:
        if self._end is not None and time.monotonic() >= self._end:
            raise TooSlow(
                f"{name}: not read within {self._seconds:g} s; split it into smaller files"
            )


@dataclass
class FirstErrors(Generic[T]):
    """The first ``limit`` errors and how many there were in all: a file with a bad cell in
    every row must not become an answer (or a terminal listing) as large as the file."""

    limit: int
    shown: list[T] = field(default_factory=list)
    total: int = 0

    def add(self, error: T) -> None:
        self.total += 1
        if len(self.shown) < self.limit:
            self.shown.append(error)

    def extend(self, errors: Iterable[T]) -> None:
        for error in errors:
            self.add(error)

    def merged(self, others: list[T], key: Callable[[T], Any]) -> FirstErrors[T]:
        """These errors and ``others`` (both in ``key`` order), the first of both in that
        order: the first ``limit`` of each list hold the first ``limit`` of the two."""
        both = FirstErrors[T](self.limit, total=self.total)
        both.shown = sorted(self.shown + others, key=key)[: self.limit]
        both.total += len(others)
        return both
