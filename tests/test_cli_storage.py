"""`ekinerja storage gc` end to end, as a subprocess against the test database and a local
evidence store in a temporary directory."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import httpx
from starlette.applications import Starlette
from tortoise.timezone import now

from ekinerja.models.tenant import BuktiDukung
from ekinerja.pelaksanaan.enums import JenisBukti, StatusBukti
from ekinerja.storage import LocalStore
from ekinerja.storage.local_routes import local_storage_routes
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.pelaksanaan import build_team
from tests.test_migrations import run_cli

SECRET = "cli-storage-test-secret-" + "x" * 24
BODY = b"%PDF-1.4 orphan"


async def put(store: LocalStore, key: str) -> None:
    form = await store.presign_upload(
        key,
        content_type="application/pdf",
        max_bytes=len(BODY),
        sha256_hex=hashlib.sha256(BODY).hexdigest(),
        expires_in=60,
    )
    app = Starlette(routes=local_storage_routes(store))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.post(
            "/storage/upload", data=form.fields, files={"file": ("x.pdf", BODY, "application/pdf")}
        )
    assert response.status_code == 204, response.text


async def test_gc_removes_expired_uploads_and_orphans_and_keeps_the_rest(
    database, tenant, tmp_path, monkeypatch
):
    team = await build_team(tenant)
    store = LocalStore(tmp_path, "http://t", SECRET.encode())
    prefix = f"tenants/{tenant.kode}/bukti/{team.skp.id}"
    kept, expired, orphan = f"{prefix}/a/kept.pdf", f"{prefix}/b/late.pdf", f"{prefix}/c/x.pdf"
    for key in (kept, expired, orphan):
        await put(store, key)
    async with tenant_transaction(as_bound(tenant)):
        common = {"jenis": JenisBukti.BERKAS, "pemilik_pegawai_id": team.staf.id, "skp": team.skp}
        await BuktiDukung.create(
            **common, status=StatusBukti.TERSEDIA, nama="kept", object_key=kept
        )
        await BuktiDukung.create(
            **common,
            status=StatusBukti.MENUNGGU_UNGGAHAN,
            nama="late",
            object_key=expired,
            kedaluwarsa_pada=now() - timedelta(hours=1),
        )
    for name, value in {
        "EKINERJA_STORAGE_DIR": str(tmp_path),
        "EKINERJA_STORAGE_SIGNING_SECRET": SECRET,
    }.items():
        monkeypatch.setitem(os.environ, name, value)

    result = run_cli(database, "storage", "gc", "--tenant", tenant.kode, "--grace-seconds", "0")

    assert result.returncode == 0, result.stderr
    assert f"{tenant.kode}: 1 expired upload(s), 1 orphan object(s) removed" in result.stderr
    assert [o.key async for o in store.list(f"tenants/{tenant.kode}/")] == [kept]
    async with tenant_transaction(as_bound(tenant)):
        assert await BuktiDukung.all().values_list("nama", flat=True) == ["kept"]
