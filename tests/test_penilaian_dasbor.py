"""Leaders' views of assessment over GraphQL: a unit's completion (`kelengkapanPenilaian`), its
distribution against the curve (`kinerjaUnit`), who may see them, a pegawai's predikat across
years (`riwayatPredikat`), and their cost whatever the unit's size."""

from __future__ import annotations

from datetime import date

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Jabatan,
    KinerjaOrganisasi,
    Pegawai,
    PeriodeTahun,
    Skp,
    TenantSetting,
)
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.enums import PredikatOrganisasi, PredikatPegawai, Rating
from ekinerja.penilaian.penetapan import POLICY_SETTING
from ekinerja.skp.enums import JenisFormSkp, Kadensi, PendekatanSkp, StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for
from tests.support.penilaian import (
    EVALUASI,
    RATE,
    SET_PREDIKAT,
    SUBMIT,
    TETAPKAN,
    build_bidang,
    submit_and_rate,
)
from tests.support.query_counter import count_queries

ATAS, SESUAI, BAWAH = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"

KELENGKAPAN = """query($unit: ID!, $periode: String!) {
  kelengkapanPenilaian(unitId: $unit, periode: $periode) {
  unitId periode tanpaSkp belumDiajukan diajukan dinilai ditetapkan
  pegawai(first: 100) { nodes { pegawaiId nama nip skpId status predikat }
    pageInfo { hasNextPage } } } }"""
UNIT = """query($unit: ID!, $periode: String!) { kinerjaUnit(unitId: $unit, periode: $periode) {
  unitId periode predikat ditetapkanPada distribusi { predikat jumlah }
  pemeriksaan { hasil total pelanggaran { kode jumlah batas } } } }"""
RIWAYAT = (
    """query($nip: String!) { riwayatPredikat(nip: $nip) { tahun periode predikat status } }"""
)
ZERO = {"SANGAT_BAIK": 0, "BAIK": 0, "BUTUH_PERBAIKAN": 0, "KURANG": 0, "SANGAT_KURANG": 0}


async def kelengkapan(portal, who, unit, periode="2026-T1", *roles) -> dict:
    body = await portal.as_(
        who, KELENGKAPAN, *roles, unit=gid_of(portal.tenant, unit), periode=periode
    )
    assert "errors" not in body, body
    found = body["data"]["kelengkapanPenilaian"]
    assert found["pegawai"]["pageInfo"]["hasNextPage"] is False
    return found | {"pegawai": found["pegawai"]["nodes"]}


async def kinerja(portal, who, unit, periode="2026-T1", *roles) -> dict:
    body = await portal.as_(who, UNIT, *roles, unit=gid_of(portal.tenant, unit), periode=periode)
    assert "errors" not in body, body
    return body["data"]["kinerjaUnit"]


def tally(found: dict) -> tuple[int, int, int, int, int]:
    return (
        found["tanpaSkp"],
        found["belumDiajukan"],
        found["diajukan"],
        found["dinilai"],
        found["ditetapkan"],
    )


def spread(found: dict) -> dict[str, int]:
    return {d["predikat"]: d["jumlah"] for d in found["distribusi"]}


async def submit(portal, bidang, person, periode="2026-T1") -> None:
    body = await portal.as_(
        person, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(person)), periode=periode
    )
    assert body["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", body


async def rate(portal, bidang, person, hasil, perilaku, periode="2026-T1") -> None:
    skp = gid_of(portal.tenant, bidang.skp_of(person))
    found = (await portal.as_(bidang.kasi, EVALUASI, skp=skp, periode=periode))["data"]
    rated = await portal.as_(bidang.kasi, RATE, id=found["evaluasi"]["id"],
                             v=found["evaluasi"]["versiKunci"], hasil=hasil,
                             perilaku=perilaku)  # fmt: skip
    assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated


async def seal(portal, bidang, periode="2026-T1") -> dict:
    unit = gid_of(portal.tenant, bidang.seksi)
    set_ = await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode=periode,
                            predikat="BAIK")  # fmt: skip
    assert set_["data"]["aturPredikatOrganisasi"]["predikat"] == "BAIK", set_
    done = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode=periode)
    return done["data"]["tetapkanKinerjaUnit"]


