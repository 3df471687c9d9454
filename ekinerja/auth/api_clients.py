"""API clients an admin instansi manages for its own integrators, and the secret check of the
token endpoint.

A client an admin creates is granted to that instansi alone and is the admin's to rotate,
re-scope or revoke. Clients registered centrally (`ekinerja clients add`, possibly granted to
several instansi) are listed but managed by BKN. Registry rows live in `shared`, so every
read and write here runs outside the request's tenant binding (ekinerja/db/outside.py).
What requests remember of a client (auth/klien_dikenal.py) is forgotten here once a change is
committed, and in every other process by the tables' triggers.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.timezone import now

from ekinerja.auth.klien_dikenal import lupakan
from ekinerja.auth.policy import known_scopes
from ekinerja.db.outside import outside_binding
from ekinerja.integrasi import dokumen_terpercaya
from ekinerja.models.shared import ApiClient, ApiClientGrant, ApiClientSecret, Instansi
from ekinerja.refusals import Refusal, invalid
from ekinerja.settings import Settings

SECRET_PREFIX = "eks_"
CLIENT_ID_MAX = 93
"""Longest client id registered: its subject `client:<id>` is written wherever an actor is
recorded (audit rows, secrets' `dibuat_oleh`: 100 characters)."""
_CLIENT_ID = re.compile(r"[\x21-\x7e]+")
ROTATION_GRACE = timedelta(hours=24)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Compared with when a client id is unknown; a random secret's hash, so nothing matches it.
_UNKNOWN_CLIENT_HASH = hash_secret(new_secret())


@dataclass(frozen=True)
class Klien:
    client: ApiClient
    instansi: list[str]  # kode of every grant
    milik: bool  # managed by this instansi's admin
    rahasia: list[ApiClientSecret]  # secrets still valid, newest first


@dataclass(frozen=True)
class Terbit:
    klien: Klien
    rahasia: str  # in the clear, this once


def check_scopes(scopes: list[str]) -> list[str]:
    allowed = known_scopes()
    for index, scope in enumerate(scopes):
        if scope not in allowed:
            raise invalid(
                f"scopes[{index}]", f"{scope!r} is not a scope (known: {', '.join(allowed)})"
            )
    if not scopes:
        raise invalid("scopes", "give the client at least one scope")
    return sorted(set(scopes))


def check_client_id(client_id: str) -> str:
    """A client id to register (`ekinerja clients add`): 1–93 printable ASCII characters
    without spaces, so every place that records it as `client:<id>` holds it whole."""
    if not 0 < len(client_id) <= CLIENT_ID_MAX or not _CLIENT_ID.fullmatch(client_id):
        raise invalid(
            "clientId",
            f"a client id must be 1–{CLIENT_ID_MAX} printable ASCII characters without spaces; "
            f"the one given has {len(client_id)} characters",
        )
    return client_id


def _nama(nama: str) -> str:
    nama = (nama or "").strip()
    if not nama or len(nama) > 255:
        raise invalid("nama", "the name must be 1–255 characters")
    return nama


def _valid_secrets(client: ApiClient) -> list[ApiClientSecret]:
    moment = now()
    return sorted(
        (s for s in client.secrets if s.berlaku_sampai is None or s.berlaku_sampai > moment),
        key=lambda s: s.dibuat_pada,
        reverse=True,
    )


def _klien(client: ApiClient, instansi: Instansi) -> Klien:
    kodes = sorted(g.instansi.kode for g in client.grants)
    return Klien(client, kodes, kodes == [instansi.kode], _valid_secrets(client))


async def _load(where, instansi: Instansi) -> list[Klien]:
    clients = (
        await ApiClient.filter(where)
        .prefetch_related("grants__instansi", "secrets", "dokumen_terpercaya")
        .order_by("client_id")
    )
    return [_klien(c, instansi) for c in clients]


async def daftar(instansi: Instansi) -> list[Klien]:
    """Every client granted this instansi."""
    async with outside_binding():
        return await _load(Q(grants__instansi_id=instansi.id), instansi)


async def _owned(instansi: Instansi, client_id: str) -> Klien:
    found = await _load(Q(client_id=client_id, grants__instansi_id=instansi.id), instansi)
    if not found:
        raise Refusal("NOT_FOUND", f"no API client {client_id!r} in this instansi", "clientId")
    if not found[0].milik:
        raise Refusal(
            "NOT_OWNER",
            "the client is registered centrally (granted beyond this instansi): BKN manages it",
            "clientId",
        )
    return found[0]


async def _issue_secret(client: ApiClient, actor: str) -> str:
    secret = new_secret()
    await ApiClientSecret.create(
        api_client=client, hash=hash_secret(secret), awalan=secret[:10], dibuat_oleh=actor
    )
    return secret


async def buat(instansi: Instansi, nama: str, scopes: list[str], actor: str) -> Terbit:
    nama, scopes = _nama(nama), check_scopes(scopes)
    slug = re.sub(r"[^a-z0-9]+", "-", nama.lower()).strip("-")[:40] or "klien"
    client_id = f"{instansi.kode.lower()}-{slug}-{secrets.token_hex(3)}"
    async with outside_binding():
        client = await ApiClient.create(client_id=client_id, nama=nama, scopes=scopes)
        await ApiClientGrant.create(api_client=client, instansi=instansi)
        secret = await _issue_secret(client, actor)
        made = (await _load(Q(id=client.id), instansi))[0]
    lupakan(client_id)
    return Terbit(made, secret)


async def putar_rahasia(instansi: Instansi, client_id: str, actor: str) -> Terbit:
    """A new secret; the ones before stay valid for ROTATION_GRACE at most."""
    async with outside_binding():
        found = await _owned(instansi, client_id)
        if found.client.revoked_at is not None:
            raise Refusal("REVOKED", "the client was revoked", "clientId")
        until = now() + ROTATION_GRACE
        await (
            ApiClientSecret.filter(api_client_id=found.client.id)
            .filter(Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gt=until))
            .update(berlaku_sampai=until)
        )
        secret = await _issue_secret(found.client, actor)
        made = (await _load(Q(id=found.client.id), instansi))[0]
    lupakan(client_id)
    return Terbit(made, secret)


