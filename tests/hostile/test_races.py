"""Check-then-write races: N requests at once, each in its own task, request, transaction and
pooled connection, against the app on real PostgreSQL (issue 14, defect 8).

Requests on one event loop might happen to run one after the other, so each race is forced:
every contender stops right before its write (`Race.hold`) until all contenders have either
reached that point (nothing serialises them: they all passed the check, and all write) or
asked for the advisory lock that serialises them (`Race.at_lock`: the first holds it, the
others will wait for its commit). Without the lock every contender writes; with it, the
outcome is one of the orders they could have run in one after the other, refusals as data.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import replace
from datetime import date

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.db import locks
from ekinerja.db.config import CONNECTION
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import (
    BuktiDukung,
    EvaluasiPeriodik,
    Keberatan,
    KinerjaOrganisasi,
    PeriodeTahun,
    ProgresHarian,
    Realisasi,
    RencanaAksi,
    Rhk,
    Skp,
    TenantSetting,
    WebhookLangganan,
)
from ekinerja.pelaksanaan import periode as windows
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian import evaluasi, penetapan
from ekinerja.skp import lifecycle
from ekinerja.skp import periode as periods
from ekinerja.skp.enums import StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks import langganan
from tests.support.auth import bearer, client_token
from tests.support.ids import gid, gid_of, row_of
from tests.support.pelaksanaan import Portal, progres_row, skp_for
from tests.support.penilaian import (
    RATE,
    SET_PREDIKAT,
    SUBMIT,
    TETAPKAN,
    build_bidang,
    submit_and_rate,
)

N = 10
SESUAI = ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI")
_contender: ContextVar[int] = ContextVar("race_contender")


class Race:
    def __init__(self, n: int = N) -> None:
        self.n = n
        self._arrived: set[int] = set()
        self._all_in = asyncio.Event()

    def _arrive(self) -> None:
        self._arrived.add(_contender.get())
        if len(self._arrived) >= self.n:
            self._all_in.set()

    async def _all_arrived(self) -> None:
        # A bound on a broken race (never reached when it works): fail instead of hanging.
        async with asyncio.timeout(60):
            await self._all_in.wait()

    def at_lock(self, lock: Callable[..., Awaitable]) -> Callable[..., Awaitable]:
        """Wrap the lock: asking for it counts as arriving (the asker does not wait here)."""

        async def asking(*args, **kwargs):
            self._arrive()
            return await lock(*args, **kwargs)

        return asking

    def arriving(self, call: Callable) -> Callable:
        """Wrap a synchronous call that precedes a row lock: reaching it counts as arriving."""

        def arrived(*args, **kwargs):
            self._arrive()
            return call(*args, **kwargs)

        return arrived

    def hold(self, write: Callable[..., Awaitable]) -> Callable[..., Awaitable]:
        """Wrap the write: hold every contender here until all have arrived somewhere."""

        async def held(*args, **kwargs):
            self._arrive()
            await self._all_arrived()
            return await write(*args, **kwargs)

        return held

    def after(self, check: Callable[..., Awaitable]) -> Callable[..., Awaitable]:
        """Wrap a read: hold its result until all have arrived (the reader acts on it later)."""

        async def read_then_held(*args, **kwargs):
            result = await check(*args, **kwargs)
            self._arrive()
            await self._all_arrived()
            return result

        return read_then_held

    async def run(self, *attempts: Callable[[], Awaitable]) -> list:
        """Each attempt at once in its own task; one attempt given: it N times."""
        attempts = attempts if len(attempts) > 1 else attempts * self.n
        assert len(attempts) == self.n

        async def contender(number: int, attempt):
            _contender.set(number)
            return await attempt()

        return await asyncio.gather(*(contender(i, a) for i, a in enumerate(attempts)))


def outcome(result: dict, field: str) -> str:
    """A response's __typename, or its error code as data: never an unexpected error."""
    assert "errors" not in result, result
    answer = result["data"][field]
    return answer.get("code") or answer["__typename"]