async def test_completion_follows_the_flow_in_name_order(portal, tenant):
    bidang = await build_bidang(tenant, analis=3)
    zaki, budi, andi = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        for person, nama in ((zaki, "Zaki"), (budi, "Budi"), (andi, "Andi")):
            await Pegawai.filter(id=person.id).update(nama=nama)
        post = await Jabatan.get(nama="Analis Kebijakan Ahli Pertama")
        citra = await Org().pegawai("Citra", post)
        await skp_for(citra, bidang.kasi, StatusSkp.DRAFT)  # not approved: counts as none

    start = await kelengkapan(portal, bidang.kasi, bidang.seksi)
    assert (start["unitId"], start["periode"]) == (gid_of(portal.tenant, bidang.seksi), "2026-T1")
    assert tally(start) == (2, 3, 0, 0, 0)  # Citra and Kasi have no approved SKP
    assert [p["nama"] for p in start["pegawai"]] == ["Andi", "Budi", "Citra", "Kasi", "Zaki"]
    assert bidang.rekan.nip not in {p["nip"] for p in start["pegawai"]}
    assert bidang.kabid.nip not in {p["nip"] for p in start["pegawai"]}

    await submit(portal, bidang, zaki)
    await submit(portal, bidang, budi)
    await rate(portal, bidang, zaki, ATAS, ATAS)
    middle = await kelengkapan(portal, bidang.kasi, bidang.seksi)
    assert tally(middle) == (2, 1, 1, 1, 0)
    assert [(p["nama"], p["status"], p["predikat"]) for p in middle["pegawai"]] == [
        ("Andi", "BELUM_DIAJUKAN", None),
        ("Budi", "DIAJUKAN", None),
        ("Citra", None, None),
        ("Kasi", None, None),
        ("Zaki", "DINILAI", "SANGAT_BAIK"),
    ]

    await rate(portal, bidang, budi, SESUAI, SESUAI)
    await submit(portal, bidang, andi)
    await rate(portal, bidang, andi, BAWAH, SESUAI)
    assert (await seal(portal, bidang))["jumlahDitetapkan"] == 3
    end = await kelengkapan(portal, bidang.kabid, bidang.seksi)
    assert tally(end) == (2, 0, 0, 0, 3)
    assert [(p["nama"], p["status"], p["predikat"]) for p in end["pegawai"]] == [
        ("Andi", "DITETAPKAN", "BUTUH_PERBAIKAN"),
        ("Budi", "DITETAPKAN", "BAIK"),
        ("Citra", None, None),
        ("Kasi", None, None),
        ("Zaki", "DITETAPKAN", "SANGAT_BAIK"),
    ]
    by_name = {p["nama"]: p for p in end["pegawai"]}
    assert by_name["Zaki"]["skpId"] == gid_of(portal.tenant, bidang.skp_of(zaki))
    assert by_name["Zaki"]["pegawaiId"] == gid_of(portal.tenant, zaki)
    assert by_name["Citra"]["skpId"] is None
    # Another period of the same year: everyone with an SKP has yet to submit.
    assert tally(await kelengkapan(portal, bidang.kasi, bidang.seksi, "2026-T2")) == (2, 3, 0, 0, 0)


