"""One contract, every authenticated endpoint (decision 0031): as Strawberry runs one HTTP test
suite against each integration, each endpoint below is sent the same requests and must give
the same answers: the one error envelope with the request id, the same order of checks
(limits, authentication, instansi, the cross-tenant trace, authorization), the same statuses,
Retry-After where there is one, CORS headers as configured, and never a stack trace.

An endpoint is (method, path, a valid request, who may make it, who may not). A new endpoint
is one more line in ENDPOINTS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from ekinerja.auth.principal import Role
from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import database_context
from ekinerja.models.tenant import AuditEvent
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.conftest import GRAPHQL_MAX_BODY, IMPORT_MAX_BYTES, PORTAL, World
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import bearer, central_admin_headers, client_token, principal_header
from tests.support.ids import gid

Headers = dict[str, str]
CSV = "text/csv"
PROGRES_CSV = "RENCANA_AKSI_ID,TANGGAL,JAM_MULAI,JAM_SELESAI,KEGIATAN,REALISASI,SATUAN\n"
PEGAWAI_CSV = "NIP,NAMA\n"
SMALL_BODY = 64 * 1024  # what an endpoint that reads no body accepts (bound_request.py)


def _staf(w: World) -> Headers:
    return principal_header(w.idp, w.tenant.kode, w.team.staf.nip)


def _rekan(w: World) -> Headers:
    """A pegawai of the instansi with no claim on staf's SKP."""
    return principal_header(w.idp, w.tenant.kode, w.team.rekan.nip)


def _admin(w: World) -> Headers:
    return principal_header(w.idp, w.tenant.kode, w.team.kasi.nip, Role.ADMIN_INSTANSI)


def _central(w: World) -> Headers:
    return central_admin_headers(w.idp, w.tenant.kode)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    allowed: Callable[[World], Headers]  # a principal of the instansi the request is for
    refused: Callable[[World], Headers]  # one of the instansi without the permission
    content_type: str | None = None
    body: Callable[[World], str] = lambda _w: ""
    max_body: int = SMALL_BODY
    served: int | None = 200  # the allowed principal's status (None: not sent here, it writes)
    # /graphql answers a field the principal may not read with 200 and the error beside data.
    refused_status: int = 403
    extra: dict = field(default_factory=dict)

    def request(self, w: World, headers: Headers, body: str | bytes | None = None):
        all_headers = dict(headers)
        if self.content_type:
            all_headers["Content-Type"] = self.content_type
        content = self.body(w) if body is None else body
        return w.api.request(
            self.method, self.path(w), headers=all_headers, content=content or None
        )


GRAPHQL_QUERY = '{"query": "{ sesiBrowser(nip: \\"%s\\") { nodes { dibuatPada } } }"}'


# Paths name records by the global ids the API hands out (decision 0028).
def _skp(w: World) -> str:
    return gid(w.tenant, "Skp", w.team.skp.id)


def _evaluasi(w: World) -> str:
    return gid(w.tenant, "EvaluasiPeriodik", w.evaluasi_id)


def _job(w: World) -> str:
    return gid(w.tenant, "ImporKepegawaian", w.job_id)


ENDPOINTS = [
    Endpoint(
        "graphql",
        "POST",
        lambda w: "/graphql",
        _admin,
        _rekan,  # only an admin lists a pegawai's sessions: a field error, 200
        content_type="application/json",
        body=lambda w: GRAPHQL_QUERY % w.team.staf.nip,
        max_body=GRAPHQL_MAX_BODY,
        refused_status=200,
    ),
    Endpoint(
        "skp-pdf",
        "GET",
        lambda w: f"/skp/{_skp(w)}/dokumen.pdf",
        _staf,
        _rekan,
    ),
    Endpoint(
        "evaluasi-pdf",
        "GET",
        lambda w: f"/evaluasi/{_evaluasi(w)}/dokumen.pdf",
        _staf,
        _rekan,
    ),
    Endpoint("siasn-skp22", "GET", lambda w: "/siasn/rw-skp22.csv?tahun=2026", _admin, _staf),
    Endpoint(
        "siasn-periodik", "GET", lambda w: "/siasn/rw-kinerjaperiodik.csv?tahun=2026", _admin, _staf
    ),
    Endpoint(
        "progres-import",
        "POST",
        lambda w: "/pelaksanaan/progres-harian/import?uji=true",
        _staf,
        _central,  # a central admin reads; it logs no progres
        content_type=CSV,
        body=lambda w: PROGRES_CSV + f"{w.team.rencana()},2026-01-05,08:00,09:00,Rapat,1,Dokumen\n",
        max_body=IMPORT_MAX_BYTES,
    ),
    Endpoint(
        "pegawai-import",
        "POST",
        lambda w: "/kepegawaian/impor/pegawai?uji=true",
        _admin,
        _staf,
        content_type=CSV,
        body=lambda w: PEGAWAI_CSV,
        max_body=IMPORT_MAX_BYTES,
        served=None,
    ),
    Endpoint(
        "unor-import",
        "POST",
        lambda w: "/kepegawaian/impor/unor?uji=true",
        _admin,
        _staf,
        content_type=CSV,
        body=lambda w: "KODE,NAMA\n",
        max_body=IMPORT_MAX_BYTES,
        served=None,
    ),
    Endpoint(
        "import-job",
        "GET",
        lambda w: f"/kepegawaian/impor/{_job(w)}",
        _admin,
        _staf,
    ),
    Endpoint(
        "import-errors",
        "GET",
        lambda w: f"/kepegawaian/impor/{_job(w)}/kesalahan.csv",
        _admin,
        _staf,
    ),
    Endpoint(
        "import-apply",
        "POST",
        lambda w: f"/kepegawaian/impor/{_job(w)}/terapkan",
        _admin,
        _staf,
        served=None,
    ),
]
BY_NAME = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])


