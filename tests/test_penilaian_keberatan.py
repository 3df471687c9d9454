"""Keberatan over GraphQL (PP 30/2019 Pasal 59, docs/domain.md 6): filing within the tenant's period
after penetapan, examination by the snapshotted atasan pejabat penilai only, explanations when
asked, DITOLAK / DIUBAH (the original rating kept in the history), finality, no atasan, the
annual result under LAST_PERIOD, and tenant isolation. Time moves by rewriting
``ditetapkan_pada``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from ekinerja import pengaturan
from ekinerja.db.config import CONNECTION
from ekinerja.kepegawaian.calendar import WIB, today
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Jabatan,
    Keberatan,
    Penugasan,
    Skp,
    TenantSetting,
)
from ekinerja.penilaian.batas_keberatan import DAYS_SETTING
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of, same_row_in
from tests.support.org import Org
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import SET_PREDIKAT, TETAPKAN, build_bidang, fix, submit_and_rate

ATAS, SESUAI, BAWAH = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"

KEBERATAN = """id evaluasiId status alasan lampiran { nama tautan } permintaanPenjelasan
  penjelasanPenilai penjelasanPegawai hasil ratingHasilKerjaBaru ratingPerilakuBaru
  catatanKeputusan diputusPada"""
RESULT = (
    f"__typename ... on Keberatan {{ {KEBERATAN} }} ... on MutationError {{ code field message }}"
)
AJUKAN = f"""mutation($id: ID!, $alasan: String!, $lampiran: [LampiranInput!]) {{
  ajukanKeberatan(evaluasiId: $id, alasan: $alasan, lampiran: $lampiran) {{
  {RESULT} }} }}"""
MINTA = f"""mutation($id: ID!, $teks: String!) {{
  mintaPenjelasanKeberatan(keberatanId: $id, permintaan: $teks) {{
  {RESULT} }} }}"""
BERI = f"""mutation($id: ID!, $teks: String!) {{
  beriPenjelasanKeberatan(keberatanId: $id, penjelasan: $teks) {{
  {RESULT} }} }}"""
PUTUSKAN = f"""mutation($id: ID!, $hasil: HasilKeberatan!, $catatan: String!, $hk: Rating,
  $pk: Rating) {{
  putuskanKeberatan(keberatanId: $id, hasil: $hasil, catatan: $catatan, ratingHasilKerja: $hk,
    ratingPerilaku: $pk) {{
  {RESULT} }} }}"""
EVALUASI = f"""query($skp: ID!, $periode: String!) {{ evaluasi(skpId: $skp, periode: $periode) {{
  id status ratingHasilKerja ratingPerilaku predikat versiKunci final
  kesempatanKeberatan {{ tersedia alasan batas }} keberatan {{ {KEBERATAN} }}
  riwayat {{ aksi status ratingHasilKerja ratingPerilaku predikat catatan }} }} }}"""
QUEUE = "{ keberatanUntukDiputus { nodes { id evaluasiId status } } }"
RATE = """mutation($id: ID!, $v: Int!) {
  nilaiEvaluasi(evaluasiId: $id, versiDiharapkan: $v, ratingHasilKerja: DI_ATAS_EKSPEKTASI,
    ratingPerilaku: DI_ATAS_EKSPEKTASI) {
  __typename ... on MutationError { code } } }"""

LINKS = [
    {"nama": "Laporan triwulan", "tautan": "https://drive.example.go.id/laporan-t1.pdf"},
    {"nama": "Notulen rapat", "tautan": " http://arsip.example.go.id/notulen/12 "},
]


# --- helpers ----------------------------------------------------------------------------------


async def received(tenant, ids, days_ago: int, at: time = time(12)) -> None:
    """Pretend the evaluations were fixed ``days_ago`` days ago (WIB date), at ``at`` WIB."""
    moment = datetime.combine(today() - timedelta(days=days_ago), at, WIB)
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id__in=[row_of(i) for i in ids]).update(
            ditetapkan_pada=moment
        )


async def evaluasi(portal, bidang, person, periode="2026-T1", who=None) -> dict:
    skp = gid_of(portal.tenant, bidang.skp_of(person))
    body = await portal.as_(who or person, EVALUASI, skp=skp, periode=periode)
    assert "errors" not in body, body
    return body["data"]["evaluasi"]


async def ajukan(portal, person, evaluasi_id, alasan="Penilaian tidak sesuai bukti", **kw):
    body = await portal.as_(person, AJUKAN, id=evaluasi_id, alasan=alasan, **kw)
    return body["data"]["ajukanKeberatan"] if body.get("data") else body


def forbidden(body: dict) -> bool:
    return body.get("data") is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


# --- filing -----------------------------------------------------------------------------------


async def test_filing_on_day_14_with_reasons_and_links(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    me = bidang.analis[0]
    # 00:30 WIB fourteen days ago is still the previous day in UTC: the WIB date counts.
    await received(tenant, ids, 14, time(0, 30))
    open_ = await evaluasi(portal, bidang, me)
    assert open_["kesempatanKeberatan"] == {"tersedia": True, "alasan": None, "batas": day(0)}
    assert (open_["final"], open_["keberatan"]) == (False, None)

    no_reason = await ajukan(portal, me, ids[0], alasan="   ")
    assert (no_reason["code"], no_reason["field"]) == ("INVALID_INPUT", "alasan")
    bad_link = await ajukan(portal, me, ids[0], lampiran=[LINKS[0], {"nama": "x",
                            "tautan": "ftp://arsip/1"}])  # fmt: skip
    assert (bad_link["code"], bad_link["field"]) == ("INVALID_INPUT", "lampiran[2].tautan")
    unnamed = await ajukan(
        portal, me, ids[0], lampiran=[{"nama": " ", "tautan": LINKS[0]["tautan"]}]
    )
    assert (unnamed["code"], unnamed["field"]) == ("INVALID_INPUT", "lampiran[1].nama")

    filed = await ajukan(portal, me, ids[0], alasan="  Bukti dukung belum dipertimbangkan  ",
                         lampiran=LINKS)  # fmt: skip
    assert filed["__typename"] == "Keberatan", filed
    assert (filed["status"], filed["evaluasiId"]) == ("DIAJUKAN", ids[0])
    assert filed["alasan"] == "Bukti dukung belum dipertimbangkan"
    assert filed["lampiran"] == [
        LINKS[0],
        {"nama": "Notulen rapat", "tautan": "http://arsip.example.go.id/notulen/12"},
    ]
    seen = await evaluasi(portal, bidang, me)
    assert seen["keberatan"]["id"] == filed["id"]
    assert seen["kesempatanKeberatan"] == {
        "tersedia": False,
        "alasan": "a keberatan was already filed",
        "batas": day(0),
    }
    assert seen["final"] is False  # open until decided

    twice = await ajukan(portal, me, ids[0], alasan="Sekali lagi")
    assert twice["code"] == "KEBERATAN_CLOSED"
    # The database holds the line too, should two filings ever race past the check.
    async with tenant_transaction(as_bound(tenant)):
        first = await Keberatan.get(id=row_of(filed["id"]))
        with pytest.raises(IntegrityError):
            async with in_transaction(CONNECTION):
                await Keberatan.create(evaluasi_id=row_of(ids[0]), pegawai_id=first.pegawai_id,
                                       atasan_pegawai_id=first.atasan_pegawai_id,
                                       status="DIAJUKAN", alasan="Balapan")  # fmt: skip
    # The atasan pejabat penilai has it to decide; the penilai does not.
    queue = (await portal.as_(bidang.kabid, QUEUE))["data"]["keberatanUntukDiputus"]["nodes"]
    assert queue == [{"id": filed["id"], "evaluasiId": ids[0], "status": "DIAJUKAN"}]
    assert (await portal.as_(bidang.kasi, QUEUE))["data"]["keberatanUntukDiputus"]["nodes"] == []
    async with tenant_transaction(as_bound(tenant)):
        assert await Keberatan.filter(evaluasi_id=row_of(ids[0])).count() == 1


async def test_the_period_ends_after_day_14_unless_the_tenant_sets_more(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    first, second = bidang.analis
    await received(tenant, ids[:1], 15, time(23, 30))
    await received(tenant, ids[1:], 21)

    late = await evaluasi(portal, bidang, first)
    assert late["kesempatanKeberatan"] == {
        "tersedia": False,
        "alasan": f"the period for a keberatan ended on {day(-1)}",
        "batas": day(-1),
    }
    assert late["final"] is True
    refused = await ajukan(portal, first, ids[0])
    assert refused["code"] == "KEBERATAN_CLOSED" and day(-1) in refused["message"]

    async with tenant_transaction(as_bound(tenant)):
        setting = await TenantSetting.create(key=DAYS_SETTING, value=0)  # out of range: ignored
    pengaturan.lupakan(tenant.schema_name)  # written behind the service: as its watcher would
    assert (await ajukan(portal, first, ids[0]))["code"] == "KEBERATAN_CLOSED"
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.filter(id=setting.id).update(value=20)
    pengaturan.lupakan(tenant.schema_name)

    reopened = await evaluasi(portal, bidang, first)
    assert reopened["kesempatanKeberatan"] == {"tersedia": True, "alasan": None, "batas": day(5)}
    assert reopened["final"] is False
    assert (await ajukan(portal, first, ids[0]))["status"] == "DIAJUKAN"
    # Twenty days is the bound: fixed 21 days ago is closed even so.
    older = await evaluasi(portal, bidang, second)
    assert older["kesempatanKeberatan"]["batas"] == day(-1)
    assert (await ajukan(portal, second, ids[1]))["code"] == "KEBERATAN_CLOSED"


async def test_only_the_owner_files_and_only_once_the_result_is_fixed(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)] * 2)
    me, colleague = bidang.analis
    rated = await evaluasi(portal, bidang, me)
    assert rated["status"] == "DINILAI" and rated["final"] is False
    assert rated["kesempatanKeberatan"] == {
        "tersedia": False,
        "alasan": "the result is not fixed yet",
        "batas": None,
    }
    early = await ajukan(portal, me, ids[0])
    assert early["code"] == "NOT_FIXED" and "not fixed" in early["message"]

    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    assert forbidden(await ajukan(portal, colleague, ids[0]))
    assert forbidden(await ajukan(portal, bidang.rekan, ids[0]))
    # The penilai reaches the evaluation by policy, but it is not theirs to object to.
    by_penilai = await ajukan(portal, bidang.kasi, ids[0])
    assert (by_penilai["code"], by_penilai["field"]) == ("NOT_FOUND", "evaluasiId")
    by_atasan = await ajukan(portal, bidang.kabid, ids[0])
    assert by_atasan["code"] == "NOT_FOUND"
    async with tenant_transaction(as_bound(tenant)):
        assert not await Keberatan.exists()
    assert (await ajukan(portal, me, ids[0]))["status"] == "DIAJUKAN"


# --- examination and decision -----------------------------------------------------------------


async def test_only_the_atasan_examines_and_both_parties_explain_when_asked(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)])
    me = bidang.analis[0]
    filed = await ajukan(portal, me, ids[0])
    kid = filed["id"]

    for who in (bidang.kasi, me):
        asked = await portal.as_(who, MINTA, id=kid, teks="Jelaskan")
        assert asked["data"]["mintaPenjelasanKeberatan"]["code"] == "NOT_ATASAN_PENILAI"
        decided = await portal.as_(who, PUTUSKAN, id=kid, hasil="DITOLAK", catatan="Tetap")
        assert decided["data"]["putuskanKeberatan"]["code"] == "NOT_ATASAN_PENILAI"
    assert forbidden(await portal.as_(bidang.rekan, MINTA, id=kid, teks="Jelaskan"))
    assert forbidden(await portal.as_(bidang.rekan, PUTUSKAN, id=kid, hasil="DITOLAK",
                                      catatan="Tetap"))  # fmt: skip

    unasked = await portal.as_(me, BERI, id=kid, teks="Saya sudah melapor")
    assert unasked["data"]["beriPenjelasanKeberatan"]["code"] == "NOT_REQUESTED"

    asked = await portal.as_(bidang.kabid, MINTA, id=kid, teks="  Mohon penjelasan kedua pihak ")
    asked = asked["data"]["mintaPenjelasanKeberatan"]
    assert (asked["status"], asked["permintaanPenjelasan"]) == (
        "DIPERIKSA",
        "Mohon penjelasan kedua pihak",
    )
    assert forbidden(await portal.as_(bidang.rekan, BERI, id=kid, teks="Ikut menjelaskan"))
    by_atasan = await portal.as_(bidang.kabid, BERI, id=kid, teks="Saya menjelaskan")
    assert by_atasan["data"]["beriPenjelasanKeberatan"]["code"] == "NOT_A_PARTY"
    empty = await portal.as_(bidang.kasi, BERI, id=kid, teks=" ")
    assert empty["data"]["beriPenjelasanKeberatan"]["field"] == "penjelasan"

    penilai = await portal.as_(bidang.kasi, BERI, id=kid, teks="Target kuantitas belum tercapai")
    penilai = penilai["data"]["beriPenjelasanKeberatan"]
    assert penilai["penjelasanPenilai"] == "Target kuantitas belum tercapai"
    assert penilai["penjelasanPegawai"] is None
    pegawai = await portal.as_(me, BERI, id=kid, teks="Dokumen ketiga terlambat diunggah")
    pegawai = pegawai["data"]["beriPenjelasanKeberatan"]
    assert pegawai["penjelasanPegawai"] == "Dokumen ketiga terlambat diunggah"
    assert pegawai["penjelasanPenilai"] == "Target kuantitas belum tercapai"
    assert pegawai["status"] == "DIPERIKSA"
    seen = (await evaluasi(portal, bidang, me))["keberatan"]
    assert (seen["penjelasanPenilai"], seen["penjelasanPegawai"]) == (
        "Target kuantitas belum tercapai",
        "Dokumen ketiga terlambat diunggah",
    )


async def test_diubah_sets_new_ratings_and_keeps_the_original_in_the_history(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)])
    me = bidang.analis[0]
    kid = (await ajukan(portal, me, ids[0]))["id"]
    await portal.as_(bidang.kabid, MINTA, id=kid, teks="Jelaskan")

    async def decide(**kw):
        body = await portal.as_(bidang.kabid, PUTUSKAN, id=kid, **kw)
        return body["data"]["putuskanKeberatan"]

    one = await decide(hasil="DIUBAH", catatan="Diubah", hk=ATAS)
    assert (one["code"], one["field"]) == ("INVALID_INPUT", "ratingHasilKerja")
    same = await decide(hasil="DIUBAH", catatan="Diubah", hk=SESUAI, pk=SESUAI)
    assert (same["code"], same["field"]) == ("INVALID_INPUT", "ratingHasilKerja")
    rejected_with = await decide(hasil="DITOLAK", catatan="Ditolak", hk=ATAS, pk=ATAS)
    assert (rejected_with["code"], rejected_with["field"]) == ("INVALID_INPUT", "hasil")
    silent = await decide(hasil="DIUBAH", catatan=" ", hk=ATAS, pk=ATAS)
    assert (silent["code"], silent["field"]) == ("INVALID_INPUT", "catatan")
    untouched = await evaluasi(portal, bidang, me)
    assert (untouched["predikat"], untouched["keberatan"]["status"]) == ("BAIK", "DIPERIKSA")

    done = await decide(hasil="DIUBAH", catatan="Bukti dukung lengkap", hk=ATAS, pk=ATAS)
    assert (done["status"], done["hasil"]) == ("FINAL", "DIUBAH")
    assert (done["ratingHasilKerjaBaru"], done["ratingPerilakuBaru"]) == (ATAS, ATAS)
    assert done["catatanKeputusan"] == "Bukti dukung lengkap" and done["diputusPada"]

    changed = await evaluasi(portal, bidang, me)
    assert (changed["status"], changed["predikat"]) == ("DITETAPKAN", "SANGAT_BAIK")
    assert (changed["ratingHasilKerja"], changed["ratingPerilaku"]) == (ATAS, ATAS)
    assert changed["final"] is True
    assert changed["kesempatanKeberatan"]["tersedia"] is False
    assert [(r["aksi"], r["predikat"]) for r in changed["riwayat"]] == [
        ("DIAJUKAN", None),
        ("DINILAI", "BAIK"),
        ("DITETAPKAN", "BAIK"),
        ("DIUBAH_KEBERATAN", "SANGAT_BAIK"),
    ]
    original = changed["riwayat"][1]
    assert (original["ratingHasilKerja"], original["ratingPerilaku"]) == (SESUAI, SESUAI)
    assert changed["riwayat"][-1]["catatan"] == "Bukti dukung lengkap"

    # Final and read-only: no more explaining, asking, deciding or re-rating.
    for who, query, kw in (
        (bidang.kabid, MINTA, {"teks": "Lagi"}),
        (bidang.kasi, BERI, {"teks": "Lagi"}),
        (me, BERI, {"teks": "Lagi"}),
        (bidang.kabid, PUTUSKAN, {"hasil": "DITOLAK", "catatan": "Lagi"}),
    ):
        body = await portal.as_(who, query, id=kid, **kw)
        assert next(iter(body["data"].values()))["code"] == "FINAL", body
    rerate = await portal.as_(bidang.kasi, RATE, id=ids[0], v=changed["versiKunci"])
    assert rerate["data"]["nilaiEvaluasi"]["code"] == "INVALID_TRANSITION"
    assert (await portal.as_(bidang.kabid, QUEUE))["data"]["keberatanUntukDiputus"]["nodes"] == []
    # T1 is not the year's last window: the annual result is not touched.
    assert await evaluasi(portal, bidang, me, "2026-THN") is None


async def test_ditolak_leaves_the_result_as_fixed(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    ids = await fix(portal, bidang, [(BAWAH, SESUAI)])
    me = bidang.analis[0]
    kid = (await ajukan(portal, me, ids[0]))["id"]
    before = await evaluasi(portal, bidang, me)

    # Deciding without asking for explanations first is allowed.
    done = await portal.as_(bidang.kabid, PUTUSKAN, id=kid, hasil="DITOLAK",
                            catatan="Penilaian sudah sesuai bukti")  # fmt: skip
    done = done["data"]["putuskanKeberatan"]
    assert (done["status"], done["hasil"]) == ("FINAL", "DITOLAK")
    assert (done["ratingHasilKerjaBaru"], done["ratingPerilakuBaru"]) == (None, None)

    after = await evaluasi(portal, bidang, me)
    assert after["predikat"] == before["predikat"] == "BUTUH_PERBAIKAN"
    assert (after["ratingHasilKerja"], after["ratingPerilaku"]) == (BAWAH, SESUAI)
    assert after["riwayat"] == before["riwayat"]
    assert after["versiKunci"] == before["versiKunci"]
    assert after["final"] is True
    again = await portal.as_(bidang.kabid, PUTUSKAN, id=kid, hasil="DIUBAH", catatan="Berubah",
                             hk=ATAS, pk=ATAS)  # fmt: skip
    assert again["data"]["putuskanKeberatan"]["code"] == "FINAL"
    assert (await evaluasi(portal, bidang, me))["predikat"] == "BUTUH_PERBAIKAN"


async def test_without_an_atasan_pejabat_penilai_the_result_is_final_when_fixed(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    alone, other = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=bidang.skp_of(alone).id).update(atasan_penilai_pegawai_id=None)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)

    seen = await evaluasi(portal, bidang, alone)
    assert seen["final"] is True
    assert seen["kesempatanKeberatan"]["tersedia"] is False
    assert seen["kesempatanKeberatan"]["batas"] is None
    assert "no atasan pejabat penilai" in seen["kesempatanKeberatan"]["alasan"]
    refused = await ajukan(portal, alone, ids[0])
    assert (refused["code"], refused["field"]) == ("NO_ATASAN", "evaluasiId")
    # The colleague with an atasan is still inside the period.
    theirs = await evaluasi(portal, bidang, other)
    assert (theirs["final"], theirs["kesempatanKeberatan"]["tersedia"]) == (False, True)


async def test_a_changed_last_window_changes_the_annual_result(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)], periode="2026-T4")
    me = bidang.analis[0]
    annual = await evaluasi(portal, bidang, me, "2026-THN")
    assert (annual["status"], annual["predikat"]) == ("DITETAPKAN", "BAIK")
    # The annual record is a copy: a keberatan goes against the window, never the copy (two
    # decisions on one result would let them diverge), and the copy is final when T4 is.
    assert annual["kesempatanKeberatan"]["tersedia"] is False
    assert "last window" in annual["kesempatanKeberatan"]["alasan"]
    assert annual["final"] is False
    on_copy = await ajukan(portal, me, annual["id"])
    assert (on_copy["code"], on_copy["field"]) == ("ANNUAL_FROM_LAST_PERIOD", "evaluasiId")

    kid = (await ajukan(portal, me, ids[0]))["id"]
    assert (await evaluasi(portal, bidang, me, "2026-THN"))["final"] is False
    done = await portal.as_(bidang.kabid, PUTUSKAN, id=kid, hasil="DIUBAH", catatan="Diubah",
                            hk=ATAS, pk=ATAS)  # fmt: skip
    assert done["data"]["putuskanKeberatan"]["status"] == "FINAL"

    window = await evaluasi(portal, bidang, me, "2026-T4")
    assert (window["predikat"], window["riwayat"][-1]["aksi"]) == (
        "SANGAT_BAIK",
        "DIUBAH_KEBERATAN",
    )
    annual = await evaluasi(portal, bidang, me, "2026-THN")
    assert (annual["status"], annual["predikat"]) == ("DITETAPKAN", "SANGAT_BAIK")
    assert (annual["ratingHasilKerja"], annual["ratingPerilaku"]) == (ATAS, ATAS)
    assert [(r["aksi"], r["predikat"]) for r in annual["riwayat"]] == [
        ("DARI_PERIODE_TERAKHIR", "BAIK"),
        ("DARI_PERIODE_TERAKHIR", "SANGAT_BAIK"),
    ]
    assert (window["final"], annual["final"], annual["keberatan"]) == (True, True, None)


# --- tenant isolation -------------------------------------------------------------------------


async def test_tenant_b_cannot_file_or_decide_against_tenant_a(portal, tenant, other_tenant, idp):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    filed = await ajukan(portal, bidang.analis[0], ids[0])
    other = await build_bidang(other_tenant, analis=1, tag=" B")
    async with tenant_transaction(as_bound(other_tenant)):
        assert not await EvaluasiPeriodik.exists()  # none of A's ids exists in B
        assert not await Keberatan.exists()
    b = Portal(portal.api, idp, other_tenant)

    # A's numbers in B (A's own ids are refused as another instansi's: test_global_ids).
    assert forbidden(await ajukan(b, other.analis[0], same_row_in(b.tenant, ids[1])))
    assert forbidden(
        await b.as_(other.kabid, MINTA, id=same_row_in(b.tenant, filed["id"]), teks="Jelaskan")
    )
    assert forbidden(
        await b.as_(other.analis[0], BERI, id=same_row_in(b.tenant, filed["id"]), teks="Penjelasan")
    )
    assert forbidden(await b.as_(other.kabid, PUTUSKAN, id=same_row_in(b.tenant, filed["id"]),
                                 hasil="DIUBAH",
                                 catatan="Diubah", hk=ATAS, pk=ATAS))  # fmt: skip
    assert (await b.as_(other.kabid, QUEUE))["data"]["keberatanUntukDiputus"]["nodes"] == []

    mine = await evaluasi(portal, bidang, bidang.analis[0])
    assert (mine["predikat"], mine["keberatan"]["status"]) == ("BAIK", "DIAJUKAN")
    assert (await evaluasi(portal, bidang, bidang.analis[1]))["keberatan"] is None


async def test_the_recorded_atasan_decides_after_a_transfer_and_a_successor_does_not(
    portal, tenant
):
    bidang = await build_bidang(tenant, analis=1)
    ids = await fix(portal, bidang, [(BAWAH, SESUAI)])
    me = bidang.analis[0]
    kid = (await ajukan(portal, me, ids[0]))["id"]
    # The kabid moves to another unit today; a new kabid takes the seat.
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        await Penugasan.filter(pegawai_id=bidang.kabid.id).update(
            berlaku_sampai=today() - timedelta(days=1)
        )
        elsewhere = await org.unit("Inspektorat")
        await org.assign(bidang.kabid, await org.jabatan("Inspektur Pembantu", elsewhere,
                                                         head=True), since=today())  # fmt: skip
        seat = await Jabatan.get(unit_id=bidang.bidang.id, kepala_unit=True)
        successor = await org.pegawai("Kabid Baru", seat, since=today())
    refused = await portal.as_(successor, PUTUSKAN, id=kid, hasil="DITOLAK", catatan="Sesuai")
    assert refused["data"]["putuskanKeberatan"]["code"] == "NOT_FOUND"  # not a party to it
    done = await portal.as_(bidang.kabid, PUTUSKAN, id=kid, hasil="DITOLAK", catatan="Sesuai")
    assert done["data"]["putuskanKeberatan"]["status"] == "FINAL", done


async def test_an_announced_result_reads_final_through_graphql_with_a_pending_keberatan(
    portal, tenant
):
    # `EvaluasiPeriodik.final` once checked the keberatan before the announcement and said
    # "not final" where the batch rule (and the outbox) said final: `penilaian.finalitas` now
    # answers for both, an announcement first (it is never taken back).
    bidang = await build_bidang(tenant, analis=1)
    [evaluasi_id] = await fix(portal, bidang, [(SESUAI, SESUAI)])
    me = bidang.analis[0]
    assert (await ajukan(portal, me, evaluasi_id))["status"] == "DIAJUKAN"
    assert (await evaluasi(portal, bidang, me))["final"] is False  # pending: not final
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id=row_of(evaluasi_id)).update(
            final_diumumkan_pada=datetime.now(WIB)
        )
    assert (await evaluasi(portal, bidang, me))["final"] is True
