"""The instansi's settings, read once per GraphQL request: resolvers that need a setting (the
date "today", keberatan days, the annual policy) share one `pengaturan.baca()`, which the process
remembers across requests (ekinerja/pengaturan/reader.py), so a request that needs "today"
usually sends nothing for it. A request is bound to one instansi, so what is read here is never
seen under another. `ubahPengaturan` and `pulihkanPengaturan` clear it, so a later field of the
same request reads the new value, and have the process forget the instansi's settings once the
request's transaction is over, so the very next request reads what was committed."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from ekinerja import pengaturan
from ekinerja.schema.context import Context, Info
from ekinerja.tenants.context import current_tenant


def _sekali() -> DataLoader[None, pengaturan.PengaturanInstansi]:
    async def load(keys):
        found = await pengaturan.baca()
        return [found for _ in keys]

    return DataLoader(load)


async def pengaturan_request(info: Info) -> pengaturan.PengaturanInstansi:
    """The request's instansi's settings (remembered by the process, else one query)."""
    return await pengaturan_untuk(info.context)


async def pengaturan_untuk(context: Context) -> pengaturan.PengaturanInstansi:
    return await context.loader(_sekali).load(None)


def pengaturan_berubah(info: Info) -> None:
    """A setting changed in this request: read them again next time, and once the transaction
    is over (committed or not) forget what the process remembers of them. The writer forgot
    them already, but another request of the same instansi may have remembered the value from
    before the commit meanwhile; the trigger's NOTIFY tells the watcher so too, this holds in a
    process that runs none."""
    info.context.loader(_sekali).clear_all()
    schema = current_tenant().schema_name

    async def lupakan() -> None:
        pengaturan.lupakan(schema)

    info.context.after_transaction.append(lupakan)
