"""The per-request GraphQL context. Built fresh for every request; anything cached on it
(DataLoaders, later) therefore never crosses tenants or requests."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from ekinerja.models.shared import Instansi
from ekinerja.settings import Settings


@dataclass
class Context:
    request: Request
    response: Response
    request_id: str
    settings: Settings
    instansi: Instansi | None
    """The tenant this operation is bound to, or None for an operation bound to no tenant."""


Info = StrawberryInfo[Context, None]
