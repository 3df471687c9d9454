"""What an API client may do, remembered in the process: every request of a machine-to-machine
integrator needs its registry row and grants (`shared.api_client`, `shared.api_client_grant`),
two round trips before any work, for rows that change when an admin acts (issue 17, decision
0035).

Only a client found is remembered (an unknown client id is asked every time, so a client
registered a moment ago works at once). A revocation, a scope change, a grant added or removed,
or `hanya_dokumen_terdaftar` toggled takes effect at once:
- in every process: triggers on both tables notify `ekinerja_registry` with `client:<id>`
  (shared migration 0010), and the service's watcher (tenants/registry_watch.py) calls
  ``lupakan``;
- in this process: the code that changes a client (auth/api_clients.py, the trusted documents'
  ``restrict``) calls ``lupakan`` once its change is committed;
- after ``REGISTRY_CACHE_SECONDS`` in any case, the registry's floor, for a process that runs
  no watcher (commands, tests: a test that changes the tables behind the service's back calls
  ``lupakan`` as the watcher would).
A read that overlaps a ``lupakan`` is not remembered: it may have seen the row before the
change that was just announced. Entries are keyed by database too (tests open several).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ekinerja.db.lifecycle import current_database
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.tenants import registry

NOTIFY_PREFIX = "client:"
"""The payload on `ekinerja_registry` that names a client, `client:<client_id>`; a kode
instansi (letters and digits) never starts so."""


@dataclass(frozen=True)
class KlienDikenal:
    client_id: str
    aktif: bool  # active and not revoked
    scopes: frozenset[str]  # the scopes it was given
    instansi: frozenset[str]  # kode of every instansi granted
    hanya_dokumen_terdaftar: bool
    dibaca_pada: float  # time.monotonic() of the read


_known: dict[tuple[object, str], KlienDikenal] = {}
_generasi = 0  # how many times anything was forgotten: a read overlapping one is not kept


async def dikenal(client_id: str) -> KlienDikenal | None:
    """The client registered as ``client_id`` (active or not), or None if there is none."""
    key = (current_database(), client_id)
    found = _known.get(key)
    if (
        found is not None
        and time.monotonic() - found.dibaca_pada <= registry.REGISTRY_CACHE_SECONDS
    ):
        return found
    generasi = _generasi
    row = await ApiClient.get_or_none(client_id=client_id)
    if row is None:
        _known.pop(key, None)
        return None
    kodes = await ApiClientGrant.filter(api_client_id=row.id).values_list(
        "instansi__kode", flat=True
    )
    found = KlienDikenal(
        client_id=row.client_id,
        aktif=row.aktif and row.revoked_at is None,
        scopes=frozenset(row.scopes),
        instansi=frozenset(kodes),
        hanya_dokumen_terdaftar=row.hanya_dokumen_terdaftar,
        dibaca_pada=time.monotonic(),
    )
    if generasi == _generasi:
        _known[key] = found
    return found


def lupakan(client_id: str | None = None) -> None:
    """Drop what is remembered of ``client_id`` (in every database), or of every client."""
    global _generasi
    _generasi += 1
    if client_id is None:
        _known.clear()
        return
    for key in [key for key in _known if key[1] == client_id]:
        del _known[key]
