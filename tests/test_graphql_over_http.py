"""/graphql as the GraphQL over HTTP specification asks (decision 0025): request errors
(variables that do not fit, an operation that cannot be chosen) by media type, Accept
negotiation with q-values and wildcards (406 when nothing fits), POST only (405 with Allow),
bodies declared application/json in UTF-8 (415), every refusal in the JSON envelope; and
suggestions of names ("Did you mean …?") in development only, in every validation rule."""

from __future__ import annotations

import logging

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.http.graphql_media import negotiate
from tests.support.auth import central_admin_headers
from tests.support.server import settings_for
from tests.support.tenants import new_tenant

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


@pytest.fixture(autouse=True)
def no_server_errors(caplog):
    """Every case here is the caller's fault: nothing may be logged as a server error."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture(scope="module")
async def tenant(role_prefix):
    """One instansi for the whole module (the conftest's is one per test): the tests here
    only address it: every request is refused before it runs or asks for nothing but
    __typename, so none reads or writes its data. A tenant per test was ~70 tenant schemas
    built for nothing."""
    return await new_tenant(role_prefix)


@pytest.fixture
async def api(settings, idp, tenant):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)),
        base_url="http://t",
        headers=central_admin_headers(idp, tenant.kode),
    ) as client:
        yield client


async def post(api, query: str, accept: str | None = JSON, **body) -> httpx.Response:
    """POST ``query``; ``accept`` None sends no Accept header at all (httpx adds */*)."""
    request = api.build_request("POST", "/graphql", json={"query": query, **body})
    if accept is None:
        del request.headers["accept"]
    else:
        request.headers["accept"] = accept
    return await api.send(request)


def envelope(response: httpx.Response, status: int, code: str) -> str:
    """The errors of a refusal in the /graphql envelope, with no data: their messages."""
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    assert {e["extensions"]["code"] for e in body["errors"]} == {code}
    return " ".join(e["message"] for e in body["errors"])


# --- Variable coercion failures are request errors (issue 16) ---------------------------------

PERIODE = "query($t: Int!) { periodeEvaluasi(tahun: $t) { kode } }"
CAKUPAN = "query($d: Date) { cakupanCascade(tahun: 2026, tanggal: $d) { __typename } }"
KADENSI = "mutation($k: Kadensi!) { aturKadensi(tahun: 2026, kadensi: $k) { __typename } }"
PROGRES = "mutation($i: ProgresHarianInput!) { buatProgresHarian(input: $i) { __typename } }"
SKP = "query($id: ID!) { skp(id: $id) { id } }"

COERCION_FAILURES = [
    (PERIODE, {"t": "2026"}, "$t", "non-integer"),
    (PERIODE, {"t": 2.5}, "$t", "non-integer"),
    (PERIODE, {}, "$t", "'Int!' to be provided"),
    (PERIODE, {"t": None}, "$t", "not to be None"),
    (SKP, {"id": {"a": 1}}, "$id", "ID cannot represent"),
    (CAKUPAN, {"d": 20260105}, "$d", "Expected a string"),
    (CAKUPAN, {"d": "5 Januari"}, "$d", "Date"),
    (KADENSI, {"k": 3}, "$k", "non-string"),
    (KADENSI, {"k": "TAHUNAN_X"}, "$k", "does not exist in 'Kadensi'"),
    (PROGRES, {"i": "not an object"}, "$i", "to be an object"),
    (PROGRES, {"i": {}}, "$i", "required field 'rencanaAksiId'"),
]


@pytest.mark.parametrize(("query", "variables", "names", "says"), COERCION_FAILURES)
async def test_a_variable_that_does_not_fit_is_a_request_error_naming_it(
    api, query, variables, names, says
):
    strict = await post(api, query, GRAPHQL_RESPONSE, variables=variables)
    assert strict.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    message = envelope(strict, 400, "GRAPHQL_VALIDATION_FAILED")
    assert f"Variable '{names}'" in message and says in message, message

    legacy = await post(api, query, JSON, variables=variables)
    assert legacy.status_code == 200 and legacy.headers["content-type"].startswith(JSON)
    body = legacy.json()
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"GRAPHQL_VALIDATION_FAILED"}
    assert " ".join(e["message"] for e in body["errors"]) == message


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"query": "query A { __typename }", "operationName": "B"}, 'Unknown operation named "B"'),
        # Strawberry would run the first one: the client may not have meant it.
        ({"query": "query A { __typename } mutation B { __typename }"}, "operationName"),
        ({"query": "{ __typename } query B { __typename }"}, "operationName"),
    ],
)
async def test_an_operation_that_cannot_be_chosen_is_a_request_error(api, body, says):
    strict = await api.post("/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE})
    assert says in envelope(strict, 400, "GRAPHQL_VALIDATION_FAILED")
    legacy = (await api.post("/graphql", json=body, headers={"Accept": JSON})).json()
    assert legacy["data"] is None
    assert legacy["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_an_operation_name_that_is_not_a_string_is_a_malformed_request(api):
    response = await post(api, "{ __typename }", operationName=5)
    assert "operationName" in envelope(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize("name", ["", None])
async def test_an_empty_or_null_operation_name_means_none(api, name):
    response = await post(api, "query Only { __typename }", operationName=name)
    assert response.json() == {"data": {"__typename": "Query"}}


# --- Accept negotiation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, GRAPHQL_RESPONSE),  # the spec's default since 2025
        ("", GRAPHQL_RESPONSE),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (JSON, JSON),
        (f"{JSON}; charset=utf-8", JSON),
        ("*/*", JSON),  # a bare wildcard: the legacy type every client reads
        ("application/*", JSON),
        (f"{GRAPHQL_RESPONSE}, {JSON}", GRAPHQL_RESPONSE),  # a tie: the one listed first
        (f"{JSON}, {GRAPHQL_RESPONSE}", JSON),
        (f"{JSON}, {GRAPHQL_RESPONSE};q=0.5", JSON),
        (f"{JSON};q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{JSON};q=0, */*", GRAPHQL_RESPONSE),  # the most specific range decides
        ("text/html, */*;q=0.1", JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        ("text/html", None),
        (f"{GRAPHQL_RESPONSE};q=0", None),
        (f"{JSON};q=0, text/plain", None),
    ],
)
async def test_accept_is_negotiated(api, accept, chosen):
    assert negotiate(accept) == chosen
    response = await post(api, "{ __typename }", accept)
    if chosen is None:
        message = envelope(response, 406, "NOT_ACCEPTABLE")
        assert GRAPHQL_RESPONSE in message and JSON in message
    else:
        assert response.status_code == 200
        assert response.headers["content-type"] == f"{chosen}; charset=utf-8"
        assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [(GRAPHQL_RESPONSE, GRAPHQL_RESPONSE), (None, GRAPHQL_RESPONSE), ("*/*", JSON), (JSON, JSON)],
)
async def test_a_refusal_comes_in_the_negotiated_media_type_too(settings, idp, accept, media_type):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://t"
    ) as anonymous:
        response = await post(anonymous, "{ __typename }", accept)
    envelope(response, 401, "UNAUTHENTICATED")
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"


