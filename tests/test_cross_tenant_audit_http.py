"""Issue 15, defect 8: reads of another instansi outside /graphql leave a trace there too. A BKN
central admin choosing an instansi with X-Instansi writes one `cross_tenant.read` row per
request to every authenticated endpoint (PDFs, CSV exports, the import, refused or not); a
pegawai in their own instansi writes none."""

from __future__ import annotations

import pytest

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import AuditEvent, EvaluasiPeriodik
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import central_admin_headers, principal_header
from tests.support.ids import gid

IMPORT = "/pelaksanaan/progres-harian/import"
CSV_HEADER = "Rencana Aksi Id,Tanggal,Jam Mulai,Jam Selesai,Kegiatan,Realisasi,Satuan\n"


async def _evaluasi(tenant, team) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return (await EvaluasiPeriodik.create(skp=team.skp, periode="2026-T1")).id


def _endpoints(tenant, team, evaluasi_id: int) -> list[tuple[str, str, dict, int]]:
    """(method, path, extra request arguments, status for the central admin)"""
    body = CSV_HEADER + f"{team.rencana()},2026-01-05,08:00,09:00,Rapat,1,Dokumen\n"
    return [
        ("GET", f"/skp/{gid(tenant, 'Skp', team.skp.id)}/dokumen.pdf", {}, 200),
        ("GET", f"/evaluasi/{gid(tenant, 'EvaluasiPeriodik', evaluasi_id)}/dokumen.pdf", {}, 200),
        ("GET", "/siasn/rw-skp22.csv?tahun=2026", {}, 200),
        ("GET", "/siasn/rw-kinerjaperiodik.csv?tahun=2026", {}, 200),
        # Refused (a central admin does not log progres), and still traced, as /graphql is.
        ("POST", IMPORT, {"content": body, "headers": {"Content-Type": "text/csv"}}, 403),
    ]


async def _audited(tenant) -> list[tuple[str, str, str]]:
    async with tenant_transaction(as_bound(tenant)):
        rows = await AuditEvent.filter(action="cross_tenant.read").order_by("id")
    # The whole operation is in the detail when the entity id had to shorten it.
    return [(r.actor, r.detail.get("operation", r.entity_id), r.detail.get("query")) for r in rows]


@pytest.mark.parametrize("which", range(5), ids=["skp", "evaluasi", "skp22", "periodik", "import"])
async def test_a_central_admins_read_of_another_instansi_is_audited(
    portal, idp, tenant, team, which
):
    method, path, extra, status = _endpoints(tenant, team, await _evaluasi(tenant, team))[which]
    headers = central_admin_headers(idp, tenant.kode) | extra.pop("headers", {})
    response = await portal.api.request(method, path, headers=headers, **extra)
    assert response.status_code == status, response.text
    [(actor, operation, query)] = await _audited(tenant)
    assert actor == "197001011990031001"
    assert operation == f"{method} {path.split('?')[0]}"
    assert query == (path.split("?") + [""])[1]


async def test_a_pegawai_in_their_own_instansi_leaves_no_cross_tenant_trace(
    portal, idp, tenant, team
):
    evaluasi_id = await _evaluasi(tenant, team)
    for method, path, extra, _ in _endpoints(tenant, team, evaluasi_id):
        roles = (Role.ADMIN_INSTANSI,) if path.startswith("/siasn") else ()
        headers = principal_header(idp, tenant.kode, team.staf.nip, *roles)
        headers |= extra.pop("headers", {})
        response = await portal.api.request(method, path, headers=headers, **extra)
        assert response.status_code == 200, (path, response.text)
    assert await _audited(tenant) == []


async def test_a_long_operation_name_is_traced_whole_and_answered(portal, idp, tenant):
    """The trace's entity id holds 50 characters; a longer GraphQL operationName (the caller's
    choice) or a path with global ids in it failed the audit row and with it the request."""
    name = "BacaStatistik" + "X" * 180
    query = f"query {name} {{ statistikInstansi(tahun: 2026) {{ pegawai }} }}"
    response = await portal.api.post(
        "/graphql",
        json={"query": query, "operationName": name},
        headers=central_admin_headers(idp, tenant.kode),
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    async with tenant_transaction(as_bound(tenant)):
        [row] = await AuditEvent.filter(action="cross_tenant.read")
    assert len(row.entity_id) == 50 and name.startswith(row.entity_id[:-1])
    assert row.detail["operation"] == name and row.detail["query"] == query
