"""The kepegawaian GraphQL surface over HTTP: permissions, queries, pagination, isolation,
and SQL query counts that must not grow with data."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.enums import JenisJabatan
from ekinerja.models.tenant import AuditEvent
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid_of
from tests.support.org import Org, grow_tree
from tests.support.query_counter import count_queries

ON = "2026-03-01"


IDP = None  # the session's identity provider, set by the `api` fixture


@pytest.fixture
async def api(settings, idp):
    global IDP
    IDP = idp
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def gql(client, tenant, query: str, nip: str | None, *roles: Role, **variables):
    headers = {"X-Instansi": tenant.kode}
    if nip is not None:
        headers |= principal_header(IDP, tenant.kode, nip, *roles)
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.json()


async def build_agency(tenant):
    """Setda → Dinas → Bidang → Seksi with heads, staff and an external penilai at the top."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        setda = await org.unit("Sekretariat Daerah")
        dinas = await org.unit("Dinas Pendidikan", setda)
        bidang = await org.unit("Bidang SD", dinas)
        seksi = await org.unit("Seksi Kurikulum", bidang)
        people = {
            "sekda": await org.pegawai(
                "Sekda",
                await org.jabatan(
                    "Sekretaris Daerah",
                    setda,
                    head=True,
                    jenis=JenisJabatan.JPT_PRATAMA,
                    penilai_eksternal_nama="Bupati Contoh",
                    penilai_eksternal_jabatan="Bupati",
                ),
            ),
            "kadis": await org.pegawai(
                "Kadis", await org.jabatan("Kepala Dinas", dinas, head=True)
            ),
            "kabid": await org.pegawai(
                "Kabid", await org.jabatan("Kepala Bidang", bidang, head=True)
            ),
            "kasi": await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", seksi, head=True)),
        }
        staf = await org.jabatan("Pengelola Kurikulum", seksi)
        for name in ("Ani", "Budi", "Citra", "Dedi", "Eka"):
            people[name] = await org.pegawai(name, staf)
        people["units"] = {"setda": setda, "dinas": dinas, "bidang": bidang, "seksi": seksi}
        return people


@pytest.fixture(scope="module")
async def agency(module_tenant):
    """build_agency once, on the module's shared tenant (tests/conftest.py), for the tests
    that only read it; those that change it or need it alone build it on a tenant of their
    own."""
    return module_tenant, await build_agency(module_tenant)


ME = """query($on: Date) { saya { nip namaLengkap pangkat
  jabatan(tanggal: $on) { jenis jabatan { nama kepalaUnit unit(tanggal: $on) { nama level } } }
  atasan(tanggal: $on) {
    pejabatPenilai { aturan statusPenilai penjelasan pegawai { nama } }
    atasanPejabatPenilai { aturan pegawai { nama } namaEksternal } } } }"""


async def test_fields_need_a_principal_of_the_selected_instansi(api, tenant, other_tenant):
    people = await build_agency(tenant)
    anonymous = await api.post(
        "/graphql", json={"query": "{ saya { nama } }"}, headers={"X-Instansi": tenant.kode}
    )
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "errors": [
            {
                "message": "authentication required: send `Authorization: Bearer <token>`",
                "extensions": {
                    "code": "UNAUTHENTICATED",
                    "requestId": anonymous.headers["x-request-id"],
                },
            }
        ]
    }

    # A principal of tenant B asking through tenant A's header is refused, with no data.
    headers = principal_header(IDP, other_tenant.kode, people["Ani"].nip) | {
        "X-Instansi": tenant.kode
    }
    response = await api.post("/graphql", json={"query": "{ saya { nama } }"}, headers=headers)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "data" not in response.json()


