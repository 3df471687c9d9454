"""The SIASN export (docs/domain.md 5.5): final results as rw-skp22 and rw-kinerjaperiodik rows over
GraphQL and as CSV: the values of both shapes, final results only, the instansi's reference
codes, keyset pages, the CSV equal to GraphQL, a constant cost per page, who may export, and
tenant isolation."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from ekinerja.auth.principal import Role
from ekinerja.http import siasn_ekspor as siasn_export
from ekinerja.kepegawaian.calendar import WIB, today
from ekinerja.models.tenant import (
    AuditEvent,
    EvaluasiPeriodik,
    Pegawai,
    Skp,
    UnitKerjaVersi,
)
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.enums import PredikatPegawai, Rating
from ekinerja.penilaian.predikat import predikat
from ekinerja.skp.snapshots import skp_snapshots
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import central_admin_headers, principal_header
from tests.support.ids import gid_of, row_of
from tests.support.org import Org
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import EVALUASI, build_bidang, fix, submit_and_rate
from tests.support.query_counter import count_queries

ATAS, SESUAI, BAWAH = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"
ADMIN = Role.ADMIN_INSTANSI

SKP22_FIELDS = [
    "tahun", "hasilKinerja", "hasilKinerjaNilai", "perilakuKerja", "perilakuKerjaNilai",
    "kuadranKinerja", "kuadranKinerjaNilai", "namaPenilai", "nipNrpPenilai",
    "penilaiGolonganId", "penilaiJabatanNm", "penilaiUnorNm", "pnsDinilaiId", "statusPenilai",
    "path",
]  # fmt: skip
PERIODIK_FIELDS = SKP22_FIELDS + [
    "bulanMulaiPenilaian", "bulanSelesaiPenilaian", "tahunMulaiPenilaian",
    "tahunSelesaiPenilaian", "periodikId", "periodikNama", "koefisienId", "koefisien",
    "persentase", "angkaKredit", "kriteria", "kuadranNilai", "instansiId", "unorId", "unorNama",
    "jabatan",
]  # fmt: skip

SKP22 = f"""query($tahun: Int!, $first: Int, $after: String) {{
  eksporSiasnSkp22(tahun: $tahun, first: $first, after: $after) {{
  nodes {{ {" ".join(SKP22_FIELDS)} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
PERIODIK = f"""query($tahun: Int!, $first: Int, $after: String) {{
  eksporSiasnKinerjaPeriodik(tahun: $tahun, first: $first, after: $after) {{
  nodes {{ {" ".join(PERIODIK_FIELDS)} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
SHAPES = {"eksporSiasnSkp22": SKP22, "eksporSiasnKinerjaPeriodik": PERIODIK}
HITUNG = """mutation { hitungAngkaKredit(tahun: 2026) {
  __typename ... on AngkaKreditDihitung { dibuat } } }"""
SET = """mutation($nilai: JSON!) { ubahPengaturan(kunci: "siasn.kode_referensi", nilai: $nilai) {
  __typename ... on Pengaturan { berlaku } ... on MutationError { code field message } } }"""
AJUKAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id, alasan: "Tidak sesuai") {
  __typename ... on Keberatan { id } ... on MutationError { code } } }"""
PUTUSKAN = """mutation($id: ID!) { putuskanKeberatan(keberatanId: $id, hasil: DITOLAK,
  catatan: "Sudah sesuai") { __typename ... on Keberatan { status } } }"""


async def received(tenant, ids, days_ago: int) -> None:
    """The pegawai received these results ``days_ago`` days ago (WIB)."""
    moment = datetime.combine(today() - timedelta(days=days_ago), time(12), WIB)
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id__in=[row_of(i) for i in ids]).update(
            ditetapkan_pada=moment
        )


async def page(portal, who, field: str, *roles, tahun=2026, **variables) -> dict:
    body = await portal.as_(who, SHAPES[field], *roles, tahun=tahun, **variables)
    assert "errors" not in body, body
    return body["data"][field]


async def every_row(portal, who, field: str, first: int = 100, *roles) -> list[dict]:
    """Every row, following the cursor ``first`` at a time."""
    rows, after = [], None
    while True:
        found = await page(portal, who, field, *(roles or (ADMIN,)), first=first, after=after)
        rows += found["nodes"]
        if not found["pageInfo"]["hasNextPage"]:
            return rows
        after = found["pageInfo"]["endCursor"]


async def test_both_shapes_of_a_final_year(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    andi, budi = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=bidang.kasi.id).update(
            gelar_depan="Dr.", gelar_belakang="S.Kom.", golongan="III/d"
        )
        _, penilai, _ = await skp_snapshots(andi.id, date(2026, 1, 2))
        await Skp.filter(id=bidang.skp_of(andi).id).update(snapshot_penilai=penilai)
        external = {"status": "NON_ASN", "pegawaiId": None, "nama": "Bupati Contoh",
                    "nip": None, "golongan": None, "pangkat": None, "jabatan": "Bupati",
                    "unit": None}  # fmt: skip
        await Skp.filter(id=bidang.skp_of(budi).id).update(snapshot_penilai=external)
    first = await fix(portal, bidang, [(SESUAI, SESUAI), (BAWAH, SESUAI)], "2026-T1")
    last = await fix(portal, bidang, [(ATAS, ATAS), (SESUAI, ATAS)], "2026-T4")
    await received(tenant, first + last, 15)  # the keberatan period has passed
    done = await portal.as_(bidang.rekan, HITUNG, ADMIN)
    assert done["data"]["hitungAngkaKredit"]["dibuat"] == 4, done
    # Today's organisation differs from the one assessed: the export does not follow it.
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=bidang.kasi.id).update(nama="Kasi Pindahan")
        await UnitKerjaVersi.filter(unit_id=bidang.seksi.id).update(berlaku_sampai=date(2027, 1, 1))
        await UnitKerjaVersi.create(
            unit_id=bidang.seksi.id, nama="Seksi Baru", parent_id=bidang.bidang.id,
            berlaku_mulai=date(2027, 1, 1),
        )  # fmt: skip

    penilai_andi = {
        "namaPenilai": "Dr. Kasi, S.Kom.",
        "nipNrpPenilai": bidang.kasi.nip,
        "penilaiGolonganId": "III/d",
        "penilaiJabatanNm": "Kepala Seksi",
        "penilaiUnorNm": "Seksi Analisis",
        "statusPenilai": "ASN",
    }
    penilai_budi = {
        "namaPenilai": "Bupati Contoh",
        "nipNrpPenilai": None,
        "penilaiGolonganId": None,
        "penilaiJabatanNm": "Bupati",
        "penilaiUnorNm": None,
        "statusPenilai": "NON ASN",
    }
    no_codes = {"hasilKinerjaNilai": None, "perilakuKerjaNilai": None,
                "kuadranKinerjaNilai": None}  # fmt: skip
    year = await page(portal, bidang.rekan, "eksporSiasnSkp22", ADMIN)
    assert year["pageInfo"]["hasNextPage"] is False
    by_nip = {row["pnsDinilaiId"]: row for row in year["nodes"]}
    assert list(by_nip) == sorted([andi.nip, budi.nip])  # by NIP
    # Under LAST_PERIOD the year is the last window's result, final when that window is.
    assert by_nip[andi.nip] == {
        "tahun": 2026,
        "hasilKinerja": "Diatas Ekspektasi",
        "perilakuKerja": "Diatas Ekspektasi",
        "kuadranKinerja": "Sangat Baik",
        **no_codes,
        **penilai_andi,
        "pnsDinilaiId": andi.nip,
        "path": None,
    }
    assert by_nip[budi.nip] == {
        "tahun": 2026,
        "hasilKinerja": "Sesuai Ekspektasi",
        "perilakuKerja": "Diatas Ekspektasi",
        "kuadranKinerja": "Baik",
        **no_codes,
        **penilai_budi,
        "pnsDinilaiId": budi.nip,
        "path": None,
    }

    windows = await page(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik", ADMIN)
    rows = {(r["pnsDinilaiId"], r["periodikId"]): r for r in windows["nodes"]}
    assert [key[1] for key in rows if key[0] == andi.nip] == ["2026-T1", "2026-T4"]
    common = {
        "tahun": 2026,
        **no_codes,
        "path": None,
        "tahunMulaiPenilaian": 2026,
        "tahunSelesaiPenilaian": 2026,
        "koefisienId": "AHLI_PERTAMA",
        "koefisien": "12.50",
        "kuadranNilai": None,
        "instansiId": tenant.kode,
        "unorId": "U-Seksi Analisis",
        "unorNama": "Seksi Analisis",  # its name at the window's end, not today's
        "jabatan": "Analis Kebijakan Ahli Pertama",
    }
    assert rows[(andi.nip, "2026-T1")] == {
        **common,
        **penilai_andi,
        "pnsDinilaiId": andi.nip,
        "hasilKinerja": "Sesuai Ekspektasi",
        "perilakuKerja": "Sesuai Ekspektasi",
        "kuadranKinerja": "Baik",
        "kriteria": "Baik",
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "periodikId": "2026-T1",
        "periodikNama": "Triwulanan 1",
        "persentase": "100.00",
        "angkaKredit": "3.13",  # 3/12 × 100 % × 12.5
    }
    assert rows[(budi.nip, "2026-T1")] == {
        **common,
        **penilai_budi,
        "pnsDinilaiId": budi.nip,
        "hasilKinerja": "Dibawah Ekspektasi",
        "perilakuKerja": "Sesuai Ekspektasi",
        "kuadranKinerja": "Butuh Perbaikan",
        "kriteria": "Butuh Perbaikan",
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "periodikId": "2026-T1",
        "periodikNama": "Triwulanan 1",
        "persentase": "75.00",
        "angkaKredit": "2.34",  # 3/12 × 75 % × 12.5 = 2.34375
    }
    assert rows[(andi.nip, "2026-T4")] == {
        **common,
        **penilai_andi,
        "pnsDinilaiId": andi.nip,
        "hasilKinerja": "Diatas Ekspektasi",
        "perilakuKerja": "Diatas Ekspektasi",
        "kuadranKinerja": "Sangat Baik",
        "kriteria": "Sangat Baik",
        "bulanMulaiPenilaian": 10,
        "bulanSelesaiPenilaian": 12,
        "periodikId": "2026-T4",
        "periodikNama": "Triwulanan 4",
        "persentase": "150.00",
        "angkaKredit": "4.69",
    }
    assert len(rows) == 4
    # Another year has nothing.
    assert (await page(portal, bidang.rekan, "eksporSiasnSkp22", ADMIN, tahun=2025))["nodes"] == []


async def test_only_final_results_are_exported(portal, tenant):
    bidang = await build_bidang(tenant, analis=4)
    lama, baru, keberatan, tanpa_atasan = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=bidang.skp_of(tanpa_atasan).id).update(atasan_penilai_pegawai_id=None)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 4)
    filed = await portal.as_(keberatan, AJUKAN, id=ids[2])
    assert filed["data"]["ajukanKeberatan"]["__typename"] == "Keberatan", filed
    # lama: the period passed; keberatan: filed in time and undecided, whatever the date;
    # baru: fixed today, still open; tanpa_atasan: no keberatan possible, final when fixed.
    await received(tenant, ids[:1] + ids[2:3], 15)
    # A rated result not yet fixed is not final either.
    await submit_and_rate(portal, bidang, [(ATAS, ATAS)] * 4, "2026-T2")

    async def exported() -> set[tuple[str, str]]:
        rows = await every_row(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik")
        return {(r["pnsDinilaiId"], r["periodikId"]) for r in rows}

    assert await exported() == {(lama.nip, "2026-T1"), (tanpa_atasan.nip, "2026-T1")}
    # The same judgement as the evaluation's own `final`.
    now_exported = await exported()
    for person in bidang.analis:
        for periode in ("2026-T1", "2026-T2"):
            skp = gid_of(portal.tenant, bidang.skp_of(person))
            found = await portal.as_(bidang.kasi, EVALUASI, skp=skp, periode=periode)
            final = found["data"]["evaluasi"]["final"]
            assert final is ((person.nip, periode) in now_exported), (person.nama, periode)

    decided = await portal.as_(bidang.kabid, PUTUSKAN, id=filed["data"]["ajukanKeberatan"]["id"])
    assert decided["data"]["putuskanKeberatan"]["status"] == "FINAL", decided
    assert await exported() == {
        (lama.nip, "2026-T1"),
        (tanpa_atasan.nip, "2026-T1"),
        (keberatan.nip, "2026-T1"),
    }
    assert (baru.nip, "2026-T1") not in await exported()
    # No annual result is final: the last window (T4) was never fixed.
    assert (await page(portal, bidang.rekan, "eksporSiasnSkp22", ADMIN))["nodes"] == []


async def test_codes_are_null_until_the_instansi_maps_them(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(ATAS, ATAS), (BAWAH, SESUAI)])
    await received(tenant, ids, 15)
    codes = {
        "rating": {ATAS: "1", SESUAI: "2"},  # DI_BAWAH_EKSPEKTASI not confirmed yet
        "predikat": {"SANGAT_BAIK": "5", "BUTUH_PERBAIKAN": "3"},
    }
    done = await portal.as_(bidang.rekan, SET, ADMIN, nilai=codes)
    assert done["data"]["ubahPengaturan"]["berlaku"] == codes, done

    rows = await every_row(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik")
    by_nip = {r["pnsDinilaiId"]: r for r in rows}
    nilai = ("hasilKinerjaNilai", "perilakuKerjaNilai", "kuadranKinerjaNilai", "kuadranNilai")
    assert [by_nip[bidang.analis[0].nip][k] for k in nilai] == ["1", "1", "5", "5"]
    assert [by_nip[bidang.analis[1].nip][k] for k in nilai] == [None, "2", "3", "3"]

    refused = [
        ({"rating": {ATAS: "1"}, "kuadran": {}}, "'kuadran' is not a part"),
        ({"rating": {"DIATAS": "1"}}, "rating.DIATAS: 'DIATAS' is not one of"),
        ({"predikat": {"BAIK": 4}}, "predikat.BAIK: expected the SIASN code as a non-empty"),
        ({"predikat": {"BAIK": " "}}, "predikat.BAIK: expected the SIASN code"),
        ({"predikat": ["BAIK"]}, "predikat: expected an object"),
        ("1", "expected {"),
    ]
    for value, wording in refused:
        error = (await portal.as_(bidang.rekan, SET, ADMIN, nilai=value))["data"]["ubahPengaturan"]
        assert error["code"] == "INVALID_INPUT" and error["field"] == "nilai", error
        assert error["message"].startswith("siasn.kode_referensi: "), error
        assert wording in error["message"], error
    # A refused value changed nothing.
    assert await every_row(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik") == rows


async def final_results(tenant, bidang, periods=("2026-T1", "2026-T2", "2026-THN")) -> None:
    """Final results straight in the tables: fixed 30 days ago, for every analis."""
    moment = datetime.combine(today() - timedelta(days=30), time(12), WIB)
    ratings = list(Rating)
    async with tenant_transaction(as_bound(tenant)):
        for index, person in enumerate(bidang.analis):
            hasil, perilaku = ratings[index % 3], ratings[(index + 1) % 3]
            for periode in periods:
                await EvaluasiPeriodik.create(
                    skp_id=bidang.skp_of(person).id, periode=periode, unit_id=bidang.seksi.id,
                    jenjang="AHLI_PERTAMA", status=StatusEvaluasi.DITETAPKAN,
                    rating_hasil_kerja=hasil, rating_perilaku=perilaku,
                    predikat=predikat(hasil, perilaku), ditetapkan_pada=moment,
                )  # fmt: skip


async def test_pages_cover_every_row_once_in_nip_order(portal, tenant):
    bidang = await build_bidang(tenant, analis=5)
    await final_results(tenant, bidang, ("2026-T1", "2026-T2", "2026-T4", "2026-THN"))
    nips = sorted(p.nip for p in bidang.analis)

    for field, expected in (
        ("eksporSiasnSkp22", [(nip, None) for nip in nips]),
        ("eksporSiasnKinerjaPeriodik",
         [(nip, w) for nip in nips for w in ("2026-T1", "2026-T2", "2026-T4")]),
    ):  # fmt: skip
        whole = await page(portal, bidang.rekan, field, ADMIN)
        assert whole["pageInfo"]["hasNextPage"] is False
        for first in (1, 2, 4):
            rows = await every_row(portal, bidang.rekan, field, first)
            assert rows == whole["nodes"], (field, first)
        keys = [(r["pnsDinilaiId"], r.get("periodikId")) for r in whole["nodes"]]
        assert keys == expected, field

    end = await page(portal, bidang.rekan, "eksporSiasnSkp22", ADMIN, first=5)
    assert end["pageInfo"] == {"hasNextPage": False, "endCursor": end["pageInfo"]["endCursor"]}
    after_last = await page(
        portal, bidang.rekan, "eksporSiasnSkp22", ADMIN, after=end["pageInfo"]["endCursor"]
    )
    assert after_last == {"nodes": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}

    for variables, wording in (
        ({"first": 0}, "first: must be between 1 and 100"),
        ({"first": 101}, "first: must be between 1 and 100"),
        ({"after": "bm90IGEgY3Vyc29y"}, "after: not a cursor"),
        ({"tahun": 2021}, "tahun: expected a year from 2022"),
    ):
        body = await portal.as_(bidang.rekan, SKP22, ADMIN, **({"tahun": 2026} | variables))
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
        assert wording in body["errors"][0]["message"], body


def as_text(value) -> str:
    return "" if value is None else str(value)


async def csv_of(portal, who, shape: str, *roles, query: str = "tahun=2026", headers=None):
    headers = headers or principal_header(portal.idp, portal.tenant.kode, who.nip, *roles)
    return await portal.api.get(f"/siasn/{shape}.csv?{query}", headers=headers)


async def test_the_csv_holds_the_graphql_rows(portal, tenant, monkeypatch):
    bidang = await build_bidang(tenant, analis=5)
    async with tenant_transaction(as_bound(tenant)):  # UTF-8 beyond ASCII
        await Pegawai.filter(id=bidang.kasi.id).update(nama="Ñoman Ṣaleh")
        _, penilai, _ = await skp_snapshots(bidang.analis[0].id, date(2026, 1, 2))
        await Skp.filter(pegawai_id__in=[p.id for p in bidang.analis]).update(
            snapshot_penilai=penilai
        )
    await final_results(tenant, bidang, ("2026-T1", "2026-T3", "2026-THN"))
    monkeypatch.setattr(siasn_export, "CSV_PAGE", 2)  # several pages streamed

    for shape, field, names in (
        ("rw-skp22", "eksporSiasnSkp22", SKP22_FIELDS),
        ("rw-kinerjaperiodik", "eksporSiasnKinerjaPeriodik", PERIODIK_FIELDS),
    ):
        response = await csv_of(portal, bidang.rekan, shape, ADMIN)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert (
            f'filename="{shape}-{tenant.kode}-2026.csv"'
            in (response.headers["content-disposition"])
        )
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
        assert table[0] == names
        graphql = await every_row(portal, bidang.rekan, field)
        assert len(graphql) == (5 if shape == "rw-skp22" else 10)
        assert table[1:] == [[as_text(row[name]) for name in names] for row in graphql]
        assert "Ñoman Ṣaleh" in response.content.decode("utf-8")

    for query, wording in (
        ("", "tahun: required"),
        ("tahun=dua", "tahun: expected a year, got 'dua'"),
        ("tahun=1999", "tahun: expected a year from 2022"),
    ):
        response = await csv_of(portal, bidang.rekan, "rw-skp22", ADMIN, query=query)
        assert response.status_code == 400
        body = error_of(response)
        assert (body["code"], body["field"]) == ("INVALID_INPUT", "tahun"), body
        assert wording in body["message"], body


async def _populate(tenant, analis: int):
    bidang = await build_bidang(tenant, analis=analis)
    await final_results(tenant, bidang)
    return bidang


async def test_a_page_costs_the_same_for_2_or_12_pegawai(portal, tenant, other_tenant, idp):
    small = await _populate(tenant, 2)
    b = Portal(portal.api, idp, other_tenant)
    large = await _populate(other_tenant, 12)
    for who, at in ((small.rekan, portal), (large.rekan, b)):  # warm the issuer's key cache
        await page(at, who, "eksporSiasnSkp22", ADMIN, first=100)

    costs = {}
    for name, who, at, n in (("small", small.rekan, portal, 2), ("large", large.rekan, b, 12)):
        with count_queries() as year:
            assert len((await page(at, who, "eksporSiasnSkp22", ADMIN, first=100))["nodes"]) == n
        with count_queries() as windows:
            found = await page(at, who, "eksporSiasnKinerjaPeriodik", ADMIN, first=100)
            assert len(found["nodes"]) == 2 * n
        costs[name] = (len(year), len(windows))
    assert costs["small"] == costs["large"], costs


async def test_a_pegawai_may_not_export(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    await final_results(tenant, bidang)
    for who in (bidang.analis[0], bidang.kasi, bidang.kabid):
        for query in SHAPES.values():
            body = await portal.as_(who, query, tahun=2026)
            assert body["data"] is None, body
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        response = await csv_of(portal, who, "rw-kinerjaperiodik")
        assert response.status_code == 403
        assert code_of(response) == "FORBIDDEN"
    # Refused before the year is even looked at.
    response = await csv_of(portal, bidang.kasi, "rw-skp22", query="tahun=x")
    assert response.status_code == 403


async def test_another_instansi_sees_none_of_the_rows(portal, tenant, other_tenant, idp):
    ours = await _populate(tenant, 2)
    theirs = await build_bidang(other_tenant, analis=1, tag=" B")
    b = Portal(portal.api, idp, other_tenant)
    assert len(await every_row(portal, ours.rekan, "eksporSiasnKinerjaPeriodik")) == 4
    for field in SHAPES:
        assert await every_row(b, theirs.rekan, field) == []
    response = await csv_of(b, theirs.rekan, "rw-kinerjaperiodik", ADMIN)
    assert response.status_code == 200
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8")))) == [PERIODIK_FIELDS]
    # Their admin cannot choose our instansi either.
    reach = principal_header(idp, other_tenant.kode, theirs.rekan.nip, ADMIN) | {
        "X-Instansi": tenant.kode
    }
    response = await csv_of(portal, theirs.rekan, "rw-skp22", headers=reach)
    assert response.status_code == 403
    body = await portal.api.post("/graphql", json={"query": SKP22, "variables": {"tahun": 2026}},
                                 headers=reach)  # fmt: skip
    assert body.status_code == 403 and "data" not in body.json(), body.text

    # A BKN central admin may export any instansi; the read is audited there.
    central = await csv_of(portal, ours.rekan, "rw-skp22", headers=central_admin_headers(
        idp, tenant.kode))  # fmt: skip
    assert central.status_code == 200 and len(central.content.decode().splitlines()) == 3
    async with tenant_transaction(as_bound(tenant)):
        audited = await AuditEvent.filter(action="cross_tenant.read").values_list(
            "entity_id", flat=True
        )
    assert audited == ["GET /siasn/rw-skp22.csv"]


def test_the_shapes_name_their_columns_as_siasn():
    from ekinerja.siasn.ekspor import RwKinerjaPeriodik, RwSkp22, columns
    from ekinerja.siasn.kode import predikat_label

    assert columns(RwSkp22) == SKP22_FIELDS
    assert columns(RwKinerjaPeriodik) == PERIODIK_FIELDS
    # SIASN and the angka kredit tables say "Kurang" where our label is "Kurang/Misconduct".
    assert [predikat_label(p) for p in PredikatPegawai] == [
        "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang",
    ]  # fmt: skip


async def test_a_partial_skp_reports_the_months_it_covers(portal, tenant):
    """An SKP in force 10 February – 20 November: its T1 row runs from month 2, its T4 row ends
    in month 11; a whole-year SKP keeps the whole windows."""
    bidang = await build_bidang(tenant, analis=2)
    andi, budi = bidang.analis
    first = await fix(portal, bidang, [(SESUAI, SESUAI), (SESUAI, SESUAI)], "2026-T1")
    last = await fix(portal, bidang, [(SESUAI, SESUAI), (SESUAI, SESUAI)], "2026-T4")
    await received(tenant, first + last, 15)
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=bidang.skp_of(andi).id).update(
            periode_awal=date(2026, 2, 10), periode_akhir=date(2026, 11, 20)
        )
    rows = await every_row(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik")
    months = {
        (r["pnsDinilaiId"], r["periodikId"]): (r["bulanMulaiPenilaian"], r["bulanSelesaiPenilaian"])
        for r in rows
    }
    assert months == {
        (andi.nip, "2026-T1"): (2, 3),
        (andi.nip, "2026-T4"): (10, 11),
        (budi.nip, "2026-T1"): (1, 3),
        (budi.nip, "2026-T4"): (10, 12),
    }


async def test_a_window_reports_where_the_pegawai_stood_when_the_skp_ended(portal, tenant):
    """Andi's SKP ends 15 March and he takes another post on the 16th (a new SKP follows); the
    seksi is renamed on 20 March. His T1 row names the seksi and jabatan of 15 March (his SKP's
    end), not those of 31 March (the window's end, after the transfer). Budi, in force all
    quarter, keeps the window's end. (The new post is in the same seksi: a kasi may assess only
    whom they appraise today.)"""
    bidang = await build_bidang(tenant, analis=2)
    andi, budi = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=bidang.skp_of(andi).id).update(periode_akhir=date(2026, 3, 15))
        org = Org()
        await org.end(andi, date(2026, 3, 16))
        await org.assign(andi, await org.jabatan("Pranata Arsip", bidang.seksi),
                         since=date(2026, 3, 16))  # fmt: skip
        await UnitKerjaVersi.filter(unit_id=bidang.seksi.id).update(
            berlaku_sampai=date(2026, 3, 20)
        )
        await UnitKerjaVersi.create(
            unit_id=bidang.seksi.id, nama="Seksi Analisis Data", parent_id=bidang.bidang.id,
            berlaku_mulai=date(2026, 3, 20),
        )  # fmt: skip
    ids = await fix(portal, bidang, [(SESUAI, SESUAI), (SESUAI, SESUAI)], "2026-T1")
    await received(tenant, ids, 15)
    rows = await every_row(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik")
    where = {
        r["pnsDinilaiId"]: (r["unorNama"], r["jabatan"], r["bulanSelesaiPenilaian"]) for r in rows
    }
    assert where == {
        andi.nip: ("Seksi Analisis", "Analis Kebijakan Ahli Pertama", 3),
        budi.nip: ("Seksi Analisis Data", "Analis Kebijakan Ahli Pertama", 3),
    }
