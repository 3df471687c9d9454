"""The `serverInfo` query: what this server is, for clients and operators."""

from __future__ import annotations

import strawberry

from ekinerja import __version__
from ekinerja.schema.context import Info
from ekinerja.tenants.schema_versions import latest_tenant_version


@strawberry.type(description="Facts about the running service.")
class ServerInfo:
    version: str = strawberry.field(
        description="The service's version (`ekinerja --version`).", name="versi"
    )
    mode: str = strawberry.field(description="`development` or `production`.")
    tenant_schema_version: str = strawberry.field(
        description="The tenant schema version this service needs.", name="versiSchemaInstansi"
    )


def resolve_server_info(info: Info) -> ServerInfo:
    return ServerInfo(
        version=__version__,
        mode=info.context.settings.mode.value,
        tenant_schema_version=latest_tenant_version(),
    )
