"""The object store failing under the service: a real S3 endpoint (moto's server in a child
process, tests/support/moto_process.py) frozen with SIGSTOP and killed with SIGKILL mid-flow.

What must hold (issue 14 #10, #16): a confirm fails with STORAGE_UNAVAILABLE once the
configured S3 timeout runs out, and no database transaction is held while S3 is waited for
(seen in pg_stat_activity from a connection of the test's own, at the moment the service is
inside its S3 call); `storage gc` reports each instansi it could not sweep in one line, goes on
with the others, exits 1 and holds nothing; once S3 is back, everything works again."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from tortoise.timezone import now

from ekinerja.cli.storage import collect_each
from ekinerja.models.tenant import BuktiDukung
from ekinerja.pelaksanaan.enums import JenisBukti, StatusBukti
from ekinerja.storage import S3Store, StorageUnavailable
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests import test_pelaksanaan_bukti as bukti_tests
from tests.support.activity import idle_in_transaction
from tests.support.ids import row_of
from tests.support.moto_process import MotoProcess
from tests.support.pelaksanaan import build_team
from tests.test_migrations import run_cli
from tests.test_pelaksanaan_bukti import CONFIRM, PDF, requested, upload

# Fixtures reused from the evidence tests: `portal` (the app on this module's `store`) and
# `team` (with a realisasi).
portal = bukti_tests.portal
team = bukti_tests.team

BUCKET = "ekinerja-faults"
KEYS = {"access_key_id": "t", "secret_access_key": "t"}
# Short, so a frozen S3 costs the test about a second per call; the service's defaults are
# 5 s / 15 s with two attempts (EKINERJA_S3_*).
TIMEOUTS = {"connect_timeout": 1.0, "read_timeout": 1.0, "max_attempts": 1}
LONGEST = 60  # bounds every wait of the test, so a regression fails instead of hanging

pytestmark = pytest.mark.faults


class WatchedStore(S3Store):
    """The real S3 store, telling the test when a call to S3 has begun (``calling``), and,
    with ``hold_failures``, keeping a failed call from returning until the test allows."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(bucket=BUCKET, endpoint_url=endpoint, **KEYS, **TIMEOUTS)
        self.calling = asyncio.Event()
        self.failed = asyncio.Event()
        self.hold_failures: asyncio.Event | None = None

    async def _watched(self, call):
        self.calling.set()
        try:
            return await call
        except StorageUnavailable:
            self.failed.set()
            if self.hold_failures is not None:
                await self.hold_failures.wait()
            raise

    async def head(self, key):
        return await self._watched(super().head(key))

    async def delete(self, key):
        return await self._watched(super().delete(key))


@pytest.fixture
def s3() -> MotoProcess:
    with MotoProcess() as server:
        yield server


@pytest.fixture
async def store(s3) -> AsyncIterator[WatchedStore]:
    watched = WatchedStore(s3.url)
    await watched.ensure_bucket()
    yield watched
    await watched.close()


async def confirm(portal, team, ticket) -> dict:
    answer = await portal.as_(team.staf, CONFIRM, id=ticket["bukti"]["id"])
    return answer["data"]["konfirmasiBuktiDukung"]


async def status_of(tenant, ticket) -> str:
    async with tenant_transaction(as_bound(tenant)):
        row = await BuktiDukung.get(id=row_of(ticket["bukti"]["id"]))
    return row.status.value


async def test_a_frozen_s3_fails_the_confirm_and_holds_no_transaction(
    portal, team, tenant, store, s3, database
):
    ticket = await requested(portal, team)
    assert (await upload(portal, ticket)).status_code == 204
    s3.freeze()
    confirming = asyncio.create_task(confirm(portal, team, ticket))
    await asyncio.wait_for(store.calling.wait(), LONGEST)
    # The service is inside its HEAD and S3 does not answer: no transaction may wait with it
    # (it sat "idle in transaction", holding the evidence row's lock, for the whole freeze).
    assert await idle_in_transaction(database) == []
    answer = await asyncio.wait_for(confirming, LONGEST)
    assert answer["code"] == "STORAGE_UNAVAILABLE", answer
    assert "HEAD" in answer["message"] and "timeout" in answer["message"].lower()
    assert await status_of(tenant, ticket) == "MENUNGGU_UNGGAHAN"

    s3.thaw()
    assert (await confirm(portal, team, ticket))["status"] == "TERSEDIA"


async def test_a_killed_s3_fails_the_confirm_and_a_restarted_one_serves_again(
    portal, team, tenant, store, s3
):
    ticket = await requested(portal, team)
    assert (await upload(portal, ticket)).status_code == 204
    s3.kill()
    answer = await asyncio.wait_for(confirm(portal, team, ticket), LONGEST)
    assert answer["code"] == "STORAGE_UNAVAILABLE", answer
    assert await status_of(tenant, ticket) == "MENUNGGU_UNGGAHAN"

    # Back, but empty (moto keeps nothing): the upload form is still valid, so the client
    # sends the file again and confirms; a new upload works from the start too.
    s3.start()
    await store.ensure_bucket()
    assert (await confirm(portal, team, ticket))["code"] == "NOT_UPLOADED"
    assert (await upload(portal, ticket)).status_code == 204
    assert (await confirm(portal, team, ticket))["status"] == "TERSEDIA"
    fresh = await requested(portal, team)
    assert (await upload(portal, fresh)).status_code == 204
    assert (await confirm(portal, team, fresh))["status"] == "TERSEDIA"


