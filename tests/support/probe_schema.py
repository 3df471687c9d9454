"""The production schema plus fields that let HTTP tests look inside an operation."""

from __future__ import annotations

import strawberry
from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION
from ekinerja.models.tenant import TenantSetting
from ekinerja.schema import build_schema
from ekinerja.schema.errors import ClientError
from ekinerja.schema.query import Query
from ekinerja.settings import Settings


@strawberry.type
class Nested:
    leaf: str = "leaf"

    @strawberry.field
    def child(self) -> Nested:
        return Nested()


@strawberry.type
class ProbeQuery(Query):
    @strawberry.field
    def nested(self) -> Nested:
        return Nested()

    @strawberry.field
    async def binding(self) -> str:
        _, rows = await get_connection(CONNECTION).execute_query(
            "SELECT current_schema() AS s, current_user AS u"
        )
        return f"{rows[0]['s']}/{rows[0]['u']}"

    @strawberry.field
    async def setting_keys(self) -> list[str]:
        return await TenantSetting.all().order_by("key").values_list("key", flat=True)

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("secret internal detail")


@strawberry.type
class ProbeMutation:
    @strawberry.mutation
    async def write_setting(self, key: str) -> bool:
        await TenantSetting.create(key=key, value=True)
        return True

    @strawberry.mutation
    def refuse(self) -> bool:
        raise ClientError("refused on purpose", code="INVALID_INPUT")


def probe_schema(settings: Settings):
    return build_schema(settings, query=ProbeQuery, mutation=ProbeMutation)
