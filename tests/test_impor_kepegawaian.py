"""Issue 15, item 10: the admin instansi imports pegawai and units over HTTP, as background jobs:
upload, a dry run listing every row error, apply; progress; a job runs exactly once when
runners race or one dies mid-job; only the admin instansi, only in their own instansi; the
upload limits. The runner is driven directly (one pass at a time), never waited for."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from openpyxl import Workbook

from ekinerja.auth.principal import Role
from ekinerja.background import run_forever
from ekinerja.db.sql import fetch
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.calendar import ZONE_SETTING, pada
from ekinerja.kepegawaian.impor import jobs
from ekinerja.kepegawaian.impor.runner import jalankan, run_pass
from ekinerja.kepegawaian.importer import import_unor, write_csv
from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import AuditEvent, ImporKepegawaian, Pegawai
from ekinerja.supervision import running_loops
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.worker import Worker
from tests.hostile.test_imports import zip_bomb
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import (
    bearer,
    central_admin_headers,
    client_token,
    principal_header,
)
from tests.support.ids import row_of, same_row_in
from tests.support.kepegawaian_db import table_counts
from tests.support.pegawai_rows import nip, row, small_agency
from tests.support.server import settings_for
from tests.test_migrations import run_cli

URL = "/kepegawaian/impor"
ADMIN_NIP = nip(3)  # Budi Santoso of small_agency(): a pegawai once the file is in
NOTHING = {
    "UnitKerja": 0,
    "UnitKerjaVersi": 0,
    "Jabatan": 0,
    "Pegawai": 0,
    "Penugasan": 0,
    "AuditEvent": 0,
}


def csv_body(rows: list[dict[str, str]]) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pegawai.csv"
        write_csv(path, rows, PEGAWAI_COLUMNS)
        return path.read_bytes()


def bad_rows() -> list[dict[str, str]]:
    """small_agency() with four bad cells in three rows."""
    rows = small_agency()
    rows.append(row(NIP="19860926201505100", NAMA="Terlalu Pendek"))  # row 8: NIP
    rows.append(row(NIP=nip(41), GOLONGAN="IX"))  # row 9: golongan of a PNS
    rows.append(row(NIP=nip(43), TMT_JABATAN="31-02-2024", EMAIL="bukan-email"))  # row 10: two
    return rows


def admin(idp, tenant) -> dict[str, str]:
    return principal_header(idp, tenant.kode, ADMIN_NIP, Role.ADMIN_INSTANSI)


@pytest.fixture
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def upload(api, headers, body: bytes, *, kind="pegawai", dry_run=False, **extra):
    query = "?uji=true&nama=pegawai.csv" if dry_run else "?nama=pegawai.csv"
    return await api.post(
        f"{URL}/{kind}{query}",
        content=body,
        headers=headers | {"Content-Type": extra.pop("content_type", "text/csv")},
        **extra,
    )


async def audited(tenant, action: str) -> list[AuditEvent]:
    async with tenant_transaction(as_bound(tenant)):
        return await AuditEvent.filter(action=action).order_by("id")


async def job_row(tenant, job_id: str) -> ImporKepegawaian:
    async with tenant_transaction(as_bound(tenant)):
        return await ImporKepegawaian.get(id=row_of(job_id))


async def test_dry_run_lists_every_row_error_then_a_good_file_is_applied(idp, tenant, database):
    settings = settings_for(database, import_max_errors=2)  # the report lists 2, the CSV all
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as api:
        bad = await upload(api, admin(idp, tenant), csv_body(bad_rows()), dry_run=True)
        assert bad.status_code == 202, bad.text
        assert bad.headers["Location"] == f"{URL}/{bad.json()['id']}"
        assert bad.json()["status"] == "QUEUED" and bad.json()["uji"] is True
        assert await run_pass([tenant], settings) == 1

        report = (await api.get(bad.headers["Location"], headers=admin(idp, tenant))).json()
        assert report["status"] == "REJECTED"
        assert report["jumlahKesalahan"] == 4 and report["jumlahKesalahanTersimpan"] == 4
        assert [(e["baris"], e["kolom"]) for e in report["kesalahan"]] == [
            (8, "NIP"),
            (9, "GOLONGAN"),
        ]
        errors = await api.get(report["links"]["kesalahanCsv"], headers=admin(idp, tenant))
        assert errors.status_code == 200
        assert errors.headers["content-type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(errors.text.lstrip("\ufeff"))))
        assert lines[0] == ["ROW", "COLUMN", "REASON"]
        assert [(r, c) for r, c, _ in lines[1:]] == [
            ("8", "NIP"),
            ("9", "GOLONGAN"),
            ("10", "EMAIL"),
            ("10", "TMT_JABATAN"),
        ]
        refused = await api.post(report["links"]["terapkan"], headers=admin(idp, tenant))
        assert refused.status_code == 409 and code_of(refused) == "DRY_RUN_NOT_PASSED"
        assert await table_counts(tenant) == NOTHING

        dry = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
        await run_pass([tenant], settings)
        passed = (await api.get(dry.headers["Location"], headers=admin(idp, tenant))).json()
        assert passed["status"] == "SUCCEEDED", passed
        assert {"jenis": "pegawai", "dibuat": 6, "diubah": 0, "tetap": 0} in passed["jumlah"]
        assert await table_counts(tenant) == NOTHING  # a dry run keeps nothing

        applied = await api.post(passed["links"]["terapkan"], headers=admin(idp, tenant))
        assert applied.status_code == 202, applied.text
        assert applied.json()["dariUjiId"] == passed["id"]
        assert applied.json()["uji"] is False
        await run_pass([tenant], settings)
        done = (await api.get(applied.headers["Location"], headers=admin(idp, tenant))).json()
        assert done["status"] == "SUCCEEDED", done
        assert {"jenis": "pegawai", "dibuat": 6, "diubah": 0, "tetap": 0} in done["jumlah"]
        async with tenant_transaction(as_bound(tenant)):
            assert await Pegawai.all().count() == 6
        [event] = await audited(tenant, "import.pegawai")
        assert event.actor == ADMIN_NIP

        again = await api.post(passed["links"]["terapkan"], headers=admin(idp, tenant))
        assert again.status_code == 409 and code_of(again) == "ALREADY_APPLIED"
        no_errors = await api.get(done["links"]["kesalahanCsv"], headers=admin(idp, tenant))
        assert no_errors.text.lstrip("\ufeff").strip() == '"ROW","COLUMN","REASON"'


async def test_an_xlsx_unit_file_is_imported(api, idp, tenant, settings):
    book = Workbook()
    sheet = book.active
    sheet.append(["UNOR_ID", "UNOR_NAMA", "UNOR_ATASAN_ID"])
    sheet.append(["U-1", "Sekretariat Daerah", ""])
    sheet.append(["U-2", "Dinas Kosong", "U-1"])
    data = io.BytesIO()
    book.save(data)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    queued = await upload(api, admin(idp, tenant), data.getvalue(), kind="unor", content_type=xlsx)
    assert queued.status_code == 202, queued.text
    await run_pass([tenant], settings)
    job = (await api.get(queued.headers["Location"], headers=admin(idp, tenant))).json()
    assert job["status"] == "SUCCEEDED" and job["jenis"] == "UNOR"
    assert job["jumlah"] == [{"jenis": "units", "dibuat": 2, "diubah": 0, "tetap": 0}]


async def test_progress_moves_through_the_phases(api, idp, tenant, settings):
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    location = queued.headers["Location"]
    first = (await api.get(location, headers=admin(idp, tenant))).json()
    assert (first["fase"], first["selesai"], first["total"]) == ("queued", 0, None)
    seen: list[tuple[str, str, int, int | None]] = []

    async def look(_job_id: int) -> None:
        job = (await api.get(location, headers=admin(idp, tenant))).json()
        seen.append((job["status"], job["fase"], job["selesai"], job["total"]))

    await run_pass([tenant], settings, saved=look)
    assert ("RUNNING", "validating", 0, 6) in seen
    final = (await api.get(location, headers=admin(idp, tenant))).json()
    assert final["status"] == "SUCCEEDED"
    assert final["fase"] == "done"
    assert final["dimulaiPada"] and final["selesaiPada"]


async def test_two_runners_racing_run_a_job_once(api, idp, tenant, settings):
    await upload(api, admin(idp, tenant), csv_body(small_agency()))
    ran = await asyncio.gather(run_pass([tenant], settings), run_pass([tenant], settings))
    assert sorted(ran) == [0, 1]
    assert len(await audited(tenant, "import.pegawai")) == 1
    async with tenant_transaction(as_bound(tenant)):
        [job] = await ImporKepegawaian.all()
    assert job.status == "SUCCEEDED" and job.percobaan == 1


class WorkerDied(BaseException):
    """Stands for the process ending mid-write: nothing in the runner catches it."""


async def test_a_worker_dying_mid_write_leaves_nothing_and_the_job_runs_once_after_its_lease(
    api, idp, tenant, settings
):
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    job_id = queued.json()["id"]
    start = datetime.now(UTC)
    async with tenant_transaction(as_bound(tenant)):
        first = await jobs.klaim(start)

    def die_after_units(phase: str, done: int, _total) -> None:
        if phase == "writing" and done == 2:  # units and jabatan written, pegawai not yet
            raise WorkerDied()

    with pytest.raises(WorkerDied):
        await jalankan(tenant, first, settings, observer=die_after_units)
    assert await table_counts(tenant) == NOTHING  # its transaction never committed
    assert (await job_row(tenant, job_id)).status == "RUNNING"

    # Before the lease ends nobody takes it; after, the next runner does.
    assert await run_pass([tenant], settings, start + timedelta(minutes=1)) == 0
    assert await run_pass([tenant], settings, start + jobs.LEASE + timedelta(seconds=1)) == 1
    job = await job_row(tenant, job_id)
    assert (job.status, job.percobaan) == ("SUCCEEDED", 2)

    # The first runner was only stalled, and comes back: its claim is stale, it writes nothing.
    assert await jalankan(tenant, first, settings) is None
    assert len(await audited(tenant, "import.pegawai")) == 1
    job = await job_row(tenant, job_id)
    assert (job.status, job.percobaan) == ("SUCCEEDED", 2)
    async with tenant_transaction(as_bound(tenant)):
        assert await Pegawai.all().count() == 6


async def test_a_job_that_keeps_losing_its_worker_ends_failed(api, idp, tenant, settings):
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    moment = datetime.now(UTC)
    for _ in range(jobs.MAX_ATTEMPTS):
        async with tenant_transaction(as_bound(tenant)):
            assert await jobs.klaim(moment) is not None
        moment += jobs.LEASE + timedelta(seconds=1)
    assert await run_pass([tenant], settings, moment) == 0
    job = (await api.get(queued.headers["Location"], headers=admin(idp, tenant))).json()
    assert job["status"] == "FAILED"
    assert "stopped 3 times" in job["pesan"]


async def test_an_unexpected_error_fails_the_job_cleanly_and_the_next_job_runs(
    api, idp, tenant, settings
):
    broken = await upload(api, admin(idp, tenant), csv_body(small_agency()))

    def bug(phase: str, done: int, _total) -> None:
        if phase == "writing" and done == 2:
            raise RuntimeError("a bug in the writer")

    assert await run_pass([tenant], settings, observer=bug) == 1
    job = (await api.get(broken.headers["Location"], headers=admin(idp, tenant))).json()
    assert job["status"] == "FAILED"
    assert "unexpected error (RuntimeError)" in job["pesan"]
    assert "nothing was written" in job["pesan"]
    assert await table_counts(tenant) == NOTHING

    fine = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    assert await run_pass([tenant], settings) == 1
    job = (await api.get(fine.headers["Location"], headers=admin(idp, tenant))).json()
    assert job["status"] == "SUCCEEDED"


async def test_only_the_admin_instansi_may_import(api, idp, tenant):
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
    location = queued.headers["Location"]
    client = await ApiClient.create(
        client_id=f"simpeg-{tenant.kode.lower()}", nama="SIMPEG", scopes=["pegawai:read"]
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    callers = {
        "pegawai": principal_header(idp, tenant.kode, ADMIN_NIP),
        "central admin": central_admin_headers(idp, tenant.kode),
        "api client": bearer(client_token(idp, client.client_id, "pegawai:read"))
        | {"X-Instansi": tenant.kode},
    }
    for who, headers in callers.items():
        attempts = [
            await upload(api, headers, csv_body(small_agency())),
            await api.get(location, headers=headers),
            await api.get(f"{location}/kesalahan.csv", headers=headers),
            await api.post(f"{location}/terapkan", headers=headers),
        ]
        for response in attempts:
            assert response.status_code == 403, (who, response.text)
            assert code_of(response) == "FORBIDDEN"
    anonymous = await api.get(location)
    assert anonymous.status_code == 401


async def test_another_instansis_job_is_never_found(api, idp, tenant, other_tenant, settings):
    mine = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
    await run_pass([tenant], settings)
    job_id = mine.json()["id"]
    theirs = admin(idp, other_tenant)
    # A's id in B is another instansi's; B's id with A's row number names nothing in B.
    same_number = same_row_in(other_tenant, job_id)
    for path, code in [
        (job_id, "ID_OF_OTHER_INSTANSI"),
        (f"{job_id}/kesalahan.csv", "ID_OF_OTHER_INSTANSI"),
        (same_number, "NOT_FOUND"),
        (f"{same_number}/kesalahan.csv", "NOT_FOUND"),
    ]:
        response = await api.get(f"{URL}/{path}", headers=theirs)
        assert response.status_code == 404 and code_of(response) == code, response.text
    for path, code in [(job_id, "ID_OF_OTHER_INSTANSI"), (same_number, "NOT_FOUND")]:
        response = await api.post(f"{URL}/{path}/terapkan", headers=theirs)
        assert response.status_code == 404 and code_of(response) == code, response.text
    for not_an_id in (str(row_of(job_id)), str(2**70)):
        response = await api.get(f"{URL}/{not_an_id}", headers=theirs)
        assert response.status_code == 400 and code_of(response) == "INVALID_INPUT"
    # Nor may A's admin choose B's instansi.
    crossing = principal_header(idp, tenant.kode, ADMIN_NIP, Role.ADMIN_INSTANSI)
    crossing["X-Instansi"] = other_tenant.kode
    assert (await api.get(f"{URL}/{job_id}", headers=crossing)).status_code == 403
    async with tenant_transaction(as_bound(other_tenant)):
        assert await ImporKepegawaian.all().count() == 0
    assert await run_pass([other_tenant], settings) == 0


async def test_a_central_admins_request_is_traced_in_the_instansi(api, idp, tenant):
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    job_id = queued.json()["id"]
    headers = central_admin_headers(idp, tenant.kode)
    assert (await api.get(f"{URL}/{job_id}", headers=headers)).status_code == 403
    assert (await upload(api, headers, b"NIP\n")).status_code == 403
    traced = await audited(tenant, "cross_tenant.read")
    traced_as = [
        (e.actor, e.detail.get("operation", e.entity_id), e.detail["query"]) for e in traced
    ]
    assert traced_as == [
        ("197001011990031001", f"GET {URL}/{job_id}", ""),
        ("197001011990031001", f"POST {URL}/pegawai", "nama=pegawai.csv"),
    ]
    assert await audited(tenant, "import.pegawai") == []


async def test_upload_limits(idp, tenant, database, settings):
    small = settings_for(database, import_max_bytes=1000)
    app = create_app(small)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as api:
        big = csv_body(small_agency())
        assert len(big) > 1000
        announced = await upload(api, admin(idp, tenant), big)
        assert announced.status_code == 413 and code_of(announced) == "TOO_LARGE"

        async def chunks():
            for start in range(0, len(big), 500):
                yield big[start : start + 500]

        streamed = await upload(api, admin(idp, tenant), chunks())
        assert streamed.status_code == 413 and code_of(streamed) == "TOO_LARGE"

        garbage = await upload(api, admin(idp, tenant), b"NIP,NAMA\n\x00\x01\x02\xff")
        assert garbage.status_code == 400 and code_of(garbage) == "BINARY_FILE"
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        not_xlsx = await upload(api, admin(idp, tenant), b"PK\x03\x04 no zip", content_type=xlsx)
        assert not_xlsx.status_code == 400 and code_of(not_xlsx) == "INVALID_FILE"
        doubled = await upload(api, admin(idp, tenant), b"NIP,NAMA,nip\n1,2,3\n")
        assert doubled.status_code == 400 and "NIP twice" in error_of(doubled)["message"]
        pdf = await upload(api, admin(idp, tenant), b"%PDF-1.7", content_type="application/pdf")
        assert pdf.status_code == 415
    async with tenant_transaction(as_bound(tenant)):
        assert await ImporKepegawaian.all().count() == 0


async def test_queued_jobs_per_instansi_are_capped(api, idp, tenant, other_tenant, settings):
    body = csv_body(small_agency())
    first = None
    for _ in range(jobs.MAX_UNFINISHED):
        queued = await upload(api, admin(idp, tenant), body, dry_run=True)
        assert queued.status_code == 202
        first = first or queued
    busy = await upload(api, admin(idp, tenant), body)
    assert busy.status_code == 429 and code_of(busy) == "TOO_MANY_IMPORTS"
    assert int(busy.headers["Retry-After"]) > 0
    # Another instansi is not held up by this one's queue.
    assert (await upload(api, admin(idp, other_tenant), body)).status_code == 202
    await run_pass([tenant], settings)  # one finishes: a place frees up
    assert (
        await api.post(f"{first.headers['Location']}/terapkan", headers=admin(idp, tenant))
    ).status_code == 202
    assert (await upload(api, admin(idp, tenant), body)).status_code == 429


async def test_a_finished_jobs_file_is_dropped_after_the_retention(api, idp, tenant, settings):
    dry = await upload(api, admin(idp, tenant), csv_body(bad_rows()), dry_run=True)
    await run_pass([tenant], settings)
    later = datetime.now(UTC) + jobs.RETENTION + timedelta(days=1)
    async with tenant_transaction(as_bound(tenant)):
        assert await jobs.buang_berkas_lama(later) == 1
    gone = await api.get(f"{dry.headers['Location']}/kesalahan.csv", headers=admin(idp, tenant))
    assert gone.status_code == 410 and code_of(gone) == "FILE_EXPIRED"
    report = (await api.get(dry.headers["Location"], headers=admin(idp, tenant))).json()
    assert report["jumlahKesalahan"] == 4  # the report stays


async def test_the_jobs_are_readable_in_graphql(api, idp, tenant, settings):
    dry = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
    await run_pass([tenant], settings)
    await api.post(f"{dry.headers['Location']}/terapkan", headers=admin(idp, tenant))
    await run_pass([tenant], settings)
    # The HTTP endpoint answers the same global id GraphQL hands out (decision 0028).
    job = dry.json()["id"]
    query = f"""{{ imporKepegawaian(id: "{job}") {{ status uji fase
        jumlah {{ jenis dibuat }} jumlahKesalahan kesalahan {{ baris }} }}
        daftarImporKepegawaian {{ nodes {{ id uji status dariUjiId }} }} }}"""
    response = await api.post("/graphql", json={"query": query}, headers=admin(idp, tenant))
    data = response.json()["data"]
    assert data["imporKepegawaian"]["status"] == "SUCCEEDED"
    assert {"jenis": "pegawai", "dibuat": 6} in data["imporKepegawaian"]["jumlah"]
    assert data["imporKepegawaian"]["jumlahKesalahan"] == 0
    assert [(j["uji"], j["dariUjiId"]) for j in data["daftarImporKepegawaian"]["nodes"]] == [
        (False, job),
        (True, None),
    ]


JOB_FIELDS = """id jenis uji status fase selesai total namaBerkas pesan jumlahBaris
    jumlah { jenis dibuat diubah tetap } kesalahan { baris kolom alasan } jumlahKesalahan
    kolomDiabaikan dariUjiId dibuatOleh dibuatPada dimulaiPada selesaiPada"""


async def test_the_job_body_is_the_graphql_type_by_its_names(api, idp, tenant, settings):
    """The HTTP body of a job names and values every field of `ImporKepegawaian` as GraphQL
    does (decision 0034); what only the body has follows the same rule."""
    bad = await upload(api, admin(idp, tenant), csv_body(bad_rows()), dry_run=True)
    dry = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
    await run_pass([tenant], settings)
    await run_pass([tenant], settings)
    applied = await api.post(f"{dry.headers['Location']}/terapkan", headers=admin(idp, tenant))
    await run_pass([tenant], settings)
    for queued in (bad, dry, applied):
        body = (await api.get(queued.headers["Location"], headers=admin(idp, tenant))).json()
        query = f'{{ imporKepegawaian(id: "{body["id"]}") {{ {JOB_FIELDS} }} }}'
        response = await api.post("/graphql", json={"query": query}, headers=admin(idp, tenant))
        node = response.json()["data"]["imporKepegawaian"]
        assert {key: body[key] for key in node} == node
        assert set(body) - set(node) == {
            "format",
            "ukuranBerkas",
            "berlakuMulai",
            "jumlahKesalahanTersimpan",
            "kesalahanBerkas",
            "percobaan",
            "links",
        }
        assert set(body["links"]) == {"self", "kesalahanCsv", "terapkan"}
    assert body["dariUjiId"] == dry.json()["id"] and body["jumlah"] and body["percobaan"] == 1


async def test_unit_changes_are_dated_on_the_instansis_own_today(tenant):
    """The import dated unit changes by the server's date: at 16:30 UTC it is already the next
    day in Jayapura (WIT), and a WIT agency's change must carry that day."""
    async with tenant_transaction(as_bound(tenant)):
        await fetch(
            "INSERT INTO tenant_setting (kunci, nilai, diubah_pada) "
            "VALUES ($1, to_jsonb($2::text), now())",
            ZONE_SETTING,
            "Asia/Jayapura",
        )
    units = [{"UNOR_ID": "U-1", "UNOR_NAMA": "Sekretariat", "UNOR_ATASAN_ID": ""}]
    with pada(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)):
        result = await import_unor(tenant.kode, units, actor="test", source="unor.csv")
    assert result.as_of == date(2026, 3, 2)


