"""The pengecualian atasan (superior overrides) on record and ending one early (issue 19, the
admin's superior-overrides page): `Query.pengecualianAtasan` (filters, keyset pages, newest
first, batched) and `Mutation.akhiriPengecualianAtasan` (the chain changes from the day after
the new last day; the day before the start removes it; audited; refusals as data naming the
argument; another instansi's overrides can be neither listed nor ended), over HTTP on real
PostgreSQL."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.enums import PeranAtasan
from ekinerja.models.tenant import AtasanOverride, AuditEvent
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid, row_of
from tests.support.org import Org
from tests.support.query_counter import count_queries


@pytest.fixture
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        c.idp = idp
        yield c


async def gql(api, tenant, query: str, caller: str, *roles: Role, **variables) -> dict:
    response = await api.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=principal_header(api.idp, tenant.kode, caller, *roles),
    )
    return response.json()


async def admin_gql(api, tenant, people, query: str, **variables) -> dict:
    return await gql(api, tenant, query, people["admin"].nip, Role.ADMIN_INSTANSI, **variables)


async def build(tenant) -> dict:
    """Bidang → Seksi: Kabid heads the bidang, Kasi the seksi (Ani's and Budi's penilai by the
    unit tree); Admin works in the bidang and is the admin instansi."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        bidang = await org.unit("Bidang Data")
        seksi = await org.unit("Seksi Statistik", bidang)
        people = {
            "kabid": await org.pegawai(
                "Kabid", await org.jabatan("Kepala Bidang", bidang, head=True)
            ),
            "kasi": await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", seksi, head=True)),
            "admin": await org.pegawai("Admin", await org.jabatan("Pranata Komputer", bidang)),
        }
        staf = await org.jabatan("Statistisi", seksi)
        for name in ("Ani", "Budi", "Citra"):
            people[name] = await org.pegawai(name, staf)
        return people


ATUR = """mutation($input: PengecualianAtasanInput!) { aturPengecualianAtasan(input: $input) {
  __typename
  ... on PengecualianAtasanDiatur { pengecualianId pengecualian { id berlakuMulai } }
  ... on MutationError { code message field } } }"""

AKHIRI = """mutation($id: ID!, $akhir: Date!, $alasan: String!) {
  akhiriPengecualianAtasan(pengecualianId: $id, tanggalAkhir: $akhir, alasan: $alasan) {
    __typename
    ... on PengecualianAtasanDiakhiri { pengecualianId dihapus pegawai { nama }
      pengecualian { id berlakuMulai berlakuSampai tanggalAkhir } }
    ... on MutationError { code message field } } }"""

DAFTAR = """query($filter: PengecualianAtasanFilter, $first: Int!, $after: String) {
  pengecualianAtasan(filter: $filter, first: $first, after: $after) {
    edges { cursor node {
      id peran pegawai { nip nama } atasan { nip nama } namaEksternal jabatanEksternal
      berlakuMulai berlakuSampai tanggalAkhir alasan dibuatOleh dibuatPada pembuat { nama } } }
    pageInfo { hasNextPage endCursor } } }"""

ATASAN = """query($nip: String!, $on: Date) { pegawai(nip: $nip) { atasan(tanggal: $on) {
  pejabatPenilai { aturan pegawai { nama } }
  atasanPejabatPenilai { aturan pegawai { nama } namaEksternal } } } }"""

BAWAHAN = """query($nip: String!, $on: Date) { pegawai(nip: $nip) {
  bawahan(tanggal: $on, first: 50) { nodes { nama } } } }"""


async def atur(api, tenant, people, who: str, peran: str, mulai: str, **more) -> str:
    body = await admin_gql(
        api,
        tenant,
        people,
        ATUR,
        input={
            "pegawaiNip": people[who].nip,
            "peran": peran,
            "berlakuMulai": mulai,
            "alasan": more.pop("alasan", f"Penugasan tim untuk {who}"),
            **more,
        },
    )
    result = body["data"]["aturPengecualianAtasan"]
    assert result["__typename"] == "PengecualianAtasanDiatur", result
    return result["pengecualianId"]


