"""Bukti dukung end to end over GraphQL: request a presigned upload, upload straight to storage,
confirm (the server checks size, type and SHA-256), download by short-lived URL for those who
may, links as evidence, gc of expired uploads and orphan objects, and tenant isolation. Runs
against the local HMAC store (the embedded default) and a real S3 endpoint (moto server)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from aiobotocore.session import get_session
from moto.server import ThreadedMotoServer
from tortoise.timezone import now

from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.models.tenant import BuktiDukung, Realisasi
from ekinerja.pelaksanaan.bukti import collect
from ekinerja.pelaksanaan.enums import StatusBukti
from ekinerja.storage import LocalStore, S3Store
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of, same_row_in
from tests.support.pelaksanaan import Portal, build_team

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 20
PDF_SHA = hashlib.sha256(PDF).hexdigest()
BUCKET = "ekinerja-bukti-test"

REQUEST = """mutation($input: UnggahanBuktiInput!) { mintaUnggahanBuktiDukung(input: $input) {
  __typename ... on TiketUnggahanBukti { bukti { id status } url fields { name value } }
  ... on MutationError { code field message } } }"""
CONFIRM = """mutation($id: ID!) { konfirmasiBuktiDukung(buktiId: $id) {
  __typename ... on BuktiDukung { id status ukuran sha256 sha256Terverifikasi }
  ... on MutationError { code field message } } }"""
LINK = """mutation($input: TautanBuktiInput!) { tambahTautanBuktiDukung(input: $input) {
  __typename ... on BuktiDukung { id jenis unduhUrl } ... on MutationError { code field } } }"""
REMOVE = """mutation($id: ID!) { hapusBuktiDukung(buktiId: $id) {
  __typename ... on MutationError { code } } }"""
DOWNLOAD = """query($id: ID!) { buktiDukung(id: $id) { nama unduhUrl } }"""
WINDOW = """query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {
  realisasi { realisasiId bukti { id nama } } } }"""
SUBMIT = """mutation($skp: ID!) { ajukanEvaluasiPeriodik(skpId: $skp, periode: "2026-T1") {
  __typename } }"""


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
async def store(request, tmp_path, s3_endpoint) -> AsyncIterator:
    if request.param == "local":
        yield LocalStore(tmp_path / "evidence", "http://t", b"k" * 32)
        return
    s3 = S3Store(bucket=BUCKET, endpoint_url=s3_endpoint, access_key_id="t", secret_access_key="t")
    await s3.ensure_bucket()
    yield s3
    await s3.close()


@pytest.fixture
async def portal(settings, idp, tenant, store):
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield Portal(c, idp, tenant)


async def _team_with_realisasi(tenant):
    team = await build_team(tenant)
    async with tenant_transaction(as_bound(tenant)):
        team.realisasi = await Realisasi.create(
            indikator=team.dokumen, skp=team.skp, periode="2026-T1", kuantitas=3
        )
    return team


@pytest.fixture
async def team(tenant):
    return await _team_with_realisasi(tenant)


@pytest.fixture(scope="module")
async def refusing_team(module_tenant):
    return await _team_with_realisasi(module_tenant)


@pytest.fixture
async def refusing(settings, idp, module_tenant, refusing_team, store):
    """Portal, team and tenant on one tenant for the module, for the requests refused before
    anything is written (nothing else here uses it, so it holds no bukti at all): ~13 tenant
    schemas and teams fewer."""
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield Portal(c, idp, module_tenant), refusing_team, module_tenant


def upload_input(tenant, team, **changes) -> dict:
    return {
        "realisasiId": gid_of(tenant, team.realisasi),
        "nama": "Laporan Analisis Q1.pdf",
        "contentType": "application/pdf",
        "ukuran": len(PDF),
        "sha256": PDF_SHA,
    } | changes


async def upload(portal: Portal, ticket: dict, body: bytes = PDF, part_type="application/pdf"):
    """Post the file like a browser form: to the local store's route in this app, or to S3."""
    fields = {f["name"]: f["value"] for f in ticket["fields"]}
    files = {"file": ("bukti.pdf", body, part_type)}
    url = ticket["url"]
    if url.startswith("http://t/"):
        parts = urlsplit(url)
        return await portal.api.post(parts.path, data=fields, files=files)
    async with httpx.AsyncClient() as browser:
        return await browser.post(url, data=fields, files=files)


async def fetch(portal: Portal, url: str) -> httpx.Response:
    if url.startswith("http://t/"):
        parts = urlsplit(url)
        return await portal.api.get(f"{parts.path}?{parts.query}")
    async with httpx.AsyncClient() as browser:
        return await browser.get(url)


async def requested(portal, team, **changes) -> dict:
    body = await portal.as_(team.staf, REQUEST, input=upload_input(portal.tenant, team, **changes))
    return body["data"]["mintaUnggahanBuktiDukung"]


