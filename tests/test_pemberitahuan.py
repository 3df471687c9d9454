"""Notifications (decision 0041) end to end: real mutations write the outbox, the worker's
producer (`pemberitahuan.pekerja.jalankan`) makes each person's notifications, the GraphQL
fields read and mark them. Idempotency (the producer run again, its place reset), preferences,
deadlines on an injected clock, email through a real local SMTP server (aiosmtpd) with the
instansi's template, and isolation (another person's, another instansi's ids)."""

from __future__ import annotations

import asyncio
import socket
from datetime import datetime, time, timedelta
from decimal import Decimal

import httpx
import pytest
from aiosmtpd.controller import Controller

from ekinerja import pengaturan
from ekinerja.background import run_forever
from ekinerja.kepegawaian.calendar import WIB, pada
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Indikator,
    Pegawai,
    Pemberitahuan,
    PemberitahuanPosisi,
    Rhk,
)
from ekinerja.pemberitahuan import surel
from ekinerja.pemberitahuan.pekerja import jalankan, kirim_surel
from ekinerja.pemberitahuan.tenggat import periksa
from ekinerja.skp.enums import AspekIki, StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.worker import Worker
from tests.support.auth import central_admin_headers
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import Portal, beside_staf, build_team, skp_for
from tests.support.penilaian import build_bidang, fix
from tests.support.query_counter import count_queries

SESUAI = "SESUAI_EKSPEKTASI"
SUBMIT = """mutation($id: ID!, $v: Int!) { ajukanSkp(skpId: $id, versiDiharapkan: $v) {
  __typename ... on MutationError { code field message } } }"""
APPROVE = """mutation($id: ID!, $v: Int!) { setujuiSkp(skpId: $id, versiDiharapkan: $v,
  ekspektasi: [{nilai: "AKUNTABEL", ekspektasi: "Laporan tepat waktu"}]) {
  __typename ... on MutationError { code message } } }"""
RETURN = """mutation($id: ID!, $v: Int!) { kembalikanSkp(skpId: $id, versiDiharapkan: $v,
  catatan: "Lengkapi indikator") { __typename ... on MutationError { code message } } }"""
LIST = """query($unread: Boolean, $first: Int = 20, $after: String) {
  pemberitahuan(filter: {belumDibaca: $unread}, first: $first, after: $after) {
    nodes { id jenis judul isi entitasId dibacaPada } pageInfo { hasNextPage endCursor } }
  jumlahPemberitahuanBelumDibaca }"""
MARK = """mutation($ids: [ID!], $semua: Boolean = false) {
  tandaiPemberitahuanDibaca(id: $ids, semua: $semua) {
  __typename ... on PemberitahuanDitandai { jumlah belumDibaca }
  ... on MutationError { code field } } }"""
PREFS = "{ preferensiPemberitahuan { jenis dalamAplikasi surel } }"
SET_PREFS = """mutation($input: [PreferensiPemberitahuanInput!]!) {
  ubahPreferensiPemberitahuan(input: $input) {
  __typename ... on PreferensiPemberitahuanDiubah { preferensi { jenis dalamAplikasi surel } }
  ... on MutationError { code field } } }"""
AJUKAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id, alasan: "Bukti belum dinilai")
  { __typename ... on Keberatan { id } ... on MutationError { code message } } }"""
PUTUSKAN = """mutation($id: ID!) { putuskanKeberatan(keberatanId: $id, hasil: DITOLAK,
  catatan: "Sudah sesuai") { __typename ... on MutationError { code message } } }"""


async def notes(portal, person, unread: bool | None = None) -> tuple[list[dict], int]:
    body = await portal.as_(person, LIST, unread=unread)
    assert "errors" not in body, body
    return body["data"]["pemberitahuan"]["nodes"], body["data"]["jumlahPemberitahuanBelumDibaca"]


async def submittable(tenant, team):
    """A draft of a new pegawai beside staf (appraised by kasi), ready to submit."""
    async with tenant_transaction(as_bound(tenant)):
        baru = await beside_staf(Org(), team, "Baru")
        baru.email = "baru@example.go.id"
        await baru.save()
        skp = await skp_for(baru, team.kasi, StatusSkp.DRAFT)
        rhk = await Rhk.create(skp=skp, teks="Data tersaji", intervensi_id=team.kasi_rhk.id)
        await Indikator.create(rhk=rhk, teks="Jumlah data", aspek=AspekIki.KUANTITAS,
                               target_min=Decimal(5), satuan="Data")  # fmt: skip
        return baru, skp


async def run(tenant, settings) -> None:
    await jalankan(tenant, settings, tenggat=False)


async def test_submit_notifies_penilai_and_approve_the_owner_once(portal, tenant, settings):
    team = await build_team(tenant)
    baru, skp = await submittable(tenant, team)
    sid = gid_of(tenant, skp)
    submitted = await portal.as_(baru, SUBMIT, id=sid, v=skp.lock_version)
    assert submitted["data"]["ajukanSkp"]["__typename"] == "SkpDiubah", submitted
    await run(tenant, settings)
    found, unread = await notes(portal, team.kasi)
    assert unread == 1 and [n["jenis"] for n in found] == ["SKP_DIAJUKAN"]
    assert found[0]["judul"] == "SKP 2026 diajukan kepada Anda"
    assert "Baru mengajukan SKP tahun 2026" in found[0]["isi"]
    assert found[0]["entitasId"] == sid and found[0]["dibacaPada"] is None
    assert (await notes(portal, baru))[1] == 0

    approved = await portal.as_(team.kasi, APPROVE, id=sid, v=skp.lock_version + 1)
    assert "errors" not in approved, approved
    assert approved["data"]["setujuiSkp"]["__typename"] == "SkpDiubah", approved
    await run(tenant, settings)
    await run(tenant, settings)  # again: nothing new
    found, unread = await notes(portal, baru)
    assert unread == 1 and [n["jenis"] for n in found] == ["SKP_DISETUJUI"]
    assert (await notes(portal, team.kasi))[1] == 1

    # The producer's place lost (a crash before its commit, a restore): nothing twice.
    async with tenant_transaction(as_bound(tenant)):
        await PemberitahuanPosisi.all().update(posisi_txid=0, posisi_id=0)
    await run(tenant, settings)
    async with tenant_transaction(as_bound(tenant)):
        assert await Pemberitahuan.all().count() == 2


async def test_return_read_unread_and_preferences(portal, tenant, settings):
    team = await build_team(tenant)
    baru, skp = await submittable(tenant, team)
    sid = gid_of(tenant, skp)
    off = await portal.as_(team.kasi, SET_PREFS, input=[{"jenis": "SKP_DIAJUKAN",
                                                          "dalamAplikasi": False}])  # fmt: skip
    prefs = off["data"]["ubahPreferensiPemberitahuan"]["preferensi"]
    assert {"jenis": "SKP_DIAJUKAN", "dalamAplikasi": False, "surel": True} in prefs
    twice = await portal.as_(team.kasi, SET_PREFS, input=[{"jenis": "SKP_DIAJUKAN"}] * 2)
    assert twice["data"]["ubahPreferensiPemberitahuan"]["code"] == "INVALID_INPUT"
    assert (await portal.as_(team.kasi, PREFS))["data"]["preferensiPemberitahuan"][0] == {
        "jenis": "SKP_DIAJUKAN", "dalamAplikasi": False, "surel": True}  # fmt: skip

    await portal.as_(baru, SUBMIT, id=sid, v=skp.lock_version)
    returned = await portal.as_(team.kasi, RETURN, id=sid, v=skp.lock_version + 1)
    assert returned["data"]["kembalikanSkp"]["__typename"] == "SkpDiubah", returned
    await portal.as_(baru, SUBMIT, id=sid, v=skp.lock_version + 2)
    await run(tenant, settings)
    assert await notes(portal, team.kasi) == ([], 0)  # in-app off, no SMTP: none made
    found, unread = await notes(portal, baru)
    assert unread == 1 and found[0]["jenis"] == "SKP_DIKEMBALIKAN"
    assert found[0]["judul"] == "SKP 2026 dikembalikan"

    # Read / unread, and marking.
    mark = await portal.as_(baru, MARK, ids=[found[0]["id"]])
    assert mark["data"]["tandaiPemberitahuanDibaca"] == {
        "__typename": "PemberitahuanDitandai", "jumlah": 1, "belumDibaca": 0}  # fmt: skip
    assert (await notes(portal, baru, unread=True))[0] == []
    read, _ = await notes(portal, baru, unread=False)
    assert read[0]["dibacaPada"] is not None
    again = await portal.as_(baru, MARK, ids=[found[0]["id"]])
    assert again["data"]["tandaiPemberitahuanDibaca"]["jumlah"] == 0
    nothing = await portal.as_(baru, MARK)
    assert nothing["data"]["tandaiPemberitahuanDibaca"]["code"] == "INVALID_INPUT"
    # Someone else's notification: refused by the policy (only one's own), never marked.
    theirs = await portal.as_(team.kasi, MARK, ids=[found[0]["id"]])
    assert theirs["errors"][0]["extensions"]["code"] == "FORBIDDEN", theirs
    node = """query($id: ID!) { node(id: $id) { ... on Pemberitahuan { judul dibacaPada } } }"""
    refetched = await portal.as_(baru, node, id=found[0]["id"])
    assert refetched["data"]["node"]["judul"] == "SKP 2026 dikembalikan"
    peeked = await portal.as_(team.kasi, node, id=found[0]["id"])
    assert peeked["errors"][0]["extensions"]["code"] == "FORBIDDEN", peeked
    unknown = await portal.as_(baru, MARK, ids=[found[0]["id"][:-2] + "zz"])
    assert unknown["data"]["tandaiPemberitahuanDibaca"]["code"] == "INVALID_INPUT"
    everything = await portal.as_(baru, MARK, semua=True)
    assert everything["data"]["tandaiPemberitahuanDibaca"]["belumDibaca"] == 0


async def test_evaluation_and_keberatan_notify_owner_and_atasan(portal, tenant, settings):
    bidang = await build_bidang(tenant, analis=1)
    [evaluasi_id] = await fix(portal, bidang, [(SESUAI, SESUAI)])
    me = bidang.analis[0]
    filed = await portal.as_(me, AJUKAN, id=evaluasi_id)
    assert filed["data"]["ajukanKeberatan"]["__typename"] == "Keberatan", filed
    await run(tenant, settings)
    mine, _ = await notes(portal, me)
    assert [n["jenis"] for n in mine] == ["EVALUASI_DITETAPKAN"]
    assert "periode 2026-T1" in mine[0]["isi"] and "predikat BAIK" in mine[0]["isi"]
    atasan, _ = await notes(portal, bidang.kabid)
    assert [n["jenis"] for n in atasan] == ["KEBERATAN_DIAJUKAN"]
    assert (await notes(portal, bidang.kasi))[0] == []

    decided = await portal.as_(bidang.kabid, PUTUSKAN,
                               id=filed["data"]["ajukanKeberatan"]["id"])  # fmt: skip
    assert decided["data"]["putuskanKeberatan"]["__typename"] == "Keberatan", decided
    await run(tenant, settings)
    mine, unread = await notes(portal, me)
    assert [n["jenis"] for n in mine] == ["KEBERATAN_DIPUTUS", "EVALUASI_DITETAPKAN"]
    assert unread == 2 and "(DITOLAK)" in mine[0]["isi"]


async def test_deadlines_once_per_person(portal, tenant, settings):
    team = await build_team(tenant)
    bound = as_bound(tenant)

    async def check(day: datetime, force: bool = True):
        with pada(day):
            async with tenant_transaction(bound):
                return await periksa(False, force=force)

    # Plan submission (31 January by default, 3 days ahead): rekan's 2026 SKP is a draft.
    assert await check(datetime(2026, 1, 20, 9, tzinfo=WIB)) == 0
    assert await check(datetime(2026, 1, 29, 9, tzinfo=WIB)) == 1
    assert await check(datetime(2026, 1, 30, 9, tzinfo=WIB)) == 0  # once per deadline
    assert await check(datetime(2026, 1, 30, 10, tzinfo=WIB), force=False) is None  # daily
    found, _ = await notes(portal, team.rekan)
    assert [n["judul"] for n in found] == ["Batas pengajuan SKP 2026: 31 Januari 2026"]
    # The window's evaluation: staf's approved SKP, 2026-T1 ends 31 March, not submitted.
    assert await check(datetime(2026, 3, 29, 9, tzinfo=WIB)) == 2  # staf and kasi
    found, _ = await notes(portal, team.staf)
    assert found[0]["jenis"] == "TENGGAT_EVALUASI"
    assert "berakhir pada 31 Maret 2026" in found[0]["isi"]

    # Keberatan day 14: a fixed result with an atasan and no keberatan.
    bidang = await build_bidang(tenant, analis=1, tag=" B")
    await fix(portal, bidang, [(SESUAI, SESUAI)])
    async with tenant_transaction(bound):
        fixed = await EvaluasiPeriodik.get(skp_id=bidang.skp_of(bidang.analis[0]).id)
    fixed_on = fixed.ditetapkan_pada.astimezone(WIB).date()
    assert await check(datetime.combine(fixed_on + timedelta(days=5), time(9), WIB)) == 0
    assert await check(datetime.combine(fixed_on + timedelta(days=12), time(9), WIB)) == 1
    assert await check(datetime.combine(fixed_on + timedelta(days=14), time(9), WIB)) == 0
    found, _ = await notes(portal, bidang.analis[0])
    keberatan = [n for n in found if n["jenis"] == "TENGGAT_KEBERATAN"]
    assert len(keberatan) == 1 and "paling lambat" in keberatan[0]["isi"]


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(autouse=True)
def smtp_server_available():
    """Each test starts with the process's SMTP pause over (surel.SERVER)."""
    surel.SERVER.reset()
    yield
    surel.SERVER.reset()


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def test_email_with_the_instansi_template_and_retries(portal, tenant, settings, smtp):
    inbox, port = smtp
    team = await build_team(tenant)
    baru, skp = await submittable(tenant, team)
    with_smtp = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none",
                "smtp_from": "kinerja@x.go.id"}
    )  # fmt: skip
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=team.kasi.id).update(email="kasi@example.go.id")
        await pengaturan.tetapkan("pemberitahuan.templat", {"SKP_DIAJUKAN": {
            "judul": "Mohon periksa SKP {tahun}", "isi": "Yth. {nama}, SKP milik {nama_pegawai} "
            "menunggu persetujuan Anda."}}, "test")  # fmt: skip
    # Email off for approvals: baru gets the approval in the app only.
    await portal.as_(baru, SET_PREFS, input=[{"jenis": "SKP_DISETUJUI", "surel": False}])
    sid = gid_of(tenant, skp)
    await portal.as_(baru, SUBMIT, id=sid, v=skp.lock_version)
    await jalankan(tenant, with_smtp, tenggat=False)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message.rcpt_tos == ["kasi@example.go.id"]
    assert message.mail_from == "kinerja@x.go.id"
    text = message.content.decode()
    assert "Subject: Mohon periksa SKP 2026" in text
    assert "Yth. Kasi, SKP milik Baru menunggu persetujuan Anda." in text
    found, _ = await notes(portal, team.kasi)
    assert found[0]["judul"] == "Mohon periksa SKP 2026"

    await portal.as_(team.kasi, APPROVE, id=sid, v=skp.lock_version + 1)
    await jalankan(tenant, with_smtp, tenggat=False)
    assert len(inbox.messages) == 1  # baru turned approval emails off
    assert (await notes(portal, baru))[0][0]["jenis"] == "SKP_DISETUJUI"

    # The server gone: the email waits for a retry, then is sent once it is back.
    async with tenant_transaction(as_bound(tenant)):
        row = await Pemberitahuan.get(pegawai_id=team.kasi.id)
        await Pemberitahuan.filter(id=row.id).update(
            surel_status="MENUNGGU", surel_berikutnya_pada=row.dibuat_pada
        )
    gone = with_smtp.model_copy(update={"smtp_port": 1, "smtp_timeout_seconds": 2})
    assert await jalankan(tenant, gone, tenggat=False) == 1
    async with tenant_transaction(as_bound(tenant)):
        row = await Pemberitahuan.get(id=row.id)
        assert (row.surel_status, row.surel_percobaan) == ("MENUNGGU", 2)  # 1 sent before
        assert row.surel_galat
        await Pemberitahuan.filter(id=row.id).update(surel_berikutnya_pada=row.dibuat_pada)
    surel.SERVER.reset()  # the pause after a failure (surel.BACKOFF) has passed
    await jalankan(tenant, with_smtp, tenggat=False)
    await asyncio.sleep(0)
    assert len(inbox.messages) == 2
    async with tenant_transaction(as_bound(tenant)):
        assert (await Pemberitahuan.get(id=row.id)).surel_status == "TERKIRIM"