async def test_the_running_worker_runs_a_job_when_it_is_queued(
    api, idp, tenant, database, settings
):
    """`ekinerja worker` (run_forever) with an hour between sweeps runs a job queued after its
    first pass at once: only the notification sent on commit can wake it."""
    stop = asyncio.Event()
    patient = settings_for(database, worker_sweep_seconds=3600)
    async with httpx.AsyncClient() as http:
        running = asyncio.create_task(run_forever(Worker(patient, http), database, stop))
        try:
            health = await asyncio.wait_for(_loop_health("worker.impor"), timeout=60)
            await asyncio.wait_for(health.until(lambda h: h.last_success is not None), 60)
            queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
            job_id = queued.json()["id"]
            while (await job_row(tenant, job_id)).status != "SUCCEEDED":
                seen = health.last_success
                await asyncio.wait_for(
                    health.until(lambda h, seen=seen: h.last_success != seen), 60
                )
        finally:
            stop.set()
            await running
    async with tenant_transaction(as_bound(tenant)):
        assert await Pegawai.all().count() == 6


async def _loop_health(name: str):
    """The health of a background loop of this process, once it has started."""
    while not (found := [h for h in running_loops() if h.name == name]):
        await asyncio.sleep(0)  # the loop task has not been scheduled yet: let it start
    return found[0]


