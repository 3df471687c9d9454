"""PostgreSQL frozen (SIGSTOP: it accepts connections and never answers, as a hung machine
does): a request fails within the configured timeouts with a JSON 503 DATABASE_TIMEOUT, on a
connection that stays usable; /readyz answers 503 within its own bound; once the database
thaws, the same HTTP connection is served again, on fresh database connections."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.faults import BULK, Site, serving_site
from tests.support.ids import gid

pytestmark = pytest.mark.faults

# The test's own bound, far above the timeouts it configures (1 s): without them, a request to
# a frozen database waits for the whole freeze, and the test fails here instead of hanging.
GUARD_SECONDS = 30
MY_PAGE = "{ saya { nama } skpSaya(first: 1) { nodes { tahun rhk { teks } } } }"


def _client_address(response):
    return response.extensions["network_stream"].get_extra_info("client_addr")


async def _write(client, site: Site, tag: str):
    """The answer, and the client's end of the HTTP connection that carried it."""
    response = await client.post(
        "/graphql", json={"query": BULK, "variables": {"rows": site.rows(tag)}}
    )
    return response, _client_address(response)


async def test_a_frozen_database_fails_requests_clearly_and_in_time(running: Site):
    settings = running.tuned(
        db_statement_timeout_seconds=1, db_acquire_timeout_seconds=1, readyz_timeout_seconds=1
    )
    async with asyncio.timeout(GUARD_SECONDS), serving_site(running, settings) as client:
        assert (await _write(client, running, "freeze-before"))[0].status_code == 200
        running.cluster.freeze()
        try:
            refused, refused_on = await _write(client, running, "freeze-during")
            document = await client.get(
                f"/skp/{gid(running.tenants[0], 'Skp', running.teams[0].skp.id)}/dokumen.pdf"
            )
            # A read the compiled path answers (decision 0036) fails the same way.
            compiled = await client.post("/graphql", json={"query": MY_PAGE})
            ready = await client.get("/readyz")
        finally:
            running.cluster.thaw()
        served, served_on = await _write(client, running, "freeze-after")

    assert refused.status_code == 503, refused.text
    [error] = refused.json()["errors"]
    assert error["extensions"] == {
        "code": "DATABASE_TIMEOUT",
        "requestId": refused.headers["x-request-id"],
    }
    assert int(refused.headers["retry-after"]) > 0
    # Every endpoint, in the one error envelope (decision 0031).
    assert document.status_code == 503
    assert document.json() == {
        "errors": [
            {
                "message": "the database did not answer in time; retry later",
                "extensions": {
                    "code": "DATABASE_TIMEOUT",
                    "requestId": document.headers["x-request-id"],
                },
            }
        ]
    }
    assert compiled.status_code == 503, compiled.text
    assert compiled.json()["errors"][0]["extensions"]["code"] == "DATABASE_TIMEOUT"
    assert ready.status_code == 503
    assert ready.json()["database"] == "DATABASE_TIMEOUT"
    # The 503 was an ordinary response: the client's connection was kept and serves the next
    # request once the database is back.
    assert served.status_code == 200 and "errors" not in served.json(), served.text
    assert served_on == refused_on
    assert refused.headers.get("connection") != "close"
