"""Webhooks end to end against a real HTTP receiver: subscription by an API client, signed
deliveries (HMAC-SHA256 over timestamp and body), retries with exponential backoff, the dead
letter, resending and replay, secret rotation, address checks, who may manage them, and
tenant isolation. The worker runs one pass at a time on a clock the test moves."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import asyncpg
import httpx
import pytest
from tortoise.timezone import now as utc_now

from ekinerja.auth.principal import Role
from ekinerja.background import run_forever
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import OutboxEvent, WebhookLangganan, WebhookPengiriman
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks import worker as webhook_worker
from ekinerja.webhooks.alamat import penerima, pinned
from ekinerja.webhooks.enums import StatusPengiriman
from ekinerja.webhooks.langganan import MAX_PER_CLIENT
from ekinerja.webhooks.pengiriman import klaim
from ekinerja.webhooks.rahasia import Segel
from ekinerja.webhooks.tanda_tangan import header, verify
from ekinerja.webhooks.worker import Worker
from tests.support.activity import until_waiting_on_lock
from tests.support.auth import bearer, client_token
from tests.support.ids import gid, row_of, same_row_in
from tests.support.pelaksanaan import Portal, build_team
from tests.support.receiver import Receiver
from tests.support.server import settings_for

SCOPE = "webhooks:manage"
TERBIT = """__typename ... on WebhookTerbit { rahasia langganan { id clientId url jenis aktif
  posisi rahasiaLamaBerlakuSampai } } ... on MutationError { code field message }"""
SUBSCRIBE = f"""mutation($url: String!, $jenis: [String!]!) {{
  buatWebhookLangganan(url: $url, jenis: $jenis) {{ {TERBIT} }} }}"""
ROTATE = f"""mutation($id: ID!) {{ putarRahasiaWebhook(id: $id) {{ {TERBIT} }} }}"""
CHANGE = """mutation($id: ID!, $url: String, $jenis: [String!], $aktif: Boolean) {
  ubahWebhookLangganan(id: $id, url: $url, jenis: $jenis, aktif: $aktif) {
  __typename ... on WebhookLangganan { id url jenis aktif } ... on MutationError { code field }
  } }"""
REVOKE = """mutation($id: ID!) { cabutWebhookLangganan(id: $id) {
  __typename ... on WebhookLangganan { aktif dicabutPada } ... on MutationError { code } } }"""
RESEND = """mutation($id: ID!) { kirimUlangPengiriman(id: $id) {
  __typename ... on WebhookPengiriman { status percobaan } ... on MutationError { code } } }"""
REPLAY = """mutation($id: ID!, $since: String) { putarUlangWebhook(langgananId: $id,
  sejak: $since) { __typename ... on PutarUlang { jumlah } ... on MutationError { code } } }"""
LIST = "{ webhookLangganan { id clientId url } }"
DELIVERIES = """query($status: StatusPengiriman) {
  webhookPengiriman(filter: {status: $status}, first: 100) { nodes {
  id langgananId peristiwaId jenis status percobaan berikutnyaPada kodeTerakhir galatTerakhir
  terkirimPada } } }"""
ST = JenisPeristiwa.SKP_DISETUJUI
DITETAPKAN = JenisPeristiwa.EVALUASI_DITETAPKAN


class Client:
    """GraphQL calls as a registered API client of one instansi."""

    def __init__(self, portal: Portal, client_id: str, *scopes: str) -> None:
        self.portal, self.client_id, self.scopes = portal, client_id, scopes or (SCOPE,)

    async def __call__(self, query: str, **variables) -> dict:
        token = client_token(self.portal.idp, self.client_id, *self.scopes)
        response = await self.portal.api.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=bearer(token) | {"X-Instansi": self.portal.tenant.kode},
        )
        return response.json()


async def register(portal: Portal, name: str, *scopes: str) -> Client:
    scopes = scopes or (SCOPE,)
    client_id = f"{name}-{portal.tenant.kode.lower()}"
    client = await ApiClient.create(client_id=client_id, nama=name, scopes=list(scopes))
    await ApiClientGrant.create(api_client=client, instansi=portal.tenant)
    return Client(portal, client_id, *scopes)


async def subscribe(client: Client, url: str, jenis=(ST.value,)) -> tuple[str, str]:
    body = await client(SUBSCRIBE, url=url, jenis=list(jenis))
    made = body["data"]["buatWebhookLangganan"]
    assert made["__typename"] == "WebhookTerbit", body
    return made["langganan"]["id"], made["rahasia"]


async def announce(tenant, jenis=ST, n: int = 1) -> None:
    async with tenant_transaction(as_bound(tenant)):
        for k in range(n):
            await emit(jenis, "skp", k, {"nip": "199001012015011001", "k": k})


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


def worker(settings, http, **overrides) -> Worker:
    tuned = settings.model_copy(update={"webhook_backoff_seconds": 30.0, **overrides})
    return Worker(tuned, http)


async def deliveries(tenant) -> list[WebhookPengiriman]:
    async with tenant_transaction(as_bound(tenant)):
        return await WebhookPengiriman.all().order_by("id")


async def test_a_delivery_is_signed_and_carries_the_event(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    async with Receiver() as receiver:
        langganan_id, secret = await subscribe(hr, receiver.url())
        assert secret.startswith("whsec_")
        await announce(tenant, n=2)
        await announce(tenant, jenis=DITETAPKAN)  # not subscribed to
        moment = utc_now()
        summary = await worker(settings, http).run_tenant(tenant, moment)
    assert (summary.disalurkan, summary.terkirim) == (2, 2)
    assert len(receiver.requests) == 2
    first = receiver.requests[0]
    assert verify(
        secret, first.headers["x-ekinerja-signature"], first.body, int(moment.timestamp())
    )
    assert not verify(secret, first.headers["x-ekinerja-signature"], first.body + b" ",
                      int(moment.timestamp()))  # fmt: skip
    envelope = json.loads(first.body)
    assert (envelope["jenis"], envelope["instansi"], envelope["entitas"]) == (
        "skp.disetujui",
        tenant.kode,
        "skp",
    )
    assert envelope["data"] == {"nip": "199001012015011001", "k": 0}
    assert first.headers["x-ekinerja-event"] == "skp.disetujui"
    assert first.headers["x-ekinerja-event-id"] == envelope["id"]
    assert first.headers["content-type"] == "application/json"
    listed = (await hr(DELIVERIES))["data"]["webhookPengiriman"]["nodes"]
    assert [(d["status"], d["percobaan"], d["kodeTerakhir"], d["langgananId"]) for d in listed] == [
        ("TERKIRIM", 1, 200, langganan_id)
    ] * 2


async def test_failures_back_off_exponentially_then_succeed(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    async with Receiver(500, 503) as receiver:
        await subscribe(hr, receiver.url())
        await announce(tenant)
        runner, t0 = worker(settings, http), utc_now()
        await runner.run_tenant(tenant, t0)
        [delivery] = await deliveries(tenant)
        assert (delivery.status.value, delivery.percobaan, delivery.kode_terakhir) == (
            "MENUNGGU", 1, 500)  # fmt: skip
        assert delivery.berikutnya_pada == t0 + timedelta(seconds=30)
        early = await runner.run_tenant(tenant, t0 + timedelta(seconds=29))
        assert (early.terkirim, early.diulang, len(receiver.requests)) == (0, 0, 1)
        await runner.run_tenant(tenant, t0 + timedelta(seconds=30))
        [delivery] = await deliveries(tenant)
        assert (delivery.percobaan, delivery.galat_terakhir) == (2, "HTTP 503")
        assert delivery.berikutnya_pada == t0 + timedelta(seconds=30 + 60)
        done = await runner.run_tenant(tenant, t0 + timedelta(seconds=90))
    assert done.terkirim == 1 and len(receiver.requests) == 3
    # Every attempt carried the same event id, so the receiver can deduplicate.
    assert len({r.headers["x-ekinerja-event-id"] for r in receiver.requests}) == 1
    [delivery] = await deliveries(tenant)
    assert (delivery.status.value, delivery.percobaan, delivery.galat_terakhir) == (
        "TERKIRIM", 3, None)  # fmt: skip


async def test_the_last_failure_is_a_dead_letter_until_resent(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    async with Receiver(500, 500, 500) as receiver:
        await subscribe(hr, receiver.url())
        await announce(tenant)
        runner, t = worker(settings, http, webhook_max_attempts=3), utc_now()
        for _ in range(3):
            await runner.run_tenant(tenant, t)
            t += timedelta(hours=1)
        [dead] = (await hr(DELIVERIES, status="GAGAL"))["data"]["webhookPengiriman"]["nodes"]
        assert (dead["percobaan"], dead["berikutnyaPada"], dead["galatTerakhir"]) == (
            3, None, "HTTP 500")  # fmt: skip
        quiet = await runner.run_tenant(tenant, t + timedelta(days=30))
        assert quiet.terkirim + quiet.diulang + quiet.gagal == 0 and len(receiver.requests) == 3

        resent = (await hr(RESEND, id=dead["id"]))["data"]["kirimUlangPengiriman"]
        assert resent == {"__typename": "WebhookPengiriman", "status": "MENUNGGU", "percobaan": 0}
        again = await runner.run_tenant(tenant, utc_now())
    assert again.terkirim == 1 and len(receiver.requests) == 4


async def test_an_unreachable_receiver_is_recorded_and_retried(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    async with Receiver() as gone:
        url = gone.url()
    await subscribe(hr, url)  # nothing listens there any more
    await announce(tenant)
    summary = await worker(settings, http).run_tenant(tenant, utc_now())
    assert summary.diulang == 1
    [delivery] = await deliveries(tenant)
    assert delivery.kode_terakhir is None and delivery.galat_terakhir.startswith("ConnectError")


async def test_replay_resends_history_even_from_before_the_subscription(
    portal, tenant, settings, http
):
    await announce(tenant)  # before anyone subscribed
    hr = await register(portal, "hr")
    async with Receiver() as receiver:
        langganan_id, _ = await subscribe(hr, receiver.url())
        await announce(tenant)
        runner = worker(settings, http)
        await runner.run_tenant(tenant, utc_now())
        assert [json.loads(r.body)["data"]["k"] for r in receiver.requests] == [0]
        replay = await hr(REPLAY, id=langganan_id)
        assert replay["data"]["putarUlangWebhook"] == {"__typename": "PutarUlang", "jumlah": 2}
        await runner.run_tenant(tenant, utc_now())
        ids = [json.loads(r.body)["id"] for r in receiver.requests]
    assert len(ids) == 3 and len(set(ids)) == 2  # the old event, and the new one again


async def test_rotation_signs_with_both_secrets_for_a_while(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    async with Receiver() as receiver:
        langganan_id, old = await subscribe(hr, receiver.url())
        rotated = (await hr(ROTATE, id=langganan_id))["data"]["putarRahasiaWebhook"]
        new = rotated["rahasia"]
        assert new != old and rotated["langganan"]["rahasiaLamaBerlakuSampai"]
        await announce(tenant)
        runner, t = worker(settings, http), utc_now()
        await runner.run_tenant(tenant, t)
        await announce(tenant)
        await runner.run_tenant(tenant, t + timedelta(hours=25))
    signed_then, signed_later = receiver.requests
    stamp = int(t.timestamp())
    value = signed_then.headers["x-ekinerja-signature"]
    assert value.count("v1=") == 2
    assert verify(new, value, signed_then.body, stamp) and verify(
        old, value, signed_then.body, stamp
    )
    later = signed_later.headers["x-ekinerja-signature"]
    stamp_later = int((t + timedelta(hours=25)).timestamp())
    assert later.count("v1=") == 1 and verify(new, later, signed_later.body, stamp_later)
    assert not verify(old, later, signed_later.body, stamp_later)


async def test_pausing_changing_and_revoking(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    async with Receiver() as receiver:
        langganan_id, _ = await subscribe(hr, receiver.url())
        paused = await hr(CHANGE, id=langganan_id, aktif=False)
        assert paused["data"]["ubahWebhookLangganan"]["aktif"] is False
        await announce(tenant)
        runner = worker(settings, http)
        assert (await runner.run_tenant(tenant, utc_now())).disalurkan == 0
        await hr(CHANGE, id=langganan_id, aktif=True, jenis=[ST.value, DITETAPKAN.value],
                 url=receiver.url("/v2"))  # fmt: skip
        await announce(tenant, jenis=DITETAPKAN)
        await runner.run_tenant(tenant, utc_now())
        # Paused, the subscription kept its position: the event of the pause is delivered.
        assert [r.path for r in receiver.requests] == ["/v2", "/v2"]
        revoked = (await hr(REVOKE, id=langganan_id))["data"]["cabutWebhookLangganan"]
        assert revoked["aktif"] is False and revoked["dicabutPada"]
        assert (await hr(CHANGE, id=langganan_id, aktif=True))["data"][
            "ubahWebhookLangganan"]["code"] == "REVOKED"  # fmt: skip
        await announce(tenant)
        assert (await runner.run_tenant(tenant, utc_now())).disalurkan == 0


async def test_resuming_a_paused_subscription_counts_toward_the_limit(portal, tenant):
    """A paused subscription resumed is one more active one: at the limit it is refused as a
    new one would be (it pushed a client past MAX_PER_CLIENT), by the client and the admin."""
    hr = await register(portal, "hr")
    async with tenant_transaction(as_bound(tenant)):
        for number in range(MAX_PER_CLIENT + 1):  # the first paused, the others active
            await WebhookLangganan.create(
                client_id=hr.client_id, url=f"http://127.0.0.1:9/{number}", jenis=[ST.value],
                rahasia="x", aktif=number > 0,
            )  # fmt: skip
        paused, running = [
            gid(tenant, "WebhookLangganan", i)
            for i in await WebhookLangganan.filter(client_id=hr.client_id)
            .order_by("id").limit(2).values_list("id", flat=True)
        ]  # fmt: skip
    admin = (await build_team(tenant, "Seksi Admin")).rekan

    for resume in (
        lambda: hr(CHANGE, id=paused, aktif=True),
        lambda: portal.as_(admin, CHANGE, Role.ADMIN_INSTANSI, id=paused, aktif=True),
    ):
        refused = (await resume())["data"]["ubahWebhookLangganan"]  # fmt: skip
        assert (refused["__typename"], refused["code"], refused["field"]) == (
            "MutationError", "TOO_MANY", "aktif")  # fmt: skip
    # Other changes at the limit, and re-sending aktif: true to an active one, still work.
    same = await hr(CHANGE, id=running, aktif=True, url="http://127.0.0.1:9/v2")
    assert same["data"]["ubahWebhookLangganan"]["url"] == "http://127.0.0.1:9/v2"
    async with tenant_transaction(as_bound(tenant)):
        active = await WebhookLangganan.filter(client_id=hr.client_id, aktif=True).count()
    assert active == MAX_PER_CLIENT

    assert (await hr(CHANGE, id=running, aktif=False))["data"]["ubahWebhookLangganan"][
        "aktif"] is False  # fmt: skip
    assert (await hr(CHANGE, id=paused, aktif=True))["data"]["ubahWebhookLangganan"]["aktif"]


async def test_bad_subscriptions_are_refused_with_the_field(portal, tenant, settings, http):
    hr = await register(portal, "hr")
    cases = [
        ("ftp://hr.example.go.id/hook", [ST.value], "INVALID_URL", "url"),
        ("https://user:pw@hr.example.go.id/hook", [ST.value], "INVALID_URL", "url"),
        ("https://hr.example.go.id/hook", [], "INVALID_INPUT", "jenis"),
        ("https://hr.example.go.id/hook", ["skp.dihapus"], "INVALID_INPUT", "jenis[0]"),
    ]
    for url, jenis, code, field in cases:
        refused = (await hr(SUBSCRIBE, url=url, jenis=jenis))["data"]["buatWebhookLangganan"]
        assert (refused["code"], refused["field"]) == (code, field), (url, refused)
    assert (await hr(LIST))["data"]["webhookLangganan"] == []
    too_many = await hr("{ webhookPengiriman(first: 500) { nodes { id } } }")
    assert too_many["errors"][0]["message"] == "first: must be between 1 and 100 (got 500)"


async def test_production_refuses_private_addresses(database, tenant, idp, http):
    strict = settings_for(database, mode="production")
    from ekinerja.http.app import create_app

    app = create_app(strict)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        hr = await register(Portal(c, idp, tenant), "hr")
        for url in ("http://hr.example.go.id/hook", "https://127.0.0.1/hook",
                    "https://10.1.2.3/hook", "https://[::1]/hook"):  # fmt: skip
            refused = (await hr(SUBSCRIBE, url=url, jenis=[ST.value]))["data"]
            assert refused["buatWebhookLangganan"]["code"] == "INVALID_URL", url
        # A public-looking name that resolves to loopback is refused at send time.
        langganan_id, _ = await subscribe(hr, "https://localhost/hook")
    await announce(tenant)
    await Worker(strict, http).run_tenant(tenant, utc_now())
    [delivery] = await deliveries(tenant)
    assert "not a public address" in delivery.galat_terakhir and delivery.kode_terakhir is None


async def test_who_may_manage_and_isolation(portal, tenant, other_tenant, idp, settings, http):
    hr = await register(portal, "hr")
    payroll = await register(portal, "payroll")
    no_scope = await register(portal, "reader", "changes:read")
    async with Receiver() as receiver:
        mine, _ = await subscribe(hr, receiver.url())
        theirs, _ = await subscribe(payroll, receiver.url())
        assert (await no_scope(LIST))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert [s["id"] for s in (await hr(LIST))["data"]["webhookLangganan"]] == [mine]
        # Another client's subscription does not exist for this one, whatever the id.
        for query, name, variables in ((ROTATE, "putarRahasiaWebhook", {"id": theirs}),
                                       (REVOKE, "cabutWebhookLangganan", {"id": theirs}),
                                       (REPLAY, "putarUlangWebhook", {"id": theirs})):  # fmt: skip
            assert (await hr(query, **variables))["data"][name]["code"] == "NOT_FOUND"
        # The admin instansi sees and manages them all, but does not subscribe.
        team = await build_team(tenant, "Seksi Admin")
        admin = await portal.as_(team.rekan, LIST, Role.ADMIN_INSTANSI)
        assert {s["clientId"] for s in admin["data"]["webhookLangganan"]} == {
            hr.client_id, payroll.client_id}  # fmt: skip
        made = await portal.as_(team.rekan, SUBSCRIBE, Role.ADMIN_INSTANSI, url=receiver.url(),
                                jenis=[ST.value])  # fmt: skip
        assert made["data"]["buatWebhookLangganan"]["code"] == "NOT_AN_API_CLIENT"
        pegawai = await portal.as_(team.staf, LIST)
        assert pegawai["errors"][0]["extensions"]["code"] == "FORBIDDEN"

        # Tenant B: its client sees nothing of A, and B's worker delivers none of A's events.
        b = await register(Portal(portal.api, idp, other_tenant), "hr")
        assert (await b(LIST))["data"]["webhookLangganan"] == []
        # A's id is refused as another instansi's; B's id of A's row number names nothing in B.
        theirs_in_b = (await b(ROTATE, id=mine))["data"]["putarRahasiaWebhook"]
        assert theirs_in_b["code"] == "ID_OF_OTHER_INSTANSI"
        same_number = (await b(ROTATE, id=same_row_in(other_tenant, mine)))["data"]
        assert same_number["putarRahasiaWebhook"]["code"] == "NOT_FOUND"
        await announce(tenant)
        idle = await worker(settings, http).run_tenant(other_tenant, utc_now())
        assert idle.disalurkan == 0 and receiver.requests == []
        busy = await worker(settings, http).run_tenant(tenant, utc_now())
        assert busy.terkirim == 2  # one event, two subscriptions


async def test_the_running_worker_wakes_on_commit(portal, tenant, database, settings, http):
    """`run_forever` with an hour between sweeps still delivers at once: after its first pass,
    only the outbox's notification on commit can wake it."""
    hr = await register(portal, "hr")
    stop = asyncio.Event()
    runner = worker(settings, http, worker_sweep_seconds=3600)
    async with Receiver() as receiver:
        running = asyncio.create_task(run_forever(runner, database, stop))
        await subscribe(hr, receiver.url())  # after the worker listed subscribed tenants
        await announce(tenant)
        [request] = await asyncio.wait_for(receiver.received(1), timeout=60)
        stop.set()
        await running
    assert json.loads(request.body)["jenis"] == "skp.disetujui"


