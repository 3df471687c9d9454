"""Execution events (`pelaksanaan.progres`, `pelaksanaan.realisasi`): written in the transaction
of the write they announce (a refused write writes none), one per SKP and window a call touched
(never one per entry), naming the pegawai by NIP; delivered live to the penilai following
BAWAHAN and to the owner, never to another team's penilai or another instansi (decision 0042).
Real PostgreSQL and, for the live part, the app served by uvicorn with a real WebSocket client.
Every wait is on a message, bounded by a timeout."""

from __future__ import annotations

import asyncio
from datetime import date, time

import pytest

from ekinerja.db.sql import fetch
from ekinerja.models.tenant import OutboxEvent, ProgresHarian
from ekinerja.pelaksanaan.progres import ProgresInput, create_progres
from ekinerja.peristiwa.siaran import hub
from ekinerja.skp.lifecycle import Caller
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.faults import served
from tests.support.ids import gid, gid_of
from tests.support.pelaksanaan import build_team, progres_row
from tests.support.server import settings_for
from tests.test_subscriptions import WAIT, auth, call, socket

BULK = """mutation($rows: [ProgresHarianInput!]!) { buatProgresHarianMassal(baris: $rows) {
  __typename ... on ProgresHarianDisimpan { progres { id } }
  ... on BarisDitolak { code baris { baris field message } }
  ... on MutationError { code field message } } }"""

UPDATE = """mutation($id: ID!, $input: ProgresHarianInput!) {
  ubahProgresHarian(progresId: $id, input: $input) {
  __typename ... on BarisDitolak { code } ... on MutationError { code field } } }"""

DELETE = """mutation($id: ID!) { hapusProgresHarian(progresId: $id) {
  __typename ... on MutationError { code field } } }"""

REALISASI = """mutation($skp: ID!, $periode: String!, $items: [ButirRealisasiInput!]!) {
  simpanRealisasiMassal(skpId: $skp, periode: $periode, butir: $items) {
  __typename ... on RealisasiMassalDisimpan { realisasi { realisasiId } }
  ... on BarisDitolak { code } ... on MutationError { code field } } }"""

TAUTAN = """mutation($input: TautanBuktiInput!) { tambahTautanBuktiDukung(input: $input) {
  __typename ... on BuktiDukung { id } ... on MutationError { code field message } } }"""

HAPUS_BUKTI = """mutation($id: ID!) { hapusBuktiDukung(buktiId: $id) {
  __typename ... on MutationError { code field } } }"""

SUBSCRIBE_PELAKSANAAN = """subscription($lingkup: LingkupPeristiwa!) {
  peristiwaSkp(lingkup: $lingkup, jenis: ["pelaksanaan.progres", "pelaksanaan.realisasi"]) {
    cursor jenis entitasId data } }"""


async def events(tenant, jenis: str) -> list[dict]:
    async with tenant_transaction(as_bound(tenant)):
        rows = await OutboxEvent.filter(jenis=jenis).order_by("id")
        return [{"entitas": r.entitas, "entitasId": r.entitas_id, **r.data} for r in rows]