async def ubah_scope(instansi: Instansi, client_id: str, scopes: list[str]) -> Klien:
    scopes = check_scopes(scopes)
    async with outside_binding():
        found = await _owned(instansi, client_id)
        await ApiClient.filter(id=found.client.id).update(scopes=scopes)
        changed = (await _load(Q(id=found.client.id), instansi))[0]
    lupakan(client_id)  # committed: the next request reads the new scopes
    return changed


async def cabut(instansi: Instansi, client_id: str) -> Klien:
    """Revoke for good: its tokens stop working at once, in this process as soon as this is
    committed, in the others when their watcher hears the trigger (auth/klien_dikenal.py)."""
    async with outside_binding():
        found = await _owned(instansi, client_id)
        moment = now()
        await ApiClient.filter(id=found.client.id).update(aktif=False, revoked_at=moment)
        await ApiClientSecret.filter(api_client_id=found.client.id).update(berlaku_sampai=moment)
        revoked = (await _load(Q(id=found.client.id), instansi))[0]
    lupakan(client_id)
    return revoked


async def authenticate_secret(client_id: str, secret: str) -> ApiClient | None:
    """The active client whose valid secret this is (the token endpoint; unbound).

    The same work whether the client exists or not, so timing does not tell a registered
    client id from an unknown one: one query (client and secrets together), the secret hashed
    once, and compared with every valid secret, or with a dummy hash when there is none."""
    wanted = hash_secret(secret)
    candidates = await ApiClientSecret.filter(
        Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gt=now()),
        api_client__client_id=client_id,
        api_client__aktif=True,
        api_client__revoked_at__isnull=True,
    ).select_related("api_client")
    if not candidates:
        hmac.compare_digest(_UNKNOWN_CLIENT_HASH, wanted)
        return None
    matched = [c for c in candidates if hmac.compare_digest(c.hash, wanted)]
    return matched[0].api_client if matched else None


async def daftarkan_dokumen(
    instansi: Instansi, client_id: str, settings: Settings, dokumen: str, nama: str | None
) -> Klien:
    """Register a trusted document for one of the instansi's own clients (decision 0015)."""
    async with outside_binding():
        await _owned(instansi, client_id)
        try:
            await dokumen_terpercaya.register(settings, client_id, dokumen, nama)
        except Refusal as refusal:  # the registry names CLI arguments; GraphQL names its own
            raise Refusal(refusal.code, refusal.message, "dokumen") from None
        return (await _load(Q(client_id=client_id), instansi))[0]


async def hapus_dokumen(instansi: Instansi, client_id: str, hash_: str) -> Klien:
    async with outside_binding():
        await _owned(instansi, client_id)
        try:
            await dokumen_terpercaya.remove(client_id, hash_)
        except Refusal as refusal:
            raise Refusal(refusal.code, refusal.message, "hash") from None
        return (await _load(Q(client_id=client_id), instansi))[0]


async def batasi(instansi: Instansi, client_id: str, on: bool) -> Klien:
    """Restrict the client to its registered documents, or lift that."""
    async with outside_binding():
        await _owned(instansi, client_id)
        await dokumen_terpercaya.restrict(client_id, on)
        changed = (await _load(Q(client_id=client_id), instansi))[0]
    lupakan(client_id)
    return changed
