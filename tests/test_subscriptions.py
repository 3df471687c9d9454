"""Live updates (decision 0042) against the app served by uvicorn on a real socket: a real
WebSocket client (graphql-transport-ws) and an SSE client (httpx streaming). The penilai sees a
subordinate's submission once the mutation commits, the owner sees the approval, an unrelated
pegawai and another instansi receive nothing; connection_init is authenticated, the limits
hold, a cursor resumes. Every wait is on a message, bounded by a timeout."""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
import websockets

from ekinerja.auth import sesi
from ekinerja.http.browser_sessions import COOKIE
from ekinerja.models.tenant import Indikator, Pegawai, Skp
from ekinerja.peristiwa.siaran import hub
from ekinerja.skp.enums import AspekIki, StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import bearer, person_token, principal_header
from tests.support.faults import served
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import beside_staf, build_team, plan, skp_for
from tests.support.server import settings_for

WAIT = 10  # seconds: a bound on a hang, never a synchronisation
SUBSCRIBE = """subscription($lingkup: LingkupPeristiwa!, $after: String) {
  peristiwaSkp(lingkup: $lingkup, after: $after) { cursor id jenis entitas entitasId data } }"""
AJUKAN = """mutation($id: ID!, $v: Int!) { ajukanSkp(skpId: $id, versiDiharapkan: $v) {
  __typename ... on MutationError { code message } } }"""
SETUJUI = """mutation($id: ID!, $v: Int!) { setujuiSkp(skpId: $id, versiDiharapkan: $v) {
  __typename ... on MutationError { code message } } }"""


class Socket:
    """A graphql-transport-ws client that answers the server's pings."""

    def __init__(self, connection) -> None:
        self.ws = connection
        self.next_id = 0

    async def init(self, payload: dict) -> dict:
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        return await self.receive()

    async def subscribe(self, query: str = SUBSCRIBE, **variables) -> str:
        self.next_id += 1
        message = {"query": query, "variables": variables}
        op = str(self.next_id)
        await self.ws.send(json.dumps({"id": op, "type": "subscribe", "payload": message}))
        return op

    async def receive(self) -> dict:
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), WAIT)
            # A text frame, as the protocol says: a browser gets a binary one as a Blob.
            assert isinstance(frame, str), f"binary frame {frame!r}"
            message = json.loads(frame)
            if message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))
                continue
            return message

    async def event(self) -> dict:
        message = await self.receive()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"]["peristiwaSkp"]


@asynccontextmanager
async def socket(base: str):
    url = base.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as connection:
        yield Socket(connection)


def auth(idp, tenant, pegawai) -> dict:
    return principal_header(idp, tenant.kode, pegawai.nip)


@pytest.fixture
async def setting(database):
    return settings_for(database)


@dataclass
class Team:
    kasi: Pegawai  # appraises anak
    anak: Pegawai  # a draft SKP ready to submit to kasi
    staf: Pegawai  # in the same unit, appraises nobody: sees none of it
    draft: Skp


@pytest.fixture
async def team_ready(tenant) -> Team:
    """The team of tests/support/pelaksanaan.py and, beside staf (so appraised by kasi), a
    pegawai whose draft is ready to submit."""
    team = await build_team(tenant)
    async with tenant_transaction(as_bound(tenant)):
        anak = await beside_staf(Org(), team, "Anak")
        draft = await skp_for(anak, team.kasi, StatusSkp.DRAFT)
        rhk, _ = await plan(draft, "Rencana anak", team.kasi_rhk)
        await Indikator.create(rhk=rhk, teks="Jumlah", aspek=AspekIki.KUANTITAS,
                               target_min=Decimal(1), satuan="Dokumen")  # fmt: skip
    return Team(team.kasi, anak, team.staf, draft)


async def call(base, headers, query, **variables) -> dict:
    async with httpx.AsyncClient(base_url=base) as api:
        response = await api.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    return response.json()


async def version(tenant, skp) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return (await Skp.get(id=skp.id)).lock_version


