"""JSON Web Key Sets, fetched over HTTP from configured locations and cached per location.

Keys rotate without a restart: a token whose `kid` is unknown triggers one refetch, and
refetches are rate-limited per location so a flood of made-up `kid`s cannot hammer the
identity provider. Only locations from our own configuration are ever fetched, never one named
inside a token (`jku`, `x5u`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from joserfc.jwk import KeySet

from ekinerja.auth.errors import InvalidToken


@dataclass
class _Entry:
    keys: KeySet
    fetched_at: float

    def find(self, kid: str | None):
        for key in self.keys.keys:
            if kid is None or key.kid == kid:
                return key
        return None


class JwksCache:
    def __init__(
        self,
        http: httpx.AsyncClient,
        min_refetch_interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._interval = min_refetch_interval
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.fetches = 0

    async def key(self, jwks_uri: str, kid: str | None):
        """The key with ``kid`` from the set at ``jwks_uri``, or InvalidToken."""
        entry = self._entries.get(jwks_uri) or await self._fetch(jwks_uri, None)
        key = entry.find(kid)
        if key is None:
            entry = await self._fetch(jwks_uri, entry)
            key = entry.find(kid)
        if key is None:
            raise InvalidToken(f"signing key {kid!r} is not published by the issuer")
        return key

    async def _fetch(self, jwks_uri: str, stale: _Entry | None) -> _Entry:
        lock = self._locks.setdefault(jwks_uri, asyncio.Lock())
        async with lock:
            current = self._entries.get(jwks_uri)
            if current is not None and current is not stale:
                return current  # another request refreshed it while we waited
            if stale is not None and self._clock() - stale.fetched_at < self._interval:
                return stale  # refetched moments ago: do not ask again yet
            try:
                response = await self._http.get(jwks_uri, timeout=5.0)
                response.raise_for_status()
                keys = KeySet.import_key_set(response.json())
            except (httpx.HTTPError, ValueError) as error:
                if stale is not None:
                    return stale
                raise InvalidToken(
                    f"the issuer's signing keys could not be fetched ({type(error).__name__})",
                    code="JWKS_UNAVAILABLE",
                ) from error
            self.fetches += 1
            entry = _Entry(keys, self._clock())
            self._entries[jwks_uri] = entry
            return entry