async def test_upload_confirm_and_download_by_those_who_may(portal, team, tenant, store):
    ticket = await requested(portal, team)
    assert ticket["bukti"]["status"] == "MENUNGGU_UNGGAHAN"
    key = next(f["value"] for f in ticket["fields"] if f["name"] == "key")
    assert key.startswith(f"tenants/{tenant.kode}/bukti/{team.skp.id}/")
    assert (await upload(portal, ticket)).status_code in (200, 201, 204)
    bukti_id = ticket["bukti"]["id"]
    confirmed = (await portal.as_(team.staf, CONFIRM, id=bukti_id))["data"]["konfirmasiBuktiDukung"]
    assert confirmed == {
        "__typename": "BuktiDukung",
        "id": bukti_id,
        "status": "TERSEDIA",
        "ukuran": len(PDF),
        "sha256": PDF_SHA,
        # The local store hashes what it receives; moto only keeps the declared metadata.
        "sha256Terverifikasi": isinstance(store, LocalStore),
    }
    window = await portal.as_(team.staf, WINDOW, skp=gid_of(portal.tenant, team.skp))
    linked = [r for r in window["data"]["pelaksanaan"]["realisasi"] if r["realisasiId"]]
    assert linked[0]["bukti"] == [{"id": bukti_id, "nama": "Laporan Analisis Q1.pdf"}]

    for reader, roles in ((team.staf, ()), (team.kasi, ()), (team.rekan, (Role.ADMIN_INSTANSI,))):
        answer = await portal.as_(reader, DOWNLOAD, *roles, id=bukti_id)
        got = await fetch(portal, answer["data"]["buktiDukung"]["unduhUrl"])
        assert got.status_code == 200 and got.content == PDF
    refused = await portal.as_(team.rekan, DOWNLOAD, id=bukti_id)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    again = (await portal.as_(team.staf, CONFIRM, id=bukti_id))["data"]["konfirmasiBuktiDukung"]
    assert again["code"] == "ALREADY_CONFIRMED"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"contentType": "text/html"}, "UNSUPPORTED_TYPE", "contentType"),
        ({"ukuran": 20 * 1024 * 1024 + 1}, "TOO_LARGE", "ukuran"),
        ({"ukuran": 0}, "INVALID_INPUT", "ukuran"),
        ({"sha256": "abc"}, "INVALID_INPUT", "sha256"),
        ({"nama": " "}, "INVALID_INPUT", "nama"),
        ({"realisasiId": None}, "INVALID_INPUT", "realisasiId"),
        ({"realisasiId": "x"}, "INVALID_INPUT", "realisasiId"),
    ],
)
async def test_bad_requests_are_refused_with_nothing_written(refusing, changes, code, field):
    portal, team, tenant = refusing
    refused = await requested(portal, team, **changes)
    assert (refused["code"], refused["field"]) == (code, field), refused
    async with tenant_transaction(as_bound(tenant)):
        assert await BuktiDukung.all().count() == 0


async def test_confirm_checks_the_stored_object(portal, team, store):
    # Nothing uploaded yet.
    ticket = await requested(portal, team)
    early = await portal.as_(team.staf, CONFIRM, id=ticket["bukti"]["id"])
    assert early["data"]["konfirmasiBuktiDukung"]["code"] == "NOT_UPLOADED"
    # Fewer bytes than declared: the local store refuses the upload (its checksum no longer
    # matches); S3 (moto) stores it and the confirm finds the size wrong.
    short = await upload(portal, ticket, PDF[:100])
    answer = (await portal.as_(team.staf, CONFIRM, id=ticket["bukti"]["id"]))["data"]
    if isinstance(store, LocalStore):
        assert (
            short.status_code == 400 and answer["konfirmasiBuktiDukung"]["code"] == "NOT_UPLOADED"
        )
    else:
        assert answer["konfirmasiBuktiDukung"]["code"] == "SIZE_MISMATCH"
        assert answer["konfirmasiBuktiDukung"]["field"] == "ukuran"
    # The right bytes under the same form then confirm.
    assert (await upload(portal, ticket)).status_code in (200, 201, 204)
    ok = await portal.as_(team.staf, CONFIRM, id=ticket["bukti"]["id"])
    assert ok["data"]["konfirmasiBuktiDukung"]["status"] == "TERSEDIA"


