"""The local evidence store through its own HTTP routes, as a browser would use it. Download
links are single-use, recorded in the database (decision 0017)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from tortoise.timezone import now

from ekinerja.http.app import create_app
from ekinerja.models.shared import UnduhanTerpakai
from ekinerja.settings import Settings
from ekinerja.storage import (
    InvalidArgument,
    InvalidKey,
    LocalStore,
    MissingStorageSecret,
    S3Store,
    store_from_settings,
    used_links,
    validate_key,
)
from ekinerja.storage.local_routes import local_storage_routes
from ekinerja.storage.setup import storage_signing_secret
from tests.http_contract.envelope import code_of, error_of

BASE_URL = "http://evidence.test"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
PDF_SHA = hashlib.sha256(PDF).hexdigest()
KEY = "tenants/DEMO/realisasi/42/bukti.pdf"


class Clock:
    """A settable clock: expiry is tested by moving time, not by waiting."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> LocalStore:
    return LocalStore(tmp_path / "evidence", BASE_URL, b"k" * 32, now=clock)


@pytest.fixture
async def browser(store: LocalStore, database) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=local_storage_routes(store))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


async def _form(store: LocalStore, key: str = KEY, **overrides):
    args = {
        "content_type": "application/pdf",
        "max_bytes": 100_000,
        "sha256_hex": PDF_SHA,
        "expires_in": 900,
    }
    return await store.presign_upload(key, **(args | overrides))


async def _post(browser, form, fields=None, body=PDF, part_type="application/pdf"):
    return await browser.post(
        form.url, data=fields or form.fields, files={"file": ("bukti.pdf", body, part_type)}
    )


def _files_under(store: LocalStore) -> list[str]:
    """Everything on disk, dot-files (sidecars, temporary uploads) included."""
    root = store.directory
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


async def test_upload_head_download(store, browser, clock):
    form = await _form(store)
    assert form.url == f"{BASE_URL}/storage/upload"
    assert form.expires_at.timestamp() == clock.now + 900

    uploaded = await _post(browser, form)
    assert uploaded.status_code == 204, uploaded.text

    found = await store.head(KEY)
    assert found is not None
    assert (found.size, found.content_type, found.sha256_hex) == (
        len(PDF),
        "application/pdf",
        PDF_SHA,
    )
    assert found.sha256_verified is True

    url = await store.presign_download(KEY, filename="Bukti Dukung Mei.pdf", expires_in=300)
    downloaded = await browser.get(url)
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["content-disposition"] == (
        'attachment; filename="Bukti Dukung Mei.pdf"'
    )
    assert downloaded.headers["x-content-type-options"] == "nosniff"


async def test_download_of_a_non_ascii_name_keeps_it_exactly(store, browser):
    assert (await _post(browser, await _form(store))).status_code == 204
    url = await store.presign_download(KEY, filename='Laporan "Q1" – ü.pdf', expires_in=300)
    disposition = (await browser.get(url)).headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Laporan _Q1_ _ _.pdf"; filename*=')
    assert "UTF-8''Laporan%20%22Q1%22%20%E2%80%93%20%C3%BC.pdf" in disposition


async def test_expired_upload_form_is_refused(store, browser, clock):
    form = await _form(store, expires_in=60)
    clock.now += 60
    refused = await _post(browser, form)
    assert refused.status_code == 403
    assert code_of(refused) == "EXPIRED"
    assert await store.head(KEY) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content_type", "text/html"),
        ("max_bytes", "999999999"),
        ("key", "tenants/OTHER/realisasi/42/bukti.pdf"),
        ("sha256", "0" * 64),
        ("expires", "9999999999"),
    ],
)
async def test_tampered_upload_form_is_refused(store, browser, field, value):
    form = await _form(store)
    tampered = form.fields | {field: value}
    part_type = value if field == "content_type" else "application/pdf"
    refused = await _post(browser, form, fields=tampered, part_type=part_type)
    assert refused.status_code == 403
    error = error_of(refused)
    assert (error["code"], error["message"]) == ("SIGNATURE_INVALID", "signature does not match")
    assert _files_under(store) == []


async def test_oversize_upload_is_refused_and_leaves_nothing(store, browser):
    form = await _form(store, max_bytes=len(PDF) - 1)
    refused = await _post(browser, form)
    assert refused.status_code == 413
    assert code_of(refused) == "TOO_LARGE"
    assert await store.head(KEY) is None
    assert _files_under(store) == []


async def test_upload_of_exactly_max_bytes_is_accepted(store, browser):
    form = await _form(store, max_bytes=len(PDF))
    assert (await _post(browser, form)).status_code == 204


