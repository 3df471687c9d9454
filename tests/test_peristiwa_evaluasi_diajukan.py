"""`evaluasi.diajukan` (issue 19): a pegawai's submission of a window for evaluation is
announced in the transaction of the submission (a refused submission writes none), naming the
pegawai by NIP with the SKP, year and window, as the other evaluasi.* events do; delivered live
to the penilai following BAWAHAN and to the owner, never to an unrelated pegawai or another
instansi (decision 0042), so the penilai's evaluation queue and the leader's completeness
refresh without polling. Real PostgreSQL and, for the live part, the app served by uvicorn with
a real WebSocket client; every wait is on a message, bounded by a timeout."""

from __future__ import annotations

import asyncio

import pytest

from ekinerja.db.sql import fetch
from ekinerja.models.tenant import EvaluasiPeriodik, OutboxEvent
from ekinerja.pelaksanaan.periode import submit
from ekinerja.peristiwa.jenis import MEANING, JenisPeristiwa
from ekinerja.peristiwa.siaran import hub
from ekinerja.skp.lifecycle import Caller
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.faults import served
from tests.support.ids import gid, gid_of
from tests.support.pelaksanaan import build_team
from tests.support.server import settings_for
from tests.test_subscriptions import WAIT, auth, call, socket

SUBMIT = """mutation($skp: ID!, $periode: String!) {
  ajukanEvaluasiPeriodik(skpId: $skp, periode: $periode, catatan: "Selesai") {
  __typename ... on EvaluasiDiajukan { status } ... on MutationError { code field } } }"""

SUBSCRIBE = """subscription($lingkup: LingkupPeristiwa!) {
  peristiwaSkp(lingkup: $lingkup, jenis: ["evaluasi.diajukan"]) {
    cursor jenis entitas entitasId data } }"""


async def announced(tenant) -> list[dict]:
    async with tenant_transaction(as_bound(tenant)):
        rows = await OutboxEvent.filter(jenis="evaluasi.diajukan").order_by("id")
        return [{"entitas": r.entitas, "entitasId": r.entitas_id, **r.data} for r in rows]


def test_the_type_is_known_and_explained():
    assert JenisPeristiwa("evaluasi.diajukan") is JenisPeristiwa.EVALUASI_DIAJUKAN
    assert "submitted" in MEANING[JenisPeristiwa.EVALUASI_DIAJUKAN]