async def test_distribution_against_the_curve_before_and_after_penetapan(portal, tenant):
    bidang = await build_bidang(tenant, analis=4)
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * 3 + [(ATAS, ATAS)])
    seksi = bidang.seksi

    bare = await kinerja(portal, bidang.kasi, seksi)
    assert (bare["predikat"], bare["pemeriksaan"], bare["ditetapkanPada"]) == (None, None, None)
    assert spread(bare) == ZERO | {"BAIK": 3, "SANGAT_BAIK": 1}
    assert [d["predikat"] for d in bare["distribusi"]] == list(ZERO)  # best to worst

    unit = gid_of(portal.tenant, seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    preview = await kinerja(portal, bidang.kabid, seksi)
    assert preview["predikat"] == "BAIK" and preview["ditetapkanPada"] is None
    assert (preview["pemeriksaan"]["hasil"], preview["pemeriksaan"]["total"]) == ("WARNING", 4)
    assert [v["kode"] for v in preview["pemeriksaan"]["pelanggaran"]] == [
        "BAIK.max_baik",  # 3 of 4 > 70 %
        "BAIK.ada_butuh_perbaikan_atau_kurang",
    ]
    async with tenant_transaction(as_bound(tenant)):
        policy = await TenantSetting.create(key=POLICY_SETTING, value={"bilaGagal": "BLOCK"})
    pengaturan.lupakan()  # written behind the reader's back: as the watcher would
    assert (await kinerja(portal, bidang.kasi, seksi))["pemeriksaan"]["hasil"] == "BLOCK"
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.filter(id=policy.id).delete()
    pengaturan.lupakan()

    done = await seal(portal, bidang)
    assert done["hasilKurva"] == "WARNING"
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.create(key=POLICY_SETTING, value={"bilaGagal": "BLOCK"})
    pengaturan.lupakan()
    recorded = await kinerja(portal, bidang.kasi, seksi)
    assert recorded["ditetapkanPada"] is not None
    # As it ran at penetapan, not as the changed policy would judge it now.
    assert recorded["pemeriksaan"] == {
        "hasil": "WARNING",
        "total": 4,
        "pelanggaran": [
            {"kode": "BAIK.max_baik", "jumlah": 3, "batas": 2},
            {"kode": "BAIK.ada_butuh_perbaikan_atau_kurang", "jumlah": 0, "batas": 1},
        ],
    }
    assert spread(recorded) == ZERO | {"BAIK": 3, "SANGAT_BAIK": 1}


async def test_who_may_see_a_unit(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)])
    seksi, atas = bidang.seksi, bidang.bidang
    allowed = [
        (bidang.kasi, seksi, ()),  # heads the seksi
        (bidang.kabid, seksi, ()),  # heads the unit above
        (bidang.kabid, atas, ()),
        (bidang.rekan, seksi, (Role.ADMIN_INSTANSI,)),
        (bidang.analis[0], atas, (Role.ADMIN_INSTANSI,)),
    ]
    for who, unit, roles in allowed:
        assert tally(await kelengkapan(portal, who, unit, "2026-T1", *roles))[3] == (
            1 if unit is seksi else 0
        )
        assert spread(await kinerja(portal, who, unit, "2026-T1", *roles))["BAIK"] == (
            1 if unit is seksi else 0
        )
    refused = [
        (bidang.analis[0], seksi),
        (bidang.rekan, seksi),
        (bidang.kasi, atas),  # leads below it, not it
    ]
    for who, unit in refused:
        for query in (KELENGKAPAN, UNIT):
            body = await portal.as_(who, query, unit=gid_of(portal.tenant, unit), periode="2026-T1")
            assert body["data"] is None, body
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_predikat_history_across_two_years_in_period_order(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    me, colleague = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        await PeriodeTahun.create(tahun=2025, kadensi=Kadensi.BULANAN)
        lama = await Skp.create(
            pegawai=me, tahun=2025, periode_awal=date(2025, 1, 1),
            periode_akhir=date(2025, 12, 31), pendekatan=PendekatanSkp.KUANTITATIF,
            jenis_form=JenisFormSkp.JA_JF, status=StatusSkp.DISETUJUI,
            snapshot_pegawai={"nama": me.nama, "nip": me.nip}, penilai_pegawai_id=bidang.kasi.id,
        )  # fmt: skip
        # Created out of order, and with monthly codes whose text order is not time order.
        for periode, predikat in (
            ("2025-THN", PredikatPegawai.SANGAT_BAIK),
            ("2025-B10", PredikatPegawai.SANGAT_BAIK),
            ("2025-B2", PredikatPegawai.BAIK),
            ("2025-B12", PredikatPegawai.SANGAT_BAIK),
        ):
            await EvaluasiPeriodik.create(
                skp=lama, periode=periode, status=StatusEvaluasi.DITETAPKAN,
                rating_hasil_kerja=Rating.DI_ATAS_EKSPEKTASI, rating_perilaku=Rating(
                    "DI_ATAS_EKSPEKTASI" if predikat is PredikatPegawai.SANGAT_BAIK
                    else "SESUAI_EKSPEKTASI"),
                predikat=predikat,
            )  # fmt: skip
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI), (BAWAH, SESUAI)])

    expected = [
        {"tahun": 2025, "periode": "2025-B2", "predikat": "BAIK", "status": "DITETAPKAN"},
        {"tahun": 2025, "periode": "2025-B10", "predikat": "SANGAT_BAIK", "status": "DITETAPKAN"},
        {"tahun": 2025, "periode": "2025-B12", "predikat": "SANGAT_BAIK", "status": "DITETAPKAN"},
        {"tahun": 2025, "periode": "2025-THN", "predikat": "SANGAT_BAIK", "status": "DITETAPKAN"},
        {"tahun": 2026, "periode": "2026-T1", "predikat": "BAIK", "status": "DINILAI"},
    ]
    for who in (me, bidang.kasi, bidang.kabid):
        body = await portal.as_(who, RIWAYAT, nip=me.nip)
        assert body["data"]["riwayatPredikat"] == expected, body
    theirs = (await portal.as_(colleague, RIWAYAT, nip=colleague.nip))["data"]
    assert theirs["riwayatPredikat"] == [
        {"tahun": 2026, "periode": "2026-T1", "predikat": "BUTUH_PERBAIKAN", "status": "DINILAI"}
    ]
    for who in (colleague, bidang.rekan):
        body = await portal.as_(who, RIWAYAT, nip=me.nip)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def _populate(tenant, bidang) -> None:
    """Half the analis rated (fixed for the first), the rest submitted; the seksi's predikat set."""
    async with tenant_transaction(as_bound(tenant)):
        for index, person in enumerate(bidang.analis):
            rated = index % 2 == 0
            await EvaluasiPeriodik.create(
                skp_id=bidang.skp_of(person).id, periode="2026-T1", unit_id=bidang.seksi.id,
                jenjang="AHLI_PERTAMA",
                status=StatusEvaluasi.DINILAI if rated else StatusEvaluasi.DIAJUKAN,
                rating_hasil_kerja=Rating.SESUAI_EKSPEKTASI if rated else None,
                rating_perilaku=Rating.SESUAI_EKSPEKTASI if rated else None,
                predikat=PredikatPegawai.BAIK if rated else None,
            )  # fmt: skip
        await KinerjaOrganisasi.create(
            unit_id=bidang.seksi.id, periode="2026-T1", predikat=PredikatOrganisasi.BAIK
        )


async def test_the_views_cost_the_same_for_2_or_8_analis(portal, tenant):
    small = await build_bidang(tenant, analis=2, tag=" Kecil")
    large = await build_bidang(tenant, analis=8, tag=" Besar")
    await _populate(tenant, small)
    await _populate(tenant, large)
    await kelengkapan(portal, small.kabid, small.seksi)  # warm the token issuer cache
    await kelengkapan(portal, large.kabid, large.seksi)

    costs = {}
    for name, bidang in (("small", small), ("large", large)):
        pengaturan.lupakan()  # both as cold: the settings are remembered after the first read
        with count_queries() as completion:
            found = await kelengkapan(portal, bidang.kabid, bidang.seksi)
        with count_queries() as unit:
            seen = await kinerja(portal, bidang.kabid, bidang.seksi)
        costs[name] = (len(completion), len(unit))
        n = len(bidang.analis)
        assert len(found["pegawai"]) == n + 1  # and the kasi
        assert tally(found) == (1, 0, n // 2, n // 2, 0)
        assert spread(seen)["BAIK"] == n // 2
        assert seen["pemeriksaan"]["total"] == n // 2
    assert costs["small"] == costs["large"], costs
