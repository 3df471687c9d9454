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
- after ``memo.FLOOR_SECONDS`` in any case, for a process that runs no watcher (commands,
  tests: a test that changes the tables behind the service's back calls ``lupakan`` as the
  watcher would).
A read that overlaps a ``lupakan`` is not remembered, and entries are keyed by database too
(ekinerja/memo.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja.memo import Memo
from ekinerja.models.shared import ApiClient, ApiClientGrant

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


_klien: Memo[KlienDikenal] = Memo()


async def dikenal(client_id: str) -> KlienDikenal | None:
    """The client registered as ``client_id`` (active or not), or None if there is none."""
    found = _klien.get(client_id)
    if found is not None:
        return found
    token = _klien.reading()
    row = await ApiClient.get_or_none(client_id=client_id)
    if row is None:
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
    )
    _klien.keep(client_id, found, token)
    return found


def diingat(client_id: str) -> bool:
    """Whether this process remembers ``client_id`` (for tests of the memory itself)."""
    return _klien.get(client_id) is not None


def lupakan(client_id: str | None = None) -> None:
    """Drop what is remembered of ``client_id`` (in every database), or of every client."""
    _klien.forget(client_id)
