"""Browser sessions kept server-side (decision 0017).

A login makes a row in `shared.sesi_browser` and hands the browser a random 256-bit session id;
the row keeps only the id's SHA-256 (the id is random, so a plain hash is enough) and the
principal the login's token was validated to, never the access token. Each request looks the
row up and refuses it once logged out, revoked by an admin, idle too long, or past its absolute
end (`session_max_seconds` after login). A session never outlives the identity provider's grant:
without a refresh token it ends with the login's access token; with one (kept sealed, issue 18,
ekinerja/auth/sesi_idp.py) the grant is renewed silently at the provider when it ends, never
past the absolute end, and revoked there when the session ends. Registry rows: everything here
runs outside any tenant binding.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from ekinerja.auth.errors import AuthError
from ekinerja.auth.principal import Principal, Role
from ekinerja.db.config import CONNECTION
from ekinerja.models.shared import SesiBrowser
from ekinerja.settings import Settings

if TYPE_CHECKING:
    from ekinerja.auth.sesi_idp import SessionIdp

# Writing last use on every request would make every read a write; to the minute is enough
# for an idle limit counted in minutes.
TOUCH_EVERY = timedelta(minutes=1)
# A grant ending within this long is renewed now: a request does not start on a grant that
# ends while it runs.
REFRESH_MARGIN = timedelta(seconds=60)
_MAX_ID_LENGTH = 64  # token_urlsafe(32) is 43 characters; anything longer is not ours
_USER_AGENT_LENGTH = 255
_ADDRESS_LENGTH = 45  # the longest textual IPv6 address


class SessionEnded(AuthError):
    code = "SESSION_EXPIRED"


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta
    maximum: timedelta

    @classmethod
    def of(cls, settings: Settings) -> Lifetimes:
        return cls(
            timedelta(seconds=settings.session_idle_seconds),
            timedelta(seconds=settings.session_max_seconds),
        )


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def start(
    principal: Principal,
    token_expires_at: datetime | None,
    lifetimes: Lifetimes,
    *,
    user_agent: str | None,
    ip_address: str | None,
    refresh_token: str | None = None,
    idp: SessionIdp | None = None,
) -> tuple[str, SesiBrowser]:
    """A new session of a person: its id (for the cookie, shown only now) and its row. With a
    refresh token (and ``idp`` to seal it) the session lasts to its absolute end, its grant
    renewed as it ends; without, it ends with the access token (``token_expires_at``)."""
    if not principal.is_person:
        raise AuthError("browser sessions are for persons: use a bearer token")
    session_id = secrets.token_urlsafe(32)
    session_hash = _hash(session_id)
    moment = now()
    ends = moment + lifetimes.maximum
    grant_ends = ends if token_expires_at is None else min(ends, token_expires_at)
    sealed = None
    if refresh_token and idp is not None:
        sealed = idp.seal.seal(refresh_token, session_hash)
    row = await SesiBrowser.create(
        hash=session_hash,
        nip=principal.nip,
        roles=sorted(role.value for role in principal.roles),
        instansi_kode=principal.instansi_kode,
        last_seen_at=moment,
        expires_at=ends if sealed else grant_ends,
        token_expires_at=grant_ends,
        refresh_token_sealed=sealed,
        user_agent=(user_agent or "")[:_USER_AGENT_LENGTH] or None,
        ip_address=(ip_address or "")[:_ADDRESS_LENGTH] or None,
    )
    return session_id, row


def _live(lifetimes: Lifetimes, moment: datetime) -> Q:
    """Sessions still usable at ``moment``; `prune` deletes the others."""
    return Q(
        revoked_at__isnull=True,
        expires_at__gt=moment,
        last_seen_at__gt=moment - lifetimes.idle,
    )


async def principal_of(
    session_id: str, lifetimes: Lifetimes, idp: SessionIdp | None = None
) -> Principal:
    """The principal of a live session; AuthError for an unknown id, SessionEnded for one
    that was logged out, revoked or has expired. A grant ending (within REFRESH_MARGIN) of a
    session holding a refresh token is renewed first through ``idp`` (sesi_idp.py); without
    ``idp`` such a session ends with its grant."""
    row = None
    if 0 < len(session_id) <= _MAX_ID_LENGTH:
        row = await SesiBrowser.get_or_none(hash=_hash(session_id))
    if row is None:
        raise AuthError("unknown browser session: log in again")
    moment = now()
    if row.revoked_at is not None:
        raise SessionEnded("the browser session was ended (logout or an admin): log in again")
    if moment >= row.expires_at or moment - row.last_seen_at >= lifetimes.idle:
        raise SessionEnded("the browser session has expired: log in again")
    grant = row.token_expires_at
    if grant is not None and grant < row.expires_at and row.refresh_token_sealed is not None:
        if idp is not None and moment >= grant - REFRESH_MARGIN:
            return await idp.renew(row.id, moment)  # writes last use too
    if grant is not None and moment >= grant:
        raise SessionEnded("the browser session's grant has ended: log in again")
    if moment - row.last_seen_at >= TOUCH_EVERY:
        await SesiBrowser.filter(id=row.id).update(last_seen_at=moment)
    return Principal(
        subject=row.nip,
        roles=frozenset(Role(role) for role in row.roles),
        instansi_kode=row.instansi_kode,
        nip=row.nip,
    )


async def end(session_id: str, idp: SessionIdp | None = None) -> SesiBrowser | None:
    """Logout: the session's row if it was live until now (then revoked, its refresh token
    cleared and, through ``idp``, revoked at the provider, best effort), else None."""
    if not 0 < len(session_id) <= _MAX_ID_LENGTH:
        return None
    async with in_transaction(CONNECTION) as connection:
        # Locked: a refresh running now finishes first, and the token it stored is the one
        # revoked.
        row = (
            await SesiBrowser.select_for_update()
            .using_db(connection)
            .get_or_none(hash=_hash(session_id), revoked_at__isnull=True)
        )
        if row is None:
            return None
        await (
            SesiBrowser.filter(id=row.id)
            .using_db(connection)
            .update(revoked_at=now(), refresh_token_sealed=None)
        )
    if idp is not None and row.refresh_token_sealed:
        await idp.revoke_sealed([(row.hash, row.refresh_token_sealed)])
    return row


def _holder(instansi_kode: str | None, nip: str) -> Q:
    """A person's sessions as a member of one instansi, or (None) those of a central login, a
    BKN admin whose token names no instansi."""
    if instansi_kode is None:
        return Q(nip=nip, instansi_kode__isnull=True)
    return Q(nip=nip, instansi_kode=instansi_kode)


def live(instansi_kode: str | None, nip: str, lifetimes: Lifetimes) -> QuerySet[SesiBrowser]:
    """The query of a person's live sessions in their instansi (None: their central ones),
    unordered: a page of them is ordered by its reader (GraphQL's `sesiBrowser`)."""
    return SesiBrowser.filter(_live(lifetimes, now()), _holder(instansi_kode, nip))


async def live_sessions(
    instansi_kode: str | None, nip: str, lifetimes: Lifetimes
) -> list[SesiBrowser]:
    """A person's live sessions in their instansi (None: their central ones), most recently
    used first."""
    return await live(instansi_kode, nip, lifetimes).order_by("-last_seen_at", "-id")


async def revoke_person(
    instansi_kode: str | None, nip: str, lifetimes: Lifetimes, idp: SessionIdp | None = None
) -> int:
    """End every live session of a person in their instansi (an admin's demand), or (None)
    every central one (the operator's, `ekinerja sessions revoke`); how many. Sessions the
    same NIP holds as a member of another instansi, or centrally, stay. Their refresh tokens
    are cleared and, through ``idp``, revoked at the provider (best effort)."""
    moment = now()
    async with in_transaction(CONNECTION) as connection:
        rows = (
            await SesiBrowser.filter(_live(lifetimes, moment), _holder(instansi_kode, nip))
            .select_for_update()
            .using_db(connection)
            .values_list("id", "hash", "refresh_token_sealed")
        )
        if rows:
            await (
                SesiBrowser.filter(id__in=[row_id for row_id, _, _ in rows])
                .using_db(connection)
                .update(revoked_at=moment, refresh_token_sealed=None)
            )
    if idp is not None:
        await idp.revoke_sealed([(hash_, sealed) for _, hash_, sealed in rows if sealed])
    return len(rows)


async def prune(lifetimes: Lifetimes) -> int:
    """Delete sessions that can no longer be used (the worker's upkeep); how many."""
    return await SesiBrowser.filter(~_live(lifetimes, now())).delete()
