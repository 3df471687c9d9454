"""What "today" means for the civil service: the date where the instansi is. Indonesia has
three zones (WIB, WITA, WIT); each instansi sets its own (`instansi.zona_waktu`, WIB by
default, where BKN and most agencies are; the setting's check and default are in
`ekinerja/pengaturan/registry.py`). This module decides which zone a date is read in: `zona()`
inside a tenant's transaction, WIB outside one (the operator's CLI, a process with no
instansi bound).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ekinerja import pengaturan
from ekinerja.pengaturan.registry import ZONA_WAKTU
from ekinerja.pengaturan.sql import ZONA_SQL
from ekinerja.tenants.context import bound_tenant_or_none

WIB = ZoneInfo("Asia/Jakarta")

ZONE_SETTING = ZONA_WAKTU  # the key's name, where callers and tests look for it

# The same decision for statements that judge many rows at once (finality in SQL), from the
# settings package, so the SQL and `zona()` cannot disagree.
ZONE_SQL = ZONA_SQL


async def zona() -> ZoneInfo:
    """The bound instansi's zone (its setting `instansi.zona_waktu`, read by `pengaturan`);
    WIB when no instansi is bound. An operation that reads other settings too takes
    `(await pengaturan.baca()).zona_waktu` with them instead (one query)."""
    if bound_tenant_or_none() is None:
        return WIB
    return (await pengaturan.baca()).zona_waktu


# The instant "now" is, when fixed: a scenario or a test runs the year on an injected clock
# (`pada`); unset, the real clock. A context variable, so it follows the request's tasks.
_fixed_now: ContextVar[datetime | None] = ContextVar("calendar_fixed_now", default=None)


def sekarang() -> datetime:
    """The current instant (aware), from the injected clock when one is set."""
    return _fixed_now.get() or datetime.now(UTC)


@contextmanager
def pada(instant: datetime) -> Iterator[None]:
    """Within the block, "now" is ``instant`` (aware) for every date this module gives."""
    token = _fixed_now.set(instant)
    try:
        yield
    finally:
        _fixed_now.reset(token)


def today() -> date:
    """Today in WIB: for callers outside any instansi. Inside one, use `hari_ini`."""
    return sekarang().astimezone(WIB).date()


def tanggal_di(zone: ZoneInfo, at: datetime | None = None) -> date:
    """The date in ``zone`` now (or at the instant ``at``)."""
    return (at if at is not None else sekarang()).astimezone(zone).date()


async def hari_ini(at: datetime | None = None) -> date:
    """The date where the bound instansi is, now (or at the instant ``at``)."""
    return tanggal_di(await zona(), at)