async def test_not_acceptable_is_written_as_json(api):
    response = await post(api, "{ __typename }", "text/html")
    envelope(response, 406, "NOT_ACCEPTABLE")
    assert response.headers["content-type"] == f"{JSON}; charset=utf-8"


# --- Methods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "accept"),
    [
        ("GET", {"query": "{ __typename }"}, JSON),
        ("GET", {"query": "mutation { __typename }"}, GRAPHQL_RESPONSE),
        ("GET", {}, JSON),
        ("HEAD", {}, JSON),
    ],
)
async def test_operations_are_accepted_over_post_only(api, method, params, accept):
    response = await api.request(method, "/graphql", params=params, headers={"Accept": accept})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    if method != "HEAD":
        assert "POST only" in envelope(response, 405, "METHOD_NOT_ALLOWED")


async def test_graphiql_is_the_one_get_development_answers(api):
    page = await api.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_are_refused_in_the_envelope(api, method):
    response = await api.request(method, "/graphql", json={"query": "{ __typename }"})
    assert response.headers["allow"] == "POST"
    envelope(response, 405, "METHOD_NOT_ALLOWED")


# --- Request media type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=b",
        "application/graphql",
        GRAPHQL_RESPONSE,
        f"{JSON}; charset=iso-8859-1",
    ],
)
async def test_a_body_not_declared_as_utf8_json_is_415(api, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = await api.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    assert "application/json" in envelope(response, 415, "UNSUPPORTED_TYPE")
    assert response.headers["accept-post"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("content_type", [JSON, f"{JSON}; charset=utf-8", "Application/JSON"])
async def test_utf8_json_is_accepted_however_it_is_written(api, content_type):
    response = await api.post(
        "/graphql",
        content=b'{"query": "{ __typename }"}',
        headers={"Content-Type": content_type},
    )
    assert response.json() == {"data": {"__typename": "Query"}}


# --- Suggestions: development only, every rule -------------------------------------------------

VARIABLE_INPUT = {
    "rencanaAksId": "1",
    "tanggal": "2026-01-05",
    "jamMulai": "08:00",
    "jamSelesai": "09:00",
    "kegiatan": "x",
    "realisasi": 1,
    "satuan": "x",
}
# (document, variables, what development suggests)
TYPOS = [
    ("{ saya { namaLengka } }", {}, "Did you mean 'namaLengkap'?"),  # a field
    ("{ ...F } fragment F on Quer { __typename }", {}, "Did you mean 'Query'?"),  # a type
    ("query($t: Strin) { __type(name: $t) { name } }", {}, "Did you mean 'String'?"),
    ("{ periodeEvaluasi(tahn: 2026) { kode } }", {}, "Did you mean 'tahun'?"),  # an argument
    ("{ __typename @include(iff: true) }", {}, "Did you mean 'if'?"),  # a directive argument
    (
        "mutation { buatSkp(input: {tahun: 2026, pendekatan: KUANTITATF}) { __typename } }",
        {},
        "Did you mean the enum value 'KUANTITATIF'",
    ),
    (PROGRES, {"i": VARIABLE_INPUT}, "Did you mean 'rencanaAksiId'?"),  # an input field
]


async def _messages(settings, idp, tenant, query: str, variables: dict) -> str:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://t"
    ) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=central_admin_headers(idp, tenant.kode),
        )
    return " ".join(e["message"] for e in response.json()["errors"])


@pytest.mark.parametrize(("query", "variables", "suggestion"), TYPOS)
async def test_development_suggests_names(settings, idp, tenant, query, variables, suggestion):
    assert suggestion in await _messages(settings, idp, tenant, query, variables)


@pytest.mark.parametrize(("query", "variables", "suggestion"), TYPOS)
async def test_production_suggests_nothing(database, idp, tenant, query, variables, suggestion):
    production = settings_for(database, mode="production")
    messages = await _messages(production, idp, tenant, query, variables)
    assert "Did you mean" not in messages, messages
    assert messages  # still refused, naming what the caller wrote