def outcomes(results: list[dict], field: str) -> list[str]:
    return sorted(outcome(r, field) for r in results)


async def in_tenant(tenant, read: Callable[[], Awaitable]):
    async with tenant_transaction(as_bound(tenant)):
        return await read()


def test_the_pool_has_room_for_every_contender(settings):
    assert settings.db_pool_max > N


# ------------------------------------------------------------------ createSkp

CREATE_SKP = """mutation($tahun: Int!) { buatSkp(input: {tahun: $tahun, pendekatan: KUANTITATIF})
  { __typename ... on MutationError { code message field } } }"""


async def test_concurrent_create_skp_makes_one_skp(portal: Portal, team, tenant, monkeypatch):
    race = Race()
    monkeypatch.setattr(lifecycle, "serialize", race.at_lock(lifecycle.serialize))
    monkeypatch.setattr(lifecycle, "skp_snapshots", race.hold(lifecycle.skp_snapshots))

    results = await race.run(lambda: portal.as_(team.staf, CREATE_SKP, tahun=2027))

    assert outcomes(results, "buatSkp") == ["OVERLAPPING_SKP"] * (N - 1) + ["SkpDiubah"]
    assert await in_tenant(tenant, Skp.filter(pegawai_id=team.staf.id, tahun=2027).count) == 1


async def test_a_lock_holds_its_own_tenant_only(tenant, other_tenant):
    """The same pegawai id in two tenants: two different locks."""
    a_holds, done = asyncio.Event(), asyncio.Event()

    async def hold_in_a():
        async with tenant_transaction(as_bound(tenant)):
            await locks.serialize("skp", 1)
            a_holds.set()
            await done.wait()

    async def take(instansi) -> bool:
        """Whether the lock is free to take now (a lock wait ends at once in lock_timeout)."""
        await a_holds.wait()
        try:
            async with tenant_transaction(as_bound(instansi)) as transaction:
                await transaction.execute_query("SET LOCAL lock_timeout = '10ms'")
                await locks.serialize("skp", 1)
            return True
        except Exception as error:  # the lock timeout, however the ORM layer wraps it
            while not isinstance(error, asyncpg.LockNotAvailableError):
                assert error.__cause__ is not None, error
                error = error.__cause__
            return False

    async def try_both():
        try:
            return await take(other_tenant), await take(tenant)
        finally:
            done.set()

    _, (in_other, in_same) = await asyncio.gather(hold_in_a(), try_both())
    assert (in_other, in_same) == (True, False)


async def test_an_unbound_lock_still_locks():
    """Outside a tenant binding current_schema() is NULL; the key must not become NULL (a NULL
    key locks nothing)."""
    async with in_transaction(CONNECTION) as connection:
        await locks.serialize("x", 1)
        held = await connection.execute_query_dict(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND granted"
        )
    assert held[0]["n"] == 1


# ------------------------------------------------------------------ keberatan, evaluasi

