"""The team page on the compiled read path (issue 17): `cakupanCascade(tahun).bawahan` — the
caller's direct subordinates as of today with the SKP that counts for the year — is one
statement whose answer equals the resolvers' (skp/cakupan.py), across an organisation with an
explicit superior position, a vacancy walked past, an override, and SKPs in every state a
year's seams leave them: none, a draft, approved, and approved with a revision pending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.enums import JenisPenugasan, PeranAtasan
from ekinerja.models.tenant import AtasanOverride, Rhk, Skp
from ekinerja.skp.enums import StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for
from tests.test_superiors import Agency, build

TEAM = """query($tahun: Int!) { cakupanCascade(tahun: $tahun) { __typename bawahan {
  __typename unit statusSkp jumlahRhk rhkTidakTerhubung
  pegawai { nip nama namaLengkap golongan pangkat status jenisKelamin
    jabatan { jabatan { nama } } }
  skp { id status versi rhk { teks } } } } }"""


@dataclass
class Year:
    agency: Agency
    others: list


async def _plan(skp: Skp, *texts: str, intervening: Rhk | None = None) -> list[Rhk]:
    return [
        await Rhk.create(
            skp=skp, teks=text, urutan=n, intervensi_id=intervening.id if intervening else None
        )
        for n, text in enumerate(texts)
    ]


@pytest.fixture(scope="module")
def tenant(module_tenant):
    """One instansi and one year for the module (the conftest's tenant is one per test):
    every test here only reads them (another instansi's rows go to ``other_tenant``)."""
    return module_tenant


@pytest.fixture(scope="module")
async def year(tenant) -> Year:
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        agency = await build(org)
        seksi_staf = await org.jabatan("Pranata Komputer", agency.seksi)
        # The kasi's own SKP, and each subordinate in another state.
        kasi_skp = await skp_for(agency.kasi, agency.kabid)
        (kasi_rhk, _) = await _plan(kasi_skp, "Layanan rujukan", "Data rujukan")
        staf_skp = await skp_for(agency.staf, agency.kasi)
        await _plan(staf_skp, "Berkas tertata", intervening=kasi_rhk)
        await _plan(staf_skp, "Arsip digital")  # intervenes nothing of the kasi's
        draft = await org.pegawai("Drafter", seksi_staf)
        await _plan(await skp_for(draft, agency.kasi, StatusSkp.DRAFT), "Rencana")
        revised = await org.pegawai("Revisi", seksi_staf)
        approved = await skp_for(revised, agency.kasi)
        await _plan(approved, "Versi satu", intervening=kasi_rhk)
        pending = await skp_for(revised, agency.kasi, StatusSkp.DRAFT)
        pending.versi, pending.menggantikan_id = 2, approved.id
        await pending.save()
        await _plan(pending, "Versi dua")
        none_yet = await org.pegawai("Belum", seksi_staf)
        # A Plt beside the definitive kabid: the definitive holder still appraises the kasi;
        # the Plt is appraised as the kabid is, by the kadis.
        plt = await org.pegawai("Plt Kabid")
        await org.assign(plt, agency.kabid_jabatan, jenis=JenisPenugasan.PLT)
        # Overridden to the kasi although the analis reports to the kadis.
        await AtasanOverride.create(
            pegawai_id=agency.analis.id,
            peran=PeranAtasan.PENILAI,
            atasan_id=agency.kasi.id,
            alasan="Penugasan khusus",
            dibuat_oleh="admin",
            berlaku_mulai=date(2020, 1, 1),
        )
        return Year(agency, [draft, revised, none_yet, plt])


async def test_the_kasis_team_is_the_resolvers_in_one_statement(twins, year):
    body, compiled, resolved = await twins.both(year.agency.kasi.nip, TEAM, tahun=2026)
    team = body["data"]["cakupanCascade"]["bawahan"]
    by_name = {b["pegawai"]["nama"]: b for b in team}
    assert [b["pegawai"]["nama"] for b in team] == sorted(by_name)  # by name
    assert set(by_name) == {"Analis", "Belum", "Drafter", "Revisi", "Staf"}
    assert (by_name["Staf"]["jumlahRhk"], by_name["Staf"]["rhkTidakTerhubung"]) == (2, 1)
    assert by_name["Revisi"]["statusSkp"] == "DISETUJUI"  # the pending revision does not count
    assert by_name["Revisi"]["skp"]["versi"] == 1
    assert by_name["Drafter"]["statusSkp"] == "DRAFT"
    assert by_name["Belum"]["statusSkp"] is None and by_name["Belum"]["skp"] is None
    assert by_name["Belum"]["unit"] == "Seksi Rujukan"
    assert compiled == 1 and resolved > compiled


@pytest.mark.parametrize("who", ["kabid", "kadis", "sekda", "staf"])
async def test_every_superiors_team_is_the_resolvers(twins, year, who):
    body, compiled, _ = await twins.both(getattr(year.agency, who).nip, TEAM, tahun=2026)
    assert "errors" not in body and compiled == 1


async def test_another_year_and_the_fallbacks_answer_as_before(twins, year, tenant):
    kasi = year.agency.kasi.nip
    other_year, _, _ = await twins.both(kasi, TEAM, tahun=2025)
    assert {b["statusSkp"] for b in other_year["data"]["cakupanCascade"]["bawahan"]} == {None}
    refused, _, _ = await twins.both(kasi, TEAM, tahun=1900)
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    whole = TEAM.replace("__typename bawahan", "persenSkpDisetujui persenRhkTercakup bawahan")
    body, _, _ = await twins.both(kasi, whole, tahun=2026)
    assert body["data"]["cakupanCascade"]["persenSkpDisetujui"] == 40.0  # staf, revisi; of 5
    named = TEAM.replace("cakupanCascade(tahun: $tahun)",
                         f'cakupanCascade(tahun: $tahun, nip: "{kasi}")')  # fmt: skip
    admin, _, _ = await twins.both(year.agency.staf.nip, named, Role.ADMIN_INSTANSI, tahun=2026)
    assert len(admin["data"]["cakupanCascade"]["bawahan"]) == 5


async def test_the_compiled_team_reads_only_its_own_instansi(twins, year, other_tenant):
    """B has the same row numbers; B's kasi of a smaller team sees B's subordinates only."""
    from tests.support.pelaksanaan import build_team
    from tests.support.twins import Twins

    theirs = await build_team(other_tenant)
    in_b = Twins(twins.compiled, twins.resolved, twins.idp, other_tenant.kode)
    body, compiled, _ = await in_b.both(theirs.kasi.nip, TEAM, tahun=2026)
    nips = [b["pegawai"]["nip"] for b in body["data"]["cakupanCascade"]["bawahan"]]
    assert nips == [theirs.staf.nip] and compiled == 1
