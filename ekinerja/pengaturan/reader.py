"""The one reader of the instansi's settings: `await baca()` gives every setting of the bound
instansi as a typed `PengaturanInstansi`, each value parsed by the registry (the one place that
knows a key's default and shape). Domain modules read their settings here and nowhere else; an
operation that needs several reads them once and passes the object on.

A stored value the registry cannot read (written before its check existed, or by hand around
the API) does not fail the domain operation: the key's default is in force, a warning is logged
(once per process for that row), and the admin's listing (`daftar`, GraphQL
`pengaturanInstansi`) shows the default as `berlaku` with the reason in `masalah`. Refusing
instead would stop every pegawai's work over a value they cannot change; the default is what
the instansi had before it set anything.

Remembered in the process (issue 17, decision 0035): most requests need "today" in the
instansi's zone, and a statement each for rows an admin changes a few times a year is the
request's fixed cost. What `baca` read is kept per database and tenant schema (the bound
tenant's: nothing read under one instansi is ever served under another, the key says whose it
is) and dropped
- in every process when `tenant_setting` changes: a trigger notifies `ekinerja_registry` with
  `pengaturan:<schema>` (tenant migration 0021) and the registry's watcher
  (tenants/registry_watch.py) calls ``lupakan``;
- in this process by the writer (`tetapkan`, `kembalikan`) at once, and by the GraphQL
  mutations again once their transaction is over (schema/pengaturan_request.py);
- after ``memo.FLOOR_SECONDS`` in any case (ekinerja/memo.py), where no watcher runs
  (commands, tests: a test that writes `tenant_setting` behind the service's back calls
  ``lupakan`` as the watcher would).
A transaction that changed a setting through the writer reads them from the database until it
ends and keeps nothing it read (its own write is seen at once, a savepoint rolled back takes its
value with it, and nothing uncommitted is remembered); a read that overlaps a ``lupakan`` is
not kept either. `daftar` (the admin's listing) always reads.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from tortoise import connections

from ekinerja.db.config import CONNECTION
from ekinerja.memo import Memo
from ekinerja.models.tenant import TenantSetting
from ekinerja.pemberitahuan.templat import JenisPemberitahuan, Templat
from ekinerja.pengaturan.registry import SETTINGS, Setting
from ekinerja.penilaian.enums import PredikatOrganisasi
from ekinerja.penilaian.kurva import AturanKurva, KebijakanKurva
from ekinerja.siasn.kode import KodeReferensi
from ekinerja.skp.enums import AspekIki
from ekinerja.tenants.context import bound_tenant_or_none, current_tenant

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PengaturanInstansi:
    """Every setting of one instansi, typed, with the defaults filled in (registry.py says
    what each key means)."""

    ja_jf_wajib_intervensi: bool
    rhk_tambahan_wajib_intervensi: bool
    aspek_kumulatif: frozenset[AspekIki]
    aspek_semakin_kecil_semakin_baik: frozenset[AspekIki]
    kebijakan_tahunan: str  # LAST_PERIOD | SEPARATE_ANNUAL
    hitungan_bulan: str  # angka_kredit.HITUNGAN_BULAN
    kurva_aturan: Mapping[PredikatOrganisasi, tuple[AturanKurva, ...]]
    kurva_kebijakan: KebijakanKurva
    batas_hari_keberatan: int
    zona_waktu: ZoneInfo
    dokumen_tempat: str  # trimmed; "" stands for the instansi's name
    siasn_kode_referensi: KodeReferensi
    pemberitahuan_templat: Mapping[JenisPemberitahuan, Templat]
    pemberitahuan_batas_rencana: tuple[int, int]  # (month, day)
    pemberitahuan_hari_pengingat: int


@dataclass(frozen=True)
class Nilai:
    """One key as the admin sees it: the stored value (None while unset), the JSON in force,
    and why the stored value is not in force when it cannot be read (`masalah`)."""

    setting: Setting
    nilai: Any
    row: TenantSetting | None
    berlaku: Any
    masalah: str | None = None


def _parsed(setting: Setting, row: TenantSetting | None) -> tuple[Any, str | None]:
    """The typed value in force for ``row`` (None: unset), and the reason when the stored
    value could not be read and the default stands in."""
    if row is None:
        return setting.bawaan_typed, None
    try:
        return setting.baca(row.value), None
    except ValueError as exc:
        return setting.bawaan_typed, f"{setting.kunci}: {exc}; the default is in force"


def bawaan() -> PengaturanInstansi:
    """Every setting at its default (an instansi that has set nothing)."""
    return PengaturanInstansi(**{s.atribut: s.bawaan_typed for s in SETTINGS.values()})


def dari(rows: Mapping[str, TenantSetting]) -> PengaturanInstansi:
    """The settings in force given the instansi's stored rows by key; no database."""
    values = {}
    for kunci, setting in SETTINGS.items():
        values[setting.atribut], masalah = _parsed(setting, rows.get(kunci))
        if masalah is not None:
            _warn(rows[kunci], masalah)
    return PengaturanInstansi(**values)