async def akhiri(api, tenant, people, override_id: str, akhir: str, alasan="Tim dibubarkan"):
    body = await admin_gql(api, tenant, people, AKHIRI, id=override_id, akhir=akhir, alasan=alasan)
    assert "errors" not in body, body
    return body["data"]["akhiriPengecualianAtasan"]


async def daftar(api, tenant, people, first=100, after=None, **criteria) -> dict:
    body = await admin_gql(
        api, tenant, people, DAFTAR, filter=criteria or None, first=first, after=after
    )
    assert "errors" not in body, body
    return body["data"]["pengecualianAtasan"]


def nodes(connection: dict) -> list[dict]:
    return [edge["node"] for edge in connection["edges"]]


async def penilai(api, tenant, people, who: str, on: str) -> tuple[str, str | None]:
    body = await gql(api, tenant, ATASAN, people["admin"].nip, Role.ADMIN_INSTANSI,
                     nip=people[who].nip, on=on)  # fmt: skip
    chain = body["data"]["pegawai"]["atasan"]["pejabatPenilai"]
    return chain["aturan"], (chain["pegawai"] or {}).get("nama")


async def test_the_list_filters_pages_newest_first_and_shows_who_recorded_it(api, tenant):
    people = await build(tenant)
    admin = people["admin"]
    first = await atur(api, tenant, people, "Ani", "PENILAI", "2026-02-01",
                       atasanNip=people["kabid"].nip)  # fmt: skip
    atasan = await atur(api, tenant, people, "Ani", "ATASAN_PENILAI", "2026-03-01",
                        eksternalNama="H. Bupati Uji", eksternalJabatan="Bupati")  # fmt: skip
    budi = await atur(api, tenant, people, "Budi", "PENILAI", "2026-01-15",
                      atasanNip=people["kabid"].nip, berlakuSampai="2026-02-15")  # fmt: skip
    # A new override of the same role closes Ani's first one where it starts.
    second = await atur(api, tenant, people, "Ani", "PENILAI", "2026-04-01",
                        atasanNip=people["Citra"].nip, alasan="Citra memimpin tim")  # fmt: skip

    every = nodes(await daftar(api, tenant, people))
    assert [n["id"] for n in every] == [second, atasan, first, budi]  # latest start first
    newest = every[0]
    assert newest["peran"] == "PENILAI" and newest["pegawai"]["nip"] == people["Ani"].nip
    assert newest["atasan"] == {"nip": people["Citra"].nip, "nama": "Citra"}
    assert newest["namaEksternal"] is None and newest["berlakuMulai"] == "2026-04-01"
    assert newest["berlakuSampai"] is None and newest["tanggalAkhir"] is None
    assert newest["alasan"] == "Citra memimpin tim"
    assert newest["dibuatOleh"] == admin.nip and newest["pembuat"] == {"nama": "Admin"}
    assert newest["dibuatPada"]
    outside = every[1]
    assert outside["peran"] == "ATASAN_PENILAI" and outside["atasan"] is None
    assert (outside["namaEksternal"], outside["jabatanEksternal"]) == ("H. Bupati Uji", "Bupati")
    closed = every[2]
    assert (closed["berlakuSampai"], closed["tanggalAkhir"]) == ("2026-04-01", "2026-03-31")
    assert every[3]["tanggalAkhir"] == "2026-02-14"

    def ids(connection):
        return [n["id"] for n in nodes(connection)]

    budi_nip = people["Budi"].nip
    assert ids(await daftar(api, tenant, people, pegawaiNip=budi_nip)) == [budi]
    assert ids(await daftar(api, tenant, people, peran="ATASAN_PENILAI")) == [atasan]
    assert ids(await daftar(api, tenant, people, berlakuPada="2026-02-10")) == [first, budi]
    assert ids(await daftar(api, tenant, people, berlakuPada="2026-02-15")) == [first]
    assert ids(await daftar(api, tenant, people, berlakuPada="2026-04-01")) == [second, atasan]
    assert ids(await daftar(api, tenant, people, berlakuPada="2026-01-01")) == []
    assert ids(
        await daftar(
            api, tenant, people, pegawaiNip=people["Ani"].nip, peran="PENILAI",
            berlakuPada="2026-03-31",
        )
    ) == [first]  # fmt: skip
    assert ids(await daftar(api, tenant, people, pegawaiNip="199901012020011001")) == []

    seen, after, pages = [], None, 0
    while True:
        page = await daftar(api, tenant, people, first=3, after=after)
        seen += ids(page)
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [second, atasan, first, budi] and pages == 2

    # The id aturPengecualianAtasan hands out refetches it through `node`.
    found = await admin_gql(
        api, tenant, people,
        "query($id: ID!) { node(id: $id) { ... on PengecualianAtasan { id berlakuMulai } } }",
        id=first,
    )  # fmt: skip
    assert found["data"]["node"] == {"id": first, "berlakuMulai": "2026-02-01"}


