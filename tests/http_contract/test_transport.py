"""The envelope where no pipeline runs (decision 0031): routing's 404 and 405, a bug's 500, the
endpoints whose credential is not a token (the local store's signed links, the login, the
OAuth token endpoint, which keeps RFC 6749's fields beside the envelope), the database outage
and the CORS refusal answered by middleware. Never a stack trace, always the request id."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from ekinerja.auth.principal import Role
from ekinerja.schema.ids import encode_id
from tests.http_contract.conftest import PORTAL
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import principal_header


async def test_an_unknown_path_is_404_in_the_envelope(world):
    response = await world.api.get("/tidak-ada", headers={"X-Request-ID": "contract-404-abcdef"})
    assert response.status_code == 404
    error = error_of(response)
    assert (error["code"], error["requestId"]) == ("NOT_FOUND", "contract-404-abcdef")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/skp/1/dokumen.pdf", "GET, HEAD"),
        ("GET", "/pelaksanaan/progres-harian/import", "POST"),
        ("PUT", "/kepegawaian/impor/1/terapkan", "POST"),
        ("GET", "/oauth/token", "POST"),
    ],
)
async def test_a_method_a_route_does_not_take_is_405_with_allow(world, method, path, allowed):
    response = await world.api.request(method, path)
    assert response.status_code == 405
    assert code_of(response) == "METHOD_NOT_ALLOWED"
    # Starlette lists a route's methods in set order: compared as sets.
    assert set(response.headers["allow"].split(", ")) == set(allowed.split(", "))


async def test_graphql_refuses_other_methods_in_the_same_envelope(world):
    response = await world.api.delete("/graphql", headers={"Accept": "application/json"})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert code_of(response) == "METHOD_NOT_ALLOWED"


async def test_a_path_names_its_record_by_its_global_id_only(world):
    """The id in a path is the id the API hands out (decision 0028), checked as GraphQL checks
    it. A bare row number is no id: it names a row in no particular instansi, so it is refused
    rather than read as this instansi's row with that number."""
    staf = principal_header(world.idp, world.tenant.kode, world.team.staf.nip)
    skp = world.team.skp.id

    async def pdf(skp_id: str) -> httpx.Response:
        return await world.api.get(f"/skp/{skp_id}/dokumen.pdf", headers=staf)

    assert (await pdf(encode_id("Skp", skp, world.tenant.kode))).status_code == 200
    elsewhere = await pdf(encode_id("Skp", skp, world.other.kode))
    assert elsewhere.status_code == 404 and code_of(elsewhere) == "ID_OF_OTHER_INSTANSI"
    for wrong in (str(skp), "99999999999", encode_id("Rhk", skp, world.tenant.kode), "bukan-id"):
        refused = await pdf(wrong)
        assert refused.status_code == 400, (wrong, refused.text)
        assert (code_of(refused), error_of(refused)["field"]) == ("INVALID_INPUT", "id")
    missing = await pdf(encode_id("Skp", 2**31 - 1, world.tenant.kode))
    assert missing.status_code == 404 and code_of(missing) == "NOT_FOUND"
    admin = principal_header(world.idp, world.tenant.kode, world.team.kasi.nip, Role.ADMIN_INSTANSI)
    job = encode_id("ImporKepegawaian", world.job_id, world.tenant.kode)
    read = await world.api.get(f"/kepegawaian/impor/{job}", headers=admin)
    assert read.status_code == 200 and read.json()["id"] == job
    assert read.json()["links"]["self"] == f"/kepegawaian/impor/{job}"
    by_number = await world.api.get(f"/kepegawaian/impor/{world.job_id}", headers=admin)
    assert by_number.status_code == 400 and code_of(by_number) == "INVALID_INPUT"


def _failing(app) -> Starlette:
    """The service's middleware, in its order, around an endpoint that fails as a bug does."""

    async def broken(_request):
        raise RuntimeError("a bug with a secret in its message")

    return Starlette(routes=[Route("/rusak", broken)], middleware=app.user_middleware)


async def test_a_bug_is_500_in_the_envelope_without_its_trace(settings):
    from ekinerja.http.app import create_app

    transport = httpx.ASGITransport(app=_failing(create_app(settings)), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/rusak", headers={"Origin": "http://127.0.0.1:8000"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "INTERNAL_ERROR"
    assert error["requestId"] in error["message"]  # to quote to support
    assert "secret" not in response.text and "RuntimeError" not in response.text


async def test_a_storage_refusal_is_in_the_envelope(world):
    response = await world.api.get("/storage/object?key=a&expires=1&signature=x")
    assert response.status_code in (400, 403)
    assert code_of(response) in ("MALFORMED", "SIGNATURE_INVALID", "EXPIRED")
    upload = await world.api.post(
        "/storage/upload", content=b"x", headers={"Content-Type": "text/plain"}
    )
    assert upload.status_code == 400 and code_of(upload) == "MALFORMED"


async def test_the_login_refuses_in_the_envelope(world):
    response = await world.api.get("/auth/login")
    assert response.status_code == 404 and code_of(response) == "LOGIN_NOT_CONFIGURED"


async def test_the_token_endpoint_keeps_rfc_6749_beside_the_envelope(world):
    response = await world.api.post(
        "/oauth/token",
        content="grant_type=password",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "unsupported_grant_type"  # what OAuth libraries read
    assert body["error_description"] == error_of(response)["message"]
    assert code_of(response) == "BAD_REQUEST"


async def test_a_refused_preflight_is_in_the_envelope(world):
    response = await world.api.options(
        "/graphql",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 403 and code_of(response) == "CORS_ORIGIN_REFUSED"
    allowed = await world.api.options(
        "/graphql", headers={"Origin": PORTAL, "Access-Control-Request-Method": "POST"}
    )
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == PORTAL
