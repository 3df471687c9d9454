"""The acts of a pejabat penilai outside the system (issue 15, defect 5), recorded by an admin
instansi with their signed document: the top official's SKP (the Sekda's penilai is the
Bupati) is approved or returned and its evaluations rated, through the same transitions as
an internal penilai's (audit rows, history, events). Refused where the penilai is a pegawai
of the instansi, for anyone but an admin instansi, and across tenants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.enums import JenisJabatan
from ekinerja.models.tenant import (
    AuditEvent,
    EvaluasiPeriodik,
    OutboxEvent,
    Pegawai,
    RiwayatEvaluasi,
    Skp,
)
from ekinerja.penilaian.enums import Rating
from ekinerja.penilaian.predikat import predikat
from ekinerja.skp.editing import IndikatorInput, RhkInput, save_rhk
from ekinerja.skp.enums import AspekIki, PendekatanSkp, StatusSkp
from ekinerja.skp.lifecycle import Caller, NewSkp, create_skp, submit
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of
from tests.support.org import Org
from tests.support.pelaksanaan import Portal, skp_for
from tests.support.penilaian import EVALUASI, SUBMIT

IKI = (IndikatorInput("Jumlah kebijakan", AspekIki.KUANTITAS, Decimal(2), None, "Dokumen"),)
DOKUMEN = {
    "nomor": "800/123/BUP/2026",
    "tanggal": "2026-02-02",
    "namaPejabat": "H. Rahmat Hidayat",
    "jabatanPejabat": "Bupati Contoh",
    "tautanBukti": "https://arsip.example.go.id/skp-sekda.pdf",
}
SKP_RESULT = """__typename ... on SkpDiubah { skp { id status versiKunci catatanPengembalian } }
  ... on MutationError { code field message }"""
SETUJUI = f"""mutation($skp: ID!, $v: Int!, $dokumen: DokumenEksternalInput!) {{
  catatPersetujuanSkpEksternal(skpId: $skp, versiDiharapkan: $v, dokumen: $dokumen,
    ekspektasi: [{{nilai: "AKUNTABEL", ekspektasi: "Laporan tepat waktu"}}]) {{
  {SKP_RESULT} }} }}"""
KEMBALIKAN = f"""mutation($skp: ID!, $v: Int!, $dokumen: DokumenEksternalInput!) {{
  catatPengembalianSkpEksternal(skpId: $skp, versiDiharapkan: $v, dokumen: $dokumen,
    catatan: "Tambahkan indikator kemiskinan") {{ {SKP_RESULT} }} }}"""
NILAI = """mutation($id: ID!, $v: Int!, $dokumen: DokumenEksternalInput!) {
  catatPenilaianEksternal(evaluasiId: $id, versiDiharapkan: $v, dokumen: $dokumen,
    ratingHasilKerja: DI_ATAS_EKSPEKTASI, ratingPerilaku: SESUAI_EKSPEKTASI,
    catatan: "Sesuai berita acara") {
  __typename ... on EvaluasiPeriodik { id status predikat versiKunci }
  ... on MutationError { code field message } } }"""


@dataclass
class Pemda:
    sekda: Pegawai
    kadis: Pegawai
    admin: Pegawai
    sekda_skp: Skp


async def _submitted_top_skp(org: Org, tag: str = "") -> tuple[Pegawai, Pegawai, Pegawai, Skp]:
    """The Sekda (penilai: the Bupati, outside the system) with a submitted SKP, a Kadis
    below them and an admin."""
    setda = await org.unit(f"Sekretariat Daerah{tag}")
    dinas = await org.unit(f"Dinas Pendidikan{tag}", setda)
    sekda = await org.pegawai("Sekda", await org.jabatan(
        "Sekretaris Daerah", setda, head=True, jenis=JenisJabatan.JPT_MADYA,
        penilai_eksternal_nama="H. Rahmat Hidayat", penilai_eksternal_jabatan="Bupati Contoh",
    ))  # fmt: skip
    kadis = await org.pegawai("Kadis", await org.jabatan(
        "Kepala Dinas", dinas, head=True, jenis=JenisJabatan.JPT_PRATAMA
    ))  # fmt: skip
    admin = await org.pegawai("Admin", await org.jabatan(f"Pranata Komputer{tag}", setda))
    me = Caller(sekda.id, sekda.nip)
    skp = await create_skp(me, NewSkp(2026, PendekatanSkp.KUANTITATIF))
    await save_rhk(skp.id, skp.lock_version, me, RhkInput("Kebijakan daerah terbit", indikator=IKI))
    skp = await submit(skp.id, (await Skp.get(id=skp.id)).lock_version, me)
    return sekda, kadis, admin, skp


@pytest.fixture
async def pemda(tenant) -> Pemda:
    async with tenant_transaction(as_bound(tenant)):
        return Pemda(*await _submitted_top_skp(Org()))


def _of(body: dict, name: str) -> dict:
    assert body.get("data"), body
    return body["data"][name]


async def _in(tenant, query):
    async with tenant_transaction(as_bound(tenant)):
        return await query()


async def test_the_top_officials_skp_is_approved_then_rated(portal, tenant, pemda):
    skp = pemda.sekda_skp
    assert (skp.status.value, skp.penilai_pegawai_id) == ("DIAJUKAN", None)
    assert skp.snapshot_penilai["status"] == "NON_ASN"

    approved = _of(await portal.as_(pemda.admin, SETUJUI, Role.ADMIN_INSTANSI,
                        skp=gid_of(portal.tenant, skp),
                                    v=skp.lock_version, dokumen=DOKUMEN),
                   "catatPersetujuanSkpEksternal")  # fmt: skip
    assert approved["__typename"] == "SkpDiubah", approved
    assert approved["skp"]["status"] == "DISETUJUI"

    # The same transition as an internal penilai's: its audit row (with the document) and event.
    audit = await _in(tenant, lambda: AuditEvent.get(action="skp.approve", entity_id=str(skp.id)))
    assert audit.actor == pemda.admin.nip  # the admin, on behalf of the Bupati
    assert audit.detail["penilai_eksternal"] == {
        "nomor": "800/123/BUP/2026",
        "tanggal": "2026-02-02",
        "nama": "H. Rahmat Hidayat",
        "jabatan": "Bupati Contoh",
        "tautan_bukti": "https://arsip.example.go.id/skp-sekda.pdf",
    }
    events = await _in(tenant, lambda: OutboxEvent.filter(jenis="skp.disetujui").values_list(
        "data", flat=True))  # fmt: skip
    assert [e["skpId"] for e in events] == [skp.id]

    # Executable: the Sekda submits a window, the admin records the Bupati's ratings.
    submitted = await portal.as_(
        pemda.sekda, SUBMIT, skp=gid_of(portal.tenant, skp), periode="2026-T1"
    )
    assert _of(submitted, "ajukanEvaluasiPeriodik")["__typename"] == "EvaluasiDiajukan", submitted
    found = _of(await portal.as_(pemda.sekda, EVALUASI, skp=gid_of(portal.tenant, skp),
                                 periode="2026-T1"),
                "evaluasi")  # fmt: skip
    rated = _of(await portal.as_(pemda.admin, NILAI, Role.ADMIN_INSTANSI, id=found["id"],
                                 v=found["versiKunci"], dokumen=DOKUMEN),
                "catatPenilaianEksternal")  # fmt: skip
    expected = predikat(Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI).value
    assert (rated["status"], rated["predikat"]) == ("DINILAI", expected), rated

    evaluasi = row_of(found["id"])
    history = await _in(tenant, lambda: RiwayatEvaluasi.get(evaluasi_id=evaluasi, aksi="DINILAI"))
    assert history.predikat.value == expected
    rated_audit = await _in(
        tenant, lambda: AuditEvent.get(action="evaluasi.dinilai", entity_id=str(evaluasi))
    )
    assert rated_audit.detail["penilai_eksternal"]["nomor"] == "800/123/BUP/2026"
    assert rated_audit.detail["predikat"] == expected
    stored = await _in(tenant, lambda: EvaluasiPeriodik.get(id=evaluasi))
    assert stored.penilai_pegawai_id is None


async def test_the_external_penilai_returns_the_skp(portal, tenant, pemda):
    skp = pemda.sekda_skp
    returned = _of(await portal.as_(pemda.admin, KEMBALIKAN, Role.ADMIN_INSTANSI,
                                    skp=gid_of(portal.tenant, skp), v=skp.lock_version,
                                    dokumen=DOKUMEN),
                   "catatPengembalianSkpEksternal")  # fmt: skip
    assert returned["skp"]["status"] == "DRAFT", returned
    assert returned["skp"]["catatanPengembalian"] == "Tambahkan indikator kemiskinan"
    audit = await _in(tenant, lambda: AuditEvent.get(action="skp.return", entity_id=str(skp.id)))
    assert audit.detail["penilai_eksternal"]["nama"] == "H. Rahmat Hidayat"


async def test_an_internal_penilai_is_never_bypassed(portal, tenant, pemda):
    # The Kadis's penilai is the Sekda, a pegawai of the instansi.
    async with tenant_transaction(as_bound(tenant)):
        me = Caller(pemda.kadis.id, pemda.kadis.nip)
        skp = await create_skp(me, NewSkp(2026, PendekatanSkp.KUANTITATIF))
        await save_rhk(skp.id, skp.lock_version, me, RhkInput("Sekolah terakreditasi",
                                                               indikator=IKI))  # fmt: skip
        skp = await submit(skp.id, (await Skp.get(id=skp.id)).lock_version, me)
        assert skp.penilai_pegawai_id == pemda.sekda.id
        rated_skp = await skp_for(pemda.admin, pemda.sekda)
    refused = _of(await portal.as_(pemda.admin, SETUJUI, Role.ADMIN_INSTANSI,
                        skp=gid_of(portal.tenant, skp),
                                   v=skp.lock_version, dokumen=DOKUMEN),
                  "catatPersetujuanSkpEksternal")  # fmt: skip
    assert (refused["code"], refused["field"]) == ("PENILAI_INTERNAL", "skpId"), refused
    assert "Sekda" in refused["message"]

    submitted = await portal.as_(
        pemda.admin, SUBMIT, skp=gid_of(portal.tenant, rated_skp), periode="2026-T1"
    )
    assert _of(submitted, "ajukanEvaluasiPeriodik")["__typename"] == "EvaluasiDiajukan", submitted
    found = _of(await portal.as_(pemda.admin, EVALUASI,
                        skp=gid_of(portal.tenant, rated_skp),
                                 periode="2026-T1"), "evaluasi")  # fmt: skip
    not_rated = _of(await portal.as_(pemda.admin, NILAI, Role.ADMIN_INSTANSI, id=found["id"],
                                     v=found["versiKunci"], dokumen=DOKUMEN),
                    "catatPenilaianEksternal")  # fmt: skip
    assert not_rated["code"] == "PENILAI_INTERNAL", not_rated
    assert (await _in(tenant, lambda: Skp.get(id=skp.id))).status.value == "DIAJUKAN"


async def test_only_an_admin_instansi_records(portal, tenant, pemda):
    skp = pemda.sekda_skp
    for person in (pemda.sekda, pemda.kadis):
        body = await portal.as_(person, SETUJUI, skp=gid_of(portal.tenant, skp), v=skp.lock_version,
                                dokumen=DOKUMEN)  # fmt: skip
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await _in(tenant, lambda: Skp.get(id=skp.id))).status.value == "DIAJUKAN"


async def test_the_document_is_checked_field_by_field(portal, tenant, pemda):
    skp = pemda.sekda_skp
    for change, field in (
        ({"nomor": "  "}, "dokumen.nomor"),
        ({"namaPejabat": ""}, "dokumen.namaPejabat"),
        ({"jabatanPejabat": "x" * 201}, "dokumen.jabatanPejabat"),
        ({"tautanBukti": "ftp://arsip/1"}, "dokumen.tautanBukti"),
        ({"tanggal": date(2099, 1, 1).isoformat()}, "dokumen.tanggal"),
    ):
        body = _of(await portal.as_(pemda.admin, SETUJUI, Role.ADMIN_INSTANSI,
                        skp=gid_of(portal.tenant, skp),
                                    v=skp.lock_version, dokumen=DOKUMEN | change),
                   "catatPersetujuanSkpEksternal")  # fmt: skip
        assert (body["code"], body["field"]) == ("INVALID_INPUT", field), body
    assert (await _in(tenant, lambda: Skp.get(id=skp.id))).status.value == "DIAJUKAN"


async def test_an_admin_of_another_instansi_cannot_record(portal, tenant, other_tenant, pemda):
    async with tenant_transaction(as_bound(other_tenant)):
        theirs = Pemda(*await _submitted_top_skp(Org(), tag=" B"))
    other = Portal(portal.api, portal.idp, other_tenant)
    async with tenant_transaction(as_bound(tenant)):
        # Ours has a higher id than any SKP of theirs; its penilai is absent too.
        for _ in range(3):
            ours = await skp_for(pemda.admin, None, status=StatusSkp.DIAJUKAN)
    assert ours.id > theirs.sekda_skp.id
    # The other admin names our SKP's id: in their instansi it names nothing.
    body = _of(await other.as_(theirs.admin, SETUJUI, Role.ADMIN_INSTANSI,
                        skp=gid_of(other.tenant, ours),
                               v=ours.lock_version, dokumen=DOKUMEN),
               "catatPersetujuanSkpEksternal")  # fmt: skip
    assert body["code"] == "NOT_FOUND", body
    # Bound to our instansi by X-Instansi, they are refused outright.
    crossing = await portal.as_(theirs.admin, SETUJUI, Role.ADMIN_INSTANSI,
                        skp=gid_of(portal.tenant, ours),
                                v=ours.lock_version, dokumen=DOKUMEN)  # fmt: skip
    assert crossing.get("data") is None and crossing["errors"], crossing
    assert (await _in(tenant, lambda: Skp.get(id=ours.id))).status.value == "DIAJUKAN"
    # Their own SKP is theirs to record, and ours stays untouched.
    done = _of(await other.as_(theirs.admin, SETUJUI, Role.ADMIN_INSTANSI,
                               skp=gid_of(other.tenant, theirs.sekda_skp),
                               v=theirs.sekda_skp.lock_version,
                               dokumen=DOKUMEN), "catatPersetujuanSkpEksternal")  # fmt: skip
    assert done["skp"]["status"] == "DISETUJUI", done
    assert (await _in(tenant, lambda: Skp.get(id=ours.id))).status.value == "DIAJUKAN"
