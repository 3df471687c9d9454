"""Rows every request reads, remembered in the process (decision 0035): the one mechanism
behind the registry entry, an API client's principal, a NIP's pegawai row and an instansi's
settings.

- An entry is keyed by its name and by the database it was read from (tests and benchmarks
  open several databases in one process, where the same name is another row).
- It is kept ``seconds`` at most: the floor that bounds staleness while no watcher hears the
  changes (tenants/registry_watch.py), ``FLOOR_SECONDS`` unless the memo says otherwise.
- ``forget(name)`` drops the entries of ``name`` in every database (``forget()``: all).
- A read that overlaps a forget is not kept: it may have seen the row before the change that
  was just announced (``reading()`` before the read, ``keep(name, value, token)`` after).
- At most ``size`` entries; the least recently used goes first, so memory stays flat.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from ekinerja.db.lifecycle import current_database

FLOOR_SECONDS = 30.0

V = TypeVar("V")


class Memo(Generic[V]):
    def __init__(self, seconds: float | None = None, size: int = 100_000) -> None:
        self._seconds = seconds
        self._size = size
        self._entries: OrderedDict[tuple[Hashable, Hashable], tuple[V, float]] = OrderedDict()
        self._forgotten = 0  # forgets so far: a read overlapping one is not kept

    def get(self, name: Hashable) -> V | None:
        key = (current_database(), name)
        found = self._entries.get(key)
        if found is None:
            return None
        value, read_at = found
        seconds = FLOOR_SECONDS if self._seconds is None else self._seconds
        if time.monotonic() - read_at > seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def reading(self) -> int:
        """A token to hand ``keep`` with what is read from now on."""
        return self._forgotten

    def keep(self, name: Hashable, value: V, token: int) -> None:
        if token != self._forgotten:
            return  # something was forgotten while this was read
        key = (current_database(), name)
        self._entries[key] = (value, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def forget(self, name: Hashable | None = None) -> None:
        self._forgotten += 1
        if name is None:
            self._entries.clear()
            return
        for key in [key for key in self._entries if key[1] == name]:
            del self._entries[key]
