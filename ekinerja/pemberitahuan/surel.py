"""Notification emails through SMTP (decision 0041): an optional channel, on when `smtp_host`
is set. The worker claims due emails in a short transaction (their next attempt moves to the
end of a lease, so a crash retries them later, not twice at once), sends each outside any
transaction with a timeout, and records the outcome in another: sent, retried with backoff,
or given up (GAGAL) after `smtp_max_attempts`. Never in a request."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from tortoise.timezone import now as utc_now

from ekinerja.db.sql import fetch
from ekinerja.pemberitahuan.produksi import GAGAL, MENUNGGU, TERKIRIM
from ekinerja.settings import Settings

BATCH = 50
BACKOFF = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
FOOTER = (
    "\n\n--\nPemberitahuan ini dikirim otomatis oleh e-Kinerja {instansi}. "
    "Atur pemberitahuan Anda di aplikasi."
)


def aktif(settings: Settings) -> bool:
    return bool(settings.smtp_host)


@dataclass(frozen=True)
class Surel:
    id: int
    percobaan: int
    kepada: str
    nama: str
    judul: str
    isi: str


async def klaim(now: datetime, lease: timedelta, limit: int = BATCH) -> list[Surel]:
    """Due emails of the bound tenant, leased (their next attempt moved to now + lease)."""
    rows = await fetch(
        """UPDATE pemberitahuan p SET surel_berikutnya_pada = $2
           FROM pegawai g
           WHERE g.id = p.pegawai_id AND p.id IN (
               SELECT id FROM pemberitahuan WHERE surel_status = $3 AND surel_berikutnya_pada <= $1
               ORDER BY surel_berikutnya_pada, id LIMIT $4 FOR UPDATE SKIP LOCKED)
           RETURNING p.id, p.surel_percobaan, g.email, g.nama, p.judul, p.isi""",
        now,
        now + lease,
        MENUNGGU,
        limit,
    )
    return [
        Surel(r["id"], r["surel_percobaan"], r["email"] or "", r["nama"], r["judul"], r["isi"])
        for r in rows
    ]


def pesan(surel: Surel, settings: Settings, instansi: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = formataddr((surel.nama, surel.kepada))
    message["Subject"] = surel.judul
    message["Message-ID"] = make_msgid(domain="ekinerja")
    message.set_content(surel.isi + FOOTER.format(instansi=instansi))
    return message


def _kirim_sync(message: EmailMessage, settings: Settings) -> None:
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout_seconds
    if settings.smtp_tls == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if settings.smtp_tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password or "")
        client.send_message(message)


async def kirim(surel: Surel, settings: Settings, instansi: str) -> str | None:
    """Send one email; None when the server accepted it, else what went wrong."""
    if not surel.kepada:
        return "the pegawai has no email address"
    try:
        await asyncio.wait_for(
            asyncio.to_thread(_kirim_sync, pesan(surel, settings, instansi), settings),
            settings.smtp_timeout_seconds * 2,
        )
    except (OSError, smtplib.SMTPException, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"[:500]
    return None


async def catat(surel: Surel, galat: str | None, now: datetime, settings: Settings) -> str:
    """Record an attempt's outcome; the status it leaves."""
    attempts = surel.percobaan + 1
    if galat is None:
        status, due = TERKIRIM, None
    elif attempts >= settings.smtp_max_attempts:
        status, due = GAGAL, None
    else:
        status, due = MENUNGGU, now + min(BACKOFF * 2 ** (attempts - 1), BACKOFF_MAX)
    await fetch(
        "UPDATE pemberitahuan SET surel_status = $2, surel_percobaan = $3, "
        "surel_berikutnya_pada = $4, surel_galat = $5 WHERE id = $1",
        surel.id,
        status,
        attempts,
        due,
        galat,
    )
    return status


class _Server:
    """Whether the SMTP server is worth trying now, for this process. A server down or frozen
    fails each email only after its timeout, and emails are sent in the worker's loop, where
    webhook deliveries wait: after one failure nothing is sent for BACKOFF (one timeout per
    pause, not one per email of every instansi)."""

    def __init__(self) -> None:
        self.paused_until = 0.0

    def available(self) -> bool:
        return time.monotonic() >= self.paused_until

    def failed(self) -> None:
        self.paused_until = time.monotonic() + BACKOFF.total_seconds()

    def reset(self) -> None:
        self.paused_until = 0.0


SERVER = _Server()


def lease(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.smtp_timeout_seconds * 2 + 60)


def sekarang() -> datetime:
    return utc_now()
