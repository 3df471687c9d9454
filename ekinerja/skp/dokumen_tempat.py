"""The place-and-date line of the SKP document ("Bandung, 2 Januari 2026", over the pejabat
penilai's signature, as on the official form): where and when it was signed.

The place is the instansi's seat, which the registry does not hold (an instansi has a name and
a province code, no city), so each instansi sets it (`dokumen.tempat`, checked in
`ekinerja/pengaturan/registry.py`); unset, its name stands in, which is never wrong, only long.
The date is the day of approval; a draft is printed with today's."""

from __future__ import annotations

from datetime import date

from ekinerja import pengaturan
from ekinerja.pengaturan.registry import DOKUMEN_TEMPAT
from ekinerja.skp.pdf_page import format_tanggal

TEMPAT_SETTING = DOKUMEN_TEMPAT  # the key's name, where callers and tests look for it


async def tempat(instansi_nama: str) -> str:
    """The place printed for the bound instansi: its setting, else its name."""
    return (await pengaturan.baca()).dokumen_tempat or instansi_nama


def tempat_tanggal(place: str, day: date) -> str:
    """``Bandung, 2 Januari 2026``."""
    return f"{place}, {format_tanggal(day)}"