async def test_ending_an_override_changes_who_appraises_from_the_next_day(api, tenant):
    people = await build(tenant)
    override = await atur(api, tenant, people, "Ani", "PENILAI", "2026-02-01",
                          atasanNip=people["kabid"].nip)  # fmt: skip
    assert await penilai(api, tenant, people, "Ani", "2026-03-11") == ("OVERRIDE", "Kabid")

    ended = await akhiri(api, tenant, people, override, "2026-03-10")
    assert ended == {
        "__typename": "PengecualianAtasanDiakhiri",
        "pengecualianId": override,
        "dihapus": False,
        "pegawai": {"nama": "Ani"},
        "pengecualian": {
            "id": override,
            "berlakuMulai": "2026-02-01",
            "berlakuSampai": "2026-03-11",
            "tanggalAkhir": "2026-03-10",
        },
    }
    assert await penilai(api, tenant, people, "Ani", "2026-03-10") == ("OVERRIDE", "Kabid")
    assert await penilai(api, tenant, people, "Ani", "2026-03-11") == ("UNIT_HEAD", "Kasi")
    # The subordinates' side reads the same chain (penilai_sql.py): Kabid has Ani until then.
    kabid = people["kabid"].nip
    for on, expected in (("2026-03-10", True), ("2026-03-11", False)):
        body = await gql(api, tenant, BAWAHAN, kabid, nip=kabid, on=on)
        names = [n["nama"] for n in body["data"]["pegawai"]["bawahan"]["nodes"]]
        assert ("Ani" in names) is expected, (on, names)
    [listed] = nodes(await daftar(api, tenant, people))
    assert listed["tanggalAkhir"] == "2026-03-10"

    # Its last day may move earlier again, never later.
    shorter = await akhiri(api, tenant, people, override, "2026-02-28")
    assert shorter["pengecualian"]["tanggalAkhir"] == "2026-02-28"
    later = await akhiri(api, tenant, people, override, "2026-03-05")
    assert later["code"] == "INVALID_INPUT" and later["field"] == "tanggalAkhir"

    async with tenant_transaction(as_bound(tenant)):
        events = await AuditEvent.filter(action="atasan_override.end").order_by("id")
    assert [e.actor for e in events] == [people["admin"].nip] * 2
    assert events[0].detail["alasan"] == "Tim dibubarkan"
    assert events[0].detail["tanggal_akhir"] == "2026-03-10"
    assert events[0].detail["berlaku_sampai_sebelumnya"] is None
    assert events[0].entity_id == str(people["Ani"].id)


