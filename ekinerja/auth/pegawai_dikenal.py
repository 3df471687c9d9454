"""Which NIP is which pegawai row, remembered in the process: every request of a person checks
that their NIP is a pegawai of the instansi they act in, a round trip before any work (issue 17).

Only what was found is remembered: a NIP's row never changes (pegawai rows are never deleted;
leaving service is a status), so a remembered answer cannot turn wrong, while a NIP not found
is asked again next time (a new hire works at once). Bounded in time and size all the same, so
the memory of a long-running process stays flat.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from ekinerja.db.lifecycle import current_database

REMEMBER_SECONDS = 600.0
MAX_REMEMBERED = 100_000

_known: OrderedDict[tuple, tuple[int, float]] = OrderedDict()


def dikenal(schema_name: str, nip: str) -> int | None:
    """The remembered pegawai id of ``nip`` in the tenant schema ``schema_name``, or None."""
    key = (current_database(), schema_name, nip)
    found = _known.get(key)
    if found is None:
        return None
    pegawai_id, at = found
    if time.monotonic() - at > REMEMBER_SECONDS:
        del _known[key]
        return None
    return pegawai_id


def ingat(schema_name: str, nip: str, pegawai_id: int) -> None:
    key = (current_database(), schema_name, nip)
    _known[key] = (pegawai_id, time.monotonic())
    _known.move_to_end(key)
    while len(_known) > MAX_REMEMBERED:
        _known.popitem(last=False)