def refused_as(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["code"] == code, error
    return error


@BY_NAME
async def test_the_allowed_principal_is_served(world, endpoint):
    if endpoint.served is None:
        pytest.skip("writes: served in its own tests")
    response = await endpoint.request(world, endpoint.allowed(world))
    assert response.status_code == endpoint.served, response.text
    if endpoint.name == "graphql":
        assert "errors" not in response.json(), response.text


@BY_NAME
async def test_no_token_is_401(world, endpoint):
    response = await endpoint.request(world, {"X-Instansi": world.tenant.kode})
    refused_as(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"].startswith("Bearer")


@BY_NAME
async def test_a_bad_token_is_401(world, endpoint):
    headers = bearer("not.a.token") | {"X-Instansi": world.tenant.kode}
    response = await endpoint.request(world, headers)
    assert response.status_code == 401, response.text
    assert code_of(response) in ("INVALID_TOKEN", "UNAUTHENTICATED")


async def _traces(w: World) -> int:
    async with tenant_transaction(as_bound(w.tenant)):
        return await AuditEvent.filter(action="cross_tenant.read").count()


@BY_NAME
async def test_another_instansis_pegawai_is_refused_and_nothing_is_traced(world, endpoint):
    before = await _traces(world)
    outsider = principal_header(world.idp, world.other.kode, world.other_team.staf.nip)
    response = await endpoint.request(world, outsider | {"X-Instansi": world.tenant.kode})
    error = refused_as(response, 403, "FORBIDDEN")
    assert world.tenant.kode in error["message"]
    assert await _traces(world) == before  # refused before it was bound: nothing was read


@BY_NAME
async def test_a_request_crossing_instansi_is_traced_there_whatever_its_answer(world, endpoint):
    before = await _traces(world)
    response = await endpoint.request(world, _central(world))
    assert response.status_code < 500, response.text
    assert await _traces(world) == before + 1


@BY_NAME
async def test_an_api_client_without_the_scope_is_refused_and_traced(world, endpoint):
    """An API client is at home in no instansi: every request it makes is traced in the one it
    reads, the refused ones too."""
    before = await _traces(world)
    headers = bearer(client_token(world.idp, world.client_id)) | {"X-Instansi": world.tenant.kode}
    response = await endpoint.request(world, headers)
    if endpoint.refused_status == 200:  # /graphql: a field error beside the data
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN", error
    else:
        refused_as(response, 403, "FORBIDDEN")
    assert await _traces(world) == before + 1


@BY_NAME
async def test_a_principal_without_the_permission_is_refused(world, endpoint):
    response = await endpoint.request(world, endpoint.refused(world))
    assert response.status_code == endpoint.refused_status, response.text
    if endpoint.refused_status == 200:  # /graphql: a field error beside the data
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN", error
    else:
        refused_as(response, 403, "FORBIDDEN")


@BY_NAME
async def test_an_unknown_instansi_is_refused(world, endpoint):
    headers = central_admin_headers(world.idp, "ZZ999")
    refused_as(await endpoint.request(world, headers), 404, "TENANT_NOT_FOUND")


@BY_NAME
async def test_a_body_over_the_limit_is_refused_unread(world, endpoint):
    response = await endpoint.request(world, _admin(world), body=b" " * (endpoint.max_body + 1))
    refused_as(response, 413, "TOO_LARGE")


@BY_NAME
async def test_a_lost_database_is_503_with_retry_after(world, endpoint):
    dead = DatabaseAddress(host="127.0.0.1", port=1, user="x", password=None, database="x")
    headers = endpoint.allowed(world)  # minted first: the token needs no database
    async with database_context(dead, world.settings):
        response = await endpoint.request(world, headers)
    refused_as(response, 503, "DATABASE_UNAVAILABLE")
    assert int(response.headers["retry-after"]) > 0


@BY_NAME
async def test_the_request_id_is_echoed_in_the_header_and_the_envelope(world, endpoint):
    response = await endpoint.request(world, {"X-Request-ID": "contract-0031-abcdef"})
    assert response.headers["x-request-id"] == "contract-0031-abcdef"
    assert error_of(response)["requestId"] == "contract-0031-abcdef"


@BY_NAME
async def test_errors_carry_cors_headers_for_a_listed_origin_only(world, endpoint):
    listed = await endpoint.request(world, {"Origin": PORTAL})
    assert listed.status_code == 401
    assert listed.headers["access-control-allow-origin"] == PORTAL
    assert "origin" in listed.headers["vary"].lower()
    unlisted = await endpoint.request(world, {"Origin": "https://elsewhere.example"})
    assert unlisted.status_code == 401
    assert "access-control-allow-origin" not in unlisted.headers