async def test_a_submission_is_announced_once_and_a_refused_one_not(portal, team, tenant):
    skp = gid_of(tenant, team.skp)
    # Not the owner (the penilai): refused, nothing written.
    theirs = await portal.as_(team.kasi, SUBMIT, skp=skp, periode="2026-T1")
    assert theirs["errors"][0]["extensions"]["code"] == "FORBIDDEN", theirs
    # A window of another year: refused at its field, nothing written.
    wrong = await portal.as_(team.staf, SUBMIT, skp=skp, periode="2025-T1")
    assert wrong["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "MutationError", wrong
    assert await announced(tenant) == []

    done = await portal.as_(team.staf, SUBMIT, skp=skp, periode="2026-T1")
    assert done["data"]["ajukanEvaluasiPeriodik"]["status"] == "DIAJUKAN", done
    async with tenant_transaction(as_bound(tenant)):
        evaluasi = await EvaluasiPeriodik.get(skp_id=team.skp.id, periode="2026-T1")
    [event] = await announced(tenant)
    assert event == {
        "entitas": "evaluasi",
        "entitasId": str(evaluasi.id),
        "evaluasiId": evaluasi.id,
        "skpId": team.skp.id,
        "nip": team.staf.nip,
        "tahun": 2026,
        "periode": "2026-T1",
        "diajukanPada": evaluasi.diajukan_pada.isoformat(),
    }
    # Submitting again is refused (the window is closed) and announces nothing more.
    again = await portal.as_(team.staf, SUBMIT, skp=skp, periode="2026-T1")
    assert again["data"]["ajukanEvaluasiPeriodik"]["code"] == "WINDOW_CLOSED", again
    assert len(await announced(tenant)) == 1


class Undone(Exception):
    pass


async def test_the_event_commits_and_rolls_back_with_the_submission(team, tenant):
    with pytest.raises(Undone):
        async with tenant_transaction(as_bound(tenant)):
            await submit(team.skp.id, "2026-T1", Caller(team.staf.id, team.staf.nip), None)
            # Seen before the commit, written by this very transaction.
            [mine] = await fetch(
                "SELECT txid = pg_current_xact_id()::text::bigint AS same FROM outbox_event "
                "WHERE jenis = 'evaluasi.diajukan'"
            )
            assert mine["same"]
            raise Undone
    async with tenant_transaction(as_bound(tenant)):
        assert not await EvaluasiPeriodik.filter(status="DIAJUKAN").exists()
    assert await announced(tenant) == []


async def _submit(base, idp, tenant, team) -> None:
    body = await call(base, auth(idp, tenant, team.staf), SUBMIT,
                      skp=gid_of(tenant, team.skp), periode="2026-T1")  # fmt: skip
    assert body["data"]["ajukanEvaluasiPeriodik"]["status"] == "DIAJUKAN", body


async def test_the_penilai_hears_a_submission_and_nobody_unrelated_does(
    database, idp, tenant, other_tenant, team
):
    setting = settings_for(database)
    siaran = hub(setting)
    lain = await build_team(tenant, "Seksi Lain Sekali")  # another team, same instansi
    jauh = await build_team(other_tenant, "Seksi Jauh")  # a team of another instansi
    async with served(setting) as base, socket(base) as kasi, socket(base) as staf:
        async with socket(base) as staf_lain, socket(base) as kasi_jauh:
            for ws, where, who in ((kasi, tenant, team.kasi), (staf, tenant, team.staf),
                                   (staf_lain, tenant, lain.staf),
                                   (kasi_jauh, other_tenant, jauh.kasi)):  # fmt: skip
                assert (await ws.init(auth(idp, where, who)))["type"] == "connection_ack"
            await kasi.subscribe(SUBSCRIBE, lingkup="BAWAHAN")
            await staf.subscribe(SUBSCRIBE, lingkup="SAYA")
            await staf_lain.subscribe(SUBSCRIBE, lingkup="SAYA")
            await kasi_jauh.subscribe(SUBSCRIBE, lingkup="SEMUA")
            await asyncio.wait_for(siaran.siap(4), WAIT)

            await _submit(base, idp, tenant, team)
            seen = await kasi.event()
            skp_id = gid_of(tenant, team.skp)
            async with tenant_transaction(as_bound(tenant)):
                evaluasi = await EvaluasiPeriodik.get(skp_id=team.skp.id, periode="2026-T1")
            evaluasi_id = gid(tenant, "EvaluasiPeriodik", evaluasi.id)
            assert (seen["jenis"], seen["entitas"]) == ("evaluasi.diajukan", "evaluasi")
            assert seen["entitasId"] == evaluasi_id
            assert {k: seen["data"][k] for k in ("evaluasiId", "skpId", "nip", "tahun",
                                                  "periode")} == {
                "evaluasiId": evaluasi_id, "skpId": skp_id, "nip": team.staf.nip,
                "tahun": 2026, "periode": "2026-T1"}  # fmt: skip
            assert (await staf.event())["cursor"] == seen["cursor"]

            # The unrelated pegawai and the other instansi's penilai each submit or hear their
            # own next: the first event each receives is their own, so the first never reached
            # them (a stream is in commit order).
            await _submit(base, idp, tenant, lain)
            assert (await staf_lain.event())["data"]["skpId"] == gid_of(tenant, lain.skp)
            await _submit(base, idp, other_tenant, jauh)
            assert (await kasi_jauh.event())["data"]["skpId"] == gid_of(other_tenant, jauh.skp)
