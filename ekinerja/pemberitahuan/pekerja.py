"""The worker's part (ekinerja/background.py calls `jalankan` per instansi): notifications
from new outbox events, the day's deadline reminders, then due emails. Each step in short
transactions of its own; emails are sent between them, never inside one."""

from __future__ import annotations

import logging

from ekinerja.models.shared import Instansi
from ekinerja.pemberitahuan import surel
from ekinerja.pemberitahuan.produksi import dari_outbox
from ekinerja.pemberitahuan.tenggat import periksa
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

log = logging.getLogger(__name__)


async def jalankan(instansi: Instansi, settings: Settings, tenggat: bool = True) -> int:
    """One pass over one instansi; returns the emails still due (0: nothing to retry soon)."""
    bound = as_bound(instansi)
    email = surel.aktif(settings)
    async with tenant_transaction(bound):
        await dari_outbox(email)
    if tenggat:
        async with tenant_transaction(bound):
            await periksa(email)
    if not email:
        return 0
    return await kirim_surel(instansi, settings)


async def kirim_surel(instansi: Instansi, settings: Settings) -> int:
    """Send the due emails of one instansi; how many were left to retry."""
    if not surel.SERVER.available():
        return 1  # paused after a failure: kept for the next pass, nothing claimed
    bound = as_bound(instansi)
    moment = surel.sekarang()
    async with tenant_transaction(bound):
        claimed = await surel.klaim(moment, surel.lease(settings))
    retry = 0
    for index, item in enumerate(claimed):
        galat = await surel.kirim(item, settings, instansi.nama)
        async with tenant_transaction(bound):
            status = await surel.catat(item, galat, surel.sekarang(), settings)
        if status == surel.MENUNGGU:
            retry += 1
            log.warning("notification email failed", extra={"instansi": instansi.kode})
        if galat is not None and item.kepada:  # the server failed, not the address
            surel.SERVER.failed()
            # The rest of the batch keeps its lease and is claimed again after it.
            return retry + len(claimed) - index - 1
    return retry


async def jalankan_banyak(
    tenants: list[Instansi], settings: Settings, tenggat: bool
) -> list[Instansi]:
    """A pass over each; one instansi's trouble does not stop the others. The instansi with
    emails to retry."""
    again = []
    for instansi in tenants:
        try:
            if await jalankan(instansi, settings, tenggat):
                again.append(instansi)
        except Exception:
            log.exception("notifications failed", extra={"instansi": instansi.kode})
            again.append(instansi)
    return again
