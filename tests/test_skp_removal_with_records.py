"""Removing what execution refers to, over GraphQL (issue 15 follow-up): an RHK, a rencana
aksi or an indikator that realisasi, progres harian or umpan balik point at is refused as data
naming what to do, not a foreign-key INTERNAL_ERROR, and nothing is removed.

Execution is recorded only on an approved version in force and plans are edited only as
drafts, so no operation of ours leaves such records on a draft today: the records are written
directly here, as data from before these rules, an import or a later change could leave them.
The refusals follow simpanRhk's INDIKATOR_HAS_REALISASI (keep it, change its text)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from ekinerja.models.tenant import (
    Indikator,
    ProgresHarian,
    Realisasi,
    RencanaAksi,
    Rhk,
    Skp,
    UmpanBalik,
)
from ekinerja.pelaksanaan.enums import SasaranUmpanBalik
from ekinerja.skp.lifecycle import revise
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid, gid_of, row_of
from tests.test_graphql_skp import api as api_fixture
from tests.test_graphql_skp import gql
from tests.test_skp_revisi_cascade import Chain, build_chain

api = api_fixture

REMOVE = """mutation($skp: ID!, $v: Int!, $rhk: ID!) {
  hapusRhk(skpId: $skp, versiDiharapkan: $v, rhkId: $rhk) {
    __typename ... on SkpDiubah { skp { versiKunci rhk { id } } }
    ... on MutationError { code message field } } }"""

AKSI = """mutation($skp: ID!, $v: Int!, $rhk: ID!, $items: [RencanaAksiInput!]!) {
  simpanRencanaAksi(skpId: $skp, versiDiharapkan: $v, rhkId: $rhk, periode: "2026-T2",
                  butir: $items) {
    __typename ... on SkpDiubah { skp { versiKunci rhk { id
      rencanaAksi(periode: "2026-T2") { id teks target } } } }
    ... on MutationError { code message field } } }"""

SAVE = """mutation($input: SimpanRhkInput!) { simpanRhk(input: $input) {
  __typename ... on SkpDiubah { rhk { indikator { id teks } } }
  ... on MutationError { code message field } } }"""


async def draft_of_staf1(tenant) -> tuple[Chain, Skp, Rhk]:
    """Staf 1's perubahan (a draft copying their approved SKP) and its first RHK."""
    async with tenant_transaction(as_bound(tenant)):
        chain = await build_chain()
        draft = await revise(chain.staf1_skp.id, chain.staf1_skp.lock_version, chain.staf1)
        rhk = await Rhk.filter(skp_id=draft.id).order_by("urutan", "id").first()
    return chain, draft, rhk


async def version_of(tenant, skp_id: int) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return (await Skp.get(id=skp_id)).lock_version


async def rhk_ids(tenant, skp_id: int) -> list[int]:
    async with tenant_transaction(as_bound(tenant)):
        return list(await Rhk.filter(skp_id=skp_id).order_by("id").values_list("id", flat=True))


async def remove(api, tenant, chain: Chain, draft: Skp, rhk: Rhk) -> dict:
    v = await version_of(tenant, draft.id)
    body = await gql(
        api,
        tenant,
        chain.staf1.subject,
        REMOVE,
        skp=gid_of(tenant, draft),
        v=v,
        rhk=gid_of(tenant, rhk),
    )
    assert "errors" not in body, body
    return body["data"]["hapusRhk"]


async def test_an_rhk_with_realisasi_is_refused_not_an_internal_error(api, tenant):
    chain, draft, rhk = await draft_of_staf1(tenant)
    async with tenant_transaction(as_bound(tenant)):
        indikator = await Indikator.get(rhk_id=rhk.id)
        await Realisasi.create(indikator=indikator, skp_id=draft.id, periode="2026-T1")
    before = await rhk_ids(tenant, draft.id)
    refused = await remove(api, tenant, chain, draft, rhk)
    assert (refused["code"], refused["field"]) == ("RHK_HAS_REALISASI", "rhkId")
    assert "realisasi is recorded for its indikator" in refused["message"]
    assert "change its text and indikator instead" in refused["message"]
    assert await rhk_ids(tenant, draft.id) == before
    assert await version_of(tenant, draft.id) == draft.lock_version  # nothing written


async def test_an_rhk_with_progres_or_umpan_balik_is_refused(api, tenant):
    chain, draft, rhk = await draft_of_staf1(tenant)
    second = (await rhk_ids(tenant, draft.id))[1]
    async with tenant_transaction(as_bound(tenant)):
        aksi = await RencanaAksi.create(rhk_id=rhk.id, periode="2026-T2", teks="Susun draf")
        await ProgresHarian.create(
            rencana_aksi=aksi, skp_id=draft.id, pegawai_id=chain.staf1.pegawai_id,
            periode="2026-T2", tanggal=date(2026, 4, 6), jam_mulai=time(8), jam_selesai=time(10),
            kegiatan="Menyusun", realisasi=1, satuan="Dokumen",
        )  # fmt: skip
        await UmpanBalik.create(
            skp_id=draft.id, periode="2026-T2", sasaran=SasaranUmpanBalik.HASIL_KERJA,
            rhk_id=second, kunci_sasaran=f"RHK:{second}", teks="Baik",
            penilai_pegawai_id=chain.kasi.pegawai_id,
        )  # fmt: skip
        second_rhk = await Rhk.get(id=second)
    refused = await remove(api, tenant, chain, draft, rhk)
    assert (refused["code"], refused["field"]) == ("RHK_HAS_PROGRES", "rhkId")
    assert "progres harian is logged against its rencana aksi" in refused["message"]
    refused = await remove(api, tenant, chain, draft, second_rhk)
    assert (refused["code"], refused["field"]) == ("RHK_HAS_UMPAN_BALIK", "rhkId")
    assert len(await rhk_ids(tenant, draft.id)) == 2


