"""Who appraises whom: the rules of ekinerja.kepegawaian.atasan on a real organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ekinerja.kepegawaian.atasan import PenilaiRule, resolve_chains
from ekinerja.kepegawaian.enums import JenisJabatan, JenisPenugasan, PeranAtasan
from ekinerja.kepegawaian.pengecualian_atasan import (
    OverrideError,
    OverrideRequest,
    set_atasan_override,
)
from ekinerja.models.tenant import AuditEvent, Pegawai
from tests.support.org import START, Org
from tests.support.tenants import rolled_back

ON = date(2026, 3, 1)


@dataclass
class Agency:
    setda: object
    dinas: object
    bidang: object
    seksi: object
    kabid_jabatan: object
    sekda: Pegawai
    kadis: Pegawai
    kabid: Pegawai
    kasi: Pegawai
    staf: Pegawai
    analis: Pegawai
    pengganti: Pegawai


async def build(org: Org) -> Agency:
    setda = await org.unit("Sekretariat Daerah")
    dinas = await org.unit("Dinas Kesehatan", setda)
    bidang = await org.unit("Bidang Pelayanan", dinas)
    seksi = await org.unit("Seksi Rujukan", bidang)
    sekda_j = await org.jabatan(
        "Sekretaris Daerah",
        setda,
        head=True,
        jenis=JenisJabatan.JPT_PRATAMA,
        penilai_eksternal_nama="H. Rahmat Hidayat",
        penilai_eksternal_jabatan="Bupati Contoh",
    )
    kadis_j = await org.jabatan("Kepala Dinas Kesehatan", dinas, head=True)
    kabid_j = await org.jabatan("Kepala Bidang Pelayanan", bidang, head=True)
    kasi_j = await org.jabatan("Kepala Seksi Rujukan", seksi, head=True)
    staf_j = await org.jabatan("Pengadministrasi Umum", seksi)
    analis_j = await org.jabatan(
        "Analis Kebijakan", bidang, jenis=JenisJabatan.FUNGSIONAL, atasan_jabatan=kadis_j
    )
    return Agency(
        setda,
        dinas,
        bidang,
        seksi,
        kabid_j,
        sekda=await org.pegawai("Sekda", sekda_j),
        kadis=await org.pegawai("Kadis", kadis_j),
        kabid=await org.pegawai("Kabid", kabid_j),
        kasi=await org.pegawai("Kasi", kasi_j),
        staf=await org.pegawai("Staf", staf_j),
        analis=await org.pegawai("Analis", analis_j),
        pengganti=await org.pegawai("Pengganti"),
    )


@pytest.fixture
async def bound(module_tenant):
    """Each test runs in one transaction of the module's tenant, rolled back after it: every
    test starts from the same untouched tenant, as with one of its own."""
    async with rolled_back(module_tenant):
        yield Org()


async def test_unit_head_appraises_staff_and_chain_goes_up(bound):
    a = await build(bound)
    chains = await resolve_chains([a.staf.id, a.kasi.id, a.kadis.id], ON)

    staf = chains[a.staf.id]
    assert staf.pejabat_penilai.pegawai_id == a.kasi.id
    assert staf.pejabat_penilai.rule is PenilaiRule.UNIT_HEAD
    assert staf.atasan_pejabat_penilai.pegawai_id == a.kabid.id
    assert "Kepala Seksi Rujukan heads Seksi Rujukan" in staf.pejabat_penilai.explanation

    assert chains[a.kasi.id].pejabat_penilai.pegawai_id == a.kabid.id
    assert chains[a.kadis.id].pejabat_penilai.pegawai_id == a.sekda.id


async def test_top_of_the_agency_is_appraised_outside_the_system(bound):
    a = await build(bound)
    chains = await resolve_chains([a.sekda.id, a.kadis.id], ON)
    sekda = chains[a.sekda.id]
    assert sekda.pejabat_penilai.rule is PenilaiRule.EXTERNAL
    assert sekda.pejabat_penilai.nama_eksternal == "H. Rahmat Hidayat"
    assert sekda.pejabat_penilai.jabatan_eksternal == "Bupati Contoh"
    assert sekda.atasan_pejabat_penilai is None
    # The kadis's atasan penilai is the sekda's external penilai.
    assert chains[a.kadis.id].atasan_pejabat_penilai.nama_eksternal == "H. Rahmat Hidayat"


async def test_vacant_position_walks_upward(bound):
    a = await build(bound)
    await bound.end(a.kabid, date(2026, 2, 1))
    chain = (await resolve_chains([a.kasi.id], ON))[a.kasi.id]
    assert chain.pejabat_penilai.pegawai_id == a.kadis.id
    assert chain.pejabat_penilai.rule is PenilaiRule.VACANCY_WALKED_UP
    assert "Kepala Bidang Pelayanan is vacant; going up" in chain.pejabat_penilai.explanation
    # Before the vacancy the kabid still appraised.
    before = (await resolve_chains([a.kasi.id], date(2026, 1, 15)))[a.kasi.id]
    assert before.pejabat_penilai.pegawai_id == a.kabid.id


async def test_acting_official_counts(bound):
    a = await build(bound)
    await bound.end(a.kabid, date(2026, 2, 1))
    await bound.assign(
        a.pengganti, a.kabid_jabatan, since=date(2026, 2, 1), jenis=JenisPenugasan.PLT
    )
    chain = (await resolve_chains([a.kasi.id], ON))[a.kasi.id]
    assert chain.pejabat_penilai.pegawai_id == a.pengganti.id
    assert chain.pejabat_penilai.rule is PenilaiRule.ACTING
    assert any("(PLT)" in step for step in chain.pejabat_penilai.explanation)


async def test_definitive_holder_wins_over_acting(bound):
    a = await build(bound)
    await bound.assign(a.pengganti, a.kabid_jabatan, jenis=JenisPenugasan.PLH)
    chain = (await resolve_chains([a.kasi.id], ON))[a.kasi.id]
    assert chain.pejabat_penilai.pegawai_id == a.kabid.id


async def test_explicit_superior_position(bound):
    a = await build(bound)
    chain = (await resolve_chains([a.analis.id], ON))[a.analis.id]
    assert chain.pejabat_penilai.pegawai_id == a.kadis.id
    assert chain.pejabat_penilai.rule is PenilaiRule.POSITION_OVERRIDE


async def test_mid_year_mutasi_changes_the_penilai_from_its_date(bound):
    a = await build(bound)
    moved_to = await bound.jabatan("Pengelola Data", a.bidang)
    await bound.end(a.staf, date(2026, 7, 1))
    await bound.assign(a.staf, moved_to, since=date(2026, 7, 1))
    before = (await resolve_chains([a.staf.id], date(2026, 6, 30)))[a.staf.id]
    after = (await resolve_chains([a.staf.id], date(2026, 7, 1)))[a.staf.id]
    assert before.pejabat_penilai.pegawai_id == a.kasi.id
    assert after.pejabat_penilai.pegawai_id == a.kabid.id


async def test_admin_override_decides_and_is_audited(bound):
    a = await build(bound)
    await set_atasan_override(
        OverrideRequest(
            pegawai_nip=a.staf.nip,
            peran=PeranAtasan.PENILAI,
            berlaku_mulai=date(2026, 2, 1),
            alasan="Ditugaskan di tim kerja Bidang",
            atasan_nip=a.analis.nip,
        ),
        actor="198001012005011001",
    )
    chain = (await resolve_chains([a.staf.id], ON))[a.staf.id]
    assert chain.pejabat_penilai.pegawai_id == a.analis.id
    assert chain.pejabat_penilai.rule is PenilaiRule.OVERRIDE
    assert "Ditugaskan di tim kerja Bidang" in chain.pejabat_penilai.explanation[0]
    # The analis's own penilai (kadis, by explicit position) is the atasan penilai.
    assert chain.atasan_pejabat_penilai.pegawai_id == a.kadis.id
    # Before the override took effect, the structure decided.
    january = (await resolve_chains([a.staf.id], date(2026, 1, 15)))[a.staf.id]
    assert january.pejabat_penilai.pegawai_id == a.kasi.id

    event = await AuditEvent.get(action="atasan_override.set")
    assert event.actor == "198001012005011001"
    assert event.entity_id == str(a.staf.id)
    assert event.detail["alasan"] == "Ditugaskan di tim kerja Bidang"


async def test_atasan_penilai_override_and_replacing_an_override(bound):
    a = await build(bound)
    request = OverrideRequest(
        pegawai_nip=a.staf.nip,
        peran=PeranAtasan.ATASAN_PENILAI,
        berlaku_mulai=date(2026, 1, 1),
        alasan="Keputusan Sekda",
        eksternal_nama="Dr. Siti Aminah",
        eksternal_jabatan="Wakil Bupati",
    )
    await set_atasan_override(request, actor="admin")
    chain = (await resolve_chains([a.staf.id], ON))[a.staf.id]
    assert chain.pejabat_penilai.pegawai_id == a.kasi.id
    assert chain.atasan_pejabat_penilai.nama_eksternal == "Dr. Siti Aminah"

    replacement = OverrideRequest(
        pegawai_nip=a.staf.nip,
        peran=PeranAtasan.ATASAN_PENILAI,
        berlaku_mulai=date(2026, 2, 15),
        alasan="Diganti",
        atasan_nip=a.kadis.nip,
    )
    await set_atasan_override(replacement, actor="admin")
    assert (await resolve_chains([a.staf.id], ON))[a.staf.id].atasan_pejabat_penilai.pegawai_id == (
        a.kadis.id
    )
    earlier = (await resolve_chains([a.staf.id], date(2026, 2, 1)))[a.staf.id]
    assert earlier.atasan_pejabat_penilai.nama_eksternal == "Dr. Siti Aminah"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"alasan": " "}, "alasan"),
        ({"atasan_nip": None}, "atasanNip"),
        ({"eksternal_nama": "Someone"}, "atasanNip"),
        ({"atasan_nip": "199001012015011999"}, "atasanNip"),
        ({"berlaku_sampai": date(2025, 12, 31)}, "berlakuSampai"),
        ({"pegawai_nip": "000"}, "pegawaiNip"),
    ],
)
async def test_bad_override_is_refused_with_the_field(bound, change, field):
    a = await build(bound)
    values = {
        "pegawai_nip": a.staf.nip,
        "peran": PeranAtasan.PENILAI,
        "berlaku_mulai": START,
        "alasan": "x",
        "atasan_nip": a.analis.nip,
    } | change
    with pytest.raises(OverrideError) as refused:
        await set_atasan_override(OverrideRequest(**values), actor="admin")
    assert refused.value.field == field
    assert not await AuditEvent.filter(action="atasan_override.set").exists()


async def test_self_override_and_no_position(bound):
    a = await build(bound)
    with pytest.raises(OverrideError, match="cannot appraise themself"):
        await set_atasan_override(
            OverrideRequest(a.staf.nip, PeranAtasan.PENILAI, START, "x", atasan_nip=a.staf.nip),
            actor="admin",
        )
    chain = (await resolve_chains([a.pengganti.id], ON))[a.pengganti.id]
    assert chain.pejabat_penilai.rule is PenilaiRule.NONE
    assert chain.atasan_pejabat_penilai is None


async def test_acting_in_own_superior_position_skips_self(bound):
    a = await build(bound)
    await bound.end(a.kabid, date(2026, 2, 1))
    await bound.assign(a.kasi, a.kabid_jabatan, since=date(2026, 2, 1), jenis=JenisPenugasan.PLT)
    chain = (await resolve_chains([a.kasi.id], ON))[a.kasi.id]
    assert chain.pejabat_penilai.pegawai_id == a.kadis.id
    assert any("held by the pegawai themself" in s for s in chain.pejabat_penilai.explanation)


async def test_staff_of_a_unit_without_a_head_position_go_to_the_unit_above(bound):
    a = await build(bound)
    pustu = await bound.unit("Puskesmas Pembantu", a.seksi)  # run by staff: no head position
    perawat = await bound.pegawai("Perawat", await bound.jabatan("Perawat Terampil", pustu))
    chain = (await resolve_chains([perawat.id], ON))[perawat.id]
    assert chain.pejabat_penilai.pegawai_id == a.kasi.id
    assert "holds Perawat Terampil in Puskesmas Pembantu" in chain.pejabat_penilai.explanation
