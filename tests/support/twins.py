"""Twin apps for the compiled read path (decision 0036): the same request through an app with
compiled reads and one without, on the same data; the answers must be equal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from tests.support.auth import principal_header
from tests.support.query_counter import count_queries


def _data(statements: list[str]) -> int:
    return len([s for s in statements if "tenant_setting" not in s])


class Twins:
    def __init__(self, compiled: httpx.AsyncClient, resolved: httpx.AsyncClient, idp, kode):
        self.compiled, self.resolved, self.idp, self.kode = compiled, resolved, idp, kode

    async def both(self, nip: str, query: str, *roles: Role, **variables) -> tuple[dict, int, int]:
        """The answer (the same both ways) and how many statements each way sent, not
        counting the read of the instansi's settings (for "today"; cached or not)."""
        headers = principal_header(self.idp, self.kode, nip, *roles)
        body = {"query": query, "variables": variables}
        # The first request plans (graphql-core's executor runs the compiled roots); the second
        # answers from the remembered plans without the executor (compiled/whole.py) when it
        # can: both must be the resolvers' answer.
        planned = (await self.compiled.post("/graphql", json=body, headers=headers)).json()
        with count_queries() as compiled_statements:
            compiled = (await self.compiled.post("/graphql", json=body, headers=headers)).json()
        with count_queries() as resolved_statements:
            resolved = (await self.resolved.post("/graphql", json=body, headers=headers)).json()
        assert compiled == resolved
        assert planned == resolved
        return compiled, _data(compiled_statements), _data(resolved_statements)


@asynccontextmanager
async def twins_of(settings, idp, tenant) -> AsyncIterator[Twins]:
    """Twins on ``tenant``: apps from ``settings`` with compiled reads on and off."""
    apps = [create_app(settings.model_copy(update={"compiled_reads": on})) for on in (True, False)]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        for app in apps
    ]
    async with clients[0] as compiled, clients[1] as resolved:
        yield Twins(compiled, resolved, idp, tenant.kode)
