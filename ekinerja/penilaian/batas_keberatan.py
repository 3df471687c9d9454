"""How long a pegawai may object to a fixed result: a tenant setting (docs/domain.md 6, [L];
`keberatan.batas_hari`, default and check in `ekinerja/pengaturan/registry.py`). Its own module
because penetapan (which announces the deadline) and keberatan (which enforces it) both use
it, and keberatan builds on penetapan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ekinerja import pengaturan
from ekinerja.pengaturan.registry import BATAS_HARI_KEBERATAN

DAYS_SETTING = BATAS_HARI_KEBERATAN  # the key's name, where callers and tests look for it


async def batas_hari() -> int:
    """The bound instansi's days. An operation that reads other settings too takes
    `(await pengaturan.baca()).batas_hari_keberatan` with them instead (one query)."""
    return (await pengaturan.baca()).batas_hari_keberatan


def batas_dari(ditetapkan_pada: datetime, days: int, zone: ZoneInfo) -> date:
    """The last day to file: calendar days counted from the date the result was fixed where
    the instansi is (``zone``: `calendar.zona()`), so day 14 in WITA is day 14 in Makassar."""
    return ditetapkan_pada.astimezone(zone).date() + timedelta(days=days)