async def test_a_confirm_is_checked_however_the_document_spells_it(portal, team, store):
    """The store is asked before the request's transaction (decision 0018), for every root
    confirm of the document: aliased, through fragments, twice in one operation."""
    first, second = await requested(portal, team), await requested(portal, team)
    for ticket in (first, second):
        await upload(portal, ticket)
    both = """mutation Both($a: ID!, $b: ID!) { a: konfirmasiBuktiDukung(buktiId: $a) { ...Bukti }
      ... on Mutation { again: konfirmasiBuktiDukung(buktiId: $a) { ...Bukti } } ...Second }
    fragment Second on Mutation { b: konfirmasiBuktiDukung(buktiId: $b) { ...Bukti } }
    fragment Bukti on BuktiResult { __typename ... on BuktiDukung { status }
      ... on MutationError { code } }"""
    body = await portal.as_(team.staf, both, a=first["bukti"]["id"], b=second["bukti"]["id"])
    assert body["data"] == {
        "a": {"__typename": "BuktiDukung", "status": "TERSEDIA"},
        "again": {"__typename": "MutationError", "code": "ALREADY_CONFIRMED"},
        "b": {"__typename": "BuktiDukung", "status": "TERSEDIA"},
    }, body


async def test_a_checksum_the_store_computed_must_match(portal, team, store, s3_endpoint):
    if not isinstance(store, S3Store):
        pytest.skip("the local store refuses a mismatching body at upload (test_storage_local)")
    ticket = await requested(portal, team)
    key = next(f["value"] for f in ticket["fields"] if f["name"] == "key")
    other = PDF[::-1]  # same size and type, other bytes: S3 computes their real SHA-256
    async with get_session().create_client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="t",
        aws_secret_access_key="t",
    ) as raw:
        await raw.put_object(
            Bucket=BUCKET,
            Key=key,
            Body=other,
            ContentType="application/pdf",
            ChecksumAlgorithm="SHA256",
        )
    answer = await portal.as_(team.staf, CONFIRM, id=ticket["bukti"]["id"])
    assert answer["data"]["konfirmasiBuktiDukung"]["code"] == "CHECKSUM_MISMATCH"
    assert await store.head(key) is None  # the wrong bytes are gone


async def test_confirming_others_expired_or_foreign_uploads_is_refused(portal, team, tenant, store):
    ticket = await requested(portal, team)
    bukti_id = ticket["bukti"]["id"]
    await upload(portal, ticket)
    theirs = await portal.as_(team.kasi, CONFIRM, id=bukti_id)
    assert theirs["data"]["konfirmasiBuktiDukung"]["code"] == "NOT_FOUND"
    async with tenant_transaction(as_bound(tenant)):
        row = await BuktiDukung.get(id=row_of(bukti_id))
        key = row.object_key
        await BuktiDukung.filter(id=row.id).update(
            object_key=key.replace(f"tenants/{tenant.kode}/", "tenants/LAIN/")
        )
    outside = await portal.as_(team.staf, CONFIRM, id=bukti_id)
    assert outside["data"]["konfirmasiBuktiDukung"]["code"] == "KEY_OUTSIDE_TENANT"
    async with tenant_transaction(as_bound(tenant)):
        await BuktiDukung.filter(id=row.id).update(
            object_key=key, kedaluwarsa_pada=now() - timedelta(seconds=1)
        )
    expired = await portal.as_(team.staf, CONFIRM, id=bukti_id)
    assert expired["data"]["konfirmasiBuktiDukung"]["code"] == "EXPIRED"


async def test_links_removal_and_closed_windows(portal, team, tenant):
    bad = await portal.as_(
        team.staf,
        LINK,
        input={
            "realisasiId": gid_of(portal.tenant, team.realisasi),
            "nama": "Drive",
            "tautan": "javascript:alert(1)",
        },
    )
    assert bad["data"]["tambahTautanBuktiDukung"] == {
        "__typename": "MutationError",
        "code": "INVALID_INPUT",
        "field": "tautan",
    }
    link = await portal.as_(
        team.staf,
        LINK,
        input={
            "realisasiId": gid_of(portal.tenant, team.realisasi),
            "nama": "Drive",
            "tautan": "https://drive.example/a",
        },
    )
    added = link["data"]["tambahTautanBuktiDukung"]
    assert added["jenis"] == "TAUTAN" and added["unduhUrl"] == "https://drive.example/a"
    assert (await portal.as_(team.kasi, REMOVE, id=added["id"]))["data"]["hapusBuktiDukung"][
        "code"
    ] == "NOT_FOUND"
    await portal.as_(team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp))
    closed = await requested(portal, team)
    assert closed["code"] == "WINDOW_CLOSED"
    kept = await portal.as_(team.staf, REMOVE, id=added["id"])
    assert kept["data"]["hapusBuktiDukung"]["code"] == "WINDOW_CLOSED"