AJUKAN_KEBERATAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id, alasan: "Balapan") {
  __typename ... on MutationError { code message } } }"""


async def test_concurrent_keberatan_on_one_evaluation_files_one(portal, tenant, monkeypatch):
    """Held by the evaluation's row lock (and the unique key): the others are told it was
    filed."""
    bidang = await build_bidang(tenant, analis=1)
    [evaluasi_id] = await submit_and_rate(portal, bidang, [SESUAI])
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    race = Race()
    monkeypatch.setattr(
        EvaluasiPeriodik, "select_for_update", race.arriving(EvaluasiPeriodik.select_for_update)
    )
    monkeypatch.setattr(Keberatan, "create", race.hold(Keberatan.create))

    me = bidang.analis[0]
    results = await race.run(lambda: portal.as_(me, AJUKAN_KEBERATAN, id=evaluasi_id))

    assert outcomes(results, "ajukanKeberatan") == ["KEBERATAN_CLOSED"] * (N - 1) + ["Keberatan"]
    assert await in_tenant(tenant, Keberatan.filter(evaluasi_id=row_of(evaluasi_id)).count) == 1


async def test_concurrent_submissions_of_one_window_submit_once(portal, tenant, monkeypatch):
    """Held by the unique (skp, periode) key: the losers find the winner's evaluation."""
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    race = Race()
    monkeypatch.setattr(EvaluasiPeriodik, "create", race.hold(EvaluasiPeriodik.create))

    skp = gid_of(portal.tenant, bidang.skp_of(me))
    results = await race.run(lambda: portal.as_(me, SUBMIT, skp=skp, periode="2026-T1"))

    assert outcomes(results, "ajukanEvaluasiPeriodik") == ["EvaluasiDiajukan"] + [
        "WINDOW_CLOSED"
    ] * (N - 1)
    count = EvaluasiPeriodik.filter(skp_id=row_of(skp), periode="2026-T1").count
    assert await in_tenant(tenant, count) == 1


# ------------------------------------------------------------------ penetapan


async def test_concurrent_first_predikat_of_a_unit_keeps_one_row(portal, tenant, monkeypatch):
    """Setting is an upsert: every contender succeeds, one after the other, on one row."""
    bidang = await build_bidang(tenant, analis=1)
    race = Race()
    monkeypatch.setattr(evaluasi, "serialize", race.at_lock(evaluasi.serialize))
    monkeypatch.setattr(KinerjaOrganisasi, "create", race.hold(KinerjaOrganisasi.create))

    unit = gid_of(portal.tenant, bidang.seksi)
    results = await race.run(
        lambda: portal.as_(
            bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK"
        )  # fmt: skip
    )

    assert outcomes(results, "aturPredikatOrganisasi") == ["PredikatOrganisasiDiatur"] * N
    rows = KinerjaOrganisasi.filter(unit_id=bidang.seksi.id, periode="2026-T1").count
    assert await in_tenant(tenant, rows) == 1


async def ready_for_penetapan(portal, tenant, rated: int, waiting: int = 0):
    """A seksi whose first ``rated`` analis are rated BAIK for 2026-T1 (``waiting`` more have
    not submitted yet) and whose predikat is set: the bidang and the seksi's id."""
    bidang = await build_bidang(tenant, analis=rated + waiting)
    await submit_and_rate(portal, replace(bidang, analis=bidang.analis[:rated]), [SESUAI] * rated)
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    return bidang, unit


def batch_race(monkeypatch) -> Race:
    """Penetapan and one other change, each arriving when it asks for the batch's lock."""
    race = Race(2)
    monkeypatch.setattr(evaluasi, "serialize", race.at_lock(evaluasi.serialize))
    return race


async def test_a_submission_racing_penetapan_is_not_left_in_the_fixed_batch(
    portal, tenant, monkeypatch
):
    """Penetapan checks that no evaluation waits, then fixes the batch; a submission checks the
    batch is open, then submits. Both may not pass: one goes first, the other is refused."""
    bidang, unit = await ready_for_penetapan(portal, tenant, rated=1, waiting=1)
    late = bidang.analis[1]
    race = batch_race(monkeypatch)
    monkeypatch.setattr(penetapan, "record", race.hold(penetapan.record))
    monkeypatch.setattr(windows, "record", race.hold(windows.record))

    fixed, submitted = await race.run(
        lambda: portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1"),
        lambda: portal.as_(
            late, SUBMIT, skp=gid_of(portal.tenant, bidang.skp_of(late)), periode="2026-T1"
        ),
    )

    assert sorted([outcome(fixed, "tetapkanKinerjaUnit"),
                   outcome(submitted, "ajukanEvaluasiPeriodik")]) in (
        ["EvaluasiDiajukan", "NOT_ALL_RATED"], ["LOCKED", "PenetapanSelesai"],
    )  # fmt: skip
    waiting = EvaluasiPeriodik.filter(
        skp_id=bidang.skp_of(late).id, periode="2026-T1", status=StatusEvaluasi.DIAJUKAN,
        unit_id=bidang.seksi.id,
    ).exists  # fmt: skip
    batch_fixed = KinerjaOrganisasi.filter(
        unit_id=bidang.seksi.id, periode="2026-T1", ditetapkan_pada__isnull=False
    ).exists
    assert not (await in_tenant(tenant, waiting) and await in_tenant(tenant, batch_fixed))


