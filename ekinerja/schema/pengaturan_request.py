"""The instansi's settings, read once per GraphQL request: resolvers that need a setting (the
date "today", keberatan days, the annual policy) share one `pengaturan.baca()`. A request is
bound to one instansi, so what is read here is never seen under another; `ubahPengaturan` and
`pulihkanPengaturan` clear it, so a later field of the same request reads the new value."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from ekinerja import pengaturan
from ekinerja.schema.context import Info


def _sekali() -> DataLoader[None, pengaturan.PengaturanInstansi]:
    async def load(keys):
        found = await pengaturan.baca()
        return [found for _ in keys]

    return DataLoader(load)


async def pengaturan_request(info: Info) -> pengaturan.PengaturanInstansi:
    """The request's instansi's settings (one query per request)."""
    return await info.context.loader(_sekali).load(None)


def pengaturan_berubah(info: Info) -> None:
    """A setting changed in this request: read them again next time."""
    info.context.loader(_sekali).clear_all()