async def test_an_rhk_nothing_refers_to_is_removed(api, tenant):
    chain, draft, rhk = await draft_of_staf1(tenant)
    removed = await remove(api, tenant, chain, draft, rhk)
    assert removed["__typename"] == "SkpDiubah"
    assert [r["id"] for r in removed["skp"]["rhk"]] != [gid_of(tenant, rhk)]
    assert rhk.id not in await rhk_ids(tenant, draft.id)


async def test_rencana_aksi_keep_their_ids_and_one_with_progres_stays(api, tenant):
    """Resending a window's rencana aksi keeps their ids (progres refers to them); dropping
    one with progres is refused naming it; dropping one without is fine."""
    chain, draft, rhk = await draft_of_staf1(tenant)

    async def save(*items: tuple[str, str | None]) -> dict:
        v = await version_of(tenant, draft.id)
        body = await gql(
            api, tenant, chain.staf1.subject, AKSI,
            skp=gid_of(tenant, draft), v=v, rhk=gid_of(tenant, rhk),
            items=[{"teks": t, "target": g} for t, g in items],
        )  # fmt: skip
        assert "errors" not in body, body
        return body["data"]["simpanRencanaAksi"]

    def planned(result: dict) -> list[dict]:
        (ours,) = [r for r in result["skp"]["rhk"] if r["id"] == gid_of(tenant, rhk)]
        return ours["rencanaAksi"]

    first = planned(await save(("Susun draf", "1 draf"), ("Uji", None), ("Revisi", None)))
    again = planned(await save(("Susun draf kurikulum", "2 draf"), ("Uji", None), ("Revisi", None)))
    assert [a["id"] for a in again] == [a["id"] for a in first]
    assert again[0] == {"id": first[0]["id"], "teks": "Susun draf kurikulum", "target": "2 draf"}

    async with tenant_transaction(as_bound(tenant)):
        await ProgresHarian.create(
            rencana_aksi_id=row_of(first[1]["id"]), skp_id=draft.id,
            pegawai_id=chain.staf1.pegawai_id, periode="2026-T2", tanggal=date(2026, 4, 6),
            jam_mulai=time(8), jam_selesai=time(10), kegiatan="Uji", realisasi=1, satuan="Kali",
        )  # fmt: skip
    refused = await save(("Susun draf", None))
    assert (refused["code"], refused["field"]) == ("RENCANA_AKSI_HAS_PROGRES", "items[2]")
    assert "(Uji)" in refused["message"] and "keep it in the list" in refused["message"]
    shorter = planned(await save(("Susun draf", None), ("Uji lagi", None)))
    assert [a["id"] for a in shorter] == [a["id"] for a in first[:2]]
    assert [a["teks"] for a in shorter] == ["Susun draf", "Uji lagi"]


@pytest.mark.parametrize("naming", ["by id", "by position"])
async def test_an_indikator_with_realisasi_is_kept_over_graphql(api, tenant, naming):
    """simpanRhk replacing the indikator list: dropping the realised one is refused whether the
    client names ids or resends by position (INDIKATOR_HAS_REALISASI, not INTERNAL_ERROR)."""
    chain, draft, rhk = await draft_of_staf1(tenant)
    async with tenant_transaction(as_bound(tenant)):
        first = await Indikator.get(rhk_id=rhk.id)
        realised = await Indikator.create(
            rhk_id=rhk.id, urutan=2, teks="Mutu", target_min=Decimal(1), satuan="%"
        )
        await Realisasi.create(indikator=realised, skp_id=draft.id, periode="2026-T1")
    item = {"teks": "Jumlah", "aspek": "KUANTITAS", "targetMin": "3", "satuan": "Dokumen"}
    if naming == "by id":
        item["id"] = gid_of(tenant, first)
    body = await gql(
        api, tenant, chain.staf1.subject, SAVE,
        input={"skpId": gid_of(tenant, draft),
               "versiDiharapkan": await version_of(tenant, draft.id),
               "rhkId": gid_of(tenant, rhk), "teks": rhk.teks,
               "intervensiRhkId": gid(tenant, "Rhk", rhk.intervensi_id),
               "indikator": [item]},
    )  # fmt: skip
    assert "errors" not in body, body
    refused = body["data"]["simpanRhk"]
    assert (refused["code"], refused["field"]) == ("INDIKATOR_HAS_REALISASI", "indikator[2]")
    assert "(Mutu)" in refused["message"]
    async with tenant_transaction(as_bound(tenant)):
        assert {i.id for i in await Indikator.filter(rhk_id=rhk.id)} == {first.id, realised.id}
