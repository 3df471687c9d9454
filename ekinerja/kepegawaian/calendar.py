"""What "today" means for the civil service: the date in Western Indonesia (WIB), where BKN
and most agencies are. Per-tenant time zones (WITA, WIT) are a tenant setting to come."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def today() -> date:
    return datetime.now(WIB).date()
