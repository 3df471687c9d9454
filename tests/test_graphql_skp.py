"""SKP planning over GraphQL with real tokens: the flow, errors as data, the cascade on a
generated five-level organisation, query counts, and tenant isolation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.atasan import resolve_chains
from ekinerja.models.tenant import Indikator, Jabatan, Pegawai, Rhk, Skp
from ekinerja.skp.enums import JenisFormSkp, PendekatanSkp, StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid, gid_of, row_of
from tests.support.org import Org, grow_tree
from tests.support.query_counter import count_queries


@pytest.fixture
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        c.idp = idp
        yield c


async def gql(api, tenant, nip: str, query: str, **variables) -> dict:
    response = await api.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=principal_header(api.idp, tenant.kode, nip),
    )
    return response.json()


async def approved_skp_with_rhk(pegawai: Pegawai, teks: str, intervensi: int | None = None) -> Rhk:
    skp = await Skp.create(
        pegawai=pegawai,
        tahun=2026,
        periode_awal=date(2026, 1, 1),
        periode_akhir=date(2026, 12, 31),
        pendekatan=PendekatanSkp.KUANTITATIF,
        jenis_form=JenisFormSkp.JA_JF,
        status=StatusSkp.DISETUJUI,
        snapshot_pegawai={"nama": pegawai.nama},
    )
    return await Rhk.create(skp=skp, teks=teks, intervensi_id=intervensi)


@pytest.fixture
async def team(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Seksi Kurikulum")
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", unit, head=True))
        staf = await org.pegawai("Staf", await org.jabatan("Pengembang Kurikulum", unit))
        kasi_rhk = await approved_skp_with_rhk(kasi, "Kurikulum daerah ditetapkan")
    return {"kasi": kasi, "staf": staf, "kasi_rhk": kasi_rhk}


CREATE = """mutation($tahun: Int!) { buatSkp(input: {tahun: $tahun, pendekatan: KUANTITATIF}) {
  __typename ... on SkpDiubah { skp { id versiKunci status jenisForm
    pejabatPenilai { nama statusPenilai } snapshotPegawai { nama jabatan unit } } }
  ... on MutationError { code message field } } }"""

SAVE = """mutation($input: SimpanRhkInput!) { simpanRhk(input: $input) {
  __typename ... on SkpDiubah { skp { versiKunci } rhk { id teks intervensi { teks }
    indikator { aspek teks target } } }
  ... on MutationError { code message field } } }"""

SUBMIT = """mutation($id: ID!, $v: Int!) { ajukanSkp(skpId: $id, versiDiharapkan: $v) {
  __typename ... on SkpDiubah { skp { status versiKunci } }
  ... on MutationError { code field } } }"""

APPROVE = """mutation($id: ID!, $v: Int!) { setujuiSkp(skpId: $id, versiDiharapkan: $v,
  ekspektasi: [{nilai: "AKUNTABEL", ekspektasi: "Laporan tepat waktu"}]) {
  __typename ... on SkpDiubah { skp { status perilaku { kode ekspektasi panduan } } }
  ... on MutationError { code message } } }"""


def rhk_input(skp_id, version, intervensi=None, teks="Dokumen kurikulum tersusun", target_min="2"):
    return {
        "skpId": skp_id,
        "versiDiharapkan": version,
        "teks": teks,
        "intervensiRhkId": intervensi,
        "indikator": [
            {
                "teks": "Jumlah dokumen",
                "aspek": "KUANTITAS",
                "targetMin": target_min,
                "satuan": "Dokumen",
            }
        ],
    }


async def test_plan_submit_and_approve_over_graphql(api, tenant, team):
    staf, kasi = team["staf"].nip, team["kasi"].nip
    created = (await gql(api, tenant, staf, CREATE, tahun=2026))["data"]["buatSkp"]
    skp = created["skp"]
    assert skp["status"] == "DRAFT" and skp["jenisForm"] == "JA_JF"
    assert skp["pejabatPenilai"] == {"nama": "Kasi", "statusPenilai": "ASN"}
    assert skp["snapshotPegawai"] == {
        "nama": "Staf",
        "jabatan": "Pengembang Kurikulum",
        "unit": "Seksi Kurikulum",
    }

    saved = (
        await gql(
            api,
            tenant,
            staf,
            SAVE,
            input=rhk_input(skp["id"], skp["versiKunci"], gid_of(tenant, team["kasi_rhk"])),
        )
    )["data"]["simpanRhk"]
    assert saved["rhk"]["intervensi"] == {"teks": "Kurikulum daerah ditetapkan"}
    assert saved["rhk"]["indikator"] == [
        {"aspek": "KUANTITAS", "teks": "Jumlah dokumen", "target": "2 Dokumen"}
    ]

    stale = (await gql(api, tenant, staf, SUBMIT, id=skp["id"], v=skp["versiKunci"]))["data"][
        "ajukanSkp"
    ]
    assert stale == {
        "__typename": "MutationError",
        "code": "STALE_VERSION",
        "field": "versiDiharapkan",
    }
    version = saved["skp"]["versiKunci"]
    submitted = (await gql(api, tenant, staf, SUBMIT, id=skp["id"], v=version))["data"]["ajukanSkp"]
    assert submitted["skp"]["status"] == "DIAJUKAN"

    queue = await gql(api, tenant, kasi, "{ skpUntukDisetujui { nodes { id pegawai { nama } } } }")
    assert queue["data"]["skpUntukDisetujui"]["nodes"] == [
        {"id": skp["id"], "pegawai": {"nama": "Staf"}}
    ]
    by_owner = await gql(api, tenant, staf, APPROVE, id=skp["id"], v=submitted["skp"]["versiKunci"])
    assert by_owner["data"]["setujuiSkp"]["code"] == "NOT_PENILAI"
    approved = await gql(api, tenant, kasi, APPROVE, id=skp["id"], v=submitted["skp"]["versiKunci"])
    result = approved["data"]["setujuiSkp"]["skp"]
    assert result["status"] == "DISETUJUI" and len(result["perilaku"]) == 7
    akuntabel = next(p for p in result["perilaku"] if p["kode"] == "AKUNTABEL")
    assert akuntabel["ekspektasi"] == "Laporan tepat waktu" and len(akuntabel["panduan"]) == 3


async def test_bad_input_is_returned_as_data_and_writes_nothing(api, tenant, team):
    staf = team["staf"].nip
    skp = (await gql(api, tenant, staf, CREATE, tahun=2026))["data"]["buatSkp"]["skp"]
    cases = [
        (rhk_input(skp["id"], skp["versiKunci"], teks=" "), "INVALID_INPUT", "teks"),
        (
            rhk_input(skp["id"], skp["versiKunci"], target_min="5")
            | {
                "indikator": [
                    {"teks": "x", "aspek": "KUANTITAS", "targetMin": "9", "targetMax": "3"}
                ]
            },
            "INVALID_INPUT",
            "indikator[1].targetMin",
        ),
        (
            rhk_input(skp["id"], skp["versiKunci"], intervensi=gid(tenant, "Rhk", 999999)),
            "INTERVENTION_INVALID",
            "intervensiRhkId",
        ),
    ]
    for payload, code, field in cases:
        result = (await gql(api, tenant, staf, SAVE, input=payload))["data"]["simpanRhk"]
        assert (result["code"], result["field"]) == (code, field), result
    async with tenant_transaction(as_bound(tenant)):
        assert not await Rhk.filter(skp_id=row_of(skp["id"])).exists()
        assert (await Skp.get(id=row_of(skp["id"]))).lock_version == skp["versiKunci"]


async def build_cascade(tenant, width: int) -> tuple[Pegawai, dict[int, Rhk]]:
    """A five-level organisation where every pegawai's RHK intervenes their penilai's."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        root = await org.unit("Sekretariat Daerah")
        top = await org.pegawai("Sekda", await org.jabatan("Sekretaris Daerah", root, head=True))
        people = [top] + await grow_tree(org, root, depth=4, width=width, staff=1, tag="C")
        chains = await resolve_chains([p.id for p in people], date(2026, 3, 1))
        rhks: dict[int, Rhk] = {}
        # Parents first: a pegawai's penilai was created before them by grow_tree.
        for person in people:
            penilai = chains[person.id].pejabat_penilai.pegawai_id
            parent = rhks[penilai].id if penilai in rhks else None
            rhks[person.id] = await approved_skp_with_rhk(person, f"RHK {person.nama}", parent)
        return top, rhks


