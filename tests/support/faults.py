"""A service against a PostgreSQL cluster of its own, to break on purpose (tests/faults/ and
bench/faults.py): the cluster (ekinerja/db/cluster.py) with a migrated database and two
instansi, each with a team ready to log progres; the real app on a real socket; a load of
concurrent writes, each request tagged so the rows it wrote can be counted afterwards.

Each request of the load writes ROWS_PER_REQUEST progres rows in one mutation, all tagged with
the request's own kegiatan: afterwards a tag must have every row (the request succeeded or
committed before it failed) or none, never some (a half-write), never more (a duplicate).
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import asyncpg
import httpx
import uvicorn

from ekinerja.auth.dev_tokens import mint_dev_token
from ekinerja.db.cluster import ScratchCluster
from ekinerja.db.config import DatabaseAddress, DatabaseLimits
from ekinerja.db.lifecycle import database_context
from ekinerja.db.scratch import create_scratch_database
from ekinerja.http.app import create_app
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.settings import Settings
from ekinerja.tenants.identifiers import quote_identifier, role_prefix_for_database
from ekinerja.tenants.migrations import migrate_shared
from ekinerja.tenants.provisioning import create_tenant
from tests.support.pelaksanaan import Team, build_team, progres_row
from tests.support.server import settings_for

DATABASE = "ekinerja_faults"
ROWS_PER_REQUEST = 2
BULK = """mutation($rows: [ProgresHarianInput!]!) { buatProgresHarianMassal(baris: $rows) {
  __typename ... on ProgresHarianDisimpan { progres { id } }
  ... on BarisDitolak { code } ... on MutationError { code } } }"""


@dataclass
class Site:
    """The cluster, its database, and two instansi with a team each."""

    cluster: ScratchCluster
    address: DatabaseAddress
    settings: Settings
    tenants: list[Instansi]
    teams: list[Team]

    def tuned(self, **overrides) -> Settings:
        return self.settings.model_copy(update=overrides)

    def headers(self, which: int = 0) -> dict[str, str]:
        """A pegawai of instansi ``which`` (the team's staf, who may log progres)."""
        kode = self.tenants[which].kode
        token = mint_dev_token(self.settings, nip=self.teams[which].staf.nip, instansi=kode)
        return {"Authorization": f"Bearer {token}", "X-Instansi": kode}

    def rows(self, tag: str, which: int = 0) -> list[dict]:
        plan = self.teams[which].rencana()
        return [
            progres_row(self.tenants[which], plan, kegiatan=tag, jamMulai=f"{8 + n:02d}:00:00",
                        jamSelesai=f"{9 + n:02d}:00:00")
            for n in range(ROWS_PER_REQUEST)
        ]  # fmt: skip

    async def superuser_fetch(self, sql: str, *args) -> list:
        connection = await asyncpg.connect(**self.address.asyncpg_kwargs(), timeout=10)
        try:
            return await connection.fetch(sql, *args)
        finally:
            await connection.close()

    async def rows_by_tag(self, prefix: str, which: int = 0) -> Counter[str]:
        schema = quote_identifier(self.tenants[which].schema_name)
        found = await self.superuser_fetch(
            f"SELECT kegiatan, count(*) AS n FROM {schema}.progres_harian "
            "WHERE starts_with(kegiatan, $1) GROUP BY kegiatan",
            prefix,
        )
        return Counter({r["kegiatan"]: r["n"] for r in found})


@asynccontextmanager
async def fault_site(**overrides) -> AsyncIterator[Site]:
    cluster = ScratchCluster()
    try:
        await asyncio.to_thread(cluster.start)
        address = await create_scratch_database(cluster.address(), DATABASE)
        settings = settings_for(address, **overrides)
        prefix = role_prefix_for_database(DATABASE)
        async with database_context(address, settings, DatabaseLimits.for_commands(settings)):
            await migrate_shared()
            tenants, teams = [], []
            for kode in ("FAULTA", "FAULTB"):
                instansi, _ = await create_tenant(kode, f"Instansi {kode}", JenisInstansi.KOTA,
                                                  prefix)  # fmt: skip
                tenants.append(instansi)
                teams.append(await build_team(instansi))
        yield Site(cluster, address, settings, tenants, teams)
    finally:
        await asyncio.to_thread(cluster.remove)


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[str]:
    """The app on a 127.0.0.1 socket (bound and listening before uvicorn runs, so no request
    races its start), with the ORM of the enclosing ``database_context``; its base URL."""
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    # A bounded shutdown: a test that failed may leave requests waiting on a broken database.
    config = uvicorn.Config(
        create_app(settings), log_level="warning", lifespan="off", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await serving
        sock.close()


@dataclass(frozen=True)
class Answer:
    tag: str
    status: int | None  # None: no HTTP answer at all
    code: str | None  # the 503's code, or what went wrong
    at: float  # when the answer came (time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.code is None


def _answer(tag: str, response: httpx.Response) -> Answer:
    moment = time.monotonic()
    try:
        body = response.json()
    except ValueError:
        return Answer(tag, response.status_code, f"not JSON: {response.text[:80]!r}", moment)
    if response.status_code == 200 and body.get("data"):
        kind = body["data"]["buatProgresHarianMassal"]["__typename"]
        return Answer(tag, 200, None if kind == "ProgresHarianDisimpan" else kind, moment)
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    return Answer(tag, response.status_code, ",".join(map(str, codes)) or "?", moment)


@dataclass
class Load:
    """``concurrency`` writers posting tagged mutations as fast as they are answered, until
    ``stop`` is set. ``answers`` grows as they come; ``changed`` wakes whoever waits on it."""

    client: httpx.AsyncClient
    site: Site
    prefix: str
    concurrency: int
    answers: list[Answer] = field(default_factory=list)
    _tags: itertools.count = field(default_factory=itertools.count)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def _one(self) -> None:
        tag = f"{self.prefix}-{next(self._tags)}"
        payload = {"query": BULK, "variables": {"rows": self.site.rows(tag)}}
        try:
            response = await self.client.post("/graphql", json=payload)
            answer = _answer(tag, response)
        except httpx.HTTPError as error:
            answer = Answer(tag, None, type(error).__name__, time.monotonic())
        async with self._changed:
            self.answers.append(answer)
            self._changed.notify_all()

    async def run(self, stop: asyncio.Event) -> None:
        async def writer() -> None:
            while not stop.is_set():
                await self._one()

        await asyncio.gather(*(writer() for _ in range(self.concurrency)))

    async def until(self, predicate) -> None:
        """Wait until ``predicate(answers)`` holds (an outer timeout bounds the wait)."""
        async with self._changed:
            await self._changed.wait_for(lambda: predicate(self.answers))


@dataclass
class Tally:
    """What a load did to the database: requests and the rows each left behind."""

    sent: int
    succeeded: int
    rows_found: int  # succeeded requests whose rows are all there
    lost: int  # succeeded, rows missing
    duplicated: int  # more rows than one request writes
    half_written: int  # some of a request's rows, not all
    committed_though_failed: int  # answered a failure, yet its rows are there (ambiguous commit)
    failures: Counter[str]  # by status and code


async def tally(site: Site, load: Load) -> Tally:
    rows = await site.rows_by_tag(load.prefix + "-")
    ok = [a for a in load.answers if a.ok]
    failed = [a for a in load.answers if not a.ok]
    return Tally(
        sent=len(load.answers),
        succeeded=len(ok),
        rows_found=sum(rows[a.tag] == ROWS_PER_REQUEST for a in ok),
        lost=sum(rows[a.tag] < ROWS_PER_REQUEST for a in ok),
        duplicated=sum(n > ROWS_PER_REQUEST for n in rows.values()),
        half_written=sum(0 < n < ROWS_PER_REQUEST for n in rows.values()),
        committed_though_failed=sum(rows[a.tag] == ROWS_PER_REQUEST for a in failed),
        failures=Counter(f"{a.status} {a.code}" for a in failed),
    )


@asynccontextmanager
async def serving_site(site: Site, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The ORM on the site's database with ``settings``' limits, the app on a socket, and an
    HTTP client of a pegawai of the first instansi."""
    async with (
        database_context(site.address, settings),
        served(settings) as base,
        httpx.AsyncClient(base_url=base, headers=site.headers(), timeout=60) as client,
    ):
        yield client