async def test_one_event_per_skp_and_window_in_the_writes_transaction(portal, team, tenant):
    t1, t2 = team.rencana("2026-T1"), team.rencana("2026-T2")
    rows = [
        progres_row(tenant, t1, "2026-02-03"),
        progres_row(tenant, t1, "2026-02-04"),
        progres_row(tenant, team.rencana("2026-T1", team.rhk_lain), "2026-02-05"),
        progres_row(tenant, t2, "2026-04-06"),
    ]
    saved = await portal.as_(team.staf, BULK, rows=rows)
    assert saved["data"]["buatProgresHarianMassal"]["__typename"] == "ProgresHarianDisimpan"
    logged = await events(tenant, "pelaksanaan.progres")
    common = {"entitas": "skp", "entitasId": str(team.skp.id), "skpId": team.skp.id,
              "nip": team.staf.nip, "tahun": 2026, "aksi": "DIBUAT"}  # fmt: skip
    assert logged == [
        common | {"periode": "2026-T1", "jumlah": 3},
        common | {"periode": "2026-T2", "jumlah": 1},
    ]
    # A refused write (one bad row: nothing is written) announces nothing.
    bad = [progres_row(tenant, t1, "2026-02-06"), progres_row(tenant, t1, kegiatan=" ")]
    refused = await portal.as_(team.staf, BULK, rows=bad)
    assert refused["data"]["buatProgresHarianMassal"]["code"] == "INVALID_ROWS", refused
    # Someone else's entries are "not found" and announce nothing either.
    async with tenant_transaction(as_bound(tenant)):
        entry = await ProgresHarian.filter(periode="2026-T1").order_by("id").first()
    entry_id = gid(tenant, "ProgresHarian", entry.id)
    theirs = await portal.as_(team.kasi, DELETE, id=entry_id)
    assert theirs["data"]["hapusProgresHarian"]["code"] == "NOT_FOUND"
    assert len(await events(tenant, "pelaksanaan.progres")) == 2

    # Moving an entry to another window touches both; deleting one, its own.
    moved = await portal.as_(team.staf, UPDATE, id=entry_id,
                             input=progres_row(tenant, t2, "2026-04-07"))  # fmt: skip
    assert moved["data"]["ubahProgresHarian"]["__typename"] == "ProgresHarianDisimpan", moved
    gone = await portal.as_(team.staf, DELETE, id=entry_id)
    assert gone["data"]["hapusProgresHarian"]["__typename"] == "Dihapus", gone
    later = [(e["aksi"], e["periode"], e["jumlah"]) for e in
             (await events(tenant, "pelaksanaan.progres"))[2:]]  # fmt: skip
    assert later == [("DIUBAH", "2026-T1", 1), ("DIUBAH", "2026-T2", 1), ("DIHAPUS", "2026-T2", 1)]


class Undone(Exception):
    pass


async def test_the_event_commits_and_rolls_back_with_the_entries(team, tenant):
    row = ProgresInput(
        team.rencana(), date(2026, 2, 3), time(8), time(10), "Menyusun", 1, "Dokumen"
    )
    with pytest.raises(Undone):
        async with tenant_transaction(as_bound(tenant)):
            await create_progres([row, row], Caller(team.staf.id, team.staf.nip))
            # Seen before the commit, written by this very transaction (its top-level id).
            [mine] = await fetch(
                "SELECT txid = pg_current_xact_id()::text::bigint AS same, data->>'jumlah' AS n "
                "FROM outbox_event WHERE jenis = 'pelaksanaan.progres'"
            )
            assert mine["same"] and mine["n"] == "2"
            raise Undone
    async with tenant_transaction(as_bound(tenant)):
        assert await ProgresHarian.all().count() == 0
    assert await events(tenant, "pelaksanaan.progres") == []


