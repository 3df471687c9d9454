"""Ending an SKP early (issue 15, seams of the year: a transfer, a retirement). `akhiriSkp` by
the pegawai or an admin instansi moves its last day, audited and announced (`skp.diakhiri`);
the windows after it no longer exist. Refused when anything is recorded after the new end, for
a date outside the SKP, without a reason, for a colleague, and across tenants. Creating an SKP
for a new post ends the old one the day before; the same post still overlaps."""

from __future__ import annotations

from datetime import date, time

import pytest

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.enums import JenisPenugasan
from ekinerja.models.tenant import (
    AuditEvent,
    OutboxEvent,
    Penugasan,
    ProgresHarian,
    RencanaAksi,
    Rhk,
    Skp,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import SUBMIT, build_bidang

AKHIRI = """mutation($id: ID!, $v: Int!, $tanggal: Date!, $alasan: String!) {
  akhiriSkp(skpId: $id, versiDiharapkan: $v, tanggalAkhir: $tanggal, alasan: $alasan) {
  __typename ... on SkpDiubah { skp { id periodeAwal periodeAkhir versiKunci } }
  ... on MutationError { code field message } } }"""
CREATE = """mutation($input: BuatSkpInput!) { buatSkp(input: $input) {
  __typename ... on SkpDiubah { skp { id periodeAwal periodeAkhir } }
  ... on MutationError { code field message } } }"""
WINDOW = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  awal akhir } }"""


@pytest.fixture
async def bidang(tenant):
    return await build_bidang(tenant, analis=2)


async def _skp(tenant, skp_id: int) -> Skp:
    async with tenant_transaction(as_bound(tenant)):
        return await Skp.get(id=skp_id)


async def _akhiri(portal, who, skp: Skp, tanggal: str, *roles, alasan="Pensiun") -> dict:
    body = await portal.as_(who, AKHIRI, *roles, id=gid_of(portal.tenant, skp), v=skp.lock_version,
                            tanggal=tanggal, alasan=alasan)  # fmt: skip
    return body["data"]["akhiriSkp"] if body.get("data") else body


async def test_a_retirement_ends_the_skp_on_its_day(portal, tenant, bidang):
    me = bidang.analis[0]
    skp = bidang.skp_of(me)
    ended = await _akhiri(portal, me, skp, "2026-03-15")
    assert ended["__typename"] == "SkpDiubah", ended
    assert (ended["skp"]["periodeAwal"], ended["skp"]["periodeAkhir"]) == (
        "2026-01-01", "2026-03-15")  # fmt: skip
    # The window it ends in is clipped; the ones after it no longer exist.
    first = await portal.as_(me, WINDOW, skp=gid_of(portal.tenant, skp), periode="2026-T1")
    assert first["data"]["pelaksanaan"] == {"awal": "2026-01-01", "akhir": "2026-03-15"}
    after = await portal.as_(me, WINDOW, skp=gid_of(portal.tenant, skp), periode="2026-T2")
    assert after["errors"][0]["extensions"]["code"] == "PERIOD_OUTSIDE_SKP", after
    async with tenant_transaction(as_bound(tenant)):
        audit = await AuditEvent.get(action="skp.end", entity_id=str(skp.id))
        event = await OutboxEvent.get(jenis="skp.diakhiri", entitas_id=skp.id)
    assert (audit.detail["sebelum"], audit.detail["sesudah"], audit.detail["alasan"]) == (
        "2026-12-31", "2026-03-15", "Pensiun")  # fmt: skip
    assert event.data["periodeAkhir"] == "2026-03-15"


async def test_nothing_recorded_after_the_new_end_is_lost(portal, tenant, bidang):
    me, other = bidang.analis
    # An evaluation of T2 was submitted: the SKP cannot end in T1.
    submitted = await portal.as_(
        me, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(me)), periode="2026-T2"
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan"
    skp = await _skp(tenant, bidang.skp_of(me).id)
    refused = await _akhiri(portal, me, skp, "2026-03-31")
    assert (refused["code"], refused["field"]) == ("EVALUATION_AFTER_END", "tanggalAkhir")
    assert "2026-T2" in refused["message"]
    # Progres logged on 20 March: not before it.
    theirs = bidang.skp_of(other)
    async with tenant_transaction(as_bound(tenant)):
        rhk, ra = await _a_rencana_aksi(theirs)
        await ProgresHarian.create(rencana_aksi_id=ra, skp_id=theirs.id, pegawai_id=other.id,
                                   periode="2026-T1", tanggal=date(2026, 3, 20),
                                   jam_mulai=time(8), jam_selesai=time(9), kegiatan="Rapat",
                                   realisasi=1, satuan="Dokumen")  # fmt: skip
    refused = await _akhiri(portal, other, theirs, "2026-03-15")
    assert (refused["code"], refused["field"]) == ("PROGRES_AFTER_END", "tanggalAkhir")
    for tanggal, field in (("2025-12-31", "tanggalAkhir"), ("2026-12-31", "tanggalAkhir")):
        bad = await _akhiri(portal, other, theirs, tanggal)
        assert (bad["code"], bad["field"]) == ("INVALID_INPUT", field), bad
    no_reason = await _akhiri(portal, other, theirs, "2026-06-30", alasan="  ")
    assert (no_reason["code"], no_reason["field"]) == ("INVALID_INPUT", "alasan")
    assert (await _skp(tenant, theirs.id)).periode_akhir == date(2026, 12, 31)


async def _a_rencana_aksi(skp: Skp) -> tuple[int, int]:
    rhk = await Rhk.create(skp_id=skp.id, teks="Laporan")
    ra = await RencanaAksi.create(rhk_id=rhk.id, periode="2026-T1", teks="Menyusun laporan")
    return rhk.id, ra.id


async def test_an_admin_ends_it_a_colleague_cannot_nor_another_instansi(
    portal, tenant, other_tenant, bidang
):
    me = bidang.analis[0]
    skp = bidang.skp_of(me)
    assert (await _akhiri(portal, bidang.rekan, skp, "2026-06-30"))["errors"][0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    async with tenant_transaction(as_bound(other_tenant)):
        org = Org()
        theirs = await org.pegawai("Admin B", await org.jabatan("Pranata", await org.unit("B")))
    other = Portal(portal.api, portal.idp, other_tenant)
    unknown = await _akhiri(other, theirs, skp, "2026-06-30", Role.ADMIN_INSTANSI)
    assert unknown["code"] == "NOT_FOUND", unknown
    assert (await _skp(tenant, skp.id)).periode_akhir == date(2026, 12, 31)

    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        admin = await org.pegawai("Admin", await org.jabatan("Pranata SDM", bidang.bidang))
    done = await _akhiri(portal, admin, skp, "2026-06-30", Role.ADMIN_INSTANSI, alasan="Mutasi")
    assert done["skp"]["periodeAkhir"] == "2026-06-30", done


async def test_a_new_post_ends_the_old_skp_the_same_post_overlaps(portal, tenant, bidang):
    me, stays = bidang.analis
    # Same post, a start in July: refused, naming the way to end it.
    same = await portal.as_(stays, CREATE, input={"tahun": 2026, "pendekatan": "KUANTITATIF",
                                                   "periodeAwal": "2026-07-01"})  # fmt: skip
    refused = same["data"]["buatSkp"]
    assert (refused["code"], refused["field"]) == ("OVERLAPPING_SKP", "periodeAwal"), refused
    assert "akhiriSkp" in refused["message"]

    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        post = await org.jabatan("Analis Bidang Lain", await org.unit("Bidang Perencanaan"))
        await Penugasan.filter(pegawai_id=me.id).update(berlaku_sampai=date(2026, 7, 1))
        await org.assign(me, post, since=date(2026, 7, 1))
    moved = await portal.as_(me, CREATE, input={"tahun": 2026, "pendekatan": "KUANTITATIF",
                                                 "periodeAwal": "2026-07-01"})  # fmt: skip
    created = moved["data"]["buatSkp"]
    assert created["__typename"] == "SkpDiubah", moved
    assert created["skp"]["periodeAwal"] == "2026-07-01"
    old = await _skp(tenant, bidang.skp_of(me).id)
    assert old.periode_akhir == date(2026, 6, 30)
    async with tenant_transaction(as_bound(tenant)):
        audit = await AuditEvent.get(action="skp.end", entity_id=str(old.id))
    assert "2026-07-01" in audit.detail["alasan"]


async def test_a_window_already_evaluated_is_not_cut_short(portal, tenant, bidang):
    """The seam with assessment: T1 (January–March) was submitted on the full window; ending
    the SKP on 15 March would re-judge it on half a month less (its angka kredit too)."""
    me = bidang.analis[0]
    submitted = await portal.as_(
        me, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(me)), periode="2026-T1"
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan"
    skp = await _skp(tenant, bidang.skp_of(me).id)
    refused = await _akhiri(portal, me, skp, "2026-03-15")
    assert (refused["code"], refused["field"]) == ("EVALUATION_AFTER_END", "tanggalAkhir")
    assert "2026-T1" in refused["message"]
    # At its last day the window is whole: the SKP may end there.
    done = await _akhiri(portal, me, skp, "2026-03-31")
    assert done["skp"]["periodeAkhir"] == "2026-03-31", done


async def test_an_acting_post_is_no_new_plan(portal, tenant, bidang):
    """A Plt (acting) assignment is held beside one's own post: creating an SKP from its first
    day still overlaps, and the SKP in force is not ended."""
    me = bidang.analis[0]
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        acting = await org.jabatan("Plt Kepala Seksi Lain", await org.unit("Seksi Lain"))
        await org.assign(me, acting, since=date(2026, 7, 1), jenis=JenisPenugasan.PLT)
    body = await portal.as_(me, CREATE, input={"tahun": 2026, "pendekatan": "KUANTITATIF",
                                                "periodeAwal": "2026-07-01"})  # fmt: skip
    refused = body["data"]["buatSkp"]
    assert refused["code"] == "OVERLAPPING_SKP", refused
    assert (await _skp(tenant, bidang.skp_of(me).id)).periode_akhir == date(2026, 12, 31)
