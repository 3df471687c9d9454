"""The place-and-date line of the SKP document ("Bandung, 2 Januari 2026", over the pejabat
penilai's signature, as on the official form): where and when it was signed.

The place is the instansi's seat, which the registry does not hold (an instansi has a name and
a province code, no city), so each instansi sets it (`dokumen.tempat`); unset, its name stands
in, which is never wrong, only long. The date is the day of approval; a draft is printed with
today's."""

from __future__ import annotations

from datetime import date

from ekinerja.models.tenant import TenantSetting
from ekinerja.skp.pdf_page import format_tanggal

TEMPAT_SETTING = "dokumen.tempat"
DEFAULT_TEMPAT = ""  # the instansi's name
MAX_TEMPAT = 100


def check_tempat(value: object) -> None:
    """Raises ValueError unless ``value`` is a place name that fits the line (the setting's
    check; empty restores the instansi's name)."""
    if not isinstance(value, str) or len(value.strip()) > MAX_TEMPAT:
        raise ValueError(f"expected the name of a place, at most {MAX_TEMPAT} characters")


async def tempat(instansi_nama: str) -> str:
    """The place printed for the bound instansi."""
    setting = await TenantSetting.get_or_none(key=TEMPAT_SETTING)
    value = setting.value if setting else None
    if isinstance(value, str) and value.strip() and len(value.strip()) <= MAX_TEMPAT:
        return value.strip()
    return instansi_nama


def tempat_tanggal(place: str, day: date) -> str:
    """``Bandung, 2 Januari 2026``."""
    return f"{place}, {format_tanggal(day)}"
