"""BKN's national view: an instansi's figures computed in its schema, the read model, national
totals filtered by jenis and province across many tenants, paging, the central audit, and who
may read it (central admins, unbound; never a tenant admin or an API client)."""

from __future__ import annotations

from datetime import timedelta

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import today
from ekinerja.models.shared import ApiClient, ApiClientGrant, AuditPusat, JenisInstansi
from ekinerja.nasional import laporan, read_model
from ekinerja.nasional.statistik import Angka, hitung
from ekinerja.paging import Keyset, encode_cursor
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import CENTRAL_ADMIN_NIP, bearer, central_admin_headers, client_token
from tests.support.org import Org
from tests.support.penilaian import build_bidang, fix
from tests.support.tenants import new_tenant

SESUAI, ATAS = "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"
NATIONAL = """query($tahun: Int!, $jenis: [JenisInstansi!], $provinsi: [String!], $first: Int,
  $after: String) { statistikNasional(tahun: $tahun, jenis: $jenis, provinsi: $provinsi,
  first: $first, after: $after) {
    jumlah { pegawai skpDibuat skpDisetujui evaluasiDitetapkan skpDisetujuiPersen
             predikat { kunci jumlah } }
    instansiTotal instansiDihitung tertuaDihitungPada
    instansi { nodes { kode jenis provinsi namaProvinsi angka { pegawai } dihitungPada }
               pageInfo { hasNextPage endCursor } } } }"""
LIVE = "query { statistikInstansi(tahun: 2026) { pegawai skpDibuat skpDisetujui skpDisetujuiPersen evaluasiDiajukan evaluasiDitetapkan kurva { kunci jumlah } } }"  # noqa: E501


async def test_an_instansis_figures_follow_its_data(portal, tenant):
    bidang = await build_bidang(tenant, analis=3)
    async with tenant_transaction(as_bound(tenant)):
        before = await hitung(2026)
    assert (before.pegawai, before.skp_dibuat, before.skp_disetujui) == (6, 3, 3)
    assert (before.evaluasi_diajukan, before.evaluasi_ditetapkan) == (0, 0)
    await fix(portal, bidang, [(SESUAI, SESUAI), (ATAS, SESUAI), (SESUAI, SESUAI)])
    live = await portal.as_(bidang.rekan, LIVE, Role.ADMIN_INSTANSI)
    figures = live["data"]["statistikInstansi"]
    assert figures["evaluasiDiajukan"] == figures["evaluasiDitetapkan"] == 3
    assert figures["skpDisetujuiPersen"] == 50.0  # 3 of 6 active pegawai
    assert sum(k["jumlah"] for k in figures["kurva"]) == 1  # the seksi's fixed batch
    async with tenant_transaction(as_bound(tenant)):
        assert (await hitung(2025)) == Angka(pegawai=6)


async def seed(tenant, people: int) -> None:
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Sekretariat")
        for n in range(people):
            await org.pegawai(f"Pegawai {n}", await org.jabatan(f"Jabatan {n}", unit))


# Instansi in the national test: 12 in province 97 (paged 5 at a time: two full pages and a
# last short one), 4 in 96; 14 refreshed, more than the refresh's concurrency (8), so some wait
# for the gate; 2 never computed. It was 50 (40 + 10, pages of 15, 45 refreshed): the same
# shapes with 34 more tenant schemas to build, ~20 s of the suite.
INSTANSI, IN_97, REFRESHED, PAGE = 16, 12, 14, 5


