"""The root Query type: one field per domain entry point, resolvers in their domain modules."""

from __future__ import annotations

import strawberry

from ekinerja.schema.instansi import Instansi, resolve_instansi
from ekinerja.schema.server_info import ServerInfo, resolve_server_info


@strawberry.type
class Query:
    instansi: Instansi = strawberry.field(
        resolver=resolve_instansi,
        description="The agency this request is bound to (selected by the X-Instansi header).",
    )
    server_info: ServerInfo = strawberry.field(resolver=resolve_server_info)