async def test_me_with_position_and_superiors(api, agency):
    tenant, people = agency
    body = await gql(api, tenant, ME, people["Ani"].nip, on=ON)
    me = body["data"]["saya"]
    assert me["nip"] == people["Ani"].nip and me["pangkat"] == "Penata Muda"
    assert me["jabatan"]["jabatan"]["nama"] == "Pengelola Kurikulum"
    assert me["jabatan"]["jabatan"]["unit"] == {"nama": "Seksi Kurikulum", "level": 4}
    penilai = me["atasan"]["pejabatPenilai"]
    assert penilai["pegawai"]["nama"] == "Kasi" and penilai["aturan"] == "UNIT_HEAD"
    assert penilai["statusPenilai"] == "ASN" and penilai["penjelasan"]
    assert me["atasan"]["atasanPejabatPenilai"]["pegawai"]["nama"] == "Kabid"

    top = await gql(api, tenant, ME, people["sekda"].nip, on=ON)
    sekda_penilai = top["data"]["saya"]["atasan"]["pejabatPenilai"]
    assert sekda_penilai["aturan"] == "EXTERNAL" and sekda_penilai["statusPenilai"] == "NON_ASN"
    assert top["data"]["saya"]["atasan"]["atasanPejabatPenilai"] is None


async def test_me_for_a_principal_without_pegawai_record(api, tenant):
    body = await gql(api, tenant, "{ saya { nama } }", "198501012010011999")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # the whole request, 403
    assert "data" not in body


PAGE = """query($q: String, $unit: ID, $sub: Boolean!, $first: Int!, $after: String, $on: Date) {
  daftarPegawai(filter: {cari: $q, unitId: $unit, termasukSubUnit: $sub}, first: $first,
                after: $after, tanggal: $on) {
    edges { cursor node { nama nip } } pageInfo { hasNextPage endCursor } } }"""


async def test_search_by_name_nip_prefix_and_unit_with_keyset_pages(api, agency):
    tenant, people = agency
    ani = people["Ani"].nip
    by_name = await gql(api, tenant, PAGE, ani, q="dEd", sub=False, first=10, on=ON)
    assert [e["node"]["nama"] for e in by_name["data"]["daftarPegawai"]["edges"]] == ["Dedi"]
    by_nip = await gql(api, tenant, PAGE, ani, q=ani[:18], sub=False, first=10, on=ON)
    assert [e["node"]["nip"] for e in by_nip["data"]["daftarPegawai"]["edges"]] == [ani]

    seksi = gid_of(tenant, people["units"]["seksi"])
    seen, after = [], None
    while True:
        page = await gql(api, tenant, PAGE, ani, unit=seksi, sub=False, first=2, after=after, on=ON)
        connection = page["data"]["daftarPegawai"]
        seen += [e["node"]["nama"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == ["Ani", "Budi", "Citra", "Dedi", "Eka", "Kasi"]

    dinas = gid_of(tenant, people["units"]["dinas"])
    whole = await gql(api, tenant, PAGE, ani, unit=dinas, sub=True, first=100, on=ON)
    assert len(whole["data"]["daftarPegawai"]["edges"]) == 8  # kadis, kabid, kasi, 5 staff


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        ({"first": 0}, "first", "first: must be between 1 and 100"),
        ({"first": 101}, "first", "first: must be between 1 and 100"),
        ({"first": 5, "after": "nope"}, "after", "cursor"),
    ],
)
async def test_bad_page_arguments_are_refused_clearly(api, agency, variables, field, message):
    tenant, people = agency
    body = await gql(api, tenant, PAGE, people["Ani"].nip, sub=False, **variables)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field
    assert message in body["errors"][0]["message"]


TREE = """query($on: Date) { unitKerjaAkar(tanggal: $on) { nama level jumlahPegawaiTotal
  kepala { nama }
  anak { nama level jumlahPegawai jumlahPegawaiTotal kepala { nama } leluhur { nama }
    anak { nama anak { nama jumlahPegawaiTotal induk { nama } } } } } }"""


async def test_unit_tree_with_headcounts(api, agency):
    tenant, people = agency
    body = await gql(api, tenant, TREE, people["Ani"].nip, on=ON)
    [root] = body["data"]["unitKerjaAkar"]
    assert root["nama"] == "Sekretariat Daerah" and root["level"] == 1
    assert root["jumlahPegawaiTotal"] == 9 and root["kepala"]["nama"] == "Sekda"
    [dinas] = root["anak"]
    assert dinas["level"] == 2 and dinas["jumlahPegawai"] == 1 and dinas["jumlahPegawaiTotal"] == 8
    assert dinas["leluhur"] == [{"nama": "Sekretariat Daerah"}]
    seksi = dinas["anak"][0]["anak"][0]
    assert seksi == {
        "nama": "Seksi Kurikulum",
        "jumlahPegawaiTotal": 6,
        "induk": {"nama": "Bidang SD"},
    }