async def test_a_hanging_receiver_holds_only_its_own_slots(portal, tenant, settings, http):
    """Issue 14 #14: one receiver that never answers must not keep the others waiting. It was
    claimed first (its subscription is older) and had more deliveries due than the worker
    sends at once; the healthy receiver is still served while the hanging one holds."""
    hr, payroll = await register(portal, "hr"), await register(portal, "payroll")
    release = asyncio.Event()
    runner = worker(settings, http, webhook_timeout_seconds=600,
                    webhook_max_in_flight=10, webhook_max_in_flight_per_receiver=2)  # fmt: skip
    async with Receiver(hold=release) as hanging, Receiver() as healthy:
        await subscribe(hr, hanging.url())
        await subscribe(payroll, healthy.url())
        await announce(tenant, n=12)
        running = asyncio.create_task(runner.run_tenant(tenant, utc_now()))
        await asyncio.wait_for(healthy.received(2), timeout=60)
        await asyncio.wait_for(hanging.received(2), timeout=60)
        assert not release.is_set() and not running.done()
        assert len(hanging.requests) == 2  # its bound: the other ten wait in the database
        release.set()
        first = await running
        assert (first.disalurkan, first.terkirim) == (24, 4)
        rest = await runner.run_tenant(tenant, utc_now())
    assert rest.terkirim == 4 and len(hanging.requests) == len(healthy.requests) == 4