async def test_realisasi_and_its_evidence_are_announced(portal, team, tenant):
    skp = gid_of(tenant, team.skp)
    items = [{"indikatorId": gid_of(tenant, team.dokumen), "kuantitas": "3"},
             {"indikatorId": gid_of(tenant, team.laporan), "kuantitas": "1"}]  # fmt: skip
    saved = await portal.as_(team.staf, REALISASI, skp=skp, periode="2026-T1", items=items)
    result = saved["data"]["simpanRealisasiMassal"]
    assert result["__typename"] == "RealisasiMassalDisimpan", saved
    realisasi = result["realisasi"][0]["realisasiId"]
    refused = await portal.as_(team.staf, REALISASI, skp=skp, periode="2026-T1",
                               items=[{"indikatorId": gid_of(tenant, team.dokumen)}])  # fmt: skip
    assert refused["data"]["simpanRealisasiMassal"]["__typename"] == "BarisDitolak", refused
    link = {"realisasiId": realisasi, "nama": "Rekap", "tautan": "https://drive.example/rekap"}
    added = await portal.as_(team.staf, TAUTAN, input=link)
    assert added["data"]["tambahTautanBuktiDukung"]["__typename"] == "BuktiDukung", added
    bukti = added["data"]["tambahTautanBuktiDukung"]["id"]
    removed = await portal.as_(team.staf, HAPUS_BUKTI, id=bukti)
    assert removed["data"]["hapusBuktiDukung"]["__typename"] == "Dihapus", removed
    announced = await events(tenant, "pelaksanaan.realisasi")
    assert [(e["aksi"], e["periode"], e["jumlah"], e["nip"]) for e in announced] == [
        ("REALISASI", "2026-T1", 2, team.staf.nip),
        ("BUKTI_DITAMBAHKAN", "2026-T1", 1, team.staf.nip),
        ("BUKTI_DIHAPUS", "2026-T1", 1, team.staf.nip),
    ]
    assert {e["skpId"] for e in announced} == {team.skp.id}


async def log(base, idp, tenant, team, tanggal: str = "2026-02-03") -> None:
    row = progres_row(tenant, team.rencana(), tanggal)
    body = await call(base, auth(idp, tenant, team.staf), BULK, rows=[row])
    assert body["data"]["buatProgresHarianMassal"]["__typename"] == "ProgresHarianDisimpan", body


async def test_the_penilai_following_bawahan_sees_the_log_and_no_other_team_does(
    database, idp, tenant, other_tenant, team
):
    setting = settings_for(database)
    siaran = hub(setting)
    lain = await build_team(tenant, "Seksi Lain Sekali")  # another team, same instansi
    jauh = await build_team(other_tenant, "Seksi Jauh")  # a team of another instansi
    async with served(setting) as base, socket(base) as kasi, socket(base) as staf:
        async with socket(base) as kasi_lain, socket(base) as kasi_jauh:
            for ws, where, who in ((kasi, tenant, team.kasi), (staf, tenant, team.staf),
                                   (kasi_lain, tenant, lain.kasi),
                                   (kasi_jauh, other_tenant, jauh.kasi)):  # fmt: skip
                assert (await ws.init(auth(idp, where, who)))["type"] == "connection_ack"
            await kasi.subscribe(SUBSCRIBE_PELAKSANAAN, lingkup="BAWAHAN")
            await staf.subscribe(SUBSCRIBE_PELAKSANAAN, lingkup="SAYA")
            await kasi_lain.subscribe(SUBSCRIBE_PELAKSANAAN, lingkup="BAWAHAN")
            await kasi_jauh.subscribe(SUBSCRIBE_PELAKSANAAN, lingkup="SEMUA")
            await asyncio.wait_for(siaran.siap(4), WAIT)

            await log(base, idp, tenant, team)
            seen = await kasi.event()
            skp_id = gid_of(tenant, team.skp)
            assert (seen["jenis"], seen["entitasId"]) == ("pelaksanaan.progres", skp_id)
            assert seen["data"] == {"skpId": skp_id, "nip": team.staf.nip, "tahun": 2026,
                                    "periode": "2026-T1", "aksi": "DIBUAT",
                                    "jumlah": 1}  # fmt: skip
            assert (await staf.event())["cursor"] == seen["cursor"]

            # Each other penilai logs after it: what they receive first is their own team's,
            # so the first log never reached them (a stream is in commit order).
            await log(base, idp, tenant, lain)
            assert (await kasi_lain.event())["data"]["skpId"] == gid_of(tenant, lain.skp)
            await log(base, idp, other_tenant, jauh)
            assert (await kasi_jauh.event())["data"]["skpId"] == gid_of(other_tenant, jauh.skp)
            # And kasi's stream holds nothing of the other team.
            await log(base, idp, tenant, team, "2026-02-04")
            assert (await kasi.event())["data"]["skpId"] == skp_id