async def test_a_rating_racing_penetapan_cannot_change_the_checked_curve(
    portal, tenant, monkeypatch
):
    """Penetapan checks the batch's distribution against the curve, then fixes it; a rating
    changed in between would be fixed unchecked. Whatever the order, the recorded distribution
    is that of the evaluations fixed."""
    bidang, unit = await ready_for_penetapan(portal, tenant, rated=2)
    skp = bidang.skp_of(bidang.analis[0])
    found = await in_tenant(tenant, lambda: EvaluasiPeriodik.get(skp_id=skp.id, periode="2026-T1"))
    race = batch_race(monkeypatch)
    monkeypatch.setattr(penetapan, "distribution", race.after(penetapan.distribution))
    monkeypatch.setattr(evaluasi, "record", race.hold(evaluasi.record))

    fixed, rerated = await race.run(
        lambda: portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1"),
        lambda: portal.as_(
            bidang.kasi,
            RATE,
            id=gid_of(portal.tenant, found),
            v=found.lock_version,
            hasil="DI_ATAS_EKSPEKTASI",
            perilaku="DI_ATAS_EKSPEKTASI",
        ),  # fmt: skip
    )

    assert outcome(fixed, "tetapkanKinerjaUnit") == "PenetapanSelesai"
    assert outcome(rerated, "nilaiEvaluasi") in ("EvaluasiPeriodik", "STALE_VERSION")

    async def recorded_and_fixed():
        kinerja = await KinerjaOrganisasi.get(unit_id=bidang.seksi.id, periode="2026-T1")
        predikat = await EvaluasiPeriodik.filter(
            unit_id=bidang.seksi.id, periode="2026-T1", status=StatusEvaluasi.DITETAPKAN
        ).values_list("predikat", flat=True)
        return {k: n for k, n in kinerja.distribusi.items() if n}, dict(Counter(predikat))

    recorded, fixed_now = await in_tenant(tenant, recorded_and_fixed)
    assert recorded == fixed_now


# ------------------------------------------------------------------ settings, cadence

SET_SETTING = """mutation($nilai: JSON!) { ubahPengaturan(kunci: "keberatan.batas_hari",
  nilai: $nilai) { __typename ... on MutationError { code message } } }"""


async def test_concurrent_first_setting_of_a_key_keeps_one_row(portal, team, tenant, monkeypatch):
    """An upsert: every contender succeeds, one after the other; the last value stays."""
    race = Race()
    monkeypatch.setattr(pengaturan.writer, "serialize", race.at_lock(pengaturan.writer.serialize))
    monkeypatch.setattr(TenantSetting, "create", race.hold(TenantSetting.create))

    results = await race.run(
        *(
            lambda days=days: portal.as_(team.kasi, SET_SETTING, Role.ADMIN_INSTANSI, nilai=days)
            for days in range(15, 15 + N)
        )
    )

    assert outcomes(results, "ubahPengaturan") == ["Pengaturan"] * N
    rows = await in_tenant(tenant, lambda: TenantSetting.filter(key="keberatan.batas_hari").all())
    assert len(rows) == 1 and rows[0].value in range(15, 15 + N)


SET_KADENSI = """mutation { aturKadensi(tahun: 2027, kadensi: BULANAN) {
  __typename ... on MutationError { code message } } }"""
