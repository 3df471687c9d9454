"""One attempt over HTTP: the signed POST and what came of it. No database here."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx

from ekinerja.schema.ids import EVENT_TYPE, encode_id
from ekinerja.settings import Settings
from ekinerja.webhooks.alamat import Sasaran, public_target
from ekinerja.webhooks.pengiriman import Hasil, Klaim
from ekinerja.webhooks.rahasia import Segel
from ekinerja.webhooks.tanda_tangan import SIGNATURE_HEADER, header

USER_AGENT = "ekinerja-webhooks/1"


async def kirim(
    http: httpx.AsyncClient,
    klaim: Klaim,
    kode_instansi: str,
    segel: Segel,
    settings: Settings,
    now: datetime,
) -> Hasil:
    """One attempt, within ``webhook_timeout_seconds`` from resolving the host to the status
    line: httpx's timeouts bound each read, not a receiver that answers a byte at a time.
    Receivers rely on the headers set here: docs/integrators.md §3 lists each with its meaning
    (tests/test_docs_examples.py compares that list with a real delivery's)."""
    limit = settings.webhook_timeout_seconds
    try:
        async with asyncio.timeout(limit):
            secrets = [segel.open(klaim.rahasia, klaim.langganan_id)]
            if klaim.rahasia_lama:
                secrets.append(segel.open(klaim.rahasia_lama, klaim.langganan_id))
            target = (
                Sasaran(klaim.url, {}, {})
                if settings.webhooks_may_reach_private
                else await public_target(klaim.url)
            )
            request = http.build_request(
                "POST",
                target.url,
                content=klaim.body,
                headers={
                    **target.headers,
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                    "X-Ekinerja-Instansi": kode_instansi,
                    "X-Ekinerja-Event": klaim.jenis,
                    # Global ids (decision 0028), as in the body and webhookPengiriman.
                    "X-Ekinerja-Event-Id": encode_id(EVENT_TYPE, klaim.event_id, kode_instansi),
                    "X-Ekinerja-Delivery": encode_id(
                        "WebhookPengiriman", klaim.pengiriman_id, kode_instansi
                    ),
                    SIGNATURE_HEADER: header(secrets, int(now.timestamp()), klaim.body),
                },
                timeout=limit,
                extensions=target.extensions,
            )
            # A redirect could point anywhere, past the address check: not followed. The body
            # is never read: the status is the answer.
            response = await http.send(request, follow_redirects=False, stream=True)
            await response.aclose()
    except TimeoutError:  # before OSError, of which it is one
        return Hasil(klaim, None, f"Timeout: no answer within {limit:g} s")
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return Hasil(klaim, None, f"{type(exc).__name__}: {exc}")
    return Hasil(klaim, response.status_code, None)
