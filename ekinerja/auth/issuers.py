"""The trusted issuers: the registry's identity providers, plus the local development issuer
when (and only when) the service runs in development mode."""

from __future__ import annotations

import time
from collections.abc import Callable

from ekinerja.auth.tokens import IssuerConfig
from ekinerja.models.shared import IdentityProvider


def _config(provider: IdentityProvider, instansi_kode: str | None) -> IssuerConfig:
    return IssuerConfig(
        issuer=provider.issuer,
        audiences=tuple(provider.audiences),
        jwks_uri=provider.jwks_uri,
        instansi_kode=instansi_kode,
        nip_claim=provider.nip_claim,
        tenant_claim=provider.tenant_claim,
        roles_claim=provider.roles_claim,
        admin_role=provider.admin_role,
        central_admin_role=provider.central_admin_role,
    )


class IssuerDirectory:
    """Issuer configurations by `iss`, re-read from the registry at most every ``ttl`` seconds
    so a newly registered or removed issuer takes effect without a restart."""

    def __init__(
        self,
        extra: tuple[IssuerConfig, ...] = (),
        ttl: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._extra = {config.issuer: config for config in extra}
        self._ttl = ttl
        self._clock = clock
        self._loaded_at: float | None = None
        self._by_issuer: dict[str, IssuerConfig] = dict(self._extra)

    async def refresh_if_stale(self) -> None:
        if self._loaded_at is not None and self._clock() - self._loaded_at < self._ttl:
            return
        providers = await IdentityProvider.all().select_related("instansi")
        loaded = {p.issuer: _config(p, p.instansi.kode if p.instansi else None) for p in providers}
        self._by_issuer = loaded | self._extra
        self._loaded_at = self._clock()

    def invalidate(self) -> None:
        self._loaded_at = None

    def get(self, issuer: str) -> IssuerConfig | None:
        return self._by_issuer.get(issuer)
