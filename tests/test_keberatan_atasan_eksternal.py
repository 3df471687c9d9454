"""A keberatan heard by an atasan pejabat penilai outside the system (issue 15, defect 5;
decision 0023): the Kepala Dinas's penilai is the Sekda, whose own penilai, the Bupati, is no
pegawai. The result may be objected to (it was final at once: NO_ATASAN); an admin instansi
records the Bupati's request for explanations and signed decision, through the same steps as
an internal atasan's (history, audit rows with the document, events); only with no atasan at
all is the result final as fixed. Refused for an internal atasan, for anyone but an admin
instansi, and across tenants."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import today
from ekinerja.kepegawaian.enums import JenisJabatan
from ekinerja.models.tenant import AuditEvent, Keberatan, OutboxEvent, Skp
from ekinerja.skp.enums import PendekatanSkp
from ekinerja.skp.lifecycle import Caller, NewSkp, create_skp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import row_of, same_row_in
from tests.support.org import Org
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import build_bidang, fix
from tests.test_penilaian_keberatan import (
    BERI,
    KEBERATAN,
    PUTUSKAN,
    QUEUE,
    ajukan,
    evaluasi,
    forbidden,
)

SESUAI, ATAS = "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"
BUPATI = {
    "status": "NON_ASN",
    "pegawaiId": None,
    "nama": "H. Rahmat Hidayat",
    "nip": None,
    "golongan": None,
    "pangkat": None,
    "jabatan": "Bupati Contoh",
    "unit": None,
}
RESULT = (
    f"__typename ... on Keberatan {{ {KEBERATAN} }} ... on MutationError {{ code field message }}"
)
CATAT_MINTA = f"""mutation($id: ID!, $dokumen: DokumenEksternalInput!) {{
  catatPermintaanPenjelasanKeberatanEksternal(keberatanId: $id, dokumen: $dokumen,
    permintaan: "Penilai dan pegawai diminta menjelaskan capaian T1") {{ {RESULT} }} }}"""
CATAT_PUTUSAN = f"""mutation($id: ID!, $hasil: HasilKeberatan!, $dokumen: DokumenEksternalInput!,
  $hk: Rating, $pk: Rating) {{
  catatPutusanKeberatanEksternal(keberatanId: $id, hasil: $hasil, dokumen: $dokumen,
    catatan: "Bukti dukung menunjukkan capaian di atas target", ratingHasilKerja: $hk,
    ratingPerilaku: $pk) {{ {RESULT} }} }}"""
ANTRIAN = "{ keberatanAtasanEksternal { nodes { id evaluasiId status } } }"


def _dokumen(**change) -> dict:
    return {
        "nomor": "800/77/BUP/2026",
        "tanggal": today().isoformat(),
        "namaPejabat": "H. Rahmat Hidayat",
        "jabatanPejabat": "Bupati Contoh",
        "tautanBukti": "https://arsip.example.go.id/keberatan-77.pdf",
    } | change


async def _bidang_under_the_bupati(tenant, analis: int = 2):
    """A bidang whose first analis's atasan pejabat penilai is the Bupati (outside the system)
    and whose second has none at all."""
    bidang = await build_bidang(tenant, analis=analis)
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=bidang.skp_of(bidang.analis[0]).id).update(
            atasan_penilai_pegawai_id=None, snapshot_atasan_penilai=BUPATI
        )
        await Skp.filter(id=bidang.skp_of(bidang.analis[1]).id).update(
            atasan_penilai_pegawai_id=None, snapshot_atasan_penilai=None
        )
    return bidang


@pytest.fixture
async def bidang(tenant):
    return await _bidang_under_the_bupati(tenant)


async def _admin(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        return await org.pegawai(
            "Admin", await org.jabatan("Pranata SDM", await org.unit("BKPSDM"))
        )


def _data(body: dict, name: str) -> dict:
    assert body.get("data"), body
    found = body["data"][name]
    return found["nodes"] if isinstance(found, dict) and "nodes" in found else found


async def test_the_bupati_hears_the_keberatan_through_the_admin(portal, tenant, bidang):
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    me, admin = bidang.analis[0], await _admin(tenant)

    # An atasan outside the system: the result can be objected to, so it is not final yet.
    open_ = await evaluasi(portal, bidang, me)
    assert open_["kesempatanKeberatan"]["tersedia"] is True, open_
    assert open_["final"] is False
    filed = await ajukan(portal, me, ids[0])
    assert filed["status"] == "DIAJUKAN", filed
    async with tenant_transaction(as_bound(tenant)):
        stored = await Keberatan.get(id=row_of(filed["id"]))
    assert stored.atasan_pegawai_id is None  # no pegawai hears it: the Bupati does

    # It waits in the admin's list, not in any pegawai's queue.
    waiting = _data(
        await portal.as_(admin, ANTRIAN, Role.ADMIN_INSTANSI), "keberatanAtasanEksternal"
    )
    assert [k["id"] for k in waiting] == [filed["id"]]
    assert _data(await portal.as_(bidang.kabid, QUEUE), "keberatanUntukDiputus") == []

    # The Bupati's letter asks both sides; they explain in the system.
    asked = _data(await portal.as_(admin, CATAT_MINTA, Role.ADMIN_INSTANSI, id=filed["id"],
                                   dokumen=_dokumen()),
                  "catatPermintaanPenjelasanKeberatanEksternal")  # fmt: skip
    assert asked["status"] == "DIPERIKSA", asked
    for who in (me, bidang.kasi):
        told = await portal.as_(who, BERI, id=filed["id"], teks="Penjelasan terlampir")
        assert _data(told, "beriPenjelasanKeberatan")["__typename"] == "Keberatan", told

    decided = _data(await portal.as_(admin, CATAT_PUTUSAN, Role.ADMIN_INSTANSI, id=filed["id"],
                                     hasil="DIUBAH", hk=ATAS, pk=SESUAI,
                                     dokumen=_dokumen(nomor="800/78/BUP/2026")),
                    "catatPutusanKeberatanEksternal")  # fmt: skip
    assert (decided["status"], decided["hasil"]) == ("FINAL", "DIUBAH"), decided
    after = await evaluasi(portal, bidang, me)
    assert (after["ratingHasilKerja"], after["predikat"], after["final"]) == (
        ATAS, "BAIK", True
    )  # fmt: skip
    assert after["riwayat"][-1]["aksi"] == "DIUBAH_KEBERATAN"

    # The same audit rows and events as an internal atasan's, with the Bupati's documents.
    async with tenant_transaction(as_bound(tenant)):
        rows = {
            a.action: a
            for a in await AuditEvent.filter(
                action__in=["keberatan.minta_penjelasan", "keberatan.putuskan",
                            "evaluasi.diubah_keberatan"]
            )
        }  # fmt: skip
        events = await OutboxEvent.filter(jenis="keberatan.diputus").count()
    assert rows["keberatan.minta_penjelasan"].detail["penilai_eksternal"]["nomor"] == (
        "800/77/BUP/2026"
    )
    assert rows["keberatan.putuskan"].actor == admin.nip
    assert rows["keberatan.putuskan"].detail["penilai_eksternal"]["nomor"] == "800/78/BUP/2026"
    assert rows["evaluasi.diubah_keberatan"].detail["penilai_eksternal"]["nama"] == (
        "H. Rahmat Hidayat"
    )
    assert events == 1
    assert _data(await portal.as_(admin, ANTRIAN, Role.ADMIN_INSTANSI),
                 "keberatanAtasanEksternal") == []  # fmt: skip


async def test_with_no_atasan_at_all_the_result_is_final_as_fixed(portal, tenant, bidang):
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    alone = bidang.analis[1]
    found = await evaluasi(portal, bidang, alone)
    assert found["final"] is True
    assert found["kesempatanKeberatan"]["tersedia"] is False
    refused = await ajukan(portal, alone, ids[1])
    assert (refused["code"], refused["field"]) == ("NO_ATASAN", "evaluasiId"), refused


async def test_only_the_admin_records_and_only_for_an_external_atasan(portal, tenant):
    bidang = await _bidang_under_the_bupati(tenant, analis=3)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 3)
    admin = await _admin(tenant)
    external = (await ajukan(portal, bidang.analis[0], ids[0]))["id"]
    internal = (await ajukan(portal, bidang.analis[2], ids[2]))["id"]  # the kabid hears it

    # The kabid, a pegawai, cannot decide the Bupati's keberatan, nor can the pegawai record.
    by_kabid = await portal.as_(bidang.kabid, PUTUSKAN, id=external, hasil="DITOLAK",
                                catatan="Ditolak")  # fmt: skip
    assert forbidden(by_kabid) or by_kabid["data"]["putuskanKeberatan"]["code"] == "NOT_FOUND"
    for who in (bidang.analis[0], bidang.kasi, bidang.kabid):
        body = await portal.as_(who, CATAT_PUTUSAN, id=external, hasil="DITOLAK",
                                dokumen=_dokumen())  # fmt: skip
        assert forbidden(body), body
        assert forbidden(await portal.as_(who, ANTRIAN)), who

    # An internal atasan is never bypassed.
    bypass = _data(await portal.as_(admin, CATAT_PUTUSAN, Role.ADMIN_INSTANSI, id=internal,
                                    hasil="DITOLAK", dokumen=_dokumen()),
                   "catatPutusanKeberatanEksternal")  # fmt: skip
    assert (bypass["code"], bypass["field"]) == ("ATASAN_INTERNAL", "keberatanId"), bypass

    # The document: not before the result was fixed, not in the future, every field checked.
    for change, field in (
        ({"tanggal": (today() - timedelta(days=1)).isoformat()}, "dokumen.tanggal"),
        ({"tanggal": (today() + timedelta(days=1)).isoformat()}, "dokumen.tanggal"),
        ({"nomor": " "}, "dokumen.nomor"),
    ):
        body = _data(await portal.as_(admin, CATAT_PUTUSAN, Role.ADMIN_INSTANSI, id=external,
                                      hasil="DITOLAK", dokumen=_dokumen(**change)),
                     "catatPutusanKeberatanEksternal")  # fmt: skip
        assert (body["code"], body["field"]) == ("INVALID_INPUT", field), body
    # A rejection changes no rating.
    body = _data(await portal.as_(admin, CATAT_PUTUSAN, Role.ADMIN_INSTANSI, id=external,
                                  hasil="DITOLAK", hk=ATAS, pk=ATAS, dokumen=_dokumen()),
                 "catatPutusanKeberatanEksternal")  # fmt: skip
    assert (body["code"], body["field"]) == ("INVALID_INPUT", "hasil"), body
    async with tenant_transaction(as_bound(tenant)):
        assert {k.status.value for k in await Keberatan.all()} == {"DIAJUKAN"}


async def test_an_admin_of_another_instansi_cannot_see_or_decide(
    portal, tenant, other_tenant, bidang
):
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    ours = (await ajukan(portal, bidang.analis[0], ids[0]))["id"]
    theirs_admin = await _admin(other_tenant)
    other = Portal(portal.api, portal.idp, other_tenant)
    # In their instansi our id names nothing; their list is empty.
    # (Our number in their instansi; our own id is refused as another instansi's there.)
    body = _data(await other.as_(theirs_admin, CATAT_PUTUSAN, Role.ADMIN_INSTANSI,
                                 id=same_row_in(other.tenant, ours),
                                 hasil="DITOLAK", dokumen=_dokumen()),
                 "catatPutusanKeberatanEksternal")  # fmt: skip
    assert body["code"] == "NOT_FOUND", body
    assert _data(await other.as_(theirs_admin, ANTRIAN, Role.ADMIN_INSTANSI),
                 "keberatanAtasanEksternal") == []  # fmt: skip
    # Bound to our instansi by X-Instansi, they are refused outright.
    crossing = await portal.as_(theirs_admin, CATAT_PUTUSAN, Role.ADMIN_INSTANSI, id=ours,
                                hasil="DITOLAK", dokumen=_dokumen())  # fmt: skip
    assert crossing.get("data") is None and crossing["errors"], crossing
    async with tenant_transaction(as_bound(tenant)):
        assert (await Keberatan.get(id=row_of(ours))).status.value == "DIAJUKAN"


async def test_the_kadis_under_the_sekda_snapshots_the_bupati_as_atasan(tenant):
    """Superior resolution names the Bupati as the Kadis's atasan pejabat penilai: the case
    this path exists for, from the org chart rather than a written snapshot."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        setda = await org.unit("Sekretariat Daerah")
        dinas = await org.unit("Dinas Pendidikan", setda)
        sekda = await org.pegawai("Sekda", await org.jabatan(
            "Sekretaris Daerah", setda, head=True, jenis=JenisJabatan.JPT_MADYA,
            penilai_eksternal_nama="H. Rahmat Hidayat",
            penilai_eksternal_jabatan="Bupati Contoh",
        ))  # fmt: skip
        kadis = await org.pegawai("Kadis", await org.jabatan(
            "Kepala Dinas", dinas, head=True, jenis=JenisJabatan.JPT_PRATAMA
        ))  # fmt: skip
        skp = await create_skp(Caller(kadis.id, kadis.nip), NewSkp(2026, PendekatanSkp.KUANTITATIF))
    assert skp.penilai_pegawai_id == sekda.id
    assert skp.atasan_penilai_pegawai_id is None
    assert skp.snapshot_atasan_penilai["status"] == "NON_ASN"
    assert skp.snapshot_atasan_penilai["nama"] == "H. Rahmat Hidayat"