async def test_a_hanging_receiver_does_not_hold_up_the_running_worker(
    portal, tenant, database, settings, http
):
    """The running loop does not wait for a receiver that hangs: an event after the hang began
    still reaches a healthy receiver at once."""
    hr, payroll = await register(portal, "hr"), await register(portal, "payroll")
    stop, release = asyncio.Event(), asyncio.Event()
    runner = worker(settings, http, worker_sweep_seconds=3600, webhook_timeout_seconds=600)
    async with Receiver(hold=release) as hanging, Receiver() as healthy:
        running = asyncio.create_task(run_forever(runner, database, stop))
        await subscribe(hr, hanging.url())
        await subscribe(payroll, healthy.url(), jenis=(DITETAPKAN.value,))
        await announce(tenant)
        await asyncio.wait_for(hanging.received(1), timeout=60)
        await announce(tenant, jenis=DITETAPKAN)
        [request] = await asyncio.wait_for(healthy.received(1), timeout=60)
        assert not release.is_set()  # the first receiver still holds its request
        release.set()
        stop.set()
        await running  # it drains: the held attempt records its outcome before it returns
    assert json.loads(request.body)["jenis"] == DITETAPKAN.value
    assert [d.status.value for d in await deliveries(tenant)] == ["TERKIRIM", "TERKIRIM"]


