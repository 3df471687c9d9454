"""The change feed over GraphQL: the assessment's events as an integrator reads them, paging
with stable cursors, the filter, who may read it, and tenant isolation (a cursor of one
instansi is refused by another, whose feed holds none of the first one's events)."""

from __future__ import annotations

from datetime import timedelta

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import today
from ekinerja.models.shared import ApiClient, ApiClientGrant
from tests.support.auth import bearer, client_token
from tests.support.ids import gid_of
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import build_bidang, fix

ATAS, SESUAI = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"
CHANGES = """query($after: String, $first: Int, $jenis: [String!]) {
  peristiwa(filter: {jenis: $jenis}, first: $first, after: $after) {
    nodes { cursor id jenis entitas entitasId data terjadiPada }
    pageInfo { endCursor hasNextPage } } }"""
AJUKAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id, alasan: "Tidak sesuai") {
  __typename ... on Keberatan { id } ... on MutationError { code } } }"""
PUTUSKAN = """mutation($id: ID!) { putuskanKeberatan(keberatanId: $id, hasil: DIUBAH,
  catatan: "Bukti lengkap", ratingHasilKerja: DI_ATAS_EKSPEKTASI,
  ratingPerilaku: DI_ATAS_EKSPEKTASI) {
  __typename ... on Keberatan { status } ... on MutationError { code } } }"""


async def payroll_client(tenant, *scopes) -> str:
    client = await ApiClient.create(
        client_id=f"tpp-{tenant.kode.lower()}", nama="Sistem TPP", scopes=list(scopes)
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    return client.client_id


async def read(portal, client_id, *scopes, **variables) -> dict:
    response = await portal.api.post(
        "/graphql",
        json={"query": CHANGES, "variables": variables},
        headers=bearer(client_token(portal.idp, client_id, *scopes))
        | {"X-Instansi": portal.tenant.kode},
    )
    return response.json()


async def test_an_integrator_follows_the_results_of_a_unit(portal, tenant):
    client = await payroll_client(tenant, "changes:read")
    bidang = await build_bidang(tenant, analis=2)
    me, colleague = bidang.analis
    ids = await fix(portal, bidang, [(SESUAI, SESUAI), (ATAS, SESUAI)])

    body = await read(portal, client, "changes:read", jenis=["evaluasi.ditetapkan"])
    page = body["data"]["peristiwa"]
    assert page["pageInfo"]["hasNextPage"] is False
    fixed = {e["data"]["nip"]: e["data"] for e in page["nodes"]}
    deadline = (today() + timedelta(days=14)).isoformat()
    assert fixed[me.nip] | {"ditetapkanPada": None} == {
        "evaluasiId": ids[0],
        "skpId": gid_of(portal.tenant, bidang.skp_of(me)),
        "nip": me.nip,
        "tahun": 2026,
        "periode": "2026-T1",
        "ratingHasilKerja": SESUAI,
        "ratingPerilaku": SESUAI,
        "predikat": "BAIK",
        "ditetapkanPada": None,
        "final": False,
        "batasKeberatan": deadline,
    }
    assert fixed[colleague.nip]["predikat"] == "BAIK" and fixed[colleague.nip]["final"] is False
    assert {e["entitas"] for e in page["nodes"]} == {"evaluasi"}

    filed = (await portal.as_(me, AJUKAN, id=ids[0]))["data"]["ajukanKeberatan"]
    decided = await portal.as_(bidang.kabid, PUTUSKAN, id=filed["id"])
    assert decided["data"]["putuskanKeberatan"]["status"] == "FINAL"

    later = (await read(portal, client, "changes:read", after=page["pageInfo"]["endCursor"]))[
        "data"
    ]
    assert [(e["jenis"], e["entitasId"]) for e in later["peristiwa"]["nodes"]] == [
        ("keberatan.diajukan", filed["id"]),
        ("evaluasi.diubah", ids[0]),
        ("keberatan.diputus", filed["id"]),
        ("evaluasi.final", ids[0]),
    ]
    changed = later["peristiwa"]["nodes"][1]["data"]
    assert (changed["predikat"], changed["final"], changed["keberatanId"]) == (
        "SANGAT_BAIK",
        True,
        filed["id"],
    )
    decision = later["peristiwa"]["nodes"][2]["data"]
    assert (decision["hasil"], decision["predikat"], decision["nip"]) == (
        "DIUBAH",
        "SANGAT_BAIK",
        me.nip,
    )
    # Nothing new: no items (the end cursor may move on past other transactions' ids), and
    # an item's cursor resumes right after that item.
    end = later["peristiwa"]["pageInfo"]["endCursor"]
    idle = (await read(portal, client, "changes:read", after=end))["data"]["peristiwa"]
    assert idle["nodes"] == [] and not idle["pageInfo"]["hasNextPage"]
    resumed = await read(portal, client, "changes:read",
                         after=later["peristiwa"]["nodes"][0]["cursor"])  # fmt: skip
    assert [e["jenis"] for e in resumed["data"]["peristiwa"]["nodes"]] == [
        "evaluasi.diubah",
        "keberatan.diputus",
        "evaluasi.final",
    ]


async def test_pages_neither_skip_nor_repeat(portal, tenant):
    client = await payroll_client(tenant, "changes:read")
    bidang = await build_bidang(tenant, analis=3)
    await fix(portal, bidang, [(SESUAI, SESUAI)] * 3)
    seen, since, pages = [], None, 0
    while True:
        body = await read(portal, client, "changes:read", after=since, first=2)
        page = body["data"]["peristiwa"]
        seen += [e["id"] for e in page["nodes"]]
        since, pages = page["pageInfo"]["endCursor"], pages + 1
        if not page["pageInfo"]["hasNextPage"]:
            break
    # Each of the three results: submitted (evaluasi.diajukan), then fixed.
    assert len(seen) == len(set(seen)) == 6 and pages == 3


async def test_bad_input_is_named(portal, tenant):
    client = await payroll_client(tenant, "changes:read")
    unknown = await read(portal, client, "changes:read", jenis=["skp.dihapus"])
    assert unknown["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "'skp.dihapus' is not an event type" in unknown["errors"][0]["message"]
    garbage = await read(portal, client, "changes:read", after="not-a-cursor")
    assert garbage["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"
    huge = await read(portal, client, "changes:read", first=5000)
    assert huge["errors"][0]["message"] == "first: must be between 1 and 100 (got 5000)"
    assert huge["errors"][0]["extensions"]["field"] == "first"


async def test_who_may_read_the_feed(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    await fix(portal, bidang, [(SESUAI, SESUAI)])
    without_scope = await payroll_client(tenant, "skp:read")
    refused = await read(portal, without_scope, "skp:read")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    as_pegawai = await portal.as_(bidang.analis[0], CHANGES)
    assert as_pegawai["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    as_admin = await portal.as_(bidang.rekan, CHANGES, Role.ADMIN_INSTANSI)
    assert [e["jenis"] for e in as_admin["data"]["peristiwa"]["nodes"]] == [
        "evaluasi.diajukan",
        "evaluasi.ditetapkan",
    ]


async def test_one_instansi_never_reads_anothers_events(portal, tenant, other_tenant, idp):
    client_a = await payroll_client(tenant, "changes:read")
    bidang = await build_bidang(tenant, analis=1)
    await fix(portal, bidang, [(SESUAI, SESUAI)])
    page_a = (await read(portal, client_a, "changes:read"))["data"]["peristiwa"]
    assert len(page_a["nodes"]) == 2  # the result submitted, then fixed

    portal_b = Portal(portal.api, idp, other_tenant)
    client_b = await payroll_client(other_tenant, "changes:read")
    page_b = (await read(portal_b, client_b, "changes:read"))["data"]["peristiwa"]
    assert page_b["nodes"] == []
    # A's cursor does not open B's feed, and A's client cannot choose B at all.
    crossed = await read(portal_b, client_b, "changes:read", after=page_a["nodes"][0]["cursor"])
    assert crossed["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"
    smuggled = await portal.api.post(
        "/graphql",
        json={"query": CHANGES},
        headers=bearer(client_token(idp, client_a, "changes:read"))
        | {"X-Instansi": other_tenant.kode},
    )
    assert smuggled.status_code == 403
