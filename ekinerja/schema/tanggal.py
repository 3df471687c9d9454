"""The date a query or field reads "as of" when the caller gives none: today where the
request's instansi is (its zone, `calendar.zona`, read once per request), not in WIB."""

from __future__ import annotations

from datetime import date

from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.schema.context import Info
from ekinerja.schema.penilaian.dataloaders import instansi_zone


async def hari_ini(info: Info) -> date:
    return tanggal_di(await info.context.loader(instansi_zone).load(None))


async def tanggal_atau_hari_ini(info: Info, tanggal: date | None) -> date:
    return tanggal if tanggal is not None else await hari_ini(info)
