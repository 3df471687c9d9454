"""Raw SQL through the ORM's connection, so it runs inside the current (tenant-bound)
transaction like any model query. For the set-based queries the ORM cannot express
(recursive CTEs, DISTINCT ON, keyset pages); parameters are always passed as $n, never spliced."""

from __future__ import annotations

from typing import Any

from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION


async def fetch(sql: str, *params: Any) -> list[dict[str, Any]]:
    return await get_connection(CONNECTION).execute_query_dict(sql, list(params))