async def test_an_upload_is_not_confirmed_into_a_window_submitted_since(portal, team, tenant):
    """Asked for while the window was open, uploaded, then the window submitted: confirming
    would add evidence to a submitted record (decision 0010: it no longer changes)."""
    ticket = await requested(portal, team)
    assert (await upload(portal, ticket)).status_code in (200, 201, 204)
    await portal.as_(team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp))

    late = await portal.as_(team.staf, CONFIRM, id=ticket["bukti"]["id"])

    assert late["data"]["konfirmasiBuktiDukung"]["code"] == "WINDOW_CLOSED"
    async with tenant_transaction(as_bound(tenant)):
        row = await BuktiDukung.get(id=row_of(ticket["bukti"]["id"]))
    assert row.status is StatusBukti.MENUNGGU_UNGGAHAN  # gc takes it once it expires


async def test_gc_removes_expired_uploads_and_orphan_objects(portal, team, tenant, store):
    kept = await requested(portal, team)
    await upload(portal, kept)
    await portal.as_(team.staf, CONFIRM, id=kept["bukti"]["id"])
    expired = await requested(portal, team)
    await upload(portal, expired)
    removed = await requested(portal, team)
    await upload(portal, removed)
    await portal.as_(team.staf, CONFIRM, id=removed["bukti"]["id"])
    await portal.as_(team.staf, REMOVE, id=removed["bukti"]["id"])
    async with tenant_transaction(as_bound(tenant)):
        await BuktiDukung.filter(id=row_of(expired["bukti"]["id"])).update(
            kedaluwarsa_pada=now() - timedelta(hours=1)
        )
    collected = await collect(store, as_bound(tenant), grace_seconds=-60)
    async with tenant_transaction(as_bound(tenant)):
        remaining = await BuktiDukung.all().values_list("id", flat=True)
    assert (collected.expired_rows, collected.orphan_objects) == (1, 1)
    assert remaining == [row_of(kept["bukti"]["id"])]
    keys = [o.key async for o in store.list(f"tenants/{tenant.kode}/")]
    assert len(keys) == 1
    answer = await portal.as_(team.staf, DOWNLOAD, id=kept["bukti"]["id"])
    assert (await fetch(portal, answer["data"]["buktiDukung"]["unduhUrl"])).content == PDF


async def test_tenant_b_cannot_confirm_download_or_attach_to_tenant_a(
    portal, team, tenant, other_tenant, idp
):
    other = await build_team(other_tenant, "Seksi B")
    async with tenant_transaction(as_bound(tenant)):
        # Rows beyond any id tenant B has, so a guess cannot land on B's own.
        for _ in range(3):
            await BuktiDukung.create(
                jenis="TAUTAN",
                status="TERSEDIA",
                pemilik_pegawai_id=team.staf.id,
                skp=team.skp,
                nama="x",
                tautan="https://x.example",
            )
    ticket = await requested(portal, team)
    await upload(portal, ticket)
    b = Portal(portal.api, idp, other_tenant)
    # A's numbers in B (A's own ids are refused as another instansi's: test_global_ids).
    guess = await b.as_(other.staf, CONFIRM, id=same_row_in(b.tenant, ticket["bukti"]["id"]))
    assert guess["data"]["konfirmasiBuktiDukung"]["code"] == "NOT_FOUND"
    read = await b.as_(
        other.staf, DOWNLOAD, Role.ADMIN_INSTANSI, id=same_row_in(b.tenant, ticket["bukti"]["id"])
    )
    assert read["data"]["buktiDukung"] is None
    attach = await b.as_(other.staf, REQUEST, input=upload_input(b.tenant, team))
    # Tenant B has no realisasi at all: tenant A's id finds nothing there.
    assert attach["data"]["mintaUnggahanBuktiDukung"]["code"] == "NOT_FOUND"


async def test_a_non_owners_confirm_makes_no_store_request(portal, team, store):
    """Issue 14 leftover: the step before the transaction asked the store about the upload
    before knowing the caller may confirm it, so anyone could make the server HEAD another's
    object. Counted on the wire: every request the S3 client sends to the (moto) server."""
    if not isinstance(store, S3Store):
        pytest.skip("the local store makes no requests to count")
    ticket = await requested(portal, team)
    bukti_id = ticket["bukti"]["id"]
    await upload(portal, ticket)
    sent: list[str] = []
    client = await store._client()
    count = lambda event_name, **_: sent.append(event_name)  # noqa: E731
    client.meta.events.register("before-send.s3", count)
    try:
        theirs = await portal.as_(team.kasi, CONFIRM, id=bukti_id)
        assert theirs["data"]["konfirmasiBuktiDukung"] == {
            "__typename": "MutationError",
            "code": "NOT_FOUND",
            "field": "buktiId",
            "message": f"no upload with id {row_of(bukti_id)} of yours",
        }
        assert sent == []
        mine = await portal.as_(team.staf, CONFIRM, id=bukti_id)
        assert mine["data"]["konfirmasiBuktiDukung"]["status"] == "TERSEDIA"
        assert sent == ["before-send.s3.HeadObject"]
    finally:
        client.meta.events.unregister("before-send.s3", count)