SAVE_RENCANA = """mutation($skp: ID!, $rhk: ID!) { simpanRencanaAksi(skpId: $skp,
  versiDiharapkan: 1, rhkId: $rhk, periode: "2027-T1", butir: [{teks: "Rencana"}]) {
  __typename ... on MutationError { code message field } } }"""


async def test_a_cadence_change_racing_a_plan_orphans_nothing(portal, team, tenant, monkeypatch):
    """Changing a year's cadence is refused once rencana aksi are planned in its windows, and a
    plan names a window of the cadence: one of the two goes first, the other is refused."""

    async def draft_2027():
        skp = await skp_for(team.staf, team.kasi, StatusSkp.DRAFT)
        skp.tahun, skp.periode_awal, skp.periode_akhir = 2027, date(2027, 1, 1), date(2027, 12, 31)
        await skp.save()
        return skp, await Rhk.create(skp=skp, teks="Rencana 2027")

    skp, rhk = await in_tenant(tenant, draft_2027)
    race = Race(2)
    monkeypatch.setattr(periods, "serialize", race.at_lock(periods.serialize))
    monkeypatch.setattr(PeriodeTahun, "update_or_create", race.hold(PeriodeTahun.update_or_create))
    monkeypatch.setattr(RencanaAksi, "bulk_create", race.hold(RencanaAksi.bulk_create))

    kadensi, planned = await race.run(
        lambda: portal.as_(team.kasi, SET_KADENSI, Role.ADMIN_INSTANSI),
        lambda: portal.as_(
            team.staf, SAVE_RENCANA, skp=gid_of(portal.tenant, skp), rhk=gid_of(portal.tenant, rhk)
        ),
    )

    assert sorted([outcome(kadensi, "aturKadensi"), outcome(planned, "simpanRencanaAksi")]) in (
        ["KADENSI_LOCKED", "SkpDiubah"], ["INVALID_INPUT", "KadensiDiatur"],
    )  # fmt: skip

    async def orphans():
        kadensi = await periods.kadensi_of(2027)
        known = {w.kode for w in periods.windows(2027, kadensi)}
        planned = await RencanaAksi.filter(rhk_id=rhk.id).values_list("periode", flat=True)
        return [p for p in planned if p not in known]

    assert await in_tenant(tenant, orphans) == []


# ------------------------------------------------------------------ webhook subscriptions

SUBSCRIBE = """mutation { buatWebhookLangganan(url: "http://127.0.0.1:9/hook",
  jenis: ["skp.disetujui"]) { __typename ... on MutationError { code message } } }"""


async def test_concurrent_subscriptions_stop_at_the_limit(portal, tenant, monkeypatch):
    client_id = f"race-{tenant.kode.lower()}"
    client = await ApiClient.create(client_id=client_id, nama="Race", scopes=["webhooks:manage"])
    await ApiClientGrant.create(api_client=client, instansi=tenant)

    async def fill_to_one_below_the_limit():
        for number in range(langganan.MAX_PER_CLIENT - 1):
            await WebhookLangganan.create(
                client_id=client_id, url=f"http://127.0.0.1:9/{number}", jenis=["skp.disetujui"],
                rahasia="x",
            )  # fmt: skip

    await in_tenant(tenant, fill_to_one_below_the_limit)
    race = Race()
    monkeypatch.setattr(langganan, "serialize", race.at_lock(langganan.serialize))
    monkeypatch.setattr(WebhookLangganan, "create", race.hold(WebhookLangganan.create))
    headers = bearer(client_token(portal.idp, client_id, "webhooks:manage")) | {
        "X-Instansi": tenant.kode
    }

    async def subscribe():
        answer = await portal.api.post("/graphql", json={"query": SUBSCRIBE}, headers=headers)
        return answer.json()

    results = await race.run(subscribe)

    assert outcomes(results, "buatWebhookLangganan") == ["TOO_MANY"] * (N - 1) + ["WebhookTerbit"]
    active = WebhookLangganan.filter(client_id=client_id, aktif=True).count
    assert await in_tenant(tenant, active) == langganan.MAX_PER_CLIENT


