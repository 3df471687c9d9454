"""Evaluation windows of a year from the instansi's cadence for that year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ekinerja import audit
from ekinerja.db.locks import serialize
from ekinerja.models.tenant import PeriodeTahun, RencanaAksi
from ekinerja.skp.enums import Kadensi
from ekinerja.skp.errors import SkpError

DEFAULT_KADENSI = Kadensi.TRIWULANAN
_MONTHS = {Kadensi.BULANAN: 1, Kadensi.TRIWULANAN: 3, Kadensi.SEMESTERAN: 6}
_PREFIX = {Kadensi.BULANAN: "B", Kadensi.TRIWULANAN: "T", Kadensi.SEMESTERAN: "S"}


@dataclass(frozen=True)
class Window:
    kode: str  # e.g. 2026-T1
    nama: str
    awal: date
    akhir: date  # inclusive


def windows(tahun: int, kadensi: Kadensi) -> list[Window]:
    step = _MONTHS[kadensi]
    result = []
    for index, month in enumerate(range(1, 13, step), start=1):
        start = date(tahun, month, 1)
        end_month = month + step
        end = (date(tahun + 1, 1, 1) if end_month > 12 else date(tahun, end_month, 1)) - timedelta(
            days=1
        )
        result.append(
            Window(
                f"{tahun}-{_PREFIX[kadensi]}{index}", f"{kadensi.value.title()} {index}", start, end
            )
        )
    return result


def clip(window: Window, awal: date, akhir: date) -> Window | None:
    """The part of ``window`` an SKP running awal..akhir (inclusive) covers, with the window's
    code and name; None if the SKP does not reach into it. A pegawai who starts on 1 March or
    leaves on 15 March is evaluated, and credited, for the days the SKP was in force only."""
    start, end = max(window.awal, awal), min(window.akhir, akhir)
    if start > end:
        return None
    return Window(window.kode, window.nama, start, end)


async def kadensi_of(tahun: int) -> Kadensi:
    setting = await PeriodeTahun.get_or_none(tahun=tahun)
    return setting.kadensi if setting else DEFAULT_KADENSI


async def kadensi_for_planning(tahun: int) -> Kadensi:
    """The year's cadence, held (shared) until the transaction ends, for a write that plans
    rencana aksi in its windows: a concurrent set_kadensi waits for it and then sees the plan,
    or commits first and this sees the new cadence."""
    await serialize("kadensi", tahun, shared=True)
    return await kadensi_of(tahun)


class KadensiLocked(SkpError):
    def __init__(self, message: str) -> None:
        super().__init__("KADENSI_LOCKED", message, "kadensi")


async def set_kadensi(tahun: int, kadensi: Kadensi, actor: str) -> PeriodeTahun:
    """Set a year's cadence. Refused once rencana aksi are planned in that year's windows:
    changing it then would orphan them."""
    await serialize("kadensi", tahun)  # alone: no rencana aksi is planned meanwhile
    if await RencanaAksi.filter(periode__startswith=f"{tahun}-").exists():
        raise KadensiLocked(
            f"rencana aksi are already planned for {tahun}; its cadence can no longer change"
        )
    setting, _ = await PeriodeTahun.update_or_create(defaults={"kadensi": kadensi}, tahun=tahun)
    await audit.record(actor, "periode.set_kadensi", "periode_tahun", tahun, kadensi=kadensi.value)
    return setting
