"""Round trips to PostgreSQL per request on the portal's hot path, counted on the wire
(tests/support/wire.py), so BEGIN/COMMIT, the pool's own statements and a statement's Parse
count too (issue 17). The first request of a person warms the process's caches (the registry
entry, their pegawai row); what is asserted is the steady state every later request pays."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from ekinerja.db.lifecycle import database_context
from ekinerja.http.app import create_app
from tests.support.auth import principal_header
from tests.support.wire import RoundTrips, WireProxy, wire_proxy


@dataclass
class Counted:
    api: httpx.AsyncClient
    proxy: WireProxy
    idp: object
    kode: str

    async def trips(self, nip: str, query: str, **variables) -> tuple[dict, RoundTrips]:
        headers = principal_header(self.idp, self.kode, nip)
        body = {"query": query, "variables": variables}
        await self.api.post("/graphql", json=body, headers=headers)  # warm
        with self.proxy.count() as trips:
            response = await self.api.post("/graphql", json=body, headers=headers)
        return response.json(), trips


@pytest.fixture
async def counted(database, settings, idp, tenant) -> AsyncIterator[Counted]:
    """The app on an ORM of its own that reaches the test database through the counting
    proxy."""
    async with wire_proxy(database) as proxy, database_context(proxy.address, settings):
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as api:
            yield Counted(api, proxy, idp, tenant.kode)


async def test_an_authenticated_typename_sends_nothing_to_the_database(counted, team):
    body, trips = await counted.trips(team.staf.nip, "{ __typename }")
    assert body == {"data": {"__typename": "Query"}}
    assert len(trips) == 0, trips.describe()


async def test_a_read_is_begin_with_its_binding_the_statement_and_commit(counted, team):
    body, trips = await counted.trips(team.staf.nip, "{ saya { nama } }")
    assert body == {"data": {"saya": {"nama": team.staf.nama}}}
    assert len(trips) == 3, trips.describe()
    opening, _, closing = trips.trips
    assert opening[0].startswith("BEGIN; SELECT set_config('search_path'")
    assert closing == ["COMMIT"]


async def test_no_connection_is_reset_on_its_way_back_to_the_pool(counted, team):
    _, trips = await counted.trips(team.staf.nip, "{ saya { nama } }")
    assert not [t for t in trips.trips if any("RESET" in s for s in t)], trips.describe()


async def test_a_nip_that_is_no_pegawai_is_refused_even_for_typename(counted, tenant):
    stranger = "199901012020011999"
    body, trips = await counted.trips(stranger, "{ __typename }")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert len(trips) == 3, trips.describe()  # asked again: a NIP not found is not remembered


# The portal's hot reads the compiled read path answers (decision 0036): BEGIN with its
# binding, one statement for every compiled root field of the document, COMMIT.
MY_PAGE = """{ saya { nip nama jabatan { jabatan { nama } } }
  skpSaya(first: 1) { nodes { tahun status
    rhk { urutan teks indikator { teks targetMin satuan } } } } }"""
DIRECTORY = "{ daftarPegawai(first: 50) { nodes { nip nama jabatan { jabatan { nama } } } } }"


async def test_my_page_is_three_round_trips(counted, team):
    body, trips = await counted.trips(team.staf.nip, MY_PAGE)
    assert body["data"]["skpSaya"]["nodes"][0]["rhk"], body
    assert len(trips) == 3, trips.describe()


async def test_the_directory_page_is_three_round_trips(counted, team):
    body, trips = await counted.trips(team.staf.nip, DIRECTORY)
    assert len(body["data"]["daftarPegawai"]["nodes"]) == 3, body
    assert len(trips) == 3, trips.describe()


async def test_a_cascade_is_three_round_trips(counted, tenant):
    from tests.support.ids import gid_of
    from tests.test_graphql_skp import build_cascade

    top, rhks = await build_cascade(tenant, width=2)
    query = """query($id: ID!) { rhk(id: $id) { cascadeBawah(kedalamanMax: 3) {
      kedalaman teks pemilik { nip nama } } } }"""
    body, trips = await counted.trips(top.nip, query, id=gid_of(tenant, rhks[top.id]))
    assert body["data"]["rhk"]["cascadeBawah"], body
    assert len(trips) == 3, trips.describe()


MONITORING = """{ monitoringPelaksanaan(tahun: 2026, periode: "2026-T1", first: 100) {
  nodes { nip nama progresTerakhir progresMingguIni progresBulanIni indikator
    indikatorTerealisasi realisasiBerbukti rhk { teks indikator progresPeriode } } } }"""


async def test_the_monitoring_page_is_three_round_trips(counted, team):
    body, trips = await counted.trips(team.kasi.nip, MONITORING)
    assert [n["nip"] for n in body["data"]["monitoringPelaksanaan"]["nodes"]] == [team.staf.nip]
    assert len(trips) == 3, trips.describe()


async def test_the_team_page_is_three_round_trips(counted, team):
    query = "{ cakupanCascade(tahun: 2026) { bawahan { pegawai { nip nama } statusSkp } } }"
    body, trips = await counted.trips(team.kasi.nip, query)
    bawahan = body["data"]["cakupanCascade"]["bawahan"]
    assert [(b["pegawai"]["nip"], b["statusSkp"]) for b in bawahan] == [
        (team.staf.nip, "DISETUJUI")
    ]
    assert len(trips) == 3, trips.describe()


PELAKSANAAN = """query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {
  statusEvaluasi realisasi { indikatorId kuantitas narasi jumlahProgres bukti { nama } }
  umpanBalik { teks tanggapan { teks } }
  progres(first: 20) { totalCount nodes { tanggal jamMulai kegiatan bukti { nama } }
    pageInfo { hasNextPage endCursor } } }
  evaluasi(skpId: $skp, periode: "2026-T1") { status riwayat { aksi } } }"""


async def test_a_window_of_execution_and_its_evaluation_are_three_round_trips(
    counted, team, tenant
):
    """The owner's and the penilai's read of an SKP's window (the daily log, realisasi,
    feedback) and its evaluation: one statement for both roots."""
    from tests.support.ids import gid_of

    for who in (team.staf, team.kasi):
        body, trips = await counted.trips(who.nip, PELAKSANAAN, skp=gid_of(tenant, team.skp))
        assert len(body["data"]["pelaksanaan"]["realisasi"]) == 3, body
        assert body["data"]["evaluasi"] is None, body
        assert len(trips) == 3, trips.describe()