async def test_a_zip_bomb_is_refused_at_upload_and_a_long_file_by_the_job(idp, tenant, database):
    short = settings_for(database, import_max_rows=3, import_max_xlsx_bytes=1024 * 1024)
    app = create_app(short)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as api:
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        bomb = await upload(api, admin(idp, tenant), zip_bomb(), content_type=xlsx)
        assert bomb.status_code == 413 and code_of(bomb) == "TOO_LARGE"
        long = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
        assert long.status_code == 202  # a table with a good header: its rows are the job's
        await run_pass([tenant], short)
        job = (await api.get(long.headers["Location"], headers=admin(idp, tenant))).json()
    assert job["status"] == "REJECTED"
    assert job["kesalahanBerkas"]["code"] == "TOO_MANY_ROWS"
    assert "more than 3 data rows" in job["pesan"]
    assert await table_counts(tenant) == NOTHING


async def test_a_dry_run_may_be_applied_again_only_after_its_apply_failed(
    api, idp, tenant, settings
):
    dry = await upload(api, admin(idp, tenant), csv_body(small_agency()), dry_run=True)
    await run_pass([tenant], settings)
    apply = f"{dry.headers['Location']}/terapkan"
    assert (await api.post(apply, headers=admin(idp, tenant))).status_code == 202

    def bug(phase: str, done: int, _total) -> None:
        if phase == "writing" and done == 3:
            raise RuntimeError("a bug in the writer")

    await run_pass([tenant], settings, observer=bug)  # the apply FAILED: nothing written
    assert await table_counts(tenant) == NOTHING
    again = await api.post(apply, headers=admin(idp, tenant))
    assert again.status_code == 202, again.text
    await run_pass([tenant], settings)
    assert (await api.get(again.headers["Location"], headers=admin(idp, tenant))).json()[
        "status"
    ] == "SUCCEEDED"
    third = await api.post(apply, headers=admin(idp, tenant))
    assert third.status_code == 409 and code_of(third) == "ALREADY_APPLIED"


