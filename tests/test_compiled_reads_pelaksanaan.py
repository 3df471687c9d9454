"""An SKP's execution in a window (`pelaksanaan`) and its evaluation (`evaluasi`) on the
compiled read path (issue 17): the same answers as the resolvers on the same data — the daily
log paged by its cursors, realisasi (across a revision too), evidence, feedback, the
evaluation and its history — nulls, empty lists and refusals included, in one statement when
the reader is the owner, a snapshotted appraiser or an admin; anything else is the
resolvers'."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import (
    BuktiDukung,
    EvaluasiPeriodik,
    ProgresHarian,
    Realisasi,
    RiwayatEvaluasi,
    Skp,
    TanggapanUmpanBalik,
    UmpanBalik,
)
from ekinerja.pelaksanaan.enums import (
    JenisBukti,
    SasaranUmpanBalik,
    StatusBukti,
    StatusEvaluasi,
)
from ekinerja.penilaian.enums import PredikatPegawai, Rating
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid, gid_of
from tests.support.pelaksanaan import build_team
from tests.support.twins import Twins

BUKTI = """id jenis status nama contentType ukuran sha256 sha256Terverifikasi dikonfirmasiPada
  __typename"""
PROGRES = f"""id rencanaAksiId periode tanggal jamMulai jamSelesai kegiatan realisasi satuan
  sumberData bukti {{ {BUKTI} }} __typename"""
FIELDS = f"""skpId periode awal akhir statusEvaluasi diajukanPada catatanPegawai __typename
  realisasi {{ indikatorId rhkId aspek target satuan realisasiId kuantitas narasi jumlahProgres
    bukti {{ {BUKTI} }} }}
  umpanBalik {{ id sasaran rhkId nilaiPerilaku kalimat teks diubahPada
    tanggapan {{ id penulisPegawaiId teks dibuatPada }} }}
  progres(first: $first, after: $after) {{ totalCount __typename
    nodes {{ {PROGRES} }} edges {{ cursor node {{ id tanggal }} }}
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }}"""
PELAKSANAAN = f"""query($skp: ID!, $periode: String!, $first: Int! = 20, $after: String) {{
  pelaksanaan(skpId: $skp, periode: $periode) {{ {FIELDS} }} }}"""

EVALUASI_FIELDS = """id skpId periode status ratingHasilKerja ratingPerilaku predikat
  predikatLabel catatanPegawai catatanPenilai unitId jenjang diajukanPada dinilaiPada
  ditetapkanPada versiKunci __typename
  riwayat { aksi status ratingHasilKerja ratingPerilaku predikat catatan oleh pada }"""
EVALUASI = f"""query($skp: ID!, $periode: String!) {{
  evaluasi(skpId: $skp, periode: $periode) {{ {EVALUASI_FIELDS} }} }}"""

_AT = datetime(2026, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)


async def _log(team, day: int, start: time, periode: str = "2026-T1", month: int = 2):
    return await ProgresHarian.create(
        rencana_aksi_id=team.rencana(periode),
        skp=team.skp,
        pegawai_id=team.staf.id,
        periode=periode,
        tanggal=date(2026, month, day),
        jam_mulai=start,
        jam_selesai=time(17),
        kegiatan=f"Kerja {day}",
        realisasi=day,
        satuan="Dokumen",
        sumber_data="import" if day % 2 else "ekinerja",
    )


async def _evidence(team, *, status=StatusBukti.TERSEDIA, **target) -> BuktiDukung:
    if status is StatusBukti.TERSEDIA and target.pop("link", False):
        return await BuktiDukung.create(
            jenis=JenisBukti.TAUTAN,
            status=status,
            pemilik_pegawai_id=team.staf.id,
            skp=team.skp,
            nama="Folder",
            tautan="https://drive.example/x",
            **target,
        )
    return await BuktiDukung.create(
        jenis=JenisBukti.BERKAS,
        status=status,
        pemilik_pegawai_id=team.staf.id,
        skp=team.skp,
        nama="Laporan.pdf",
        content_type="application/pdf",
        ukuran=12345,
        sha256="a" * 64,
        sha256_terverifikasi=status is StatusBukti.TERSEDIA,
        dikonfirmasi_pada=_AT if status is StatusBukti.TERSEDIA else None,
        **target,
    )


@pytest.fixture
async def executed(tenant, team):
    return await _execute(tenant, team)


@pytest.fixture(scope="module")
async def module_executed(module_tenant, module_team):
    return await _execute(module_tenant, module_team)


@pytest.fixture
def shared(module_twins, module_tenant, module_executed):
    """Twins, tenant and executed team on one tenant for the module (tests/conftest.py), for
    the tests that only read it; those that change its rows take ``twins``, ``tenant`` and
    ``executed`` of their own. ~10 tenant schemas and seeds fewer."""
    return module_twins, module_tenant, module_executed


async def _execute(tenant, team):
    """staf's T1: five log entries (two on the same day and minute: by id; one starting at
    08:00:00.5), evidence on two of them (one upload never confirmed), realisasi of `dokumen`
    (3.5, with a narrative and evidence) and of `mutu` (a narrative only), two feedbacks (one
    with replies), and the window submitted and rated with its history. T2: one entry and
    nothing else; T3: nothing."""
    async with tenant_transaction(as_bound(tenant)):
        first = await _log(team, 3, time(8, 0, 0, 500000))
        await _log(team, 3, time(13, 45, 30))
        same = [await _log(team, 5, time(9)), await _log(team, 5, time(9))]
        await _log(team, 4, time(7), month=3)
        await _log(team, 6, time(8), "2026-T2", month=4)
        await _evidence(team, progres=first, link=True)
        await _evidence(team, progres=first)
        await _evidence(team, progres=same[1], status=StatusBukti.MENUNGGU_UNGGAHAN)
        dokumen = await Realisasi.create(
            indikator=team.dokumen,
            skp=team.skp,
            periode="2026-T1",
            kuantitas=Decimal("3.5"),
            narasi="Tiga setengah",
        )
        await Realisasi.create(indikator=team.mutu, skp=team.skp, periode="2026-T1", narasi="Baik")
        await _evidence(team, realisasi=dokumen)
        await _evidence(team, realisasi=dokumen, link=True)
        hasil = await UmpanBalik.create(
            skp=team.skp,
            periode="2026-T1",
            sasaran=SasaranUmpanBalik.HASIL_KERJA,
            rhk=team.rhk,
            kunci_sasaran=f"RHK:{team.rhk.id}",
            kalimat=["Pertahankan", "Tingkatkan ketelitian"],
            teks="Bagus",
            penilai_pegawai_id=team.kasi.id,
        )
        await UmpanBalik.create(
            skp=team.skp,
            periode="2026-T1",
            sasaran=SasaranUmpanBalik.PERILAKU,
            nilai_perilaku="AKUNTABEL",
            kunci_sasaran="PERILAKU:AKUNTABEL",
            kalimat=[],
            penilai_pegawai_id=team.kasi.id,
        )
        for who, teks in ((team.staf, "Terima kasih"), (team.kasi, "Sama-sama")):
            await TanggapanUmpanBalik.create(
                umpan_balik=hasil, penulis_pegawai_id=who.id, teks=teks
            )
        evaluasi = await EvaluasiPeriodik.create(
            skp=team.skp,
            periode="2026-T1",
            status=StatusEvaluasi.DINILAI,
            catatan_pegawai="Sudah",
            diajukan_pada=_AT,
            rating_hasil_kerja=Rating.SESUAI_EKSPEKTASI,
            rating_perilaku=Rating.DI_ATAS_EKSPEKTASI,
            predikat=PredikatPegawai.BAIK,
            catatan_penilai="Baik",
            dinilai_pada=datetime(2026, 4, 2, tzinfo=UTC),
            penilai_pegawai_id=team.kasi.id,
        )
        for aksi, status in (("DIAJUKAN", StatusEvaluasi.DIAJUKAN), ("DINILAI", "DINILAI")):
            await RiwayatEvaluasi.create(
                evaluasi=evaluasi, aksi=aksi, status=status, oleh=team.staf.nip, catatan=None
            )
    return team


def _skp(tenant, team) -> str:
    return gid_of(tenant, team.skp)


@pytest.mark.parametrize("periode", ["2026-T1", "2026-T2", "2026-T3"])
async def test_the_compiled_pelaksanaan_is_the_resolvers(shared, periode):
    twins, tenant, executed = shared
    body, compiled, resolved = await twins.both(
        executed.staf.nip, PELAKSANAAN, skp=_skp(tenant, executed), periode=periode
    )
    window = body["data"]["pelaksanaan"]
    assert window["skpId"] == _skp(tenant, executed)
    assert len(window["realisasi"]) == 3  # every indikator, realised or not
    if periode == "2026-T1":
        log = window["progres"]["nodes"]
        assert [p["jamMulai"] for p in log[:2]] == ["08:00:00.500000", "13:45:30"]
        assert [len(p["bukti"]) for p in log] == [2, 0, 0, 0, 0]  # confirmed only
        assert window["statusEvaluasi"] == "DINILAI"
        assert window["realisasi"][0]["kuantitas"] == "3.5000"
        assert [len(u["tanggapan"]) for u in window["umpanBalik"]] == [2, 0]
    elif periode == "2026-T3":
        assert window["progres"] == {
            "totalCount": 0,
            "__typename": "ProgresHarianConnection",
            "nodes": [],
            "edges": [],
            "pageInfo": {
                "hasNextPage": False,
                "hasPreviousPage": False,
                "startCursor": None,
                "endCursor": None,
            },
        }
        assert window["umpanBalik"] == [] and window["statusEvaluasi"] == "BELUM_DIAJUKAN"
        assert {r["realisasiId"] for r in window["realisasi"]} == {None}
    assert compiled == 1
    assert resolved > compiled


async def test_paging_the_log_is_the_resolvers_paging(shared):
    twins, tenant, executed = shared
    """Two at a time after each page's cursor (an edge's too): the same pages, the whole
    log's count on every page."""
    after, seen = None, []
    while True:
        body, compiled, _ = await twins.both(
            executed.staf.nip,
            PELAKSANAAN,
            skp=_skp(tenant, executed),
            periode="2026-T1",
            first=2,
            after=after,
        )
        page = body["data"]["pelaksanaan"]["progres"]
        assert page["totalCount"] == 5 and compiled == 1
        assert page["edges"][-1]["cursor"] == page["pageInfo"]["endCursor"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["edges"][-1]["cursor"]
    assert len(seen) == len(set(seen)) == 5
    stale, _, _ = await twins.both(
        executed.staf.nip,
        PELAKSANAAN,
        skp=_skp(tenant, executed),
        periode="2026-T1",
        after="bm90IGEgY3Vyc29y",
    )
    assert stale["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_the_penilai_and_an_admin_read_it_compiled(shared):
    twins, tenant, executed = shared
    variables = {"skp": _skp(tenant, executed), "periode": "2026-T1"}
    penilai, compiled, _ = await twins.both(executed.kasi.nip, PELAKSANAAN, **variables)
    assert penilai["data"]["pelaksanaan"]["progres"]["totalCount"] == 5 and compiled == 1
    admin, compiled, _ = await twins.both(
        executed.rekan.nip, PELAKSANAAN, Role.ADMIN_INSTANSI, **variables
    )
    assert admin == penilai and compiled == 1


async def test_someone_unrelated_is_refused_as_by_the_resolvers(shared):
    twins, tenant, executed = shared
    body, compiled, _ = await twins.both(
        executed.rekan.nip, PELAKSANAAN, skp=_skp(tenant, executed), periode="2026-T1"
    )
    assert body["data"] == {"pelaksanaan": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert compiled > 1  # no row: the resolvers answered


async def test_a_penilai_by_todays_organisation_only_is_the_resolvers_call(twins, tenant, executed):
    """Without kasi snapshotted on the SKP, kasi appraises staf by today's organisation: the
    statement does not decide that (no row), the resolvers do, and let kasi read."""
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=executed.skp.id).update(penilai_pegawai_id=None)
    body, compiled, _ = await twins.both(
        executed.kasi.nip, PELAKSANAAN, skp=_skp(tenant, executed), periode="2026-T1"
    )
    assert body["data"]["pelaksanaan"]["progres"]["totalCount"] == 5 and compiled > 1


@pytest.mark.parametrize(
    ("periode", "code"),
    [("2026-B1", "INVALID_INPUT"), ("2027-T1", "INVALID_INPUT"), ("2026-T4", "PERIOD_OUTSIDE")],
)
async def test_a_window_the_resolvers_refuse_is_refused_alike(
    twins, tenant, executed, periode, code
):
    async with tenant_transaction(as_bound(tenant)):  # the SKP ends with September
        await Skp.filter(id=executed.skp.id).update(periode_akhir=date(2026, 9, 30))
    body, _, _ = await twins.both(
        executed.staf.nip, PELAKSANAAN, skp=_skp(tenant, executed), periode=periode
    )
    assert body["errors"][0]["extensions"]["code"].startswith(code), body
    clipped, compiled, _ = await twins.both(
        executed.staf.nip, PELAKSANAAN, skp=_skp(tenant, executed), periode="2026-T3"
    )
    assert (clipped["data"]["pelaksanaan"]["awal"], clipped["data"]["pelaksanaan"]["akhir"]) == (
        "2026-07-01",
        "2026-09-30",
    )
    assert compiled == 1


async def test_a_monthly_year_compiles_its_months(twins, tenant, executed):
    from ekinerja.models.tenant import PeriodeTahun
    from ekinerja.skp.enums import Kadensi

    async with tenant_transaction(as_bound(tenant)):
        await PeriodeTahun.create(tahun=2026, kadensi=Kadensi.BULANAN)
    variables = {"skp": _skp(tenant, executed)}
    month, compiled, _ = await twins.both(
        executed.staf.nip, PELAKSANAAN, periode="2026-B2", **variables
    )
    assert month["data"]["pelaksanaan"]["akhir"] == "2026-02-28" and compiled == 1
    quarter, _, _ = await twins.both(executed.staf.nip, PELAKSANAAN, periode="2026-T1", **variables)
    assert quarter["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_no_such_skp_and_malformed_ids_answer_as_the_resolvers(shared):
    twins, tenant, executed = shared
    missing, _, _ = await twins.both(
        executed.staf.nip, PELAKSANAAN, skp=gid(tenant, "Skp", 999999), periode="2026-T1"
    )
    assert missing == {"data": {"pelaksanaan": None}}
    for wrong in (gid_of(tenant, executed.rhk), "not-an-id"):
        body, _, _ = await twins.both(executed.staf.nip, PELAKSANAAN, skp=wrong, periode="2026-T1")
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_another_instansis_skp_is_refused_and_shows_nothing(shared, other_tenant):
    twins, tenant, executed = shared
    """B's SKP asked by A's owner and penilai, A's by B's: the same refusal both ways (the
    id belongs to another instansi), no data; the same row number in A's own kode is A's
    row."""
    theirs = await build_team(other_tenant)
    in_b = Twins(twins.compiled, twins.resolved, twins.idp, other_tenant.kode)
    for reader, people, skp in (
        (twins, executed, gid_of(other_tenant, theirs.skp)),
        (in_b, theirs, _skp(tenant, executed)),
    ):
        for who in (people.staf.nip, people.kasi.nip):
            body, _, _ = await reader.both(who, PELAKSANAAN, skp=skp, periode="2026-T1")
            assert body["data"] == {"pelaksanaan": None}, body
            assert body["errors"][0]["extensions"]["code"] == "ID_OF_OTHER_INSTANSI"
    own, compiled, _ = await in_b.both(
        theirs.staf.nip, PELAKSANAAN, skp=gid_of(other_tenant, theirs.skp), periode="2026-T1"
    )
    assert own["data"]["pelaksanaan"]["progres"]["totalCount"] == 0 and compiled == 1


async def test_what_python_computes_falls_back_with_the_same_answer(shared):
    twins, tenant, executed = shared
    query = """query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {
      realisasi { kuantitasSampaiPeriode capaianPersen saranKuantitas } } }"""
    body, compiled, resolved = await twins.both(
        executed.staf.nip, query, skp=_skp(tenant, executed)
    )
    assert body["data"]["pelaksanaan"]["realisasi"][0]["kuantitasSampaiPeriode"] == "3.5000"
    assert compiled > 1 and resolved > 1


async def test_unusual_rows_are_answered_by_the_resolvers(twins, tenant, executed):
    """Kalimat that are not strings and a size beyond Int are never written by the API; the
    statement leaves such an SKP to the resolvers, whose answer it is (for the size, their
    unexpected error per field: the same but for its request id)."""
    async with tenant_transaction(as_bound(tenant)):
        await UmpanBalik.filter(skp_id=executed.skp.id, rhk_id__isnull=True).update(
            kalimat=[1, "dua"]
        )
    variables = {"skp": _skp(tenant, executed), "periode": "2026-T1"}
    body, compiled, _ = await twins.both(executed.staf.nip, PELAKSANAAN, **variables)
    assert body["data"]["pelaksanaan"]["umpanBalik"][1]["kalimat"] == ["1", "dua"]
    assert compiled > 1
    async with tenant_transaction(as_bound(tenant)):
        await UmpanBalik.filter(skp_id=executed.skp.id).update(kalimat=[])
        await BuktiDukung.filter(skp_id=executed.skp.id).update(ukuran=2**31)
    headers = principal_header(twins.idp, twins.kode, executed.staf.nip)
    request = {"query": PELAKSANAAN, "variables": variables}
    compiled, resolved = [
        (await app.post("/graphql", json=request, headers=headers)).json()
        for app in (twins.compiled, twins.resolved)
    ]
    for body in (compiled, resolved):
        for error in body["errors"]:
            assert error["extensions"].pop("requestId")
            error["message"] = error["message"].split(";")[0]
    assert compiled == resolved
    assert [e["path"][-1] for e in compiled["errors"]] == ["ukuran"] * 4


async def test_realisasi_across_a_revision_is_the_resolvers(twins, tenant, executed):
    """The revision's copy of `dokumen` shows T1 as recorded on the replaced version; that
    realisasi's evidence belongs to the replaced SKP and is not shown (as the resolvers)."""
    from tests.test_pelaksanaan_realisasi_revisi import _revised

    revision, copy = await _revised(tenant, executed)
    body, compiled, _ = await twins.both(
        executed.staf.nip, PELAKSANAAN, skp=gid_of(tenant, revision), periode="2026-T1"
    )
    (row,) = [
        r
        for r in body["data"]["pelaksanaan"]["realisasi"]
        if r["indikatorId"] == gid_of(tenant, copy)
    ]
    assert (row["kuantitas"], row["bukti"]) == ("3.5000", []) and compiled == 1


async def test_the_compiled_evaluasi_is_the_resolvers(shared):
    twins, tenant, executed = shared
    variables = {"skp": _skp(tenant, executed)}
    for nip in (executed.staf.nip, executed.kasi.nip):
        rated, compiled, resolved = await twins.both(nip, EVALUASI, periode="2026-T1", **variables)
        evaluasi = rated["data"]["evaluasi"]
        assert (evaluasi["predikat"], evaluasi["predikatLabel"]) == ("BAIK", "Baik")
        assert [r["aksi"] for r in evaluasi["riwayat"]] == ["DIAJUKAN", "DINILAI"]
        assert evaluasi["diajukanPada"] == "2026-02-03T04:05:06.789000+00:00"
        assert compiled == 1 and resolved > compiled
        none, compiled, _ = await twins.both(nip, EVALUASI, periode="2026-T2", **variables)
        assert none == {"data": {"evaluasi": None}} and compiled == 1
    admin, compiled, _ = await twins.both(
        executed.rekan.nip, EVALUASI, Role.ADMIN_INSTANSI, periode="2026-T1", **variables
    )
    assert admin == rated and compiled == 1


async def test_evaluasi_refusals_are_the_resolvers(shared, other_tenant):
    twins, tenant, executed = shared
    refused, compiled, _ = await twins.both(
        executed.rekan.nip, EVALUASI, skp=_skp(tenant, executed), periode="2026-T1"
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN" and compiled > 1
    missing, _, _ = await twins.both(
        executed.staf.nip, EVALUASI, skp=gid(tenant, "Skp", 999999), periode="2026-T1"
    )
    assert missing == {"data": {"evaluasi": None}}
    theirs = await build_team(other_tenant)
    foreign, _, _ = await twins.both(
        executed.staf.nip, EVALUASI, skp=gid_of(other_tenant, theirs.skp), periode="2026-T1"
    )
    assert foreign["errors"] and not (foreign.get("data") or {}).get("evaluasi")
    later = """query($skp: ID!) { evaluasi(skpId: $skp, periode: "2026-T1") {
      final kesempatanKeberatan { tersedia } keberatan { id } } }"""
    body, compiled, resolved = await twins.both(
        executed.staf.nip, later, skp=_skp(tenant, executed)
    )
    assert body["data"]["evaluasi"]["final"] is False and compiled > 1 and resolved > 1