RESUME = """mutation($id: ID!) { ubahWebhookLangganan(id: $id, aktif: true) {
  __typename ... on MutationError { code message } } }"""


async def test_concurrent_resumes_stop_at_the_limit(portal, tenant, monkeypatch):
    """One below the limit and N paused: resuming them all at once leaves one resumed."""
    client_id = f"resume-{tenant.kode.lower()}"
    client = await ApiClient.create(client_id=client_id, nama="Resume", scopes=["webhooks:manage"])
    await ApiClientGrant.create(api_client=client, instansi=tenant)

    async def fill_and_pause_n() -> list[int]:
        for number in range(langganan.MAX_PER_CLIENT - 1 + N):
            await WebhookLangganan.create(
                client_id=client_id, url=f"http://127.0.0.1:9/{number}", jenis=["skp.disetujui"],
                rahasia="x", aktif=number < langganan.MAX_PER_CLIENT - 1,
            )  # fmt: skip
        paused = WebhookLangganan.filter(client_id=client_id, aktif=False)
        return await paused.values_list("id", flat=True)

    paused = await in_tenant(tenant, fill_and_pause_n)
    race = Race()
    monkeypatch.setattr(langganan, "serialize", race.at_lock(langganan.serialize))
    monkeypatch.setattr(WebhookLangganan, "save", race.hold(WebhookLangganan.save))
    headers = bearer(client_token(portal.idp, client_id, "webhooks:manage")) | {
        "X-Instansi": tenant.kode
    }

    async def resume(langganan_id: int) -> dict:
        variables = {"id": gid(tenant, "WebhookLangganan", langganan_id)}
        answer = await portal.api.post(
            "/graphql", json={"query": RESUME, "variables": variables}, headers=headers
        )
        return answer.json()

    results = await race.run(*(lambda i=i: resume(i) for i in paused))

    assert outcomes(results, "ubahWebhookLangganan") == ["TOO_MANY"] * (N - 1) + [
        "WebhookLangganan"
    ]
    active = WebhookLangganan.filter(client_id=client_id, aktif=True).count
    assert await in_tenant(tenant, active) == langganan.MAX_PER_CLIENT


# ------------------------------------------------------------------ writes into a window

CREATE_PROGRES = """mutation($input: ProgresHarianInput!) { buatProgresHarian(input: $input) {
  __typename ... on ProgresHarianDisimpan { progres { id } }
  ... on BarisDitolak { code baris { field message } } ... on MutationError { code } } }"""
UPDATE_PROGRES = """mutation($id: ID!, $input: ProgresHarianInput!) {
  ubahProgresHarian(progresId: $id, input: $input) { __typename
  ... on BarisDitolak { code } ... on MutationError { code } } }"""
DELETE_PROGRES = """mutation($id: ID!) { hapusProgresHarian(progresId: $id) {
  __typename ... on MutationError { code } } }"""
SAVE_REALISASI = """mutation($input: RealisasiInput!) { simpanRealisasi(input: $input) {
  __typename ... on MutationError { code } } }"""
ADD_LINK = """mutation($input: TautanBuktiInput!) { tambahTautanBuktiDukung(input: $input) {
  __typename ... on MutationError { code } } }"""


def _writes(tenant, team, entry: str, realisasi: str) -> dict[str, tuple[str, str, dict]]:
    """Each way to write into window 2026-T1: (mutation, field, variables)."""
    row = progres_row(tenant, team.rencana())
    return {
        "create progres": (CREATE_PROGRES, "buatProgresHarian", {"input": row}),
        "update progres": (UPDATE_PROGRES, "ubahProgresHarian",
                           {"id": entry, "input": row | {"kegiatan": "Diubah"}}),
        "delete progres": (DELETE_PROGRES, "hapusProgresHarian", {"id": entry}),
        "save realisasi": (SAVE_REALISASI, "simpanRealisasi", {"input": {
            "indikatorId": gid_of(tenant, team.dokumen), "periode": "2026-T1", "kuantitas": "5"}}),
        "add evidence": (ADD_LINK, "tambahTautanBuktiDukung", {"input": {
            "realisasiId": realisasi, "nama": "Drive", "tautan": "https://drive.example/a"}}),
    }  # fmt: skip


