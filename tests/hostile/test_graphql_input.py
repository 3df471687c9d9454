"""Hostile input to /graphql (issue 14, defects 11 and 12, and 6 for suggestions): every case is
refused with a specific error naming the argument, nothing is written, and nothing is logged
as a server error. Request errors follow GraphQL over HTTP: 200 with `"data": null` for
`application/json`, 400 without `data` for `application/graphql-response+json`."""

from __future__ import annotations

import logging

import httpx
import pytest

from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.models.tenant import PeriodeTahun, ProgresHarian, Realisasi, Skp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import central_admin_headers, principal_header
from tests.support.ids import gid_of
from tests.support.pelaksanaan import build_team, progres_row
from tests.support.server import settings_for
from tests.support.tenants import new_tenant

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
async def tenant(role_prefix):
    """One instansi for the module (the conftest's is one per test): every request here is
    refused before it writes, except the one precision case that is kept, which writes to
    an indikator nobody else here asks about (``team.laporan``). ~65 tenant schemas fewer."""
    return await new_tenant(role_prefix)


@pytest.fixture(scope="module")
async def team(tenant):
    return await build_team(tenant)


@pytest.fixture(autouse=True)
def no_server_errors(caplog):
    """Bad input is the caller's business: nothing may be logged as a server error."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def post(portal, who, query: str, *roles, accept: str = "application/json", **variables):
    return await portal.api.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=principal_header(portal.idp, portal.tenant.kode, who.nip, *roles)
        | {"Accept": accept},
    )


async def count(tenant, model, **filters) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return await model.filter(**filters).count()


def request_error(response: httpx.Response) -> str:
    """The one message of a request error answered as application/json."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    return body["errors"][0]["message"]


COVERAGE = "query($t: Date) { cakupanCascade(tahun: 2026, tanggal: $t) { __typename } }"
PROGRES = """mutation($input: ProgresHarianInput!) { buatProgresHarian(input: $input) {
  __typename ... on MutationError { code field message } } }"""


# --- Defect 11: impossible values are request errors naming the argument -------------------


@pytest.mark.parametrize(
    ("query", "variables", "names"),
    [
        (
            '{ cakupanCascade(tahun: 2026, tanggal: "2026-02-30") { __typename } }',
            {},
            ["Argument 'tanggal'", "2026-02-30"],
        ),
        (COVERAGE, {"t": "2026-02-30"}, ["Variable '$t'", "2026-02-30"]),
        (COVERAGE, {"t": "0001-01-01"}, ["Variable '$t'", "Years from 2000 to 2100"]),
        (COVERAGE, {"t": "99999-01-01"}, ["Variable '$t'", "99999-01-01"]),
        (
            "{ cakupanCascade(tahun: 99999999999) { __typename } }",
            {},
            ["Argument 'tahun'", "32-bit"],
        ),
        (
            "query($t: Int!) { cakupanCascade(tahun: $t) { __typename } }",
            {"t": 99999999999},
            ["Variable '$t'", "32-bit"],
        ),
        (
            "query($t: Int!) { cakupanCascade(tahun: $t) { __typename } }",
            {"t": "2026"},
            ["Variable '$t'", "non-integer"],
        ),
        (
            "query($t: Int!) { cakupanCascade(tahun: $t) { __typename } }",
            {},
            ["Variable '$t'", "'Int!' to be provided"],
        ),
        ('{ pegawai(nip: "1986\\u0000") { nama } }', {}, ["Argument 'nip'", "U+0000"]),
        (
            "query($nip: String!) { pegawai(nip: $nip) { nama } }",
            {"nip": "1986\x00"},
            ["Variable '$nip'", "U+0000"],
        ),
    ],
)
async def test_impossible_values_are_request_errors_naming_the_argument(
    portal, team, query, variables, names
):
    message = request_error(await post(portal, team.staf, query, **variables))
    for name in names:
        assert name in message


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({"jamMulai": "25:00"}, ["Variable '$input'", "jamMulai", "25:00"]),
        ({"tanggal": "2026-02-30"}, ["Variable '$input'", "tanggal", "2026-02-30"]),
        ({"kegiatan": "Menyusun\x00dokumen"}, ["Variable '$input'", "kegiatan", "U+0000"]),
        ({"realisasi": 2**31}, ["Variable '$input'", "realisasi", "32-bit"]),
    ],
)
async def test_an_impossible_progres_writes_nothing(portal, team, tenant, changes, names):
    row = progres_row(portal.tenant, team.rencana(), **changes)
    message = request_error(await post(portal, team.staf, PROGRES, input=row))
    for name in names:
        assert name in message
    assert await count(tenant, ProgresHarian) == 0


