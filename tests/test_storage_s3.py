"""`S3Store` against a real S3 endpoint in-process (moto's server), over HTTP like a browser.

moto stores what it is sent but checks no presigned signature, expiry, policy condition or
POST checksum, so what real S3/MinIO enforce is tested on the signed policy document, and one
test pins down what moto does not do (if a moto upgrade changes that, update the docstring
of ekinerja/storage/s3.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from aiobotocore.session import get_session
from moto.server import ThreadedMotoServer

from ekinerja.storage import InvalidKey, S3Store, StorageUnavailable

BUCKET = "ekinerja-evidence-test"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
PDF_SHA = hashlib.sha256(PDF).hexdigest()
CREDENTIALS = {"access_key_id": "test", "secret_access_key": "test"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
async def store(endpoint: str) -> AsyncIterator[S3Store]:
    s3 = S3Store(bucket=BUCKET, endpoint_url=endpoint, **CREDENTIALS)
    await s3.ensure_bucket()
    await s3.ensure_bucket()  # idempotent
    yield s3
    await s3.close()


@pytest.fixture(scope="module")
async def raw(endpoint: str):
    """A plain client, for writing objects the way another tool would."""
    async with get_session().create_client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ) as client:
        yield client


async def _upload(form, body: bytes = PDF, part_type: str = "application/pdf"):
    async with httpx.AsyncClient() as browser:
        return await browser.post(
            form.url, data=form.fields, files={"file": ("bukti.pdf", body, part_type)}
        )


async def _form(store: S3Store, key: str, **overrides):
    args = {
        "content_type": "application/pdf",
        "max_bytes": 100_000,
        "sha256_hex": PDF_SHA,
        "expires_in": 900,
    }
    return await store.presign_upload(key, **(args | overrides))


async def test_post_upload_then_head_and_download(store):
    key = "tenants/DEMO/realisasi/1/bukti.pdf"
    form = await _form(store, key)
    assert (await _upload(form)).status_code == 204

    found = await store.head(key)
    assert found is not None
    assert (found.key, found.size, found.content_type) == (key, len(PDF), "application/pdf")
    assert found.sha256_hex == PDF_SHA  # from x-amz-meta-sha256: moto drops POST checksums
    assert found.sha256_verified is False

    url = await store.presign_download(key, filename="Bukti Mei.pdf", expires_in=300)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    async with httpx.AsyncClient() as browser:
        downloaded = await browser.get(url)
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["content-disposition"] == 'attachment; filename="Bukti Mei.pdf"'


async def test_presigned_policy_binds_key_type_size_expiry_and_checksum(store):
    key = "tenants/DEMO/realisasi/2/bukti.pdf"
    before = datetime.now(UTC)
    form = await _form(store, key, max_bytes=5000, expires_in=600)
    policy = json.loads(base64.b64decode(form.fields["policy"]))
    conditions = policy["conditions"]
    checksum = base64.b64encode(hashlib.sha256(PDF).digest()).decode()

    assert {"bucket": BUCKET} in conditions
    assert {"key": key} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, 5000] in conditions
    assert {"x-amz-checksum-algorithm": "SHA256"} in conditions
    assert {"x-amz-checksum-sha256": checksum} in conditions
    assert {"x-amz-meta-sha256": PDF_SHA} in conditions
    # Every field the browser sends (except the policy and its signature) is a condition,
    # as S3 requires of a POST form.
    named = {name for condition in conditions if isinstance(condition, dict) for name in condition}
    assert set(form.fields) - {"policy", "x-amz-signature"} <= named
    assert form.fields["x-amz-checksum-sha256"] == checksum
    assert form.fields["key"] == key

    expiration = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert 595 <= (expiration - before).total_seconds() <= 605
    assert abs((form.expires_at - expiration).total_seconds()) <= 2


async def test_moto_does_not_enforce_the_checksum(store):
    """What the docstring of ekinerja/storage/s3.py claims about moto: a body that does not
    match the declared SHA-256 is stored, and head can only repeat the declaration."""
    key = "tenants/DEMO/realisasi/3/lie.pdf"
    lie = await _upload(await _form(store, key), body=b"not the declared bytes")
    assert lie.status_code == 204
    found = await store.head(key)
    assert found is not None and found.sha256_hex == PDF_SHA and not found.sha256_verified


async def test_head_prefers_the_servers_own_checksum(store, raw):
    """Where the server keeps a SHA-256 checksum (S3, MinIO; moto for PUT), head reports that,
    not the metadata the uploader declared."""
    key = "tenants/DEMO/realisasi/4/put.pdf"
    await raw.put_object(
        Bucket=BUCKET,
        Key=key,
        Body=PDF,
        ContentType="application/pdf",
        ChecksumAlgorithm="SHA256",
        Metadata={"sha256": "0" * 64},
    )
    found = await store.head(key)
    assert found is not None
    assert found.sha256_hex == PDF_SHA
    assert found.sha256_verified is True


async def test_head_of_missing_key_is_none(store):
    assert await store.head("tenants/DEMO/nothing/here.pdf") is None


async def test_delete(store, raw):
    key = "tenants/DEMO/realisasi/5/gone.pdf"
    await raw.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    assert await store.head(key) is not None
    await store.delete(key)
    assert await store.head(key) is None
    await store.delete(key)  # missing is fine


async def test_list_paginates_under_a_prefix(store, raw):
    keys = [f"tenants/LIST/item-{n:02d}.pdf" for n in range(7)]
    for key in keys:
        await raw.put_object(Bucket=BUCKET, Key=key, Body=b"12345")
    await raw.put_object(Bucket=BUCKET, Key="tenants/LISTX/other.pdf", Body=b"1")

    listed = [item async for item in store.list("tenants/LIST/", page_size=3)]
    assert [item.key for item in listed] == keys
    assert all(item.size == 5 and item.last_modified.tzinfo for item in listed)
    assert [item async for item in store.list("tenants/NONE/")] == []


async def test_unsafe_keys_are_refused(store):
    for key in ["../x", "/abs", "a\\b", ".hidden"]:
        with pytest.raises(InvalidKey):
            await _form(store, key)
        with pytest.raises(InvalidKey):
            await store.head(key)


async def test_public_endpoint_is_used_only_for_presigned_urls(endpoint, store):
    public = endpoint.replace("127.0.0.1", "localhost")
    split = S3Store(bucket=BUCKET, endpoint_url=endpoint, public_endpoint_url=public, **CREDENTIALS)
    try:
        key = "tenants/DEMO/realisasi/6/public.pdf"
        form = await _form(split, key)
        assert form.url.startswith(f"{public}/{BUCKET}")
        assert (await _upload(form)).status_code == 204
        assert (await split.head(key)).size == len(PDF)  # through the internal endpoint
        url = await split.presign_download(key, filename="p.pdf", expires_in=60)
        assert url.startswith(f"{public}/{BUCKET}/{key}?")
    finally:
        await split.close()


async def test_every_call_to_an_endpoint_that_is_gone_is_storage_unavailable():
    """A refused connection (a killed S3) is one clear error for every call, naming it; a
    delete or a listing used to escape as a raw botocore error. Frozen endpoints and the
    service's part: tests/faults/test_object_store.py."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    gone = f"http://127.0.0.1:{probe.getsockname()[1]}"
    probe.close()  # nothing listens there
    dead = S3Store(
        bucket=BUCKET, endpoint_url=gone, connect_timeout=1, read_timeout=1, max_attempts=1,
        **CREDENTIALS,
    )  # fmt: skip
    key = "tenants/DEMO/realisasi/7/x.pdf"
    try:
        calls = {
            "HEAD": dead.head(key),
            "DELETE": dead.delete(key),
            "LIST": anext(dead.list("tenants/DEMO/"), None),
            "bucket": dead.ensure_bucket(),
        }
        for name, call in calls.items():
            with pytest.raises(StorageUnavailable) as refused:
                await call
            message = str(refused.value)
            assert message.startswith(name) and "Could not connect" in message, message
            assert "\n" not in message
        # Presigning signs locally: it needs no endpoint at all.
        assert (await _form(dead, key)).url.startswith(gone)
    finally:
        await dead.close()


def test_calls_carry_the_configured_timeouts_and_attempts():
    configured = S3Store(bucket=BUCKET, connect_timeout=2, read_timeout=7, max_attempts=3)
    config = configured._config
    assert (config.connect_timeout, config.read_timeout) == (2, 7)
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