async def _rows() -> dict[str, TenantSetting]:
    current_tenant()  # fail closed: settings exist only inside an instansi's binding
    return {row.key: row for row in await TenantSetting.filter(key__in=list(SETTINGS))}


NOTIFY_PREFIX = "pengaturan:"
"""The payload on `ekinerja_registry` that names a tenant schema whose settings changed,
`pengaturan:<schema>` (tenant migration 0021); a kode instansi never looks so."""


_diingat: Memo[PengaturanInstansi] = Memo()  # by tenant schema; frozen values, shared
# The outermost transactions that changed settings, with the schemas they changed: such a
# transaction reads from the database and keeps nothing. Weak: a transaction object that is
# over (and gone) takes its mark with it, and a new one starts unmarked.
_diubah: WeakKeyDictionary[object, set[str]] = WeakKeyDictionary()


def _transaksi() -> object:
    """The outermost transaction the task runs in (the pool's client outside one), from inside
    a savepoint too."""
    client = connections.get(CONNECTION)
    while hasattr(client, "_parent") and hasattr(client._parent, "_parent"):
        client = client._parent  # a savepoint: the transaction it is in
    return client


async def baca() -> PengaturanInstansi:
    """Every setting of the bound instansi, typed: remembered in the process, otherwise one
    query (see above)."""
    schema = current_tenant().schema_name  # fail closed: settings exist only in a binding
    menulis = schema in _diubah.get(_transaksi(), ())
    found = None if menulis else _diingat.get(schema)
    if found is not None:
        return found
    token = _diingat.reading()
    pengaturan = dari(await _rows())
    if not menulis:
        _diingat.keep(schema, pengaturan, token)
    return pengaturan


def lupakan(schema_name: str | None = None) -> None:
    """Drop what is remembered of the settings of the tenant schema ``schema_name`` (in every
    database), or of every tenant."""
    _diingat.forget(schema_name)


def berubah() -> None:
    """The bound instansi's settings are being changed in the running transaction (the
    writer calls it): forgotten now, and read from the database, never kept, until the
    transaction ends. Its end is the caller's to report (``lupakan`` once it is over; the
    trigger's NOTIFY reaches every watcher at commit)."""
    schema = current_tenant().schema_name
    _diubah.setdefault(_transaksi(), set()).add(schema)
    lupakan(schema)


async def daftar() -> list[Nilai]:
    """Every setting with the instansi's value and the value in force, in key order: one
    query."""
    rows = await _rows()
    return [nilai_of(setting, rows.get(kunci)) for kunci, setting in sorted(SETTINGS.items())]


def nilai_of(setting: Setting, row: TenantSetting | None) -> Nilai:
    """One key for the admin: an unreadable stored value shows the default in force."""
    _typed, masalah = _parsed(setting, row)
    if row is None or masalah is not None:
        berlaku = setting.berlaku(None)
    else:
        berlaku = setting.berlaku(row.value)
    return Nilai(setting, row.value if row else None, row, berlaku, masalah)


# Rows already warned about, so a busy instansi does not log the same bad value on every read;
# a new write (updated_at) warns again. Bounded: a process forgets them all past the limit.
_warned: set[tuple[str, str, datetime | None]] = set()
_WARNED_LIMIT = 10_000


def _warn(row: TenantSetting, masalah: str) -> None:
    tenant = bound_tenant_or_none()
    seen = (tenant.kode if tenant else "?", row.key, row.updated_at)
    if seen in _warned:
        return
    if len(_warned) >= _WARNED_LIMIT:
        _warned.clear()
    _warned.add(seen)
    log.warning("instansi %s: stored setting not readable, default in force: %s", seen[0], masalah)