# Directory fields only: everyone below may be listed, but personnel fields of someone the
# leader does not appraise are refused (see test_policy_matrix.py).
SUBTREE = """query($first: Int!, $semua: Boolean!, $on: Date) {
  saya { bawahan(first: $first, semua: $semua, tanggal: $on) {
    edges { node { nama jabatan(tanggal: $on) { jabatan { nama } } } } } } }"""

BAWAHAN = """query($first: Int!, $after: String, $semua: Boolean!, $on: Date) {
  saya { bawahan(first: $first, after: $after, semua: $semua, tanggal: $on) {
    edges { node { nama jabatan(tanggal: $on) { jabatan { nama } }
      atasan(tanggal: $on) { pejabatPenilai { pegawai { nama } } } } }
    pageInfo { hasNextPage endCursor } } } }"""


def names(body):
    return [e["node"]["nama"] for e in body["data"]["saya"]["bawahan"]["edges"]]


async def test_bawahan_direct_and_whole_subtree(api, agency):
    tenant, people = agency
    direct = await gql(api, tenant, BAWAHAN, people["kasi"].nip, first=3, semua=False, on=ON)
    assert names(direct) == ["Ani", "Budi", "Citra"]
    assert direct["data"]["saya"]["bawahan"]["pageInfo"]["hasNextPage"] is True
    after = direct["data"]["saya"]["bawahan"]["pageInfo"]["endCursor"]
    rest = await gql(
        api, tenant, BAWAHAN, people["kasi"].nip, first=3, after=after, semua=False, on=ON
    )
    assert names(rest) == ["Dedi", "Eka"]
    for edge in direct["data"]["saya"]["bawahan"]["edges"]:
        assert edge["node"]["atasan"]["pejabatPenilai"]["pegawai"]["nama"] == "Kasi"

    kadis_direct = await gql(
        api, tenant, BAWAHAN, people["kadis"].nip, first=50, semua=False, on=ON
    )
    assert names(kadis_direct) == ["Kabid"]
    kadis_all = await gql(api, tenant, SUBTREE, people["kadis"].nip, first=50, semua=True, on=ON)
    assert names(kadis_all) == ["Ani", "Budi", "Citra", "Dedi", "Eka", "Kabid", "Kasi"]


async def test_bawahan_of_a_vacant_head_go_to_the_next_head_up(api, tenant):
    people = await build_agency(tenant)
    async with tenant_transaction(as_bound(tenant)):
        await Org().end(people["kasi"], date(2026, 2, 1))
    direct = await gql(api, tenant, BAWAHAN, people["kabid"].nip, first=50, semua=False, on=ON)
    assert names(direct) == ["Ani", "Budi", "Citra", "Dedi", "Eka"]


OVERRIDE = """mutation($input: PengecualianAtasanInput!) { aturPengecualianAtasan(input: $input) {
  __typename ... on PengecualianAtasanDiatur { pengecualianId pegawai { nama } }
  ... on MutationError { code message field } } }"""


async def test_set_atasan_override_is_admin_only_validated_and_audited(api, tenant):
    people = await build_agency(tenant)
    override = {
        "pegawaiNip": people["Ani"].nip,
        "peran": "PENILAI",
        "berlakuMulai": "2026-02-01",
        "alasan": "Tim kerja kurikulum dipimpin Kabid",
        "atasanNip": people["kabid"].nip,
    }
    refused = await gql(api, tenant, OVERRIDE, people["Budi"].nip, input=override)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    admin = people["sekda"].nip
    bad = await gql(
        api, tenant, OVERRIDE, admin, Role.ADMIN_INSTANSI, input=override | {"alasan": ""}
    )
    assert bad["data"]["aturPengecualianAtasan"] == {
        "__typename": "MutationError",
        "code": "INVALID_INPUT",
        "message": "a reason is required for every override",
        "field": "alasan",
    }

    done = await gql(api, tenant, OVERRIDE, admin, Role.ADMIN_INSTANSI, input=override)
    assert done["data"]["aturPengecualianAtasan"]["pegawai"] == {"nama": "Ani"}
    me = await gql(api, tenant, ME, people["Ani"].nip, on=ON)
    assert me["data"]["saya"]["atasan"]["pejabatPenilai"]["aturan"] == "OVERRIDE"
    assert me["data"]["saya"]["atasan"]["pejabatPenilai"]["pegawai"]["nama"] == "Kabid"
    async with tenant_transaction(as_bound(tenant)):
        events = await AuditEvent.filter(action="atasan_override.set")
    assert len(events) == 1 and events[0].actor == admin


