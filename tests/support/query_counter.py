"""Counting the SQL statements an operation sends, from Tortoise's own statement log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_LOGGER = logging.getLogger("tortoise.db_client")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(str(record.args[0]) if record.args else record.getMessage())


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Yields the list of statements sent while the block runs (BEGIN/COMMIT not included)."""
    counter = _Counter()
    previous = _LOGGER.level
    _LOGGER.setLevel(logging.DEBUG)
    _LOGGER.addHandler(counter)
    try:
        yield counter.statements
    finally:
        _LOGGER.removeHandler(counter)
        _LOGGER.setLevel(previous)