def test_signature_rules():
    body = b'{"id":"1"}'
    value = header(["whsec_a"], 1_000, body)
    assert verify("whsec_a", value, body, 1_000)
    assert verify("whsec_a", value, body, 1_300) and not verify("whsec_a", value, body, 1_301)
    assert not verify("whsec_b", value, body, 1_000)
    assert not verify("whsec_a", value.replace("t=1000", "t=1001"), body, 1_000)
    assert not verify("whsec_a", "v1=abc", body, 1_000)


def test_a_sealed_secret_opens_only_for_its_subscription(settings):
    segel = Segel.from_settings(settings)
    sealed = segel.seal("whsec_x", 7)
    assert segel.open(sealed, 7) == "whsec_x"
    with pytest.raises(ValueError, match="does not open"):
        segel.open(sealed, 8)


def test_an_attempt_connects_to_the_address_that_was_checked():
    https = pinned("https://hr.example.go.id:8443/hooks/ekinerja?x=1", "203.0.113.5")
    assert https.url == "https://203.0.113.5:8443/hooks/ekinerja?x=1"
    assert https.headers == {"Host": "hr.example.go.id:8443"}
    assert https.extensions == {"sni_hostname": "hr.example.go.id"}  # TLS still checks the name
    v6 = pinned("http://hr.example.go.id/hook", "2001:db8::7")
    assert (v6.url, v6.headers, v6.extensions) == (
        "http://[2001:db8::7]/hook", {"Host": "hr.example.go.id"}, {})  # fmt: skip