async def window_records(tenant, skp_id: int) -> tuple:
    """Everything recorded in the SKP's window 2026-T1."""

    async def read():
        progres = ProgresHarian.filter(skp_id=skp_id, periode="2026-T1").order_by("id")
        realisasi = Realisasi.filter(skp_id=skp_id, periode="2026-T1").order_by("id")
        return (
            await progres.values_list("id", "kegiatan"),
            [(i, str(k)) for i, k in await realisasi.values_list("id", "kuantitas")],
            await BuktiDukung.filter(skp_id=skp_id).order_by("id").values_list("id", flat=True),
        )

    return await in_tenant(tenant, read)


@pytest.mark.parametrize("write", ["create progres", "update progres", "delete progres",
                                   "save realisasi", "add evidence"])  # fmt: skip
async def test_no_write_lands_in_a_window_after_its_submission_returned(
    portal, team, tenant, monkeypatch, write
):
    """A write checks that the window is open, then writes; the pegawai submits the window in
    between. Forced order: the write has checked before the submission writes, and the write
    goes on only once the submission has returned (or waits for the window's lock, when there
    is one). What the window holds when the submission returns must stay: the write either
    committed before the submission could, or is refused WINDOW_CLOSED."""
    saved = await portal.as_(
        team.staf, CREATE_PROGRES, input=progres_row(portal.tenant, team.rencana())
    )
    entry = saved["data"]["buatProgresHarian"]["progres"][0]["id"]
    realisasi = await in_tenant(
        tenant,
        lambda: Realisasi.create(
            indikator=team.dokumen, skp=team.skp, periode="2026-T1", kuantitas=3
        ),
    )
    query, field, variables = _writes(portal.tenant, team, entry, gid_of(portal.tenant, realisasi))[
        write
    ]
    writer_arrived, submitter_arrived = asyncio.Event(), asyncio.Event()

    async def waiting(event: asyncio.Event) -> None:
        async with asyncio.timeout(60):  # a broken race fails instead of hanging
            await event.wait()

    async def window_lock(*key, shared: bool = False):
        (writer_arrived if shared else submitter_arrived).set()  # asking counts as arriving
        return await windows_serialize(*key, shared=shared)

    async def checked(skp_ids):
        closed = await closed_windows(skp_ids)
        writer_arrived.set()
        await waiting(submitter_arrived)
        return closed

    async def submitted_after_the_check(*args, **kwargs):
        await waiting(writer_arrived)
        return await record(*args, **kwargs)

    windows_serialize, closed_windows = windows.serialize, windows.closed_windows
    record = windows.record
    monkeypatch.setattr(windows, "serialize", window_lock)
    monkeypatch.setattr(windows, "closed_windows", checked)
    monkeypatch.setattr(windows, "record", submitted_after_the_check)

    async def submit():
        answer = await portal.as_(
            team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
        )
        at_return = await window_records(tenant, team.skp.id)
        submitter_arrived.set()  # done: a write held after its check may go on
        return answer, at_return

    (submission, at_return), written = await asyncio.gather(
        submit(), portal.as_(team.staf, query, **variables)
    )

    assert outcome(submission, "ajukanEvaluasiPeriodik") == "EvaluasiDiajukan"
    refused = ("WINDOW_CLOSED", "INVALID_ROWS")  # new rows: refused as a bad row, by window
    done = ("ProgresHarianDisimpan", "Dihapus", "RealisasiDisimpan", "BuktiDukung")
    assert outcome(written, field) in refused + done, written
    assert await window_records(tenant, team.skp.id) == at_return