async def test_the_day_before_its_start_removes_it(api, tenant):
    people = await build(tenant)
    kept = await atur(api, tenant, people, "Budi", "PENILAI", "2026-02-01",
                      atasanNip=people["kabid"].nip)  # fmt: skip
    future = await atur(api, tenant, people, "Ani", "ATASAN_PENILAI", "2026-06-01",
                        eksternalNama="Bupati Uji", alasan="Salah catat")  # fmt: skip

    removed = await akhiri(api, tenant, people, future, "2026-05-31", alasan="Dicatat keliru")
    assert removed["dihapus"] is True and removed["pengecualian"] is None
    assert removed["pengecualianId"] == future and removed["pegawai"] == {"nama": "Ani"}
    assert [n["id"] for n in nodes(await daftar(api, tenant, people))] == [kept]
    body = await gql(api, tenant, ATASAN, people["admin"].nip, Role.ADMIN_INSTANSI,
                     nip=people["Ani"].nip, on="2026-06-01")  # fmt: skip
    above = body["data"]["pegawai"]["atasan"]["atasanPejabatPenilai"]
    assert above["aturan"] == "UNIT_HEAD" and above["pegawai"]["nama"] == "Kabid"
    again = await akhiri(api, tenant, people, future, "2026-05-31")
    assert again["code"] == "NOT_FOUND" and again["field"] == "pengecualianId"

    async with tenant_transaction(as_bound(tenant)):
        [event] = await AuditEvent.filter(action="atasan_override.remove")
        assert not await AtasanOverride.filter(id=row_of(future)).exists()
    assert event.actor == people["admin"].nip
    assert event.detail["alasan"] == "Dicatat keliru"
    assert event.detail["alasan_pengecualian"] == "Salah catat"
    assert event.detail["eksternal_nama"] == "Bupati Uji"


async def test_refusals_come_back_as_data_naming_the_argument(api, tenant):
    people = await build(tenant)
    override = await atur(api, tenant, people, "Ani", "PENILAI", "2026-02-01",
                          atasanNip=people["kabid"].nip, berlakuSampai="2026-05-01")  # fmt: skip

    def refused(result, code, field):
        assert result["__typename"] == "MutationError", result
        assert (result["code"], result["field"]) == (code, field), result
        return result["message"]

    unknown = gid(tenant, "PengecualianAtasan", row_of(override) + 1000)
    refused(await akhiri(api, tenant, people, unknown, "2026-03-01"), "NOT_FOUND", "pengecualianId")
    refused(
        await akhiri(api, tenant, people, "nope", "2026-03-01"), "INVALID_INPUT", "pengecualianId"
    )
    skp_id = gid(tenant, "Skp", row_of(override))
    refused(
        await akhiri(api, tenant, people, skp_id, "2026-03-01"), "INVALID_INPUT", "pengecualianId"
    )
    message = refused(await akhiri(api, tenant, people, override, "2026-01-30"),
                      "INVALID_INPUT", "tanggalAkhir")  # fmt: skip
    assert "2026-01-31" in message  # the earliest day it takes
    refused(
        await akhiri(api, tenant, people, override, "2026-04-30"), "INVALID_INPUT", "tanggalAkhir"
    )
    refused(await akhiri(api, tenant, people, override, "2026-03-01", alasan="  "),
            "INVALID_INPUT", "alasan")  # fmt: skip
    refused(await akhiri(api, tenant, people, override, "2026-03-01", alasan="x" * 2001),
            "INVALID_INPUT", "alasan")  # fmt: skip

    # A pegawai who is not an admin may neither end nor list (not even their penilai, Kasi).
    for nip in (people["Ani"].nip, people["kasi"].nip):
        body = await gql(api, tenant, AKHIRI, nip, id=override, akhir="2026-03-01", alasan="x")
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        body = await gql(api, tenant, DAFTAR, nip, first=10)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert not (body.get("data") or {}).get("pengecualianAtasan")

    [still] = nodes(await daftar(api, tenant, people))
    assert still["tanggalAkhir"] == "2026-04-30"  # nothing refused changed it
    async with tenant_transaction(as_bound(tenant)):
        assert not await AuditEvent.filter(action__startswith="atasan_override.end").exists()

    # An id handed out before the type had its name (`AtasanOverride`) is still taken.
    legacy = gid(tenant, "AtasanOverride", row_of(override))
    done = await akhiri(api, tenant, people, legacy, "2026-03-01")
    assert (
        done["pengecualianId"] == override and done["pengecualian"]["tanggalAkhir"] == "2026-03-01"
    )


