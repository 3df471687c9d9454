"""One world for the whole contract suite, built once (the suite reads; nothing it sends is
allowed to write): two instansi with a team each, an evaluation and a finished import job in
the first, and one app with small body limits and a CORS origin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.models.shared import ApiClient, ApiClientGrant, Instansi
from ekinerja.models.tenant import EvaluasiPeriodik
from ekinerja.models.tenant.impor import ImporKepegawaian, JenisImpor, StatusImpor
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.pelaksanaan import Team, build_team
from tests.support.tenants import new_tenant

PORTAL = "https://portal.kinerja.example"
GRAPHQL_MAX_BODY = 8192
IMPORT_MAX_BYTES = 4096


@dataclass
class World:
    api: httpx.AsyncClient
    idp: object
    settings: Settings
    tenant: Instansi  # the instansi every request is about
    team: Team
    other: Instansi  # another instansi, whose people must not reach the first
    other_team: Team
    evaluasi_id: int
    job_id: int  # a finished dry run of the first instansi
    client_id: str  # an API client granted the first instansi, with no scope at all


@pytest.fixture(scope="package")
async def world(settings: Settings, idp, role_prefix: str) -> AsyncIterator[World]:
    tenant, other = await new_tenant(role_prefix), await new_tenant(role_prefix)
    team, other_team = await build_team(tenant), await build_team(other)
    async with tenant_transaction(as_bound(tenant)):
        evaluasi = await EvaluasiPeriodik.create(skp=team.skp, periode="2026-T1")
        job = await ImporKepegawaian.create(
            jenis=JenisImpor.PEGAWAI,
            dry_run=True,
            status=StatusImpor.REJECTED,
            nama_berkas="pegawai.csv",
            format="csv",
            ukuran_berkas=10,
            laporan={"errorCount": 0, "errorsKept": 0},
            kesalahan=[],
            dibuat_oleh="contract",
        )
    client = await ApiClient.create(client_id=f"kosong-{tenant.kode.lower()}", nama="X", scopes=[])
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    tuned = settings.model_copy(
        update={
            "graphql_max_body_bytes": GRAPHQL_MAX_BODY,
            "import_max_bytes": IMPORT_MAX_BYTES,
            "cors_allowed_origins": [PORTAL],
        }
    )
    app = create_app(tuned)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ekinerja.test") as api:
        yield World(
            api, idp, tuned, tenant, team, other, other_team, evaluasi.id, job.id, client.client_id
        )