async def test_a_pinned_request_reaches_the_address_and_names_the_host(http):
    """What the production path sends (the address checked, the registered name in Host), to
    a real receiver: the name itself need not resolve at all."""
    async with Receiver() as receiver:
        target = pinned(f"http://receiver.test:{receiver.port}/hook", "127.0.0.1")
        response = await http.post(target.url, headers=target.headers, content=b"{}")
    assert response.status_code == 200
    assert receiver.requests[0].headers["host"] == f"receiver.test:{receiver.port}"
    assert receiver.requests[0].path == "/hook"


def test_a_receiver_is_its_host_and_port_however_the_url_spells_them():
    same = [
        "https://example.com/a",
        "https://EXAMPLE.com:443/",
        "HTTPS://Example.COM.:443/b?c=d",
        "http://example.com:443/e",
    ]
    assert {penerima(url) for url in same} == {"example.com:443"}
    assert penerima("http://Example.com") == "example.com:80"
    assert penerima("https://example.com:8443/") == "example.com:8443"
    assert penerima("https://bücher.example/x") == penerima("https://XN--BCHER-KVA.example:443")
    assert penerima("https://bücher.example/x") == "xn--bcher-kva.example:443"
    assert penerima("http://[::0001]:8080/") == penerima("http://[::1]:8080") == "[::1]:8080"
    assert penerima("http://127.0.0.1/") == "127.0.0.1:80"