async def test_only_ones_own_and_only_this_instansi(portal, tenant, other_tenant, settings):
    team = await build_team(tenant)
    baru, skp = await submittable(tenant, team)
    await portal.as_(baru, SUBMIT, id=gid_of(tenant, skp), v=skp.lock_version)
    await run(tenant, settings)
    [note], _ = await notes(portal, team.kasi)
    # No pegawai of the instansi (a central admin): refused, not someone's list.
    admin = await portal.api.post(
        "/graphql", json={"query": LIST}, headers=central_admin_headers(portal.idp, tenant.kode)
    )
    assert admin.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The same person's id guessed from another instansi is refused as another instansi's.
    other_team = await build_team(other_tenant)
    other = Portal(portal.api, portal.idp, other_tenant)
    guessed = await other.as_(other_team.kasi, MARK, ids=[note["id"]])
    assert guessed["data"]["tandaiPemberitahuanDibaca"]["code"] == "ID_OF_OTHER_INSTANSI"
    assert (await notes(other, other_team.kasi)) == ([], 0)
    assert (await notes(portal, team.kasi))[1] == 1


async def test_the_running_worker_makes_them_on_commit(portal, tenant, database, settings):
    """`run_forever` with an hour between sweeps: after its first pass, only the outbox's
    notification on commit wakes it, and the penilai's notification follows the submission."""
    team = await build_team(tenant)
    baru, skp = await submittable(tenant, team)
    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        runner = Worker(settings.model_copy(update={"worker_sweep_seconds": 3600}), http)
        running = asyncio.create_task(run_forever(runner, database, stop))
        try:
            await asyncio.sleep(0.5)  # its first pass
            await portal.as_(baru, SUBMIT, id=gid_of(tenant, skp), v=skp.lock_version)
            for _ in range(100):
                if (await notes(portal, team.kasi))[1]:
                    break
                await asyncio.sleep(0.1)
        finally:
            stop.set()
            await running
    found, unread = await notes(portal, team.kasi)
    assert unread == 1 and found[0]["jenis"] == "SKP_DIAJUKAN"


