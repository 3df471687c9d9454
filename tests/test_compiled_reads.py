"""The compiled read path answers exactly as the resolvers do (decision 0036): every document
here runs twice on the same data, through an app with compiled reads and one without, and the
two answers must be equal, errors and nulls included. The statement counts show the compiled
path did run."""

from __future__ import annotations

import httpx
import pytest

from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.models.tenant import Pegawai, Penugasan
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.tenants import new_tenant
from tests.support.twins import twins_of

PEGAWAI_FIELDS = """id nip nama gelarDepan gelarBelakang jenisKepegawaian namaLengkap golongan
  status jenisKelamin __typename"""
JABATAN = """jabatan { jenis berlakuMulai berlakuSampai nomorSk __typename
  jabatan { id nama jenis jenjang kepalaUnit __typename } }"""

DOCUMENTS = {
    "every scalar": f"{{ saya {{ {PEGAWAI_FIELDS} }} }}",
    "with the position": f"{{ saya {{ nama {JABATAN} }} }}",
    "aliases and a repeated field": """{ me: saya { n: nama nama nip a: nip }
      again: saya { nip } }""",
    "fragments": """query { saya { ...orang ... on Pegawai { jabatan { ...posisi } } } }
      fragment orang on Pegawai { nip namaLengkap }
      fragment posisi on Penugasan { jenis jabatan { nama } }""",
    "skip and include": """query($a: Boolean!) { saya { nip nama @include(if: $a)
      gelarDepan @skip(if: $a) } }""",
    "beside a root field it does not compile": "{ serverInfo { versi } saya { nama } }",
    "a field it does not compile falls back whole": "{ saya { nama atasan { tanggal } } }",
    "an argument falls back": '{ saya { jabatan(tanggal: "2020-01-01") { jenis } } }',
}


@pytest.fixture
def shared(module_twins, module_team):
    """Twins and team on one tenant for the module (tests/conftest.py), for the tests that
    only read; those that add or change rows take ``twins`` and ``team`` on a tenant of their
    own. ~25 tenant schemas fewer."""
    return module_twins, module_team


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_the_compiled_answer_is_the_resolvers_answer(shared, name):
    twins, team = shared
    body, _, _ = await twins.both(team.staf.nip, DOCUMENTS[name], a=True)
    assert "data" in body


async def test_gelar_empty_or_missing_and_no_position(twins, tenant, team):
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=team.staf.id).update(gelar_depan="Dr.", gelar_belakang="")
        await Pegawai.filter(id=team.rekan.id).update(gelar_depan="", gelar_belakang="S.Kom.")
        await Penugasan.filter(pegawai_id=team.rekan.id).delete()
    query = f"{{ saya {{ {PEGAWAI_FIELDS} {JABATAN} }} }}"
    staf, _, _ = await twins.both(team.staf.nip, query)
    assert staf["data"]["saya"]["namaLengkap"] == f"Dr. {team.staf.nama}"
    rekan, _, _ = await twins.both(team.rekan.nip, query)
    assert rekan["data"]["saya"]["namaLengkap"] == f"{team.rekan.nama}, S.Kom."
    assert rekan["data"]["saya"]["jabatan"] is None


async def test_an_admin_reads_the_same(shared):
    twins, team = shared
    await twins.both(team.kasi.nip, f"{{ saya {{ {PEGAWAI_FIELDS} {JABATAN} }} }}",
                     Role.ADMIN_INSTANSI)  # fmt: skip


async def test_the_whole_selection_is_one_statement(shared):
    twins, team = shared
    query = f"{{ saya {{ {PEGAWAI_FIELDS} {JABATAN} }} }}"
    _, compiled, resolved = await twins.both(team.staf.nip, query)
    assert compiled == 1

    assert resolved > compiled


SKP_FIELDS = """id tahun periodeAwal periodeAkhir pendekatan jenisForm status versi versiKunci
  catatanPengembalian diajukanPada disetujuiPada digantikanPada __typename"""
RHK_FIELDS = """id urutan teks jenis klasifikasi intervensiEksternal penugasanDari __typename
  indikator { id aspek teks targetMin targetMax satuan targetKualitatif perspektif
    dasarPembagian wilayah __typename }"""