async def test_oversize_stream_is_cut_off_at_the_cap(store):
    """The route stops reading once over the cap: the rest of the body is never pulled."""
    form = await _form(store, max_bytes=1000, sha256_hex="0" * 64)
    boundary = "cut-off-test"
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in form.fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield head.encode()
        for _ in range(1000):  # up to 64 MB, far more than the cap
            pulled += 1
            yield b"x" * 65536

    app = Starlette(routes=local_storage_routes(store))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        refused = await client.post(
            "/storage/upload",
            content=body(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    assert refused.status_code == 413
    assert pulled <= 2
    assert _files_under(store) == []


async def test_wrong_content_type_is_refused(store, browser):
    refused = await _post(browser, await _form(store), part_type="text/html")
    assert refused.status_code == 415
    assert code_of(refused) == "UNSUPPORTED_TYPE"
    assert _files_under(store) == []


async def test_checksum_mismatch_is_refused_and_leaves_nothing(store, browser):
    form = await _form(store)
    refused = await _post(browser, form, body=PDF[:-1] + b"!")
    assert refused.status_code == 400
    assert code_of(refused) == "CHECKSUM_MISMATCH"
    assert await store.head(KEY) is None
    assert _files_under(store) == []


async def test_empty_file_is_refused(store, browser):
    form = await _form(store, sha256_hex=hashlib.sha256(b"").hexdigest())
    refused = await _post(browser, form, body=b"")
    assert refused.status_code == 400
    assert code_of(refused) == "MALFORMED"
    assert _files_under(store) == []


async def test_form_without_file_or_with_unknown_fields_is_refused(store, browser):
    form = await _form(store)
    no_file = await browser.post(form.url, data=form.fields, files={"other": ("x", b"1")})
    assert no_file.status_code == 400 and code_of(no_file) == "MALFORMED"
    extra = await _post(browser, form, fields=form.fields | {"acl": "public-read"})
    assert extra.status_code == 400 and "acl" in error_of(extra)["message"]
    not_multipart = await browser.post(form.url, data=form.fields)
    assert not_multipart.status_code == 400


async def test_expired_download_url_is_refused(store, browser, clock):
    assert (await _post(browser, await _form(store))).status_code == 204
    url = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    clock.now += 301
    refused = await browser.get(url)
    assert refused.status_code == 403
    assert code_of(refused) == "EXPIRED"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("key", "tenants/OTHER/realisasi/42/bukti.pdf"),
        ("filename", "other.html"),
        ("expires", "9999999999"),
        ("signature", "0" * 64),
        ("nonce", "f" * 32),
        ("key", "../../etc/passwd"),
    ],
)
async def test_tampered_download_url_is_refused(store, browser, param, value):
    assert (await _post(browser, await _form(store))).status_code == 204
    url = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    refused = await browser.get(f"{parts.path}?{urlencode(query | {param: value})}")
    assert refused.status_code == 403
    assert code_of(refused) == "SIGNATURE_INVALID"


async def test_a_download_link_works_once(store, browser):
    assert (await _post(browser, await _form(store))).status_code == 204
    url = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    assert (await browser.head(url)).status_code == 200  # a preview sends no file: not a use
    assert (await browser.get(url)).content == PDF
    again = await browser.get(url)  # from history, a forwarded message, a log
    assert again.status_code == 403 and code_of(again) == "ALREADY_USED"
    fresh = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    assert (await browser.get(fresh)).status_code == 200


