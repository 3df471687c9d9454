"""A rich progress display for commands with phases (reading, validating, checking, writing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from ekinerja.cli._runtime import console


class PhaseProgress:
    """One bar per phase, created when the phase first reports."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        task = self._tasks.get(phase)
        if task is None:
            task = self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(task, completed=done, total=total)

    def reading(self, done: int, total: int | None) -> None:
        self("reading", done, total)


@contextmanager
def phase_progress() -> Iterator[PhaseProgress]:
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        # Bars are for a person watching; in a pipe or a cron mail they are only noise (and an
        # error would not be the one line it should be).
        disable=not console.is_terminal,
    ) as progress:
        yield PhaseProgress(progress)