SKP_DOCUMENTS = {
    "my page": """{ saya { nip nama jabatan { jabatan { nama } } }
      skpSaya(first: 1) { nodes { tahun status rhk { urutan teks
        indikator { teks targetMin satuan } } } } }""",
    "every field, counted and paged": f"""{{ skpSaya {{ totalCount __typename
      pageInfo {{ hasNextPage hasPreviousPage __typename }}
      nodes {{ {SKP_FIELDS} rhk {{ {RHK_FIELDS} }} }} }} }}""",
    "a page of one": "{ skpSaya(first: 1) { totalCount pageInfo { hasNextPage } nodes { id } } }",
    "by year": """query($t: Int) { skpSaya(filter: {tahun: $t}) { totalCount nodes { tahun } } }""",
    "two pages of it in one statement": """query($t: Int) { a: skpSaya(first: 1,
      filter: {tahun: $t}) { totalCount nodes { tahun } } b: skpSaya(filter: {tahun: 2025}) {
      totalCount } c: saya { nip } }""",
    "edges and cursors": "{ skpSaya { edges { cursor node { id } } pageInfo { endCursor } } }",
    "first out of range falls back": "{ skpSaya(first: 101) { nodes { id } } }",
    "a year out of range falls back": "{ skpSaya(filter: {tahun: 1900}) { nodes { id } } }",
}


@pytest.mark.parametrize("name", SKP_DOCUMENTS)
async def test_skp_saya_compiled_is_the_resolvers_answer(shared, name):
    twins, team = shared
    for who in (team.staf, team.rekan, team.kasi):  # approved, draft, and a penilai's SKP
        body, _, _ = await twins.both(who.nip, SKP_DOCUMENTS[name], t=2026)
        assert "data" in body


async def test_my_page_is_two_statements(shared):
    twins, team = shared
    _, compiled, resolved = await twins.both(team.staf.nip, SKP_DOCUMENTS["my page"])
    assert compiled == 1  # both root fields in one statement
    assert resolved > compiled


DIRECTORY_DOCUMENTS = {
    "the portal's directory page": """{ daftarPegawai(first: 50) { nodes { nip nama
      jabatan { jabatan { nama } } } } }""",
    "a page of two and whether there is more": """{ daftarPegawai(first: 2) {
      pageInfo { hasNextPage hasPreviousPage } nodes { id nip namaLengkap __typename } } }""",
    "personnel fields fall back": "{ daftarPegawai { nodes { nip golongan status } } }",
    "a filter falls back": '{ daftarPegawai(filter: {cari: "Sta"}) { nodes { nip } } }',
}


@pytest.mark.parametrize("name", DIRECTORY_DOCUMENTS)
async def test_the_directory_compiled_is_the_resolvers_answer(shared, name):
    twins, team = shared
    for who, roles in ((team.staf, ()), (team.kasi, (Role.ADMIN_INSTANSI,))):
        body, _, _ = await twins.both(who.nip, DIRECTORY_DOCUMENTS[name], *roles)
        assert "data" in body


async def test_the_directory_page_is_one_statement(shared):
    twins, team = shared
    query = DIRECTORY_DOCUMENTS["the portal's directory page"]
    _, compiled, resolved = await twins.both(team.staf.nip, query)
    assert compiled == 1
    assert resolved > compiled


CASCADE_DOCUMENTS = {
    "the portal's three levels": """query($id: ID!) { rhk(id: $id) {
      cascadeBawah(kedalamanMax: 3) { kedalaman teks pemilik { nip nama } } } }""",
    "the whole cascade, every node field": """query($id: ID!) { rhk(id: $id) { id teks
      cascadeBawah { rhkId teks pemilikNama pemilikNip kedalaman rhkIndukId jalur skpStatus
        __typename rhk { urutan jenis teks indikator { teks targetMin } }
        pemilik { nip nama jabatan { jabatan { nama } } } } } }""",
    "each node's RHK, every field, read from the node's own row": """query($id: ID!) {
      rhk(id: $id) { cascadeBawah { rhk { id urutan teks jenis klasifikasi intervensiEksternal
        penugasanDari statusIntervensi petunjukIntervensi intervensi { id teks }
        indikator { teks } rencanaAksi { teks } cascadeAtas { rhkId } __typename } } } }""",
    "the RHK of each node above, every field, from the node's own row": """query($id: ID!) {
      rhk(id: $id) { cascadeBawah { rhk { cascadeAtas { rhk { id urutan teks jenis klasifikasi
        intervensiEksternal penugasanDari statusIntervensi intervensi { id } } } } } } }""",
    "depth zero is everything, one level is one": """query($id: ID!) { rhk(id: $id) {
      all: cascadeBawah(kedalamanMax: 0) { rhkId } one: cascadeBawah(kedalamanMax: 1) { rhkId }
      } }""",
    "a unit filter falls back": """query($id: ID!, $u: [ID!]) { rhk(id: $id) {
      cascadeBawah(unitId: $u) { rhkId } } }""",
    "a field of another kind falls back": """query($id: ID!) { rhk(id: $id) {
      cascadeBawah { rhkId rhk { pohonCascade { teks } } } } }""",
}