async def expired_upload(store: S3Store, tenant) -> str:
    """An upload nobody confirmed, past its life: its row and its object are gc's to take."""
    team = await build_team(tenant)
    key = f"tenants/{tenant.kode}/bukti/{team.skp.id}/x/late.pdf"
    client = await store._client()
    await client.put_object(Bucket=BUCKET, Key=key, Body=PDF, ContentType="application/pdf")
    async with tenant_transaction(as_bound(tenant)):
        await BuktiDukung.create(
            jenis=JenisBukti.BERKAS,
            status=StatusBukti.MENUNGGU_UNGGAHAN,
            pemilik_pegawai_id=team.staf.id,
            skp=team.skp,
            nama="late",
            object_key=key,
            kedaluwarsa_pada=now() - timedelta(hours=1),
        )
    return key


async def pending_rows(tenant) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return await BuktiDukung.filter(status=StatusBukti.MENUNGGU_UNGGAHAN).count()


async def test_gc_goes_on_past_an_instansi_whose_sweep_fails_and_holds_nothing(
    store, s3, tenant, other_tenant, database
):
    first_key = await expired_upload(store, tenant)
    second_key = await expired_upload(store, other_tenant)
    s3.freeze()
    store.hold_failures = asyncio.Event()
    sweeping = asyncio.create_task(collect_each(store, [tenant, other_tenant], 0))
    await asyncio.wait_for(store.calling.wait(), LONGEST)
    # Inside the first instansi's DELETE with S3 frozen: its candidates were read in a
    # transaction that is over, and its rows wait for the store (they were deleted first,
    # with the delete locks held "idle in transaction" for the whole freeze).
    assert await idle_in_transaction(database) == []
    await asyncio.wait_for(store.failed.wait(), LONGEST)
    s3.thaw()  # before the failure returns, so the second instansi finds S3 back
    store.hold_failures.set()
    first, second = await asyncio.wait_for(sweeping, LONGEST)

    assert first.kode == tenant.kode and first.result is None
    assert first.error.startswith(f"DELETE {first_key} failed: ") and "\n" not in first.error
    assert await pending_rows(tenant) == 1  # the row stays for the next run
    assert (second.kode, second.result.expired_rows, second.error) == (
        other_tenant.kode, 1, None)  # fmt: skip
    assert await pending_rows(other_tenant) == 0 and await store.head(second_key) is None

    [again] = await collect_each(store, [tenant], 0)
    assert again.result.expired_rows == 1 and await pending_rows(tenant) == 0


def gc_command(database, s3: MotoProcess, *tenants) -> tuple[int, list[str]]:
    env = {
        "EKINERJA_STORAGE_BACKEND": "s3",
        "EKINERJA_S3_ENDPOINT_URL": s3.url,
        "EKINERJA_S3_BUCKET": BUCKET,
        "EKINERJA_S3_ACCESS_KEY_ID": "t",
        "EKINERJA_S3_SECRET_ACCESS_KEY": "t",
        "EKINERJA_S3_CONNECT_TIMEOUT_SECONDS": "1",
        "EKINERJA_S3_READ_TIMEOUT_SECONDS": "1",
        "EKINERJA_S3_MAX_ATTEMPTS": "1",
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        arguments = [a for t in tenants for a in ("--tenant", t.kode)]
        result = run_cli(database, "storage", "gc", *arguments, "--grace-seconds", "0")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return result.returncode, [line for line in result.stderr.splitlines() if line.strip()]


async def test_gc_with_s3_down_reports_each_instansi_in_one_line_and_exits_1(
    store, s3, tenant, other_tenant, database
):
    await expired_upload(store, tenant)
    await expired_upload(store, other_tenant)
    s3.kill()
    code, lines = gc_command(database, s3, tenant, other_tenant)
    assert code == 1, lines
    failed = [line for line in lines if line.startswith("FAILED")]
    assert [line.split(":")[0] for line in failed] == [
        f"FAILED {tenant.kode}",
        f"FAILED {other_tenant.kode}",
    ], lines
    assert all("DELETE" in line and "failed" in line for line in failed), lines
    assert not any("Traceback" in line for line in lines), lines

    s3.start()
    await store.ensure_bucket()
    code, lines = gc_command(database, s3, tenant, other_tenant)
    assert code == 0, lines
    assert f"{tenant.kode}: 1 expired upload(s), 0 orphan object(s) removed" in lines
    assert f"{other_tenant.kode}: 1 expired upload(s), 0 orphan object(s) removed" in lines