DOWN = """query($id: ID!) { rhk(id: $id) { cascadeBawah { kedalaman rhkIndukId jalur skpStatus
  rhk { teks indikator { teks } intervensi { teks } }
  pemilik { nama jabatan { jabatan { nama } } } } } }"""
UP = """query($id: ID!) { rhk(id: $id) { cascadeAtas { kedalaman rhk { teks }
  pemilik { nama } } } }"""


async def test_cascade_down_and_up_on_a_five_level_tree(api, tenant):
    top, rhks = await build_cascade(tenant, width=2)
    body = await gql(api, tenant, top.nip, DOWN, id=gid_of(tenant, rhks[top.id]))
    nodes = body["data"]["rhk"]["cascadeBawah"]
    assert len(nodes) == len(rhks) - 1
    assert max(n["kedalaman"] for n in nodes) == 5  # kepala units 1–4 below the sekda, then staff
    by_id = {gid_of(tenant, r): r for r in rhks.values()}
    for node in nodes:
        assert len(node["jalur"]) == node["kedalaman"]
        parent = node["jalur"][-2] if node["kedalaman"] > 1 else gid_of(tenant, rhks[top.id])
        assert node["rhkIndukId"] == parent
        assert node["rhk"]["intervensi"]["teks"] == by_id[parent].teks
    deepest = max(nodes, key=lambda n: n["kedalaman"])
    up = (await gql(api, tenant, top.nip, UP, id=deepest["jalur"][-1]))["data"]["rhk"][
        "cascadeAtas"
    ]
    assert [n["kedalaman"] for n in up] == [1, 2, 3, 4, 5]
    assert up[-1]["pemilik"]["nama"] == "Sekda"