@pytest.fixture(scope="module")
async def cascade(role_prefix):
    """A tenant of its own holding build_cascade's five-level tree, built once for the module:
    the cascade tests only read it. (Not the shared team's tenant: its directory would grow.)"""
    from tests.test_graphql_skp import build_cascade

    tenant = await new_tenant(role_prefix)
    top, rhks = await build_cascade(tenant, width=2)
    return tenant, top, rhks


@pytest.fixture
async def on_cascade(settings, idp, cascade):
    """Twins on the cascade's tenant, and the tenant, the tree's top and its RHK by pegawai."""
    tenant, top, rhks = cascade
    async with twins_of(settings, idp, tenant) as twins:
        yield twins, tenant, top, rhks


@pytest.mark.parametrize("name", CASCADE_DOCUMENTS)
async def test_the_cascade_compiled_is_the_resolvers_answer(on_cascade, name):
    from tests.support.ids import gid_of

    twins, tenant, top, rhks = on_cascade
    body, _, _ = await twins.both(top.nip, CASCADE_DOCUMENTS[name], id=gid_of(tenant, rhks[top.id]),
                                  u=None)  # fmt: skip
    assert body["data"]["rhk"] is not None


async def test_the_whole_cascade_is_one_statement(on_cascade):
    from tests.support.ids import gid_of

    twins, tenant, top, rhks = on_cascade
    query = CASCADE_DOCUMENTS["the whole cascade, every node field"]
    body, compiled, resolved = await twins.both(top.nip, query, id=gid_of(tenant, rhks[top.id]))
    assert len(body["data"]["rhk"]["cascadeBawah"]) == len(rhks) - 1
    assert compiled == 1
    assert resolved > compiled


async def test_an_rhk_of_another_instansi_or_none_is_answered_as_before(
    twins, tenant, other_tenant, team
):
    from tests.support.ids import gid, gid_of

    query = "query($id: ID!) { rhk(id: $id) { teks cascadeBawah { rhkId } } }"
    theirs = gid_of(other_tenant, team.rhk)  # team is in tenant; the id names other_tenant
    body, _, _ = await twins.both(team.staf.nip, query, id=theirs)
    assert body["errors"][0]["extensions"]["code"] == "ID_OF_OTHER_INSTANSI"
    gone, _, _ = await twins.both(team.staf.nip, query, id=gid(tenant, "Rhk", 10**6))
    assert gone["data"]["rhk"] is None


async def test_a_compiled_read_sees_only_its_own_instansi(settings, idp, tenant, other_tenant):
    """Both instansi have the same row numbers; the compiled directory, `saya` and an RHK read
    under B answer B's rows only, and A's RHK id under B is refused as another instansi's."""
    from tests.support.ids import gid_of
    from tests.support.pelaksanaan import build_team

    mine, theirs = await build_team(tenant), await build_team(other_tenant)
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        headers = principal_header(idp, other_tenant.kode, theirs.staf.nip)
        query = """query($id: ID!) { saya { nip } daftarPegawai(first: 100) { nodes { nip } }
          rhk(id: $id) { teks } }"""
        body = (
            await c.post("/graphql", json={"query": query, "variables": {"id": gid_of(
                tenant, mine.rhk)}}, headers=headers)
        ).json()  # fmt: skip
    assert body["data"]["saya"]["nip"] == theirs.staf.nip
    listed = {n["nip"] for n in body["data"]["daftarPegawai"]["nodes"]}
    assert listed == {theirs.kasi.nip, theirs.staf.nip, theirs.rekan.nip}
    assert body["data"]["rhk"] is None
    assert body["errors"][0]["extensions"]["code"] == "ID_OF_OTHER_INSTANSI"


PAGED = {
    "skpSaya": """query($after: String) { skpSaya(first: 1, after: $after) {
      edges { cursor node { id tahun versi } }
      pageInfo { hasNextPage startCursor endCursor } } }""",
    "daftarPegawai": """query($after: String) { daftarPegawai(first: 2, after: $after) {
      edges { cursor node { nip nama } } nodes { nip }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }""",
}


