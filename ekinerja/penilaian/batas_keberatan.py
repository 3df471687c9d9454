"""How long a pegawai may object to a fixed result: a tenant setting (DOMAIN.md 6, [L]).
Its own module because penetapan (which announces the deadline) and keberatan (which enforces
it) both read it, and keberatan builds on penetapan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ekinerja.models.tenant import TenantSetting

DAYS_SETTING = "keberatan.batas_hari"
DEFAULT_DAYS = 14


async def batas_hari() -> int:
    setting = await TenantSetting.get_or_none(key=DAYS_SETTING)
    value = setting.value if setting else None
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 365
    return value if ok else DEFAULT_DAYS


def batas_dari(ditetapkan_pada: datetime, days: int, zone: ZoneInfo) -> date:
    """The last day to file: calendar days counted from the date the result was fixed where
    the instansi is (``zone``: `calendar.zona()`), so day 14 in WITA is day 14 in Makassar."""
    return ditetapkan_pada.astimezone(zone).date() + timedelta(days=days)