async def submit(base, idp, tenant, team) -> None:
    v = await version(tenant, team.draft)
    body = await call(base, auth(idp, tenant, team.anak), AJUKAN,
                      id=gid_of(tenant, team.draft), v=v)  # fmt: skip
    assert (body.get("data") or {}).get("ajukanSkp", {}).get("__typename") == "SkpDiubah", body


async def approve(base, idp, tenant, team) -> None:
    v = await version(tenant, team.draft)
    body = await call(base, auth(idp, tenant, team.kasi), SETUJUI,
                      id=gid_of(tenant, team.draft), v=v)  # fmt: skip
    assert (body.get("data") or {}).get("setujuiSkp", {}).get("__typename") == "SkpDiubah", body


async def test_the_penilai_sees_the_submission_and_the_owner_the_approval(
    setting, idp, tenant, team_ready
):
    team, siaran = team_ready, hub(setting)
    async with served(setting) as base, socket(base) as kasi, socket(base) as rekan:
        async with socket(base) as staf:
            for ws, who in ((kasi, team.kasi), (rekan, team.anak), (staf, team.staf)):
                assert (await ws.init(auth(idp, tenant, who)))["type"] == "connection_ack"
            await kasi.subscribe(lingkup="BAWAHAN")
            await rekan.subscribe(lingkup="SAYA")
            await staf.subscribe(lingkup="SEMUA")  # staf appraises nobody: nothing to see
            await asyncio.wait_for(siaran.siap(3), WAIT)

            await submit(base, idp, tenant, team)
            seen = await kasi.event()
            skp_id = gid_of(tenant, team.draft)
            assert (seen["jenis"], seen["entitasId"]) == ("skp.diajukan", skp_id)
            assert seen["data"]["skpId"] == skp_id and seen["data"]["nip"] == team.anak.nip
            assert (await rekan.event())["jenis"] == "skp.diajukan"

            await approve(base, idp, tenant, team)
            mine = await rekan.event()
            assert (mine["jenis"], mine["entitasId"]) == ("skp.disetujui", skp_id)
            assert (await kasi.event())["jenis"] == "skp.disetujui"
            # The pass that delivered both is over once its tenant's lock is free: staf's
            # subscription was offered both events and kept neither.
            state = siaran.tenants[tenant.schema_name]
            async with state.kunci:
                followers = sorted(state.pelanggan, key=lambda p: p.setelah)
                assert followers[0].antrean.empty()
                assert followers[0].setelah < followers[-1].setelah


async def test_a_cursor_resumes_what_happened_while_away(setting, idp, tenant, team_ready):
    team, siaran = team_ready, hub(setting)
    async with served(setting) as base:
        async with socket(base) as rekan:
            await rekan.init(auth(idp, tenant, team.anak))
            await rekan.subscribe(lingkup="SAYA")
            await asyncio.wait_for(siaran.siap(1), WAIT)
            await submit(base, idp, tenant, team)
            cursor = (await rekan.event())["cursor"]
        await approve(base, idp, tenant, team)  # nobody subscribed
        async with socket(base) as again:
            await again.init(auth(idp, tenant, team.anak))
            await again.subscribe(lingkup="SAYA", after=cursor)
            assert (await again.event())["jenis"] == "skp.disetujui"


async def test_over_sse_the_owner_sees_the_approval(setting, idp, tenant, team_ready):
    team, siaran = team_ready, hub(setting)
    async with served(setting) as base:
        await submit(base, idp, tenant, team)
        headers = auth(idp, tenant, team.anak) | {"Accept": "text/event-stream"}
        body = {"query": SUBSCRIBE, "variables": {"lingkup": "SAYA"}}
        async with httpx.AsyncClient(base_url=base, timeout=WAIT) as api:
            async with api.stream("POST", "/graphql", json=body, headers=headers) as stream:
                assert stream.status_code == 200
                assert stream.headers["content-type"].startswith("text/event-stream")
                await asyncio.wait_for(siaran.siap(1), WAIT)
                await approve(base, idp, tenant, team)
                lines = stream.aiter_lines()
                event = await asyncio.wait_for(anext(lines), WAIT)
                assert event == "event: next"
                line = await asyncio.wait_for(anext(lines), WAIT)
                data = json.loads(line.removeprefix("data: "))
                assert data["data"]["peristiwaSkp"]["jenis"] == "skp.disetujui"


