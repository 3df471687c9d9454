"""Periodic evaluation over GraphQL: submit, rate (predikat from the matrix), re-rate, cancel,
penetapan per unit with the curve (OK / WARNING / BLOCK), the locked batch, the annual policy,
and tenant isolation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tortoise.timezone import now

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import pada
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Jabatan,
    KinerjaOrganisasi,
    Penugasan,
    Skp,
    TenantSetting,
)
from ekinerja.penilaian.penetapan import POLICY_SETTING
from ekinerja.penilaian.periode import ANNUAL_POLICY_SETTING
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of, same_row_in
from tests.support.org import Org
from tests.support.pelaksanaan import Portal, skp_for
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
CANCEL = """mutation($id: ID!, $v: Int!, $alasan: String!) {
  batalkanPenilaian(evaluasiId: $id, versiDiharapkan: $v, alasan: $alasan) {
  __typename ... on EvaluasiPeriodik { status predikat versiKunci }
  ... on MutationError { code field } } }"""
UNIT = """query($unit: ID!, $periode: String!) { kinerjaUnit(unitId: $unit, periode: $periode) {
  predikat ditetapkanPada distribusi { predikat jumlah }
  pemeriksaan { hasil total pelanggaran { kode jumlah batas } } } }"""


@pytest.fixture
async def bidang(tenant):
    return await build_bidang(tenant)


async def evaluasi_of(portal, bidang, person, periode="2026-T1", who=None) -> dict:
    skp = gid_of(portal.tenant, bidang.skp_of(person))
    body = await portal.as_(who or bidang.kasi, EVALUASI, skp=skp, periode=periode)
    return body["data"]["evaluasi"]


async def test_the_penilai_rates_and_the_predikat_follows_the_matrix(portal, bidang):
    person = bidang.analis[0]
    skp = gid_of(portal.tenant, bidang.skp_of(person))
    await portal.as_(person, SUBMIT, skp=skp, periode="2026-T1")
    evaluasi = await evaluasi_of(portal, bidang, person)
    assert evaluasi["status"] == "DIAJUKAN" and evaluasi["predikat"] is None

    rated = await portal.as_(
        bidang.kasi, RATE, id=evaluasi["id"], v=evaluasi["versiKunci"], hasil=ATAS, perilaku=SESUAI
    )
    assert rated["data"]["nilaiEvaluasi"]["predikat"] == "BAIK"  # not SANGAT_BAIK
    stale = await portal.as_(
        bidang.kasi, RATE, id=evaluasi["id"], v=evaluasi["versiKunci"], hasil=ATAS, perilaku=ATAS
    )
    assert stale["data"]["nilaiEvaluasi"]["code"] == "STALE_VERSION"
    again = await portal.as_(
        bidang.kasi, RATE, id=evaluasi["id"], v=rated["data"]["nilaiEvaluasi"]["versiKunci"],
        hasil=ATAS, perilaku=ATAS,
    )  # fmt: skip
    assert again["data"]["nilaiEvaluasi"]["predikat"] == "SANGAT_BAIK"
    seen = await evaluasi_of(portal, bidang, person, who=person)
    assert (seen["predikatLabel"], seen["jenjang"]) == ("Sangat Baik", "AHLI_PERTAMA")
    assert seen["unitId"] == gid_of(portal.tenant, bidang.seksi)
    assert [r["aksi"] for r in seen["riwayat"]] == ["DIAJUKAN", "DINILAI", "DINILAI"]


async def test_only_the_snapshotted_penilai_rates_and_cancelling_is_recorded(portal, bidang):
    person = bidang.analis[0]
    await portal.as_(
        person, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(person)), periode="2026-T1"
    )
    evaluasi = await evaluasi_of(portal, bidang, person)
    args = {"id": evaluasi["id"], "v": evaluasi["versiKunci"], "hasil": ATAS, "perilaku": ATAS}
    # The atasan pejabat penilai reaches the pegawai by policy, but does not rate.
    by_kabid = await portal.as_(bidang.kabid, RATE, **args)
    assert by_kabid["data"]["nilaiEvaluasi"]["code"] == "NOT_PENILAI"
    by_self = await portal.as_(person, RATE, **args)
    assert by_self["data"]["nilaiEvaluasi"]["code"] == "NOT_PENILAI"
    by_stranger = await portal.as_(bidang.rekan, RATE, **args)
    assert by_stranger["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    rated = (await portal.as_(bidang.kasi, RATE, **args))["data"]["nilaiEvaluasi"]
    no_reason = await portal.as_(bidang.kasi, CANCEL, id=evaluasi["id"], v=rated["versiKunci"],
                                 alasan=" ")  # fmt: skip
    assert no_reason["data"]["batalkanPenilaian"] == {
        "__typename": "MutationError",
        "code": "INVALID_INPUT",
        "field": "alasan",
    }
    cancelled = await portal.as_(
        bidang.kasi, CANCEL, id=evaluasi["id"], v=rated["versiKunci"], alasan="Salah pilih"
    )
    assert cancelled["data"]["batalkanPenilaian"]["status"] == "DIAJUKAN"
    assert cancelled["data"]["batalkanPenilaian"]["predikat"] is None
    history = (await evaluasi_of(portal, bidang, person))["riwayat"]
    assert [(r["aksi"], r["predikat"]) for r in history] == [
        ("DIAJUKAN", None),
        ("DINILAI", "SANGAT_BAIK"),
        ("DIBATALKAN", None),
    ]


async def test_penetapan_by_the_leader_above_with_a_curve_warning_locks_the_batch(
    portal, bidang, tenant
):
    ids = await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * 4)
    unit = gid_of(portal.tenant, bidang.seksi)
    # The unit's own head is not the leader one level up.
    own = await portal.as_(bidang.kasi, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    assert own["data"]["aturPredikatOrganisasi"]["code"] == "NOT_LEADER"
    early = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    assert early["data"]["tetapkanKinerjaUnit"]["code"] == "NO_PREDIKAT_ORGANISASI"
    set_ = await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1",
                            predikat="BAIK")  # fmt: skip
    assert set_["data"]["aturPredikatOrganisasi"]["predikat"] == "BAIK"

    preview = (await portal.as_(bidang.kabid, UNIT, unit=unit, periode="2026-T1"))["data"]
    check = preview["kinerjaUnit"]["pemeriksaan"]
    assert check["hasil"] == "WARNING" and check["total"] == 4
    failed = {v["kode"] for v in check["pelanggaran"]}
    assert len(failed) == 2  # at most 70 % Baik, and at least one Butuh Perbaikan / Kurang

    done = (await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1"))["data"]
    assert done["tetapkanKinerjaUnit"]["hasilKurva"] == "WARNING"
    assert done["tetapkanKinerjaUnit"]["jumlahDitetapkan"] == 4
    fixed = await evaluasi_of(portal, bidang, bidang.analis[0])
    assert fixed["status"] == "DITETAPKAN" and fixed["kesempatanKeberatan"]["tersedia"] is True
    # Locked: no new predikat, no re-rating, no second penetapan.
    relock = await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1",
                              predikat="ISTIMEWA")  # fmt: skip
    assert relock["data"]["aturPredikatOrganisasi"]["code"] == "LOCKED"
    rerate = await portal.as_(bidang.kasi, RATE, id=ids[0], v=fixed["versiKunci"], hasil=ATAS,
                              perilaku=ATAS)  # fmt: skip
    assert rerate["data"]["nilaiEvaluasi"]["code"] == "INVALID_TRANSITION"
    # A late submission into the fixed batch is refused rather than left unratable.
    async with tenant_transaction(as_bound(tenant)):
        late = await Org().pegawai(
            "Terlambat", await Jabatan.get(nama="Analis Kebijakan Ahli Pertama")
        )
        late_skp = await skp_for(late, bidang.kasi)
    refused = await portal.as_(late, SUBMIT, skp=gid_of(portal.tenant, late_skp), periode="2026-T1")
    assert refused["data"]["ajukanEvaluasiPeriodik"]["code"] == "LOCKED"
    recorded = (await portal.as_(bidang.kabid, UNIT, unit=unit, periode="2026-T1"))["data"]
    assert recorded["kinerjaUnit"]["pemeriksaan"]["hasil"] == "WARNING"
    assert {v["kode"] for v in recorded["kinerjaUnit"]["pemeriksaan"]["pelanggaran"]} == failed


async def test_a_blocking_policy_refuses_penetapan_and_fixes_nothing(portal, bidang, tenant):
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.create(key=POLICY_SETTING, value={"bilaGagal": "BLOCK"})
    pengaturan.lupakan()  # written behind the reader's back: as the watcher would
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * 4)
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    refused = (await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1"))["data"]
    assert refused["tetapkanKinerjaUnit"]["code"] == "CURVE_BLOCKED"
    assert "70" in refused["tetapkanKinerjaUnit"]["message"]
    async with tenant_transaction(as_bound(tenant)):
        assert not await EvaluasiPeriodik.filter(status="DITETAPKAN").exists()
        assert (await KinerjaOrganisasi.get(unit_id=bidang.seksi.id)).ditetapkan_pada is None
    # A distribution that follows the BAIK curve passes: 2 Baik, 1 Sangat Baik, 1 Butuh Perbaikan.
    first = await evaluasi_of(portal, bidang, bidang.analis[0])
    await portal.as_(bidang.kasi, RATE, id=first["id"], v=first["versiKunci"], hasil=ATAS,
                     perilaku=ATAS)  # fmt: skip
    second = await evaluasi_of(portal, bidang, bidang.analis[1])
    await portal.as_(bidang.kasi, RATE, id=second["id"], v=second["versiKunci"], hasil=BAWAH,
                     perilaku=SESUAI)  # fmt: skip
    done = (await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1"))["data"]
    assert done["tetapkanKinerjaUnit"]["hasilKurva"] == "OK"


async def test_penetapan_waits_until_every_submission_is_rated(portal, bidang):
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * 4)
    extra = bidang.analis[0]
    await portal.as_(
        extra, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(extra)), periode="2026-T2"
    )
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T2", predikat="BAIK")
    refused = (await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T2"))["data"]
    assert refused["tetapkanKinerjaUnit"]["code"] == "NOT_ALL_RATED"
    assert "1 submitted evaluation" in refused["tetapkanKinerjaUnit"]["message"]


async def test_the_annual_result_follows_the_last_period_or_is_evaluated_separately(
    portal, bidang, tenant
):
    person = bidang.analis[0]
    skp = gid_of(portal.tenant, bidang.skp_of(person))
    refused = await portal.as_(person, SUBMIT, skp=skp, periode="2026-THN")
    assert refused["data"]["ajukanEvaluasiPeriodik"]["code"] == "ANNUAL_FROM_LAST_PERIOD"

    await submit_and_rate(portal, bidang, [(ATAS, ATAS), (SESUAI, SESUAI), (SESUAI, SESUAI),
                                           (BAWAH, SESUAI)], periode="2026-T4")  # fmt: skip
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T4", predikat="BAIK")
    await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T4")
    annual = await evaluasi_of(portal, bidang, person, "2026-THN")
    assert (annual["status"], annual["predikat"]) == ("DITETAPKAN", "SANGAT_BAIK")
    assert annual["riwayat"][-1]["aksi"] == "DARI_PERIODE_TERAKHIR"

    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.create(
            key=ANNUAL_POLICY_SETTING, value={"kebijakan": "SEPARATE_ANNUAL"}
        )
    pengaturan.lupakan()
    other = bidang.analis[1]
    separate = await portal.as_(other, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(other)),
                                periode="2026-THN")  # fmt: skip
    # Under LAST_PERIOD its annual record was made at penetapan; it is no longer open.
    assert separate["data"]["ajukanEvaluasiPeriodik"]["code"] == "WINDOW_CLOSED"


async def test_separate_annual_evaluation_is_submitted_and_rated(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.create(
            key=ANNUAL_POLICY_SETTING, value={"kebijakan": "SEPARATE_ANNUAL"}
        )
    pengaturan.lupakan()
    await submit_and_rate(portal, bidang, [(SESUAI, ATAS)], periode="2026-THN")
    annual = await evaluasi_of(portal, bidang, bidang.analis[0], "2026-THN")
    assert (annual["status"], annual["predikat"]) == ("DINILAI", "BAIK")


async def test_tenant_b_cannot_read_or_rate_tenant_a_evaluations(portal, bidang, other_tenant, idp):
    ids = await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * 4)
    other = await build_bidang(other_tenant, analis=1, tag=" B")
    b = Portal(portal.api, idp, other_tenant)
    # The highest of A's ids does not exist in B (B has one evaluation at most).
    target = same_row_in(b.tenant, ids[-1])  # A's own id is refused as another instansi's
    rate = await b.as_(other.kasi, RATE, id=target, v=1, hasil=ATAS, perilaku=ATAS)
    assert rate["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    last_skp = gid_of(b.tenant, bidang.skp_of(bidang.analis[-1]))
    read = await b.as_(other.kabid, EVALUASI, skp=last_skp, periode="2026-T1")
    assert read["data"]["evaluasi"] is None


QUEUE = """{ evaluasiUntukDinilai(filter: {periode: "2026-T1"}, first: 100) { nodes { id status
  predikat kesempatanKeberatan { tersedia } keberatan { id } riwayat { aksi } } } }"""


async def test_the_penilai_sees_the_queue_at_a_constant_cost(portal, tenant):
    bidang = await build_bidang(tenant, analis=6)
    for person in bidang.analis[:2]:
        await portal.as_(
            person, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(person)), periode="2026-T1"
        )
    await portal.as_(bidang.kasi, QUEUE)  # warm the token issuer cache

    with count_queries() as few:
        small = (await portal.as_(bidang.kasi, QUEUE))["data"]["evaluasiUntukDinilai"]["nodes"]
    for person in bidang.analis[2:]:
        await portal.as_(
            person, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(person)), periode="2026-T1"
        )
    with count_queries() as many:
        large = (await portal.as_(bidang.kasi, QUEUE))["data"]["evaluasiUntukDinilai"]["nodes"]

    assert (len(small), len(large)) == (2, 6)
    assert {e["status"] for e in large} == {"DIAJUKAN"}
    assert len(many) == len(few)
    # Nobody else's queue shows them.
    assert (await portal.as_(bidang.kabid, QUEUE))["data"]["evaluasiUntukDinilai"]["nodes"] == []


async def test_a_window_submitted_before_a_perubahan_is_not_submitted_again(portal, bidang, tenant):
    # T1 went in under version 1; version 2 (a perubahan, same dates) then came into force.
    # Submitting T1 again under version 2 would give the same months a second predikat and a
    # second angka kredit line.
    person = bidang.analis[0]
    first = bidang.skp_of(person)
    await portal.as_(person, SUBMIT, skp=gid_of(portal.tenant, first), periode="2026-T1")
    async with tenant_transaction(as_bound(tenant)):
        await type(first).filter(id=first.id).update(lineage_id=first.id, digantikan_pada=now())
        second = await skp_for(person, bidang.kasi)
        await (
            type(first)
            .filter(id=second.id)
            .update(lineage_id=first.id, menggantikan_id=first.id, versi=2)
        )
    again = await portal.as_(person, SUBMIT, skp=gid_of(portal.tenant, second), periode="2026-T1")
    refused = again["data"]["ajukanEvaluasiPeriodik"]
    assert (refused["code"], refused["field"]) == ("WINDOW_CLOSED", "periode"), again
    async with tenant_transaction(as_bound(tenant)):
        assert not await EvaluasiPeriodik.exists(skp_id=second.id, periode="2026-T1")
    later = await portal.as_(person, SUBMIT, skp=gid_of(portal.tenant, second), periode="2026-T2")
    assert later["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", later


async def test_a_leavers_last_window_is_in_their_units_batch_from_submission(portal, tenant):
    """Issue 15, Proof: a pegawai retiring on 15 March submits the first quarter on their last
    day, on the scenario's injected clock: the submission carries that instant (it read the
    real clock), and it sits in their unit's batch (the window clipped to the SKP, so their
    post on 15 March, not none on 31 March), which then waits for its rating."""
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    skp = bidang.skp_of(me)
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=skp.id).update(periode_akhir=date(2026, 3, 15))
        # The assignment's end is exclusive: 15 March is their last day.
        await Penugasan.filter(pegawai_id=me.id).update(berlaku_sampai=date(2026, 3, 16))
    submitted_at = datetime(2026, 3, 15, 3, tzinfo=UTC)
    with pada(submitted_at):
        done = await portal.as_(me, SUBMIT, skp=gid_of(portal.tenant, skp), periode="2026-T1")
    assert done["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", done
    found = await evaluasi_of(portal, bidang, me, who=me)
    assert (found["unitId"], found["jenjang"]) == (
        gid_of(portal.tenant, bidang.seksi),
        "AHLI_PERTAMA",
    )
    async with tenant_transaction(as_bound(tenant)):
        stored = await EvaluasiPeriodik.get(id=row_of(found["id"]))
    assert stored.diajukan_pada == submitted_at  # the injected clock
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    refused = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    assert refused["data"]["tetapkanKinerjaUnit"]["code"] == "NOT_ALL_RATED", refused


async def test_rating_is_stamped_on_the_instansis_clock(portal, bidang, tenant):
    me = bidang.analis[0]
    await portal.as_(me, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(me)), periode="2026-T1")
    found = await evaluasi_of(portal, bidang, me)
    rated_at = datetime(2026, 4, 1, 3, 30, tzinfo=UTC)
    with pada(rated_at):
        rated = await portal.as_(bidang.kasi, RATE, id=found["id"], v=found["versiKunci"],
                                 hasil=SESUAI, perilaku=SESUAI)  # fmt: skip
    assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated
    async with tenant_transaction(as_bound(tenant)):
        assert (await EvaluasiPeriodik.get(id=row_of(found["id"]))).dinilai_pada == rated_at


async def test_penetapan_is_stamped_on_the_instansis_clock(portal, bidang, tenant):
    """Issue 15, Proof: penetapan at 23:30 WIB on 1 April (an injected instant) counts the
    keberatan days from 1 April; it read the real clock, so the deadline followed the day the
    test ran."""
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * len(bidang.analis))
    unit = gid_of(portal.tenant, bidang.seksi)
    fixed_at = datetime(2026, 4, 1, 16, 30, tzinfo=UTC)
    with pada(fixed_at):
        await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1",
                         predikat="BAIK")  # fmt: skip
        done = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    assert done["data"]["tetapkanKinerjaUnit"]["__typename"] == "PenetapanSelesai", done
    with pada(datetime(2026, 4, 2, 3, tzinfo=UTC)):
        found = await evaluasi_of(portal, bidang, bidang.analis[0], who=bidang.analis[0])
    assert found["kesempatanKeberatan"]["batas"] == "2026-04-15", found
    async with tenant_transaction(as_bound(tenant)):
        assert (await KinerjaOrganisasi.get(unit_id=bidang.seksi.id)).ditetapkan_pada == fixed_at
        stored = await EvaluasiPeriodik.get(id=row_of(found["id"]))
    assert stored.ditetapkan_pada == fixed_at