async def test_nul_in_a_literal_input_field_is_refused_naming_it(portal, team, tenant):
    literal = PROGRES.replace("$input: ProgresHarianInput!", "").replace("()", "")
    row = progres_row(portal.tenant, team.rencana())
    fields = ", ".join(
        f'{k}: "{v}"' if isinstance(v, str) else f"{k}: {v}" for k, v in row.items()
    ).replace('kegiatan: "Menyusun', 'kegiatan: "Menyusun\\u0000')
    message = request_error(
        await post(portal, team.staf, literal.replace("$input", f"{{{fields}}}"))
    )
    assert "Argument 'input'" in message and "kegiatan" in message and "U+0000" in message
    assert await count(tenant, ProgresHarian) == 0


REALISASI = """mutation($input: RealisasiInput!) { simpanRealisasi(input: $input) {
  __typename ... on RealisasiDisimpan { kuantitas } ... on MutationError { code field } } }"""


@pytest.mark.parametrize("kuantitas", ["0.00001", "1.23456", "NaN", "1e14"])
async def test_a_quantity_beyond_the_stored_precision_is_refused_not_rounded(
    portal, team, tenant, kuantitas
):
    asked = {
        "indikatorId": gid_of(portal.tenant, team.dokumen),
        "periode": "2026-T1",
        "kuantitas": kuantitas,
    }
    message = request_error(await post(portal, team.staf, REALISASI, input=asked))
    assert "kuantitas" in message and kuantitas in message
    assert await count(tenant, Realisasi, indikator_id=team.dokumen.id) == 0


async def test_a_quantity_at_the_stored_precision_is_kept(portal, team):
    asked = {  # not team.dokumen: the refusals above check that nothing was written there
        "indikatorId": gid_of(portal.tenant, team.laporan),
        "periode": "2026-T1",
        "kuantitas": "1.50000",
    }
    saved = (await post(portal, team.staf, REALISASI, input=asked)).json()
    assert saved["data"]["simpanRealisasi"] == {
        "__typename": "RealisasiDisimpan",
        "kuantitas": "1.5000",
    }


# --- Ids beyond PostgreSQL's integer, and years outside 2000-2100 ---------------------------


SUBMIT = """mutation($id: ID!) { ajukanSkp(skpId: $id, versiDiharapkan: 1) {
  __typename ... on MutationError { code field message } } }"""
DELETE = """mutation($id: ID!) { hapusProgresHarian(progresId: $id) {
  __typename ... on MutationError { code field message } } }"""


@pytest.mark.parametrize("bad_id", ["99999999999", "2147483648", "-1", "0", "²", "1e3"])
async def test_ids_that_name_no_row_are_refused_naming_the_argument(portal, team, bad_id):
    for query, field in ((SUBMIT, "skpId"), (DELETE, "progresId")):
        refused = (await post(portal, team.staf, query, id=bad_id)).json()["data"]
        (result,) = refused.values()
        assert (result["code"], result["field"]) == ("INVALID_INPUT", field), result
        assert field in result["message"]
    for query in (
        "query($id: ID!) { skp(id: $id) { id } }",
        "query($id: ID!) { rhk(id: $id) { id } }",
        "query($id: ID) { daftarPegawai(filter: {unitId: $id}) { edges { cursor } } }",
    ):
        body = (await post(portal, team.staf, query, Role.ADMIN_INSTANSI, id=bad_id)).json()
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "INVALID_INPUT", body
        assert error["extensions"]["field"] in error["message"]


CREATE_SKP = """mutation($tahun: Int!) {
  buatSkp(input: {tahun: $tahun, pendekatan: KUANTITATIF}) {
    __typename ... on MutationError { code field message } } }"""