async def test_two_requests_racing_with_one_link_get_the_file_once(store, browser):
    assert (await _post(browser, await _form(store))).status_code == 204
    url = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    answers = await asyncio.gather(*(browser.get(url) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [200, 403, 403, 403]


async def test_a_link_without_its_nonce_is_malformed(store, browser):
    url = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    del query["nonce"]
    refused = await browser.get(f"{parts.path}?{urlencode(query)}")
    assert refused.status_code == 400 and code_of(refused) == "MALFORMED"


async def test_used_links_are_forgotten_once_expired(database):
    await UnduhanTerpakai.create(nonce="e" * 32, expires_at=now() - timedelta(seconds=1))
    await UnduhanTerpakai.create(nonce="f" * 31 + "0", expires_at=now() + timedelta(minutes=5))
    await used_links.prune()
    left = await UnduhanTerpakai.filter(nonce__in=["e" * 32, "f" * 31 + "0"])
    assert [row.nonce for row in left] == ["f" * 31 + "0"]


async def test_download_of_a_deleted_object_is_not_found(store, browser):
    assert (await _post(browser, await _form(store))).status_code == 204
    url = await store.presign_download(KEY, filename="bukti.pdf", expires_in=300)
    await store.delete(KEY)
    missing = await browser.get(url)
    assert missing.status_code == 404 and code_of(missing) == "NOT_FOUND"


@pytest.mark.parametrize(
    "key",
    ["../x", "a/../../x", "/etc/passwd", "a\\b", "a//b", "a/", ".hidden", "a/.meta", "a b", ""],
)
async def test_unsafe_keys_are_refused(store, key):
    with pytest.raises(InvalidKey):
        validate_key(key)
    with pytest.raises(InvalidKey):
        await _form(store, key=key)
    with pytest.raises(InvalidKey):
        await store.head(key)
    with pytest.raises(InvalidKey):
        await store.presign_download(key, filename="x", expires_in=60)


async def test_bad_upload_arguments_are_refused(store):
    with pytest.raises(InvalidArgument):
        await _form(store, sha256_hex="ABC")
    with pytest.raises(InvalidArgument):
        await _form(store, content_type="text/plain\r\nX-Evil: 1")
    with pytest.raises(InvalidArgument):
        await _form(store, max_bytes=0)


async def test_list_and_delete(store, browser):
    keys = ["tenants/DEMO/b.pdf", "tenants/DEMO/a/1.pdf", "tenants/DEMO2/c.pdf", "other/d.pdf"]
    for key in keys:
        assert (await _post(browser, await _form(store, key=key))).status_code == 204

    listed = [item async for item in store.list("tenants/DEMO/")]
    assert [item.key for item in listed] == ["tenants/DEMO/a/1.pdf", "tenants/DEMO/b.pdf"]
    assert all(item.size == len(PDF) and item.last_modified.tzinfo for item in listed)
    # A string prefix, as in S3: "tenants/DEMO" also matches DEMO2.
    assert len([item async for item in store.list("tenants/DEMO")]) == 3
    assert len([item async for item in store.list("")]) == 4
    assert [item async for item in store.list("nothing/here/")] == []

    await store.delete("tenants/DEMO/b.pdf")
    await store.delete("tenants/DEMO/b.pdf")  # missing is fine
    assert await store.head("tenants/DEMO/b.pdf") is None
    assert [item.key async for item in store.list("tenants/DEMO/")] == ["tenants/DEMO/a/1.pdf"]
    assert ".b.pdf.meta.json" not in " ".join(_files_under(store))


async def test_key_cannot_be_both_object_and_prefix(store, browser):
    assert (await _post(browser, await _form(store, key="tenants/DEMO/x"))).status_code == 204
    refused = await _post(browser, await _form(store, key="tenants/DEMO/x/y.pdf"))
    assert refused.status_code == 400 and code_of(refused) == "INVALID_KEY"
    assert await store.head("tenants/DEMO") is None  # a "directory" is not an object


def _settings(tmp_path: Path, **values) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)


def test_settings_choose_a_local_store_with_a_persistent_development_secret(tmp_path):
    store = store_from_settings(_settings(tmp_path, port=8123))
    assert isinstance(store, LocalStore)
    assert store.directory == tmp_path / "evidence"
    assert store.base_url == "http://127.0.0.1:8123"
    secret = tmp_path / "storage-secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert storage_signing_secret(_settings(tmp_path)) == secret.read_text().encode()

    configured = store_from_settings(
        _settings(tmp_path, public_url="https://kinerja.example.go.id/", storage_dir=tmp_path / "x")
    )
    assert configured.base_url == "https://kinerja.example.go.id"
    assert configured.directory == tmp_path / "x"


def test_production_needs_a_secret(tmp_path):
    with pytest.raises(MissingStorageSecret):
        store_from_settings(_settings(tmp_path, mode="production"))
    assert not (tmp_path / "storage-secret").exists()
    derived = storage_signing_secret(
        _settings(tmp_path, mode="production", session_secret="s" * 40)
    )
    assert len(derived) == 32 and b"s" * 40 not in derived
    explicit = _settings(tmp_path, mode="production", storage_signing_secret="t" * 40)
    assert storage_signing_secret(explicit) == b"t" * 40


def test_settings_choose_s3(tmp_path):
    store = store_from_settings(
        _settings(
            tmp_path,
            storage_backend="s3",
            s3_endpoint_url="http://minio:9000",
            s3_public_endpoint_url="http://localhost:9000",
            s3_bucket="bukti",
        )
    )
    assert isinstance(store, S3Store) and store.bucket == "bukti"


async def test_the_service_mounts_the_local_store(tmp_path, database):
    app = create_app(_settings(tmp_path, public_url=BASE_URL))
    store = app.state.evidence_store
    assert isinstance(store, LocalStore)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        assert (await _post(client, await _form(store))).status_code == 204
        url = await store.presign_download(KEY, filename="b.pdf", expires_in=60)
        assert (await client.get(url)).content == PDF

    s3_app = create_app(_settings(tmp_path), store=S3Store(bucket="b"))
    assert isinstance(s3_app.state.evidence_store, S3Store)
    assert not any(getattr(r, "path", "").startswith("/storage") for r in s3_app.routes)