async def test_other_tenants_people_and_units_are_invisible(api, tenant, other_tenant):
    mine = await build_agency(tenant)
    async with tenant_transaction(as_bound(other_tenant)):
        for i in range(10):  # B's ids now run past A's
            await Org().unit(f"Filler {i}")
    theirs = await build_agency(other_tenant)
    nip = mine["Ani"].nip
    by_nip = "query($target: String!) { pegawai(nip: $target) { nama } }"
    found = await gql(api, tenant, by_nip, nip, target=theirs["Ani"].nip)
    assert found["data"]["pegawai"] is None
    # Ids are per tenant schema: guessing B's unit id through A reaches only A's schema.
    their_unit = theirs["units"]["seksi"]
    assert their_unit.id > mine["units"]["seksi"].id
    body = await gql(
        api,
        tenant,
        "query($id: ID!) { unitKerja(id: $id) { nama } }",
        nip,
        id=gid_of(tenant, their_unit),
    )
    assert body["data"]["unitKerja"] is None
    # An admin of A cannot correct anything about B's people, even knowing their NIPs.
    override = {
        "pegawaiNip": theirs["Ani"].nip,
        "peran": "PENILAI",
        "berlakuMulai": "2026-02-01",
        "alasan": "coba",
        "atasanNip": theirs["kasi"].nip,
    }
    refused = await gql(
        api, tenant, OVERRIDE, mine["sekda"].nip, Role.ADMIN_INSTANSI, input=override
    )
    assert refused["data"]["aturPengecualianAtasan"]["field"] == "pegawaiNip"
    async with tenant_transaction(as_bound(other_tenant)):
        assert not await AuditEvent.filter(action="atasan_override.set").exists()
    everyone = await gql(api, tenant, PAGE, nip, sub=False, first=100)
    found = {e["node"]["nip"] for e in everyone["data"]["daftarPegawai"]["edges"]}
    assert theirs["Ani"].nip not in found and nip in found


async def _count(api, tenant, query, nip, **variables) -> int:
    pengaturan.lupakan()  # each as cold: the instansi's settings are remembered once read
    with count_queries() as statements:
        body = await gql(api, tenant, query, nip, **variables)
    assert "errors" not in body, body
    return len(statements)


async def test_query_counts_do_not_grow_with_data(api, tenant):
    people = await build_agency(tenant)
    kasi, sekda = people["kasi"].nip, people["sekda"].nip
    for nip in (kasi, sekda):  # warm the issuer cache and the process's memory of each NIP
        await gql(api, tenant, "{ serverInfo { versi } }", nip)
    small_bawahan = await _count(api, tenant, BAWAHAN, kasi, first=50, semua=False, on=ON)
    small_tree = await _count(api, tenant, TREE, sekda, on=ON)
    small_all = await _count(api, tenant, SUBTREE, sekda, first=50, semua=True, on=ON)

    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        seksi = people["units"]["seksi"]
        staf = await org.jabatan("Pengadministrasi", seksi)
        for i in range(30):
            await org.pegawai(f"Tambahan {i:02d}", staf)
        await grow_tree(org, people["units"]["bidang"], depth=2, width=3, staff=2, tag="X")

    assert await _count(api, tenant, BAWAHAN, kasi, first=50, semua=False, on=ON) == small_bawahan
    assert await _count(api, tenant, TREE, sekda, on=ON) == small_tree
    assert await _count(api, tenant, SUBTREE, sekda, first=50, semua=True, on=ON) == small_all