KADENSI = """mutation($tahun: Int!) { aturKadensi(tahun: $tahun, kadensi: BULANAN) {
  __typename ... on MutationError { code field message } } }"""


@pytest.mark.parametrize("tahun", [1, -1, 0, 1999, 2101, 99999])
async def test_years_outside_the_accepted_range_are_refused_and_nothing_is_written(
    portal, team, tenant, tahun
):
    created = (await post(portal, team.rekan, CREATE_SKP, tahun=tahun)).json()
    assert created["data"]["buatSkp"] == {
        "__typename": "MutationError",
        "code": "INVALID_INPUT",
        "field": "tahun",
        "message": f"tahun: expected a year from 2000 to 2100, got {tahun}",
    }
    assert await count(tenant, Skp, tahun=tahun) == 0
    cadence = await post(portal, team.staf, KADENSI, Role.ADMIN_INSTANSI, tahun=tahun)
    assert cadence.json()["data"]["aturKadensi"]["field"] == "tahun"
    assert await count(tenant, PeriodeTahun, tahun=tahun) == 0
    windows = await post(
        portal, team.staf, "query($tahun: Int!) { periodeEvaluasi(tahun: $tahun) { kode } }",
        tahun=tahun,
    )  # fmt: skip
    (error,) = windows.json()["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_INPUT", "tahun")


async def test_the_years_at_the_ends_of_the_range_are_accepted(portal, team):
    for tahun in (2000, 2100):
        body = (
            await post(
                portal,
                team.staf,
                "query($t: Int!) { periodeEvaluasi(tahun: $t) { kode } }",
                t=tahun,
            )
        ).json()  # noqa: E501
        assert body["data"]["periodeEvaluasi"][0]["kode"] == f"{tahun}-T1", body


# --- GraphQL over HTTP: request errors by media type ----------------------------------------


@pytest.mark.parametrize(
    "accept",
    [GRAPHQL_RESPONSE, f"{GRAPHQL_RESPONSE}, application/json;q=0.9", ""],
)
async def test_request_errors_are_400_without_data_for_graphql_response_json(portal, team, accept):
    wrong_type = await post(portal, team.staf, COVERAGE, accept=accept, t=20260230)
    missing = await post(
        portal, team.staf, "query($t: Int!) { periodeEvaluasi(tahun: $t) { kode } }", accept=accept
    )
    invalid = await post(
        portal, team.staf, "{ periodeEvaluasi(tahun: 2026) { kod } }", accept=accept
    )
    for response in (wrong_type, missing, invalid):
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
        body = response.json()
        assert "data" not in body
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "$t" in wrong_type.json()["errors"][0]["message"]
    executed = await post(
        portal, team.staf, "{ periodeEvaluasi(tahun: 2026) { kode } }", accept=accept
    )
    assert executed.status_code == 200
    assert executed.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert executed.json()["data"]["periodeEvaluasi"]


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", f"application/json, {GRAPHQL_RESPONSE};q=0.5"]
)
async def test_request_errors_are_200_with_null_data_for_application_json(portal, team, accept):
    response = await post(portal, team.staf, COVERAGE, accept=accept, t=20260230)
    assert response.headers["content-type"].startswith("application/json")
    assert "$t" in request_error(response)


async def test_field_errors_stay_200_for_graphql_response_json(portal, team):
    response = await post(
        portal, team.staf, "{ periodeEvaluasi(tahun: 1) { kode } }", accept=GRAPHQL_RESPONSE
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


# --- Defect 12: malformed bodies --------------------------------------------------------------


def _post_raw(portal, who, content: bytes, **headers):
    return portal.api.post(
        "/graphql",
        content=content,
        headers=principal_header(portal.idp, portal.tenant.kode, who.nip)
        | {"Content-Type": "application/json"}
        | headers,
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"42", "JSON object"),
        (b'"x"', "JSON object"),
        (b"null", "JSON object"),
        (b"true", "JSON object"),
        (b"[]", "batches are not supported"),
        (b'[{"query": "{ serverInfo { versi } }"}]', "batches are not supported"),
        (b'{"query": ', "not JSON"),
        (b'{"query": "\xff\xfe"}', "not JSON"),
        (b'{"query": "\\ud800"}', "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (b'{"query": 42}', "query"),
        (b'{"query": "{ serverInfo { versi } }", "variables": [1]}', "variables"),
        (b'{"query": "{ serverInfo { versi } }", "extensions": "x"}', "extensions"),
    ],
)
async def test_malformed_bodies_are_400_in_the_graphql_envelope(portal, team, content, says):
    response = await _post_raw(portal, team.staf, content)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert says in error["message"]