async def test_national_totals_across_many_instansi(role_prefix, client, idp):
    tenants = []
    for n in range(INSTANSI):
        jenis = JenisInstansi.KOTA if n % 5 == 0 else JenisInstansi.KABUPATEN
        tenant = await new_tenant(role_prefix, "N", jenis, provinsi="97" if n < IN_97 else "96")
        await seed(tenant, 1 + n % 4)
        tenants.append(tenant)
    tahun = today().year
    refreshed = await read_model.segarkan_banyak(tenants[:REFRESHED], tahun, concurrency=8)
    assert refreshed == REFRESHED

    headers = central_admin_headers(idp)
    body = await national(client, headers, tahun=tahun, provinsi=["97", "96"], first=100)
    page = body["data"]["statistikNasional"]
    assert (page["instansiTotal"], page["instansiDihitung"]) == (INSTANSI, REFRESHED)
    assert page["jumlah"]["pegawai"] == sum(1 + n % 4 for n in range(REFRESHED))
    never = INSTANSI - REFRESHED
    assert [r["angka"] is None for r in page["instansi"]["nodes"]].count(True) == never
    assert page["instansi"]["nodes"][0]["namaProvinsi"] in ("Papua Pegunungan", "Papua Tengah")

    kota_97 = await national(client, headers, tahun=tahun, provinsi=["97"], jenis=["KOTA"])
    kota = kota_97["data"]["statistikNasional"]
    assert kota["instansiTotal"] == 3  # n = 0, 5, 10
    assert {r["jenis"] for r in kota["instansi"]["nodes"]} == {"KOTA"}
    assert kota["jumlah"]["pegawai"] == sum(1 + n % 4 for n in range(0, IN_97, 5))

    seen, pages, after = [], [], None
    while True:
        chunk = (await national(client, headers, tahun=tahun, provinsi=["97"], first=PAGE,
                                after=after))["data"]["statistikNasional"]  # fmt: skip
        pages.append(len(chunk["instansi"]["nodes"]))
        seen += [r["kode"] for r in chunk["instansi"]["nodes"]]
        after = chunk["instansi"]["pageInfo"]["endCursor"]
        if not chunk["instansi"]["pageInfo"]["hasNextPage"]:
            break
    assert seen == sorted({t.kode for t in tenants[:IN_97]}) and len(seen) == IN_97
    assert pages == [PAGE, PAGE, IN_97 - 2 * PAGE]

    # One page-size policy and one cursor rule, as every connection (decision 0029).
    too_many = await national(client, headers, tahun=tahun, first=101)
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "first" in too_many["errors"][0]["message"]
    pegawai_cursor = encode_cursor("", Keyset("Query.daftarPegawai", ("id",), (int,)), [1])
    foreign = await national(client, headers, tahun=tahun, after=pegawai_cursor)
    assert foreign["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "another list" in foreign["errors"][0]["message"]

    audited = await AuditPusat.filter(action="nasional.statistik").order_by("-id").first()
    assert audited.actor == CENTRAL_ADMIN_NIP and audited.detail["provinsi"] == ["97"]


async def national(client, headers, **variables) -> dict:
    response = await client.post("/graphql", json={"query": NATIONAL, "variables": variables},
                                 headers=headers)  # fmt: skip
    return response.json()


async def test_only_central_admins_read_it_and_only_unbound(portal, tenant, idp, client):
    bidang = await build_bidang(tenant, analis=1)
    tahun = today().year
    central = central_admin_headers(idp)
    allowed = await national(client, central, tahun=tahun, provinsi=["95"])
    assert allowed["data"]["statistikNasional"]["instansiTotal"] == 0

    bound = await national(client, central_admin_headers(idp, tenant.kode), tahun=tahun)
    assert bound["errors"][0]["extensions"]["code"] == "NATIONAL_UNBOUND"
    as_admin = await portal.as_(bidang.rekan, NATIONAL, Role.ADMIN_INSTANSI, tahun=tahun)
    assert as_admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    api = await ApiClient.create(client_id=f"bi-{tenant.kode.lower()}", nama="BI",
                                 scopes=["statistik:read"])  # fmt: skip
    await ApiClientGrant.create(api_client=api, instansi=tenant)
    as_client = await national(
        client, bearer(client_token(idp, api.client_id, "statistik:read")), tahun=tahun
    )
    assert as_client["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = await national(client, central, tahun=tahun, provinsi=["99"])
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "'99' is not a BPS province code" in bad["errors"][0]["message"]


async def test_the_worker_refreshes_stale_figures_only(role_prefix):
    fresh = await new_tenant(role_prefix, "W", provinsi="94")
    stale = await new_tenant(role_prefix, "W", provinsi="94")
    tahun = today().year
    await read_model.segarkan(fresh, tahun)
    assert await read_model.usang([fresh, stale], tahun, timedelta(hours=1)) == [stale]
    assert await read_model.usang([fresh, stale], tahun, timedelta(0)) == [fresh, stale]
    found = await laporan.nasional(tahun, "test", provinsi=["94"])
    assert (found.instansi_total, found.instansi_dihitung) == (2, 1)
