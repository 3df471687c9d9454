"""A bidang with one seksi, ready for assessment, built directly through the models.

    Bidang Data (head: kabid)
      └─ Seksi Analisis (head: kasi) — staff: analis[0..n) (jabatan fungsional, Ahli Pertama)

Every analis has an approved 2026 SKP whose pejabat penilai is kasi and whose atasan pejabat
penilai is kabid; ``rekan`` works in another bidang."""

from __future__ import annotations

from dataclasses import dataclass, field

from ekinerja.kepegawaian.enums import JenisJabatan, JenjangFungsional
from ekinerja.models.tenant import Pegawai, Skp, UnitKerja
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for

SUBMIT = """mutation($skp: ID!, $periode: String!) {
  ajukanEvaluasiPeriodik(skpId: $skp, periode: $periode, catatan: "Laporan terlampir") {
  __typename ... on MutationError { code field message } } }"""

EVALUASI = """query($skp: ID!, $periode: String!) { evaluasi(skpId: $skp, periode: $periode) {
  id status versiKunci ratingHasilKerja ratingPerilaku predikat predikatLabel unitId jenjang
  final kesempatanKeberatan { tersedia alasan batas }
  riwayat { aksi status predikat oleh } } }"""

RATE = """mutation($id: ID!, $v: Int!, $hasil: Rating!, $perilaku: Rating!) {
  nilaiEvaluasi(evaluasiId: $id, versiDiharapkan: $v, ratingHasilKerja: $hasil,
    ratingPerilaku: $perilaku, catatan: "Dinilai") {
  __typename ... on EvaluasiPeriodik { id status predikat versiKunci }
  ... on MutationError { code field message } } }"""

SET_PREDIKAT = """mutation($unit: ID!, $periode: String!, $predikat: PredikatOrganisasi!) {
  aturPredikatOrganisasi(unitId: $unit, periode: $periode, predikat: $predikat) {
  __typename ... on PredikatOrganisasiDiatur { predikat }
  ... on MutationError { code message } } }"""

TETAPKAN = """mutation($unit: ID!, $periode: String!) {
  tetapkanKinerjaUnit(unitId: $unit, periode: $periode) {
  __typename ... on PenetapanSelesai { hasilKurva jumlahDitetapkan
    pemeriksaan { hasil total pelanggaran { kode pesan jumlah batas } } }
  ... on MutationError { code message } } }"""


@dataclass
class Bidang:
    kabid: Pegawai
    kasi: Pegawai
    analis: list[Pegawai]
    rekan: Pegawai
    bidang: UnitKerja
    seksi: UnitKerja
    skp: dict[int, Skp] = field(default_factory=dict)  # by pegawai id

    def skp_of(self, pegawai: Pegawai) -> Skp:
        return self.skp[pegawai.id]


async def build_bidang(tenant, analis: int = 4, tag: str = "") -> Bidang:
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        bidang = await org.unit(f"Bidang Data{tag}")
        seksi = await org.unit(f"Seksi Analisis{tag}", bidang)
        lain = await org.unit(f"Bidang Lain{tag}")
        kabid = await org.pegawai(
            "Kabid", await org.jabatan("Kepala Bidang", bidang, head=True,
                                       jenis=JenisJabatan.ADMINISTRATOR)
        )  # fmt: skip
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", seksi, head=True))
        post = await org.jabatan(
            "Analis Kebijakan Ahli Pertama", seksi,
            jenis=JenisJabatan.FUNGSIONAL, jenjang=JenjangFungsional.AHLI_PERTAMA,
        )  # fmt: skip
        staff = [await org.pegawai(f"Analis {i}", post) for i in range(analis)]
        rekan = await org.pegawai("Rekan", await org.jabatan("Staf Lain", lain))
        built = Bidang(kabid, kasi, staff, rekan, bidang, seksi)
        for person in staff:
            skp = await skp_for(person, kasi)
            skp.atasan_penilai_pegawai_id = kabid.id
            await skp.save()
            built.skp[person.id] = skp
        return built


async def submit_and_rate(portal, bidang: Bidang, ratings, periode: str = "2026-T1") -> list[str]:
    """Each analis submits ``periode`` and kasi rates it with the next (hasil, perilaku)."""
    ids = []
    for person, (hasil, perilaku) in zip(bidang.analis, ratings, strict=True):
        skp = gid_of(portal.tenant, bidang.skp_of(person))
        submitted = await portal.as_(person, SUBMIT, skp=skp, periode=periode)
        assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", (
            submitted
        )
        found = (await portal.as_(bidang.kasi, EVALUASI, skp=skp, periode=periode))["data"]
        evaluasi = found["evaluasi"]
        rated = await portal.as_(
            bidang.kasi, RATE, id=evaluasi["id"], v=evaluasi["versiKunci"],
            hasil=hasil, perilaku=perilaku,
        )  # fmt: skip
        assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated
        ids.append(evaluasi["id"])
    return ids


async def seal(portal, bidang: Bidang, periode: str, expected: int) -> None:
    """The kabid sets BAIK for the seksi and fixes its ``expected`` rated evaluations."""
    unit = gid_of(portal.tenant, bidang.seksi)
    set_ = await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode=periode,
                            predikat="BAIK")  # fmt: skip
    assert set_["data"]["aturPredikatOrganisasi"]["predikat"] == "BAIK", set_
    done = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode=periode)
    assert done["data"]["tetapkanKinerjaUnit"]["jumlahDitetapkan"] == expected, done


async def fix(portal, bidang: Bidang, ratings, periode: str = "2026-T1") -> list[str]:
    """Submit and rate every analis, then fix the seksi's batch: the evaluation ids."""
    ids = await submit_and_rate(portal, bidang, ratings, periode)
    await seal(portal, bidang, periode, len(ids))
    return ids
