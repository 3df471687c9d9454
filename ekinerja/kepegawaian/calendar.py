"""What "today" means for the civil service: the date where the instansi is. Indonesia has
three zones (WIB, WITA, WIT); each instansi sets its own (`instansi.zona_waktu`, WIB by
default, where BKN and most agencies are). This module alone decides which zone a date is
read in: `zona()` inside a tenant's transaction, WIB outside one (the operator's CLI, a
process with no instansi bound).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ekinerja.models.tenant import TenantSetting
from ekinerja.tenants.context import bound_tenant_or_none

WIB = ZoneInfo("Asia/Jakarta")

ZONE_SETTING = "instansi.zona_waktu"
DEFAULT_ZONE = "Asia/Jakarta"
# The only zones an Indonesian instansi can be in, with the name people use for each.
ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


# The same decision for statements that judge many rows at once (finality in SQL): the bound
# instansi's zone from its setting, WIB when unset or not one of ZONES. Built from the names
# above, so the SQL and `zona()` cannot disagree.
ZONE_SQL = (
    "coalesce((SELECT z.value #>> '{}' FROM tenant_setting z "
    f"WHERE z.key = '{ZONE_SETTING}' AND z.value #>> '{{}}' IN "
    f"({', '.join(repr(name) for name in ZONES)})), '{DEFAULT_ZONE}')"
)


def check_zone(value: object) -> None:
    """Raises ValueError unless ``value`` is one of ZONES (the setting's check)."""
    if value not in ZONES:
        allowed = ", ".join(f"{name} ({label})" for name, label in ZONES.items())
        raise ValueError(f"{value!r} is not one of {allowed}")


async def zona() -> ZoneInfo:
    """The bound instansi's zone; WIB when no instansi is bound or it set none (a stored value
    outside ZONES, written before the check existed, also reads as WIB)."""
    if bound_tenant_or_none() is None:
        return WIB
    setting = await TenantSetting.get_or_none(key=ZONE_SETTING)
    return ZoneInfo(setting.value) if setting and setting.value in ZONES else WIB


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