async def test_one_receiver_spelled_several_ways_gets_its_in_flight_bound_once(portal, tenant):
    """The in-flight bound per receiver counted the URL's literal scheme://host:port text, so
    the same receiver spelled differently got the bound once per spelling."""
    hr = await register(portal, "hr")
    same = ["https://example.com/a", "https://EXAMPLE.com:443/b", "https://example.com.:443/c",
            "http://Example.com:443/d", "https://bücher.example/e"]  # fmt: skip
    for url in [*same, "https://xn--bcher-kva.EXAMPLE:443/f"]:
        await subscribe(hr, url)
    await announce(tenant)
    moment = utc_now()
    async with tenant_transaction(as_bound(tenant)):
        # Due deliveries made directly: the fan-out reads the change feed, whose visibility
        # waits on every transaction of the cluster (other test runs included).
        event = await OutboxEvent.first()
        for langganan in await WebhookLangganan.all():
            await WebhookPengiriman.create(langganan=langganan, event=event, berikutnya_pada=moment,
                                           status=StatusPengiriman.MENUNGGU)  # fmt: skip
        claimed = await klaim(moment, timedelta(minutes=5), 50, tenant.kode, 1, {})
        # Two receivers, one attempt each; one of them already open leaves only the other.
        assert sorted(c.penerima for c in claimed) == [
            "example.com:443",
            "xn--bcher-kva.example:443",
        ]
        more = await klaim(moment, timedelta(minutes=5), 50, tenant.kode, 2, {"example.com:443": 1})
    assert sorted(c.penerima for c in more) == ["example.com:443", "xn--bcher-kva.example:443"]


