"""/readyz checks the database and the object store, each reported on its own, and `failed`
names what failed; /healthz (liveness) checks neither. The object store is a real S3 endpoint
in-process (moto's server), stopped to make it fail; its check is kept a few seconds so that
probes do not send a HEAD each."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from moto.server import ThreadedMotoServer

from ekinerja.http import health
from ekinerja.http.app import create_app
from ekinerja.storage import S3Store

BUCKET = "ekinerja-readiness-test"
CREDENTIALS = {"access_key_id": "test", "secret_access_key": "test"}
QUICK = {"connect_timeout": 1.0, "read_timeout": 1.0, "max_attempts": 1}


class Moto:
    def __init__(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.server.stop()
            self.running = False


@pytest.fixture
def moto() -> Iterator[Moto]:
    server = Moto()
    yield server
    server.stop()


@pytest.fixture
async def store(moto: Moto) -> AsyncIterator[S3Store]:
    s3 = S3Store(bucket=BUCKET, endpoint_url=moto.url, **CREDENTIALS, **QUICK)
    await s3.ensure_bucket()
    yield s3
    await s3.close()


def client_of(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_ready_with_the_database_and_the_bucket(settings, store):
    async with client_of(create_app(settings, store=store)) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.json()
    body = ready.json()
    assert (body["status"], body["database"], body["objectStore"], body["failed"]) == (
        "ready", "ok", "ok", [])  # fmt: skip


async def test_the_object_store_stopped_is_unready_and_still_alive(
    settings, store, moto, monkeypatch
):
    async with client_of(create_app(settings, store=store)) as client:
        assert (await client.get("/readyz")).status_code == 200
        moto.stop()
        # Kept a few seconds: a probe right after still says what the last check found.
        assert (await client.get("/readyz")).json()["objectStore"] == "ok"
        monkeypatch.setattr(health, "STORE_CHECK_SECONDS", 0.0)
        unready = await client.get("/readyz")
        alive = await client.get("/healthz")
    assert unready.status_code == 503
    body = unready.json()
    assert body["status"] == "unavailable" and body["failed"] == ["objectStore"]
    assert body["database"] == "ok" and body["sharedSchemaCurrent"] is True
    assert body["objectStore"].startswith(("unavailable (", "timeout")), body
    assert moto.url not in str(body)  # the kind of error only: health is public
    assert alive.status_code == 200 and alive.json()["status"] == "ok"


async def test_a_missing_bucket_is_unready(settings, moto):
    missing = S3Store(bucket="no-such-bucket", endpoint_url=moto.url, **CREDENTIALS, **QUICK)
    try:
        async with client_of(create_app(settings, store=missing)) as client:
            unready = await client.get("/readyz")
    finally:
        await missing.close()
    assert unready.status_code == 503
    assert unready.json()["failed"] == ["objectStore"]
    assert unready.json()["objectStore"] == "unavailable (ClientError)"


async def test_a_frozen_bucket_check_is_bounded(settings, store, monkeypatch):
    """A store that does not answer: the check gives up at readyz_timeout_seconds."""
    import asyncio

    async def hangs() -> None:
        await asyncio.sleep(60)

    monkeypatch.setattr(store, "check", hangs)
    quick = settings.model_copy(update={"readyz_timeout_seconds": 0.2})
    async with client_of(create_app(quick, store=store)) as client:
        unready = await client.get("/readyz")
    assert unready.status_code == 503 and unready.json()["objectStore"] == "timeout"


async def test_the_local_store_is_checked_too(settings, tmp_path):
    """The embedded default's local store: its directory must be writable."""
    from ekinerja.storage import LocalStore

    unwritable = tmp_path / "ro"
    unwritable.mkdir()
    unwritable.chmod(0o500)
    try:
        local = LocalStore(unwritable / "bukti", "http://t", b"0123456789abcdef0123")
        writable = LocalStore(tmp_path / "bukti", "http://t", b"0123456789abcdef0123")
        async with client_of(create_app(settings, store=writable)) as client:
            assert (await client.get("/readyz")).json()["objectStore"] == "ok"
        async with client_of(create_app(settings, store=local)) as client:
            refused = await client.get("/readyz")
    finally:
        unwritable.chmod(0o700)
    import os

    if os.geteuid() == 0:  # root writes anywhere: only the writable case says something
        return
    assert refused.status_code == 503 and refused.json()["failed"] == ["objectStore"]
