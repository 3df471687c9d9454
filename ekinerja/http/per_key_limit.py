"""At most N holders at once per key (an instansi), in this process.

A claim beyond the bound is refused at once, not queued: a queued upload would still hold its
connection and its body. Claims are made and released on the event loop only (no lock needed:
nothing awaits between the check and the count); the work a claim covers may run in a thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class LimitReached(Exception):
    def __init__(self, key: str, limit: int) -> None:
        super().__init__(f"{limit} already running for {key}")
        self.key = key
        self.limit = limit


class PerKeyLimit:
    def __init__(self) -> None:
        self._held: dict[str, int] = {}

    def held(self, key: str) -> int:
        return self._held.get(key, 0)

    @contextmanager
    def claim(self, key: str, limit: int) -> Iterator[None]:
        """Hold one of ``key``'s ``limit`` places for the block; LimitReached when none is free."""
        held = self.held(key)
        if held >= limit:
            raise LimitReached(key, limit)
        self._held[key] = held + 1
        try:
            yield
        finally:
            remaining = self._held[key] - 1
            if remaining:
                self._held[key] = remaining
            else:
                del self._held[key]  # the table holds only keys in use