async def test_a_frozen_smtp_server_costs_one_timeout_per_pause_not_one_per_email(
    portal, tenant, settings
):
    """A server that accepts the connection and never answers fails an email only after the
    timeout, in the worker's loop where webhooks wait. After the first failure the rest of the
    batch is left for later and nothing is sent for surel.BACKOFF: one timeout, not one per
    email of every instansi."""
    team = await build_team(tenant)
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=team.kasi.id).update(email="kasi@example.go.id")
        for n in range(3):
            await Pemberitahuan.create(
                pegawai_id=team.kasi.id, jenis="SKP_DIAJUKAN", kunci=f"uji:{n}",
                entitas="skp", entitas_id=str(n), judul="Uji", isi="Uji",
                surel_status=surel.MENUNGGU, surel_berikutnya_pada=surel.sekarang(),
            )  # fmt: skip
    with socket.socket() as frozen:  # listens, never accepts: the client waits for a greeting
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(8)
        settings_frozen = settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": frozen.getsockname()[1],
                    "smtp_tls": "none", "smtp_from": "kinerja@x.go.id",
                    "smtp_timeout_seconds": 0.2}
        )  # fmt: skip
        assert await kirim_surel(tenant, settings_frozen) == 3  # all still due
        assert not surel.SERVER.available()
        assert await kirim_surel(tenant, settings_frozen) == 1  # paused: nothing claimed
    async with tenant_transaction(as_bound(tenant)):
        tried = await Pemberitahuan.filter(pegawai_id=team.kasi.id).values_list(
            "surel_percobaan", flat=True
        )
    assert sorted(tried) == [0, 0, 1]  # one attempt, one timeout


NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Pemberitahuan { judul } } }"""


async def test_nodes_reads_ones_own_notifications_batched(portal, tenant):
    """`nodes(ids)` of notifications: one's own only (another's is null), and as many
    statements for eight as for one (they were read one row at a time)."""
    team = await build_team(tenant)
    async with tenant_transaction(as_bound(tenant)):
        mine = [
            await Pemberitahuan.create(
                pegawai_id=team.kasi.id,
                jenis="SKP_DIAJUKAN",
                kunci=f"node:{n}",
                entitas="skp",
                entitas_id=str(n),
                judul=f"Uji {n}",
                isi="Uji",
            )  # fmt: skip
            for n in range(8)
        ]
        theirs = await Pemberitahuan.create(
            pegawai_id=team.staf.id, jenis="SKP_DIAJUKAN", kunci="node:lain",
            entitas="skp", entitas_id="9", judul="Milik staf", isi="Uji",
        )  # fmt: skip
    ids = [gid_of(tenant, row) for row in mine]

    async def count(node_ids: list[str]) -> tuple[int, list]:
        with count_queries() as statements:
            body = await portal.as_(team.kasi, NODES, ids=node_ids)
        return len(statements), body["data"]["nodes"]

    await count(ids[:1])  # warm the issuer cache
    one, [first] = await count(ids[:1])
    eight, found = await count(ids)
    assert first == {"id": ids[0], "judul": "Uji 0"}
    assert [n["judul"] for n in found] == [f"Uji {n}" for n in range(8)]
    assert eight == one
    _, [other] = await count([gid_of(tenant, theirs)])
    assert other is None  # another pegawai's notification, by a guessed id
