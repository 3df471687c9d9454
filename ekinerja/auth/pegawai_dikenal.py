"""Which NIP is which pegawai row, remembered in the process: every request of a person checks
that their NIP is a pegawai of the instansi they act in, a round trip before any work (issue 17).

Only what was found is remembered: a NIP's row never changes (pegawai rows are never deleted;
leaving service is a status), so a remembered answer cannot turn wrong, while a NIP not found
is asked again next time (a new hire works at once). Bounded in time and size all the same
(ekinerja/memo.py), so the memory of a long-running process stays flat.
"""

from __future__ import annotations

from ekinerja.memo import Memo

REMEMBER_SECONDS = 600.0

_pegawai: Memo[int] = Memo(seconds=REMEMBER_SECONDS)


def dikenal(schema_name: str, nip: str) -> int | None:
    """The remembered pegawai id of ``nip`` in the tenant schema ``schema_name``, or None."""
    return _pegawai.get((schema_name, nip))


def ingat(schema_name: str, nip: str, pegawai_id: int) -> None:
    # Nothing forgets a NIP's row (it cannot change), so no read can overlap a forget.
    _pegawai.keep((schema_name, nip), pegawai_id, _pegawai.reading())
