"""Single-use download links of the local store (decision 0017): a link's nonce is recorded
when the file is served, and a second request with it is refused. In the database, so the
rule holds across processes and restarts; rows go once their link has expired anyway."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.timezone import now

from ekinerja.models.shared import UnduhanTerpakai
from ekinerja.storage.local import LinkUsed


async def use_once(nonce: str, expires_at: datetime) -> None:
    """Record the nonce, or refuse (LinkUsed) when it was recorded before. The primary key
    decides: of two concurrent requests with one link, exactly one gets the file."""
    try:
        await UnduhanTerpakai.create(nonce=nonce, expires_at=expires_at)
    except IntegrityError:
        raise LinkUsed("this download link was used already: ask for a new one") from None


async def prune() -> int:
    """Forget nonces of links that have expired (the worker's upkeep); how many."""
    return await UnduhanTerpakai.filter(expires_at__lte=now()).delete()
