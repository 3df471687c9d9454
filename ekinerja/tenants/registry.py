"""Reading and changing the tenant registry (`shared.instansi`).

Registry queries run outside any tenant binding: a tenant role has no rights on `shared`.

What every request needs from it, an instansi and its admin grants, is cached in the process
(``servable_entry``; issue 17): two round trips before any work, for rows that change a few
times a year. An entry is dropped
- at once in every process when the registry changes: triggers on `shared.instansi` and
  `shared.instansi_admin` notify `ekinerja_registry` with the kode (shared migration 0008) and
  the service's watcher (registry_watch.py) forgets it;
- at once in this process by ``set_status``;
- after ``memo.FLOOR_SECONDS`` in any case: the floor that bounds staleness while no watcher
  hears (it is down, or the process runs none: commands, tests; a test that changes the
  registry behind the service's back calls ``forget`` as the watcher would).
A read that overlaps a forget is not kept, and an entry is keyed by the database it was read
from too (ekinerja/memo.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja.memo import Memo
from ekinerja.models.shared import Instansi, InstansiAdmin, StatusInstansi
from ekinerja.tenants.context import BoundTenant
from ekinerja.tenants.errors import TenantNotFound, TenantNotMigrated, TenantSuspended
from ekinerja.tenants.identifiers import normalize_kode
from ekinerja.tenants.schema_versions import latest_tenant_version, serves


def as_bound(instansi: Instansi) -> BoundTenant:
    return BoundTenant(
        kode=instansi.kode, schema_name=instansi.schema_name, role_name=instansi.role_name
    )


async def get_instansi(kode: str) -> Instansi:
    kode = normalize_kode(kode)
    instansi = await Instansi.get_or_none(kode=kode)
    if instansi is None:
        raise TenantNotFound(f"instansi {kode} is not registered")
    return instansi


async def get_servable_instansi(kode: str) -> Instansi:
    """The registry entry of a tenant that may be served now, or a clear refusal."""
    return check_servable(await get_instansi(kode))


def check_servable(instansi: Instansi) -> Instansi:
    if instansi.status is not StatusInstansi.ACTIVE:
        raise TenantSuspended(f"instansi {instansi.kode} is suspended")
    code = latest_tenant_version()
    version = instansi.schema_version
    if serves(version, instansi.oldest_serving_version, code):
        return instansi
    if version is not None and version > code:
        raise TenantNotMigrated(
            f"instansi {instansi.kode} is at schema version {version}, newer than this code "
            f"({code}) can serve (it needs {instansi.oldest_serving_version or version} or "
            "later): finish rolling out the new release"
        )
    raise TenantNotMigrated(
        f"instansi {instansi.kode} is at schema version {version or 'none'}, "
        f"the service needs {code}: run `ekinerja migrate`"
    )


@dataclass(frozen=True)
class RegistryEntry:
    instansi: Instansi  # shared by the requests that read it: never changed in place
    admins: frozenset[str]  # NIPs granted admin instansi in the registry


_entries: Memo[RegistryEntry] = Memo()


async def servable_entry(kode: str) -> RegistryEntry:
    """The remembered entry of a tenant that may be served now, or a clear refusal."""
    kode = normalize_kode(kode)
    entry = _entries.get(kode)
    if entry is None:
        token = _entries.reading()
        instansi = await get_instansi(kode)
        admins = await InstansiAdmin.filter(instansi_id=instansi.id).values_list("nip", flat=True)
        entry = RegistryEntry(instansi, frozenset(admins))
        _entries.keep(kode, entry, token)
    check_servable(entry.instansi)  # suspended or unmigrated: refused, remembered or not
    return entry


def forget(kode: str | None = None) -> None:
    """Drop the remembered entries of ``kode`` (in every database), or all of them."""
    _entries.forget(kode)


async def list_instansi() -> list[Instansi]:
    return await Instansi.all().order_by("kode")


async def set_status(kode: str, status: StatusInstansi) -> Instansi:
    instansi = await get_instansi(kode)
    instansi.status = status
    await instansi.save(update_fields=["status", "updated_at"])
    forget(instansi.kode)
    return instansi