async def test_cascade_query_counts_do_not_grow_with_the_tree(api, tenant, other_tenant):
    small_top, small = await build_cascade(tenant, width=1)
    big_top, big = await build_cascade(other_tenant, width=3)
    assert len(big) > 5 * len(small)
    # warm the issuer cache and each instansi and NIP the process remembers (decision 0035)
    await gql(api, tenant, small_top.nip, "{ serverInfo { versi } }")
    await gql(api, other_tenant, big_top.nip, "{ serverInfo { versi } }")

    async def count(t, top, rhks, query) -> int:
        with count_queries() as statements:
            body = await gql(api, t, top.nip, query, id=gid_of(t, rhks[top.id]))
        assert "errors" not in body, body
        return len(statements)

    assert await count(tenant, small_top, small, DOWN) == await count(
        other_tenant, big_top, big, DOWN
    )
    leaf_small = max(small.values(), key=lambda r: r.id)
    leaf_big = max(big.values(), key=lambda r: r.id)
    with count_queries() as a:
        await gql(api, tenant, small_top.nip, UP, id=gid_of(tenant, leaf_small))
    with count_queries() as b:
        await gql(api, other_tenant, big_top.nip, UP, id=gid_of(other_tenant, leaf_big))
    assert len(a) == len(b)


async def test_another_tenants_skp_and_rhk_cannot_be_reached(api, tenant, other_tenant, team):
    async with tenant_transaction(as_bound(other_tenant)):
        org = Org()
        for i in range(5):
            await org.unit(f"Filler {i}")
        foreign = await org.pegawai("Asing", await org.jabatan("Staf", await org.unit("Unit B")))
        foreign_rhk = await approved_skp_with_rhk(foreign, "Rahasia B")
        for _ in range(3):
            foreign_rhk = await approved_skp_with_rhk(foreign, "Rahasia B lagi")
    staf = team["staf"].nip
    assert foreign_rhk.id > team["kasi_rhk"].id
    seen = await gql(
        api,
        tenant,
        staf,
        "query($id: ID!) { rhk(id: $id) { teks } }",
        id=gid_of(tenant, foreign_rhk),
    )
    assert seen["data"]["rhk"] is None
    skp = (await gql(api, tenant, staf, CREATE, tahun=2026))["data"]["buatSkp"]["skp"]
    linked = await gql(
        api,
        tenant,
        staf,
        SAVE,
        input=rhk_input(skp["id"], skp["versiKunci"], gid_of(tenant, foreign_rhk)),
    )
    assert linked["data"]["simpanRhk"]["code"] == "INTERVENTION_INVALID"