async def test_a_failed_recording_waits_for_the_other_attempts_then_is_raised(
    portal, tenant, settings, http, database, monkeypatch
):
    """Commit fe0c2ca: when recording one attempt's outcome fails, the pass still lets every
    other attempt run to its end and record its outcome, then raises that first failure (an
    attempt left running untracked would be sent again once its lease ran out). The failure is
    real: the test holds A's delivery row, and cancels A's recording while it waits on it. The
    recording is only observed (the real `catat` runs), to know when each outcome ended."""
    hr, payroll = await register(portal, "hr"), await register(portal, "payroll")
    release_a, release_b = asyncio.Event(), asyncio.Event()
    a_failed, b_recorded = asyncio.Event(), asyncio.Event()
    seen: dict = {}
    real_catat = webhook_worker.catat

    async def observed(hasil, now, settings):
        try:
            status = await real_catat(hasil, now, settings)
        except Exception as failure:
            if hasil.klaim.langganan_id == row_of(id_a):
                seen["failure"] = failure
                a_failed.set()
            raise
        if hasil.klaim.langganan_id == row_of(id_b):
            seen["pass_ended_before_b_was_recorded"] = seen["running"].done()
            b_recorded.set()
        return status

    monkeypatch.setattr(webhook_worker, "catat", observed)
    runner = worker(settings, http, webhook_timeout_seconds=600)
    async with Receiver(hold=release_a) as a, Receiver(hold=release_b) as b:
        id_a, _ = await subscribe(hr, a.url())
        id_b, _ = await subscribe(payroll, b.url())
        await announce(tenant)
        moment = utc_now()
        async with tenant_transaction(as_bound(tenant)):
            # Made here, not by the fan-out, whose change feed waits on every transaction of
            # the cluster (other test runs' too); the fan-out adds none (one per event).
            event = await OutboxEvent.first()
            for langganan_id in (id_a, id_b):
                await WebhookPengiriman.create(langganan_id=row_of(langganan_id), event=event,
                    berikutnya_pada=moment, status=StatusPengiriman.MENUNGGU)  # fmt: skip
        running = seen["running"] = asyncio.create_task(runner.run_tenant(tenant, moment))
        await asyncio.wait_for(a.received(1), timeout=60)
        await asyncio.wait_for(b.received(1), timeout=60)
        async with tenant_transaction(as_bound(tenant)):
            await WebhookPengiriman.select_for_update().get(langganan_id=row_of(id_a))
            release_a.set()
            await asyncio.wait_for(until_waiting_on_lock(database), timeout=60)
            await cancel_lock_waiters(database)
            await asyncio.wait_for(a_failed.wait(), timeout=60)
        release_b.set()
        await asyncio.wait_for(b_recorded.wait(), timeout=60)
        assert seen["pass_ended_before_b_was_recorded"] is False
        with pytest.raises(Exception) as raised:
            await asyncio.wait_for(running, timeout=60)
    assert raised.value is seen["failure"]
    by_subscription = {
        gid(tenant, "WebhookLangganan", d.langganan_id): d for d in await deliveries(tenant)
    }
    assert by_subscription[id_b].status.value == "TERKIRIM"
    assert (by_subscription[id_a].status.value, by_subscription[id_a].percobaan) == ("MENUNGGU", 0)


async def cancel_lock_waiters(database) -> None:
    """Cancel the statements of the test database that wait on a lock (a real failure of
    theirs: `canceling statement due to user request`)."""
    connection = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        await connection.execute(
            """SELECT pg_cancel_backend(pid) FROM pg_stat_activity
               WHERE datname = $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'""",
            database.database,
        )
    finally:
        await connection.close()