@pytest.mark.parametrize("root", PAGED)
async def test_paging_with_cursors_is_the_resolvers_paging(twins, tenant, team, root):
    """Page by page to the end, each page's cursors (encoded as paging.py encodes them) and
    rows the same both ways."""
    from tests.support.pelaksanaan import build_team

    await build_team(tenant, "Bagian Dua")  # more pegawai, and a penilai with two SKP years
    after, pages = None, 0
    while True:
        body, compiled, _ = await twins.both(team.staf.nip, PAGED[root], after=after)
        page = body["data"][root]
        assert compiled == 1
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # Six pegawai by twos: three pages, each after the last one's endCursor. (The staf has one
    # SKP: one page; `after` over SKPs is the same code, paging.py's condition in SQL.)
    assert pages == (3 if root == "daftarPegawai" else 1)


async def test_total_count_after_a_cursor_counts_the_whole_list(twins, tenant, team):
    """`totalCount` is the list's size on every page: the compiled statement counted only what
    came after the cursor."""
    from datetime import date

    from ekinerja.models.tenant import Skp

    async with tenant_transaction(as_bound(tenant)):
        earlier = await Skp.get(id=team.skp.id)
        earlier.pk, earlier.tahun = None, 2025  # a second SKP, of the year before
        earlier.periode_awal, earlier.periode_akhir = date(2025, 1, 1), date(2025, 12, 31)
        await earlier.save()
    query = """query($after: String) { skpSaya(first: 1, after: $after) { totalCount
      nodes { tahun } pageInfo { hasNextPage endCursor } } }"""
    first, _, _ = await twins.both(team.staf.nip, query)
    page = first["data"]["skpSaya"]
    assert page["pageInfo"]["hasNextPage"] and page["totalCount"] == 2
    after = page["pageInfo"]["endCursor"]
    second, compiled, _ = await twins.both(team.staf.nip, query, after=after)
    assert second["data"]["skpSaya"]["totalCount"] == 2
    assert compiled == 1


async def test_a_cursor_it_cannot_read_is_refused_as_before(shared):
    twins, team = shared
    other_list = (await twins.both(team.staf.nip, PAGED["skpSaya"]))[0]["data"]["skpSaya"]
    cursor = other_list["pageInfo"]["endCursor"]
    body, _, _ = await twins.both(team.staf.nip, PAGED["daftarPegawai"], after=cursor)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    body, _, _ = await twins.both(team.staf.nip, PAGED["daftarPegawai"], after="bukan-kursor")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_across_a_revision_the_compiled_answers_stay_the_resolvers(twins, tenant):
    """The seam of a revision: the kasi's SKP is revised (a draft revision pending, then
    approved without one of its RHK). Their versions, the kabid's cascade through the versions
    in force and a staf's page answer the same both ways at each stage."""
    from ekinerja.models.tenant import Rhk
    from ekinerja.skp.lifecycle import revise
    from tests.support.ids import gid_of
    from tests.test_skp_revisi_cascade import build_chain, kasi_revises_dropping_one

    async with tenant_transaction(as_bound(tenant)):
        chain = await build_chain()
        kabid_rhk = await Rhk.get(id=chain.kept.intervensi_id)
    cascade = """query($id: ID!) { rhk(id: $id) { cascadeBawah { kedalaman teks skpStatus
      rhkIndukId jalur pemilik { nip } } } }"""
    versions = """{ skpSaya { totalCount nodes { versi status digantikanPada
      rhk { teks } } } }"""

    async def same_everywhere() -> dict:
        mine = await twins.both(chain.kasi.subject, versions)
        await twins.both(chain.kabid.subject, cascade, id=gid_of(tenant, kabid_rhk))
        await twins.both(chain.staf1.subject, SKP_DOCUMENTS["my page"])
        return mine[0]["data"]["skpSaya"]

    assert (await same_everywhere())["totalCount"] == 1
    async with tenant_transaction(as_bound(tenant)):
        draft = await revise(chain.kasi_skp.id, chain.kasi_skp.lock_version, chain.kasi)
    assert (await same_everywhere())["totalCount"] == 2
    async with tenant_transaction(as_bound(tenant)):
        await draft.delete()  # back to one version, then the whole revision approved
        await kasi_revises_dropping_one(chain)
    after = await same_everywhere()
    assert [n["status"] for n in after["nodes"]] == ["DISETUJUI", "DISETUJUI"]
