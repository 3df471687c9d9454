"""The per-request GraphQL context. Built fresh for every request; the DataLoaders it holds
therefore never cross tenants or requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from ekinerja.auth.principal import Principal
from ekinerja.models.shared import Instansi
from ekinerja.settings import Settings

L = TypeVar("L")


@dataclass
class Context:
    request: Request
    response: Response
    request_id: str
    settings: Settings
    instansi: Instansi | None
    """The tenant this operation is bound to, or None for an operation bound to no tenant."""
    principal: Principal | None = None
    pegawai_id: int | None = None
    """The principal's own pegawai record in the bound instansi, for a person."""
    prepared: dict[Any, Any] = field(default_factory=dict)
    """What steps before the operation's transaction found out, for its resolvers (decision
    0018, ekinerja/schema/outside_transaction.py)."""
    after_transaction: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Work to do once the operation's transaction is over, outside it (decision 0018)."""
    connection_params: dict[str, Any] | None = None
    """A WebSocket's connection_init payload (live updates, decision 0042)."""
    live_address: Any = None
    """The database the live updates' hub listens on (ekinerja/peristiwa/siaran.py)."""
    _loaders: dict[Callable[..., Any], Any] = field(default_factory=dict)

    def loader(self, factory: Callable[[], L]) -> L:
        """The request's single instance of a DataLoader, created on first use."""
        if factory not in self._loaders:
            self._loaders[factory] = factory()
        return self._loaders[factory]


Info = StrawberryInfo[Context, None]