async def test_another_instansi_receives_nothing_of_it(
    setting, idp, tenant, other_tenant, team_ready
):
    team, siaran = team_ready, hub(setting)
    stranger = await build_team(other_tenant, "Seksi Lain")
    async with served(setting) as base:
        # Naming the first instansi in X-Instansi: refused at connection_init.
        async with socket(base) as guess:
            token = person_token(idp, other_tenant.kode, stranger.kasi.nip)
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await guess.init(bearer(token) | {"X-Instansi": tenant.kode})
            assert closed.value.rcvd.code == 4403
        async with socket(base) as own, socket(base) as rekan:
            await own.init(auth(idp, other_tenant, stranger.kasi))
            await rekan.init(auth(idp, tenant, team.anak))
            await rekan.subscribe(lingkup="SAYA")
            await asyncio.wait_for(siaran.siap(1), WAIT)
            await submit(base, idp, tenant, team)
            cursor = (await rekan.event())["cursor"]
            # A cursor of the first instansi is refused, not read in the second.
            await own.subscribe(lingkup="SEMUA", after=cursor)
            refused = await own.receive()
            assert refused["type"] == "next"
            assert refused["payload"]["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"
            await own.subscribe(lingkup="SEMUA")
            await asyncio.wait_for(siaran.siap(2), WAIT)
            await approve(base, idp, tenant, team)
            assert (await rekan.event())["jenis"] == "skp.disetujui"
            assert other_tenant.schema_name not in siaran.tenants or all(
                p.antrean.empty() for p in siaran.tenants[other_tenant.schema_name].pelanggan
            )


async def test_connection_init_is_authenticated(setting, idp, tenant, team_ready):
    async with served(setting) as base:
        for payload in ({}, {"Authorization": "Bearer not-a-token"}):
            async with socket(base) as anonymous:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await anonymous.init(payload)
                assert closed.value.rcvd.code == 4403
        async with socket(base) as early:  # subscribing before connection_init
            await early.subscribe(lingkup="SAYA")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await early.receive()
            assert closed.value.rcvd.code == 4401


async def test_the_limits_hold(database, idp, tenant, team_ready):
    setting = settings_for(
        database,
        live_max_connections_per_principal=1,
        live_max_subscriptions_per_connection=1,
        live_max_message_bytes=1024,
    )
    team = team_ready
    async with served(setting) as base, socket(base) as first:
        assert (await first.init(auth(idp, tenant, team.anak)))["type"] == "connection_ack"
        async with socket(base) as second:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await second.init(auth(idp, tenant, team.anak))
            assert closed.value.rcvd.code == 4429
        # Only subscriptions run here: a query goes over POST, in its tenant transaction.
        op = await first.subscribe("{ __typename }")
        refused = await first.receive()
        assert (refused["type"], refused["id"]) == ("error", op)
        await first.subscribe(lingkup="SAYA")
        await asyncio.wait_for(hub(setting).siap(1), WAIT)
        over = await first.subscribe(lingkup="BAWAHAN")
        refused = await first.receive()
        assert (refused["type"], refused["id"]) == ("error", over)
        assert "limit" in refused["payload"][0]["message"]
        await first.ws.send(json.dumps({"type": "ping", "payload": {"x": "y" * 2000}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await first.receive()
        assert closed.value.rcvd.code == 1009


async def test_a_browser_session_connects_from_an_allowed_origin_only(
    database, idp, tenant, team_ready
):
    setting = settings_for(database, session_allowed_origins=["http://portal.example"])
    team = team_ready
    async with served(setting) as base:
        async with httpx.AsyncClient(base_url=base) as login:
            await login.get(f"/auth/dev-login?instansi={tenant.kode}&nip={team.anak.nip}")
            cookie = f"{COOKIE}={login.cookies[COOKIE]}"
        url = base.replace("http://", "ws://") + "/graphql"
        for origin, allowed in (("http://portal.example", True), ("http://evil.example", False)):
            headers = {"Cookie": cookie, "Origin": origin}
            async with websockets.connect(
                url, subprotocols=["graphql-transport-ws"], additional_headers=headers
            ) as connection:
                ws = Socket(connection)
                if allowed:
                    assert (await ws.init({}))["type"] == "connection_ack"
                    continue
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.init({})
                assert closed.value.rcvd.code == 4403
                assert closed.value.rcvd.reason.startswith("CSRF_REJECTED")


async def test_a_revoked_session_ends_its_live_connections(database, idp, tenant, team_ready):
    """Credentials are checked again at every ping: a browser session revoked (or a token
    expired) while a subscription is open ends it, the WebSocket with 4403 and the event
    stream with an error saying why, instead of streaming on."""
    setting = settings_for(
        database, session_allowed_origins=["http://portal.example"], live_ping_seconds=0.2
    )
    team = team_ready
    async with served(setting) as base:
        async with httpx.AsyncClient(base_url=base) as login:
            await login.get(f"/auth/dev-login?instansi={tenant.kode}&nip={team.anak.nip}")
            cookie = f"{COOKIE}={login.cookies[COOKIE]}"
        headers = {"Cookie": cookie, "Origin": "http://portal.example"}
        url = base.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(
            url, subprotocols=["graphql-transport-ws"], additional_headers=headers
        ) as connection:
            ws = Socket(connection)
            assert (await ws.init({}))["type"] == "connection_ack"
            await ws.subscribe(lingkup="SAYA")
            sse = {**headers, "Accept": "text/event-stream", "X-Instansi": tenant.kode}
            body = {"query": SUBSCRIBE, "variables": {"lingkup": "SAYA"}}
            async with httpx.AsyncClient(base_url=base, timeout=WAIT) as api:
                async with api.stream("POST", "/graphql", json=body, headers=sse) as stream:
                    assert stream.status_code == 200
                    lifetimes = sesi.Lifetimes.of(setting)
                    assert await sesi.revoke_person(tenant.kode, team.anak.nip, lifetimes) == 1
                    with pytest.raises(websockets.ConnectionClosed) as closed:
                        while True:
                            await ws.receive()
                    assert closed.value.rcvd.code == 4403
                    assert closed.value.rcvd.reason.startswith("SESSION_EXPIRED")
                    lines = [line async for line in _until_complete(stream)]
                    assert "event: next" in lines and lines[-1] == "event: complete"
                    (data,) = [line for line in lines if line.startswith("data: {")]
                    error = json.loads(data.removeprefix("data: "))["errors"][0]
                    assert error["extensions"]["code"] == "SESSION_EXPIRED"


async def _until_complete(stream):
    lines = stream.aiter_lines()
    while True:
        line = await asyncio.wait_for(anext(lines), WAIT)
        if line and not line.startswith(":"):
            yield line
        if line == "event: complete":
            return


async def test_from_now_means_from_now_while_an_older_transaction_is_open(
    setting, database, idp, tenant, team_ready
):
    """The feed shows an event only once every older transaction has ended. A subscriber "from
    now" joined while one was open, after a submission had committed: it got that submission
    when the old transaction ended (issue 19; seen when the server is busy). It gets only what
    commits after it joined."""
    team, siaran = team_ready, hub(setting)
    import asyncpg

    older = await asyncpg.connect(database.url())
    try:
        await older.execute("BEGIN")
        await older.fetchval("SELECT txid_current()")  # holds back every snapshot's xmin
        async with served(setting) as base:
            await submit(base, idp, tenant, team)
            async with socket(base) as pegawai:
                await pegawai.init(auth(idp, tenant, team.anak))
                await pegawai.subscribe(lingkup="SAYA")
                await asyncio.wait_for(siaran.siap(1), WAIT)
                await approve(base, idp, tenant, team)
                await older.execute("ROLLBACK")
                assert (await pegawai.event())["jenis"] == "skp.disetujui"
    finally:
        await older.close()