COVERAGE = """query($tahun: Int!) { cakupanCascade(tahun: $tahun) {
  persenRhkTercakup persenSkpDisetujui
  rhk { jumlahIntervensi rhk { teks } diintervensiOleh { teks } }
  rhkBelumDiintervensi { teks }
  bawahan { pegawai { nama } unit statusSkp jumlahRhk rhkTidakTerhubung }
  perUnit { unit jumlahBawahan skpDisetujui persenDisetujui }
  matriksPeranHasil { pegawai { nama } sel { rhkAtasan { teks } rhkBawahan { teks } } } } }"""


async def build_team_for_coverage(tenant, staff: int):
    """A kasi with two RHK and ``staff`` subordinates: the first has an approved SKP serving
    RHK 1, the second an unlinked draft, the rest no SKP at all."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Seksi Data")
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", unit, head=True))
        first = await approved_skp_with_rhk(kasi, "Data terpadu")
        await Rhk.create(skp_id=first.skp_id, teks="Layanan data", urutan=2)
        post = await org.jabatan("Pengolah Data", unit)
        people = [await org.pegawai(f"Staf {i:02d}", post) for i in range(staff)]
        await approved_skp_with_rhk(people[0], "Dataset bersih", first.id)
        draft = await approved_skp_with_rhk(people[1], "Arsip tertata")
        await Skp.filter(id=draft.skp_id).update(status=StatusSkp.DRAFT)
    return kasi


async def test_coverage_and_matriks_peran_hasil(api, tenant):
    kasi = await build_team_for_coverage(tenant, staff=4)
    result = (await gql(api, tenant, kasi.nip, COVERAGE, tahun=2026))["data"]["cakupanCascade"]
    assert result["persenRhkTercakup"] == 50.0 and result["persenSkpDisetujui"] == 25.0
    assert [r["jumlahIntervensi"] for r in result["rhk"]] == [1, 0]
    assert result["rhk"][0]["diintervensiOleh"] == [{"teks": "Dataset bersih"}]
    assert result["rhkBelumDiintervensi"] == [{"teks": "Layanan data"}]
    statuses = {
        b["pegawai"]["nama"]: (b["statusSkp"], b["rhkTidakTerhubung"]) for b in result["bawahan"]
    }
    assert statuses == {
        "Staf 00": ("DISETUJUI", 0),
        "Staf 01": ("DRAFT", 1),
        "Staf 02": (None, 0),
        "Staf 03": (None, 0),
    }
    assert result["perUnit"] == [
        {"unit": "Seksi Data", "jumlahBawahan": 4, "skpDisetujui": 1, "persenDisetujui": 25.0}
    ]
    assert result["matriksPeranHasil"] == [
        {
            "pegawai": {"nama": "Staf 00"},
            "sel": [
                {"rhkAtasan": {"teks": "Data terpadu"}, "rhkBawahan": [{"teks": "Dataset bersih"}]}
            ],
        }
    ]


async def test_coverage_query_count_is_constant(api, tenant, other_tenant):
    small = await build_team_for_coverage(tenant, staff=3)
    big = await build_team_for_coverage(other_tenant, staff=40)
    # warm the issuer cache and each instansi and NIP the process remembers (decision 0035)
    await gql(api, tenant, small.nip, "{ serverInfo { versi } }")
    await gql(api, other_tenant, big.nip, "{ serverInfo { versi } }")
    with count_queries() as a:
        assert "errors" not in await gql(api, tenant, small.nip, COVERAGE, tahun=2026)
    with count_queries() as b:
        assert "errors" not in await gql(api, other_tenant, big.nip, COVERAGE, tahun=2026)
    assert len(a) == len(b)


SPLIT = """query($id: ID!) { rhk(id: $id) { indikator { target pembagian { target jumlahBagian
  selisih status bagian { target dasarPembagian wilayah pemilik { nama } } } } } }"""


async def test_direct_cascading_splits_a_target_and_shows_divergence(api, tenant, team):
    async with tenant_transaction(as_bound(tenant)):
        iki = await Indikator.create(
            rhk=team["kasi_rhk"],
            teks="Jumlah dokumen",
            aspek="KUANTITAS",
            target_min=Decimal(10),
            satuan="Dokumen",
        )
        other = await Org().pegawai("Staf Dua", await Jabatan.get(nama="Pengembang Kurikulum"))
    kasi_rhk = gid_of(tenant, team["kasi_rhk"])

    async def plan(nip: str, amount: str, satuan: str = "Dokumen", bagian: int | None = None):
        skp = (await gql(api, tenant, nip, CREATE, tahun=2026))["data"]["buatSkp"]["skp"]
        payload = rhk_input(skp["id"], skp["versiKunci"], kasi_rhk)
        payload["indikator"] = [
            {
                "teks": "Dokumen wilayah",
                "aspek": "KUANTITAS",
                "targetMin": amount,
                "satuan": satuan,
                "bagianDariId": gid(tenant, "Indikator", bagian or iki.id),
                "dasarPembagian": "WILAYAH",
                "wilayah": "Utara",
            }
        ]
        return (await gql(api, tenant, nip, SAVE, input=payload))["data"]["simpanRhk"], skp

    first, _ = await plan(team["staf"].nip, "5")
    assert first["__typename"] == "SkpDiubah"
    _, second_skp = await plan(other.nip, "4")
    split = (await gql(api, tenant, team["kasi"].nip, SPLIT, id=kasi_rhk))["data"]["rhk"]
    pembagian = split["indikator"][0]["pembagian"]
    assert (pembagian["target"], pembagian["jumlahBagian"], pembagian["selisih"]) == (
        "10",
        "9",
        "1",
    )
    assert pembagian["status"] == "KURANG"
    assert {b["pemilik"]["nama"] for b in pembagian["bagian"]} == {"Staf", "Staf Dua"}

    # The second part is corrected to 5: the split adds up.
    fixed = rhk_input(second_skp["id"], second_skp["versiKunci"] + 1, kasi_rhk)
    async with tenant_transaction(as_bound(tenant)):
        fixed["rhkId"] = gid(tenant, "Rhk", (await Rhk.get(skp_id=row_of(second_skp["id"]))).id)
    fixed["indikator"] = [
        {
            "teks": "Dokumen",
            "aspek": "KUANTITAS",
            "targetMin": "5",
            "satuan": "Dokumen",
            "bagianDariId": gid_of(tenant, iki),
            "dasarPembagian": "PORSI",
        }
    ]
    assert (await gql(api, tenant, other.nip, SAVE, input=fixed))["data"]["simpanRhk"][
        "__typename"
    ] == "SkpDiubah"
    split = (await gql(api, tenant, team["kasi"].nip, SPLIT, id=kasi_rhk))["data"]["rhk"]
    assert split["indikator"][0]["pembagian"]["status"] == "SESUAI"


async def test_direct_cascading_refuses_parts_of_something_else(api, tenant, team):
    async with tenant_transaction(as_bound(tenant)):
        stranger = await Indikator.create(
            rhk=await approved_skp_with_rhk(team["staf"], "Lain"), teks="x", target_min=Decimal(1)
        )
    skp = await gql(api, tenant, team["staf"].nip, CREATE, tahun=2026)
    assert skp["data"]["buatSkp"]["__typename"] == "MutationError"  # overlapping: staf has one
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(pegawai_id=team["staf"].id).delete()
    skp = (await gql(api, tenant, team["staf"].nip, CREATE, tahun=2026))["data"]["buatSkp"]["skp"]
    payload = rhk_input(skp["id"], skp["versiKunci"], gid_of(tenant, team["kasi_rhk"]))
    payload["indikator"][0] |= {"bagianDariId": gid_of(tenant, stranger), "dasarPembagian": "PORSI"}
    refused = (await gql(api, tenant, team["staf"].nip, SAVE, input=payload))["data"]["simpanRhk"]
    assert (refused["code"], refused["field"]) == (
        "INTERVENTION_INVALID",
        "indikator[1].bagianDariId",
    )


TREE = """query($id: ID!) { rhk(id: $id) { pohonCascade { teks kedalaman anak { teks kedalaman
  anak { teks anak { teks anak { teks anak { teks } } } } } } } }"""


async def test_nested_cascade_matches_the_flat_one(api, tenant):
    top, rhks = await build_cascade(tenant, width=2)
    flat = (await gql(api, tenant, top.nip, DOWN, id=gid_of(tenant, rhks[top.id])))["data"]["rhk"]
    tree = (await gql(api, tenant, top.nip, TREE, id=gid_of(tenant, rhks[top.id])))["data"]["rhk"]

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.get("anak") or [])

    assert sorted(n["teks"] for n in walk(tree["pohonCascade"])) == sorted(
        n["rhk"]["teks"] for n in flat["cascadeBawah"]
    )
    assert {n["kedalaman"] for n in tree["pohonCascade"]} == {1}


async def test_templates_per_jabatan_and_copy_forward(api, tenant, team):
    async with tenant_transaction(as_bound(tenant)):
        jabatan = await Jabatan.get(nama="Pengembang Kurikulum")
    template = """mutation($input: TemplatRhkInput!) { simpanTemplatRhk(input: $input) {
      __typename ... on TemplatRhk { id teks indikator } ... on MutationError { code field } } }"""
    payload = {
        "jabatanId": gid_of(tenant, jabatan),
        "teks": "Modul ajar tersusun",
        "indikator": [
            {"teks": "Jumlah modul", "aspek": "KUANTITAS", "targetMin": "4", "satuan": "Modul"}
        ],
    }
    refused = await gql(api, tenant, team["staf"].nip, template, input=payload)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin_headers = principal_header(api.idp, tenant.kode, team["kasi"].nip, Role.ADMIN_INSTANSI)
    saved = await api.post(
        "/graphql", json={"query": template, "variables": {"input": payload}}, headers=admin_headers
    )
    assert saved.json()["data"]["simpanTemplatRhk"]["indikator"] == ["Jumlah modul: 4 Modul"]

    from_template = """mutation { buatSkp(input: {tahun: 2026, pendekatan: KUANTITATIF,
      dariTemplat: true}) { ... on SkpDiubah { skp { id versiKunci rhk { teks
      indikator { target } } } } ... on MutationError { code message } } }"""
    created = (await gql(api, tenant, team["staf"].nip, from_template))["data"]["buatSkp"]
    assert created["skp"]["rhk"] == [
        {"teks": "Modul ajar tersusun", "indikator": [{"target": "4 Modul"}]}
    ]

    copy = """mutation($id: ID!) { salinSkp(skpId: $id, tahun: 2027) { ... on SkpDiubah {
      skp { tahun status versi rhk { teks } } } ... on MutationError { code field } } }"""
    copied = await gql(api, tenant, team["staf"].nip, copy, id=created["skp"]["id"])
    assert copied["data"]["salinSkp"]["skp"] == {
        "tahun": 2027,
        "status": "DRAFT",
        "versi": 1,
        "rhk": [{"teks": "Modul ajar tersusun"}],
    }
    not_mine = await gql(api, tenant, team["kasi"].nip, copy, id=created["skp"]["id"])
    assert not_mine["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_skp_document_pdf_for_readers_only(api, tenant, team):
    async with tenant_transaction(as_bound(tenant)):
        skp_id = team["kasi_rhk"].skp_id
    url = f"/skp/{gid(tenant, 'Skp', skp_id)}/dokumen.pdf"
    own = await api.get(url, headers=principal_header(api.idp, tenant.kode, team["kasi"].nip))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert own.headers["content-type"] == "application/pdf"
    other = await api.get(url, headers=principal_header(api.idp, tenant.kode, team["staf"].nip))
    assert other.status_code == 403
    assert (await api.get(url)).status_code == 401


async def test_malformed_ids_are_refused_as_data(api, tenant, team):
    staf = team["staf"].nip
    skp = (await gql(api, tenant, staf, CREATE, tahun=2026))["data"]["buatSkp"]["skp"]
    payload = rhk_input(skp["id"], skp["versiKunci"], intervensi="not-an-id")
    refused = (await gql(api, tenant, staf, SAVE, input=payload))["data"]["simpanRhk"]
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "intervensiRhkId")