async def test_another_instansis_overrides_can_be_neither_listed_nor_ended(
    api, tenant, other_tenant
):
    mine = await build(tenant)
    theirs = await build(other_tenant)
    their_first = await atur(api, other_tenant, theirs, "Ani", "PENILAI", "2026-02-01",
                             atasanNip=theirs["kabid"].nip)  # fmt: skip
    their_second = await atur(api, other_tenant, theirs, "Budi", "PENILAI", "2026-02-01",
                              atasanNip=theirs["kabid"].nip)  # fmt: skip
    own = await atur(api, tenant, mine, "Ani", "PENILAI", "2026-03-01",
                     atasanNip=mine["kabid"].nip)  # fmt: skip

    assert [n["id"] for n in nodes(await daftar(api, tenant, mine))] == [own]
    listed = await daftar(api, tenant, mine, pegawaiNip=theirs["Budi"].nip)
    assert listed["edges"] == []

    # Their global id, as it is: refused as another instansi's, never looked up.
    foreign = await akhiri(api, tenant, mine, their_first, "2026-02-10")
    assert (foreign["code"], foreign["field"]) == ("ID_OF_OTHER_INSTANSI", "pengecualianId")
    # Guessed: their row number under this instansi's kode names a row of this instansi only.
    guessed = gid(tenant, "PengecualianAtasan", row_of(their_second))
    assert row_of(guessed) != row_of(own)
    assert (await akhiri(api, tenant, mine, guessed, "2026-02-10"))["code"] == "NOT_FOUND"
    body = await admin_gql(api, tenant, mine, "query($id: ID!) { node(id: $id) { id } }",
                           id=their_first)  # fmt: skip
    assert body["errors"][0]["extensions"]["code"] == "ID_OF_OTHER_INSTANSI"
    # Their cursor does not page this instansi's list.
    their_page = await daftar(api, other_tenant, theirs, first=1)
    body = await admin_gql(api, tenant, mine, DAFTAR, first=1,
                           after=their_page["pageInfo"]["endCursor"])  # fmt: skip
    assert body["errors"][0]["extensions"]["field"] == "after"

    # An admin of A presenting themself to B is refused before anything runs.
    response = await api.post(
        "/graphql",
        json={"query": DAFTAR, "variables": {"first": 10}},
        headers=principal_header(api.idp, tenant.kode, mine["admin"].nip, Role.ADMIN_INSTANSI)
        | {"X-Instansi": other_tenant.kode},
    )
    assert response.status_code == 403 and "data" not in response.json()

    theirs_now = nodes(await daftar(api, other_tenant, theirs))
    assert [n["tanggalAkhir"] for n in theirs_now] == [None, None]
    async with tenant_transaction(as_bound(other_tenant)):
        assert not await AuditEvent.filter(action__startswith="atasan_override.e").exists()


async def _statements(api, tenant, people) -> int:
    pengaturan.lupakan()  # each as cold: the instansi's settings are remembered once read
    with count_queries() as statements:
        body = await admin_gql(api, tenant, people, DAFTAR, first=100)
    assert "errors" not in body, body
    return len(statements)


async def test_the_query_count_does_not_grow_with_the_number_of_overrides(api, tenant):
    people = await build(tenant)
    await atur(api, tenant, people, "Ani", "PENILAI", "2026-02-01", atasanNip=people["kabid"].nip)
    await atur(api, tenant, people, "Budi", "ATASAN_PENILAI", "2026-02-01", eksternalNama="Bupati")
    await admin_gql(api, tenant, people, "{ serverInfo { versi } }")  # warm the caller's caches
    few = await _statements(api, tenant, people)

    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        recorders = [await org.pegawai(f"Admin {i}", None) for i in range(3)]
        for i in range(40):
            subject = await org.pegawai(f"Pegawai {i:02d}", None)
            superior = await org.pegawai(f"Atasan {i:02d}", None)
            await AtasanOverride.create(
                pegawai=subject,
                peran=PeranAtasan.PENILAI if i % 2 else PeranAtasan.ATASAN_PENILAI,
                atasan=superior if i % 3 else None,
                eksternal_nama=None if i % 3 else f"Pejabat {i}",
                berlaku_mulai=date(2026, 1, 1 + i % 28),
                alasan=f"Alasan {i}",
                dibuat_oleh=recorders[i % 3].nip,
            )
    many = await _statements(api, tenant, people)
    assert many == few, (few, many)
    assert len(nodes(await daftar(api, tenant, people))) == 42