async def test_a_job_past_its_deadline_ends_failed_with_nothing_written(api, idp, tenant, settings):
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    async with tenant_transaction(as_bound(tenant)):
        claimed = await jobs.klaim(datetime.now(UTC))
    assert await jalankan(tenant, claimed, settings, job_seconds=0) == "FAILED"
    job = (await api.get(queued.headers["Location"], headers=admin(idp, tenant))).json()
    assert job["status"] == "FAILED"
    assert "not finished within 0 s" in job["pesan"]
    assert await table_counts(tenant) == NOTHING


async def test_the_worker_once_runs_a_queued_job(api, idp, tenant, database, monkeypatch):
    """`ekinerja worker --once` (cron) runs the admins' queued import jobs as well as the
    webhooks: before, only the long-running worker ran them."""
    monkeypatch.setenv("EKINERJA_MODE", "development")  # the worker refuses an unset mode
    queued = await upload(api, admin(idp, tenant), csv_body(small_agency()))
    job_id = queued.json()["id"]
    assert (await job_row(tenant, job_id)).status == "QUEUED"
    done = run_cli(database, "worker", "--once", "--tenant", tenant.kode)
    assert done.returncode == 0, done.stderr
    assert "import jobs run 1" in done.stdout, done.stdout
    assert (await job_row(tenant, job_id)).status == "SUCCEEDED"