async def test_deeply_nested_variables_within_the_json_bound_are_not_a_500(portal, team):
    nested = b'{"query": "{ serverInfo { versi } }", "variables": {"v": ' + b"[" * 1000
    response = await _post_raw(portal, team.staf, nested + b"]" * 1000 + b"}}")
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"serverInfo": {"versi": "0.1.0"}}


async def test_other_content_types_are_refused_in_the_graphql_envelope(portal, team):
    response = await _post_raw(portal, team.staf, b"{}", **{"Content-Type": "text/plain"})
    assert response.status_code == 415  # GraphQL over HTTP (decision 0025)
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_TYPE"


async def test_a_body_over_the_limit_is_413(database, idp, tenant):
    settings = settings_for(database, graphql_max_body_bytes=4096)
    query = "{ serverInfo { versi } } # " + "x" * 5000
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://t"
    ) as api:
        # Refused from Content-Length, before anything is read or anyone authenticated.
        declared = await api.post("/graphql", json={"query": query})

        async def chunks():
            for _ in range(5):
                yield b" " * 1000

        streamed = await api.post(
            "/graphql",
            content=chunks(),
            headers=central_admin_headers(idp) | {"Content-Type": "application/json"},
        )
        fits = await api.post(
            "/graphql",
            json={"query": "{ serverInfo { versi } }"},
            headers=central_admin_headers(idp),
        )
    for response in (declared, streamed):
        assert response.status_code == 413, response.text
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "TOO_LARGE" and "4096" in error["message"]
    assert fits.json()["data"]["serverInfo"]["versi"] == "0.1.0"


# --- Defect 6: production suggests no names ---------------------------------------------------

# (operation, variables, the name development suggests)
TYPOS = [
    ("{ serverInfo { vers } }", {}, "'versi'"),
    ("{ periodeEvaluasi(tahn: 2026) { kode } }", {}, "'tahun'"),
    ("query($t: Innt) { periodeEvaluasi(tahun: $t) { kode } }", {"t": 2026}, "'Int'"),
    ("mutation { aturKadensi(tahun: 2026, kadensi: BULANN) { __typename } }", {}, "'BULANAN'"),
    (
        "mutation($k: Kadensi!) { aturKadensi(tahun: 2026, kadensi: $k) { __typename } }",
        {"k": "BULANN"},
        "'BULANAN'",
    ),
    (
        "mutation { buatSkp(input: {tahun: 2026, pendekatn: KUANTITATIF}) { __typename } }",
        {},
        "'pendekatan'",
    ),
]


async def _messages(settings, idp, tenant, query: str, variables: dict) -> str:
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=central_admin_headers(idp, tenant.kode),
        )
    return " ".join(e["message"] for e in response.json()["errors"])


@pytest.mark.parametrize(("query", "variables", "suggested"), TYPOS)
async def test_production_suggests_no_names(database, idp, tenant, query, variables, suggested):
    production = settings_for(database, mode="production")
    messages = await _messages(production, idp, tenant, query, variables)
    assert "Did you mean" not in messages
    if suggested != "'pendekatan'":  # a missing required field is named, suggested or not
        assert suggested not in messages, messages


@pytest.mark.parametrize(("query", "variables", "suggested"), TYPOS)
async def test_development_suggests_names(settings, idp, tenant, query, variables, suggested):
    messages = await _messages(settings, idp, tenant, query, variables)
    assert (
        f"Did you mean {suggested}" in messages
        or f"Did you mean the enum value {suggested}" in messages
    ), messages
