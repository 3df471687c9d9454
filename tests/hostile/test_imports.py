"""Hostile uploads to the imports (issue 14, defects 1, 12, 13, 16): the progres harian import
over HTTP and the pegawai import from the CLI, against the app on real PostgreSQL.

Each case asserts the status, the error code and that nothing was written. Nothing waits on
time: the deadline runs on a clock the test moves, the event-loop check holds the parsing
thread on an Event the test releases, and the concurrency bound is filled by claiming its
places in the test.
"""

from __future__ import annotations

import asyncio
import csv
import io
import struct
import threading
import zipfile
from datetime import date
from types import SimpleNamespace

import httpx
import openpyxl
import pytest
from openpyxl import Workbook

from ekinerja.auth.principal import Role
from ekinerja.http import progres_impor as progres_endpoint
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.importer import import_pegawai, import_unor, read_rows, write_csv
from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS
from ekinerja.models.tenant import Pegawai, ProgresHarian, Skp
from ekinerja.pelaksanaan import progres_impor as progres_parser
from ekinerja.skp.snapshots import skp_snapshots
from ekinerja.tabular import Limits, NotText, TooLarge, TooManyRows, safe_cell
from ekinerja.tabular import limits as limits_module
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import error_of
from tests.support.auth import principal_header
from tests.support.kepegawaian_db import table_counts, write_file
from tests.support.pegawai_rows import nip, row, small_agency
from tests.support.pelaksanaan import build_team
from tests.support.penilaian import build_bidang
from tests.test_migrations import run_cli
from tests.test_siasn_export import csv_of, every_row, final_results

URL = "/pelaksanaan/progres-harian/import"
HEADER = "RENCANA_AKSI_ID,TANGGAL,JAM_MULAI,JAM_SELESAI,KEGIATAN,REALISASI,SATUAN\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA = "=cmd|' /C calc'!A0"
NOTHING_WRITTEN = {
    "UnitKerja": 0, "UnitKerjaVersi": 0, "Jabatan": 0, "Pegawai": 0, "Penugasan": 0,
    "AuditEvent": 0,
}  # fmt: skip


@pytest.fixture
async def app_with(settings, idp):
    """An HTTP client of an app whose settings differ by the given import limits."""
    clients: list[httpx.AsyncClient] = []

    async def make(**changes) -> httpx.AsyncClient:
        app = create_app(settings.model_copy(update=changes))
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def as_staf(idp, tenant, team, content_type="text/csv") -> dict:
    return principal_header(idp, tenant.kode, team.staf.nip) | {"Content-Type": content_type}


def good_csv(team, rows: int) -> str:
    ra = team.rencana()
    return HEADER + "".join(
        f"{ra},2026-01-{1 + n % 28:02d},08:00,09:00,Kegiatan {n},1,Dokumen\n" for n in range(rows)
    )


async def stored(tenant) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return await ProgresHarian.all().count()


def refused(response: httpx.Response, status: int, code: str) -> dict:
    """The one error (the envelope's, flattened: message, code, field, rows, ...)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json", response.headers
    body = error_of(response)
    assert body["code"] == code, body
    return body


def small_workbook() -> bytes:
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is replaced by ``sheet_xml``."""
    original = zipfile.ZipFile(io.BytesIO(small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in original.infolist():
            data = original.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            archive.writestr(part.filename, data)
    return out.getvalue()


def zip_bomb(unpacked: int = 16 * 1024 * 1024) -> bytes:
    """A few KB that unpack to ``unpacked`` bytes of sheet XML."""
    padding = b" " * unpacked
    return with_sheet(b'<worksheet xmlns="x"><sheetData/>' + padding + b"</worksheet>")


def lying_zip_bomb(unpacked: int = 16 * 1024 * 1024) -> bytes:
    """A zip bomb whose directory states a small size for the sheet: it passes the size check,
    and is stopped by zipfile inflating no more than the stated size (then the CRC fails)."""
    data = bytearray(zip_bomb(unpacked))
    name = b"xl/worksheets/sheet1.xml"
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:  # central directory entries
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == name:
            struct.pack_into("<I", data, position + 24, 2000)
            local = struct.unpack_from("<I", data, position + 42)[0]
            struct.pack_into("<I", data, local + 22, 2000)
        position += 4
    return bytes(data)


@pytest.fixture
def openpyxl_untouched(monkeypatch):
    """Fails the test if anything hands the file to openpyxl."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl opened a file the size check should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# --- the progres harian import over HTTP ------------------------------------------------------


async def test_a_file_over_the_row_cap_is_refused_and_nothing_written(app_with, idp, tenant, team):
    api = await app_with(import_max_rows=3)

    over = await api.post(URL, content=good_csv(team, 4), headers=as_staf(idp, tenant, team))

    body = refused(over, 413, "TOO_MANY_ROWS")
    assert "more than 3 data rows" in body["message"] and body["field"] == "file"
    assert await stored(tenant) == 0
    # The cap itself is allowed, blank lines after it too.
    at_cap = good_csv(team, 3) + ",,,,,,\n" * 3
    response = await api.post(URL, content=at_cap, headers=as_staf(idp, tenant, team))
    assert response.json() == {"jumlah": 3, "uji": False}


async def test_a_body_over_the_byte_limit_is_refused_without_reading_it(
    app_with, idp, tenant, team
):
    api = await app_with(import_max_bytes=10_000)
    sent: list[int] = []

    async def body(chunks: int):
        yield HEADER.encode()
        for n in range(chunks):
            sent.append(n)
            yield b"1,2026-01-05,08:00,09:00,Isi," + b"9" * 1000 + b",Dokumen\n"

    # Content-Length says too much: 413 before a byte of the body is read.
    declared = as_staf(idp, tenant, team) | {"Content-Length": str(50_000_000)}
    response = await api.post(URL, content=body(100), headers=declared)
    refused(response, 413, "TOO_LARGE")
    assert sent == []
    # No Content-Length (chunked): reading stops once the limit is passed.
    response = await api.post(URL, content=body(100), headers=as_staf(idp, tenant, team))
    refused(response, 413, "TOO_LARGE")
    assert len(sent) < 12
    assert await stored(tenant) == 0


async def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(
    app_with, idp, tenant, team, openpyxl_untouched
):
    api = await app_with(import_max_xlsx_bytes=1024 * 1024)
    bomb = zip_bomb()
    assert len(bomb) < 100_000

    response = await api.post(URL, content=bomb, headers=as_staf(idp, tenant, team, XLSX))

    body = refused(response, 413, "TOO_LARGE")
    assert "unpacks to 16,7" in body["message"] and "1,048,576 allowed" in body["message"], body
    assert await stored(tenant) == 0


async def test_an_xlsx_that_understates_its_size_is_not_unpacked_past_it(
    app_with, idp, tenant, team
):
    api = await app_with(import_max_xlsx_bytes=1024 * 1024)

    response = await api.post(
        URL, content=lying_zip_bomb(), headers=as_staf(idp, tenant, team, XLSX)
    )

    body = refused(response, 400, "INVALID_FILE")
    assert "not a readable XLSX file" in body["message"], body
    assert await stored(tenant) == 0


async def test_a_zip_bomb_compressed_past_the_ratio_is_refused_under_any_size_limit(
    app_with, idp, tenant, team, openpyxl_untouched
):
    api = await app_with()  # the default unpacked limit (128 MiB) is not reached

    response = await api.post(URL, content=zip_bomb(), headers=as_staf(idp, tenant, team, XLSX))

    body = refused(response, 413, "TOO_LARGE")
    assert "times larger than it is stored" in body["message"], body


async def test_the_error_list_is_capped_with_the_total(app_with, idp, tenant, team):
    api = await app_with(import_max_errors=5)
    ra = team.rencana()
    body = HEADER + "".join(
        f"{ra},2026-13-{n:02d},08:00,09:00,Salah,1,Dokumen\n" for n in range(1, 21)
    )

    response = await api.post(URL, content=body, headers=as_staf(idp, tenant, team))

    answer = refused(response, 422, "INVALID_ROWS")
    assert [r["baris"] for r in answer["baris"]] == [2, 3, 4, 5, 6]
    assert answer["jumlahKesalahan"] == 20
    assert "20 problems" in answer["message"] and "first 5 listed" in answer["message"]
    assert await stored(tenant) == 0


@pytest.mark.parametrize(
    "content, content_type, code, wording",
    [
        (HEADER + "{ra},2026-01-05,08:00,09:00,Ra\x00pat,1,Dokumen\n", "text/csv",
         "BINARY_FILE", "line 2 holds the control byte 0x00 (NUL)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "text/csv",
         "BINARY_FILE", "control byte"),
        (b"RENCANA_AKSI_ID,TANGGAL\n\x81\x8d\x8f,\x90\x9d\n", "text/csv",
         "BINARY_FILE", "neither UTF-8 nor Windows-1252"),
        ("\ufeffRENCANA".encode("utf-16"), "text/csv", "BINARY_FILE", "UTF-16"),
        (small_workbook(), "text/csv", "BINARY_FILE", "send it as XLSX"),
        (bytes(range(256)) * 40, XLSX, "INVALID_FILE", "not a readable XLSX file"),
        (with_sheet(b"<worksheet><sheetData><row><c t='inlineStr'><is><t>x"), XLSX,
         "INVALID_FILE", "not a readable XLSX file"),
    ],
)  # fmt: skip
async def test_binary_and_garbage_bodies_are_a_400_json_error(
    app_with, idp, module_tenant, module_team, content, content_type, code, wording
):
    # One tenant and team for these cases (tests/conftest.py): each is refused before a row
    # is written, and nothing else here uses them, so the count below must stay zero.
    tenant, team = module_tenant, module_team
    api = await app_with()
    if isinstance(content, str):
        content = content.format(ra=team.rencana()).encode()

    headers = as_staf(idp, tenant, team, content_type)
    response = await api.post(URL, content=content, headers=headers)

    body = refused(response, 400, code)
    assert wording in body["message"], body
    assert body["field"] == "file"
    assert await stored(tenant) == 0


async def test_imports_beyond_the_instansi_bound_get_429_others_proceed(
    app_with, idp, tenant, other_tenant, team
):
    api = await app_with(import_concurrency_per_instansi=2)
    other = await build_team(other_tenant, "Seksi B")
    running = progres_endpoint.RUNNING

    with running.claim(tenant.kode, 2), running.claim(tenant.kode, 2):  # two imports running
        busy = await api.post(URL, content=good_csv(team, 1), headers=as_staf(idp, tenant, team))
        body = refused(busy, 429, "TOO_MANY_IMPORTS")
        assert busy.headers["Retry-After"] == str(progres_endpoint.RETRY_AFTER_SECONDS)
        assert "2 imports are already running" in body["message"]
        assert await stored(tenant) == 0
        # Another instansi is not held up by this one's imports.
        theirs = await api.post(
            URL, content=good_csv(other, 1), headers=as_staf(idp, other_tenant, other)
        )
        assert theirs.json() == {"jumlah": 1, "uji": False}

    assert running.held(tenant.kode) == 0
    again = await api.post(URL, content=good_csv(team, 1), headers=as_staf(idp, tenant, team))
    assert again.json() == {"jumlah": 1, "uji": False}
    assert running.held(tenant.kode) == 0


async def test_the_deadline_stops_the_parsing_thread_with_a_clear_error(
    app_with, idp, tenant, team, monkeypatch
):
    """The deadline's clock moves one second per row parsed: with 2.5 s the thread parses
    three rows of ten, then stops."""
    api = await app_with(import_seconds=2.5)
    clock = SimpleNamespace(now=0.0)
    monkeypatch.setattr(limits_module, "time", SimpleNamespace(monotonic=lambda: clock.now))
    parse_row = progres_parser._parse_row
    parsed: list[int] = []

    def slow_row(number, raw, instansi_kode):
        parsed.append(number)
        clock.now += 1
        return parse_row(number, raw, instansi_kode)

    monkeypatch.setattr(progres_parser, "_parse_row", slow_row)

    response = await api.post(URL, content=good_csv(team, 10), headers=as_staf(idp, tenant, team))

    body = refused(response, 422, "IMPORT_TIMEOUT")
    assert "not read within 2.5 s" in body["message"], body
    assert parsed == [2, 3, 4]  # then the thread stopped
    assert await stored(tenant) == 0


async def test_the_event_loop_answers_while_a_file_is_parsed(
    app_with, idp, tenant, team, monkeypatch
):
    """The parse of the first row blocks until the test releases it: /healthz is answered
    meanwhile, so the parse runs off the event loop. (On the loop it would block the loop until
    the hold times out, and /healthz would come after the parse.)"""
    api = await app_with()
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    parse_row = progres_parser._parse_row

    def held_row(number, raw, instansi_kode):
        started.set()
        release.wait(timeout=10)
        finished.set()
        return parse_row(number, raw, instansi_kode)

    monkeypatch.setattr(progres_parser, "_parse_row", held_row)

    upload = asyncio.create_task(
        api.post(URL, content=good_csv(team, 2), headers=as_staf(idp, tenant, team))
    )
    assert await asyncio.to_thread(started.wait, 10)
    health = await api.get("/healthz")
    answered_during_parse = not finished.is_set()
    release.set()
    response = await upload

    assert health.status_code == 200
    assert answered_during_parse
    assert response.json() == {"jumlah": 2, "uji": False}


# --- formula injection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, written",
    [
        (FORMULA, "'" + FORMULA),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Budi Santoso", "Budi Santoso"),
        ("", ""),
        ("-5", "-5"),  # numbers stay numbers
        ("+62", "+62"),
        ("-1,5", "-1,5"),
        (-3, -3),
        (None, None),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, written):
    assert safe_cell(value) == written


async def test_the_siasn_csv_export_neutralises_formulas_that_came_through_an_import(
    portal, tenant, tmp_path
):
    bidang = await build_bidang(tenant, analis=1)
    await final_results(tenant, bidang, ("2026-T1",))
    # The unit is renamed through the unit import, from a file as a spreadsheet saved it.
    unor = tmp_path / "unor.csv"
    with unor.open("w", newline="") as file:
        csv.writer(file).writerows(
            [["UNOR_ID", "UNOR_NAMA", "UNOR_ATASAN_ID"],
             ["U-Seksi Analisis", FORMULA, "U-Bidang Data"]]
        )  # fmt: skip
    result = await import_unor(
        tenant.kode, read_rows(unor), actor="test", source="unor.csv", as_of=date(2026, 1, 1)
    )
    assert result.ok, result.errors
    # The penilai as snapshotted on the SKP, with a name starting with @.
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=bidang.kasi.id).update(nama="@SUM(1+1)*cmd|' /C calc'!A0")
        person = bidang.analis[0]
        _, penilai, _ = await skp_snapshots(person.id, date(2026, 1, 2))
        await Skp.filter(id=bidang.skp_of(person).id).update(snapshot_penilai=penilai)

    response = await csv_of(portal, bidang.rekan, "rw-kinerjaperiodik", Role.ADMIN_INSTANSI)

    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8")
    header, line = list(csv.reader(io.StringIO(text)))
    cells = dict(zip(header, line, strict=True))
    assert cells["unorNama"] == "'" + FORMULA
    assert cells["namaPenilai"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert f'"\'{FORMULA}"' in text  # quoted as well
    assert text.splitlines()[1].startswith("2026,")  # numbers bare
    # The data itself is unchanged: GraphQL gives the name as stored.
    graphql = await every_row(portal, bidang.rekan, "eksporSiasnKinerjaPeriodik")
    assert graphql[0]["unorNama"] == FORMULA


# --- the pegawai import (CLI and library) -----------------------------------------------------


def test_a_pegawai_file_over_the_caps_is_refused_while_reading(tmp_path, openpyxl_untouched):
    path = write_file(tmp_path / "pegawai.csv", small_agency())  # 6 rows
    with pytest.raises(TooManyRows, match="more than 5 data rows"):
        read_rows(path, limits=Limits(max_rows=5))
    assert len(read_rows(path, limits=Limits(max_rows=6))) == 6

    bomb = tmp_path / "pegawai.xlsx"
    bomb.write_bytes(zip_bomb())
    with pytest.raises(TooLarge, match="unpacks to"):
        read_rows(bomb, limits=Limits(max_xlsx_bytes=1024 * 1024))

    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"NIP,NAMA\n198609262015051001,Bu\x00di\n")
    with pytest.raises(NotText, match="NUL"):
        read_rows(nul)
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(128, 256)) * 64)
    with pytest.raises(NotText, match="neither UTF-8 nor Windows-1252"):
        read_rows(garbage)


async def test_pegawai_import_errors_are_capped_with_the_total(tenant):
    rows = small_agency() + [row(NIP=nip(40 + n), GOLONGAN="IX") for n in range(5)]

    result = await import_pegawai(tenant.kode, rows, actor="test", source="t", max_errors=2)

    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(8, "GOLONGAN"), (9, "GOLONGAN")]
    assert result.error_count == 5
    assert await table_counts(tenant) == NOTHING_WRITTEN


async def test_a_formula_in_a_pegawai_name_is_stored_as_given_and_exported_as_text(
    tenant, tmp_path
):
    rows = small_agency()
    rows[2] = {**rows[2], "NAMA": FORMULA, "GELAR_DEPAN": "-dr.+"}
    raw = tmp_path / "raw.csv"  # as a spreadsheet would save it: no guard
    with raw.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(PEGAWAI_COLUMNS)
        writer.writerows([r[c] for c in PEGAWAI_COLUMNS] for r in rows)

    result = await import_pegawai(tenant.kode, read_rows(raw), actor="test", source=raw.name)

    assert result.ok, result.errors
    async with tenant_transaction(as_bound(tenant)):
        stored_as = await Pegawai.get(nip=rows[2]["NIP"]).values_list("nama", "gelar_depan")
    assert stored_as == (FORMULA, "-dr.+")
    exported = tmp_path / "export.csv"
    write_csv(exported, rows, PEGAWAI_COLUMNS)
    assert f'"\'{FORMULA}"' in exported.read_text(encoding="utf-8-sig")
    assert read_rows(exported) == read_rows(raw)  # and it imports back unchanged


@pytest.mark.parametrize(
    "content, env, wording",
    [
        (b"NIP,NAMA\n198609262015051001,Bu\x00di\n", {}, "(NUL)"),
        (None, {"EKINERJA_IMPORT_MAX_ROWS": "5"}, "more than 5 data rows"),
        (None, {"EKINERJA_IMPORT_MAX_ERRORS": "1"}, "3 errors, the first 1 listed"),
    ],
)
async def test_the_cli_refuses_a_hostile_pegawai_file_in_one_line(
    database, tenant, tmp_path, monkeypatch, content, env, wording
):
    path = tmp_path / "pegawai.csv"
    if content is None:
        bad = [row(NIP=nip(40 + n), GOLONGAN="IX") for n in range(3)]
        write_file(path, small_agency() + (bad if "MAX_ERRORS" in str(env) else []))
    else:
        path.write_bytes(content)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    result = run_cli(database, "import", "pegawai", str(path), "--tenant", tenant.kode)

    said = " ".join(result.stderr.split())  # the console wraps long lines
    assert result.returncode == 1, result.stderr
    assert wording in said, result.stderr
    assert "Traceback" not in said
    if "MAX_ERRORS" not in str(env):  # a file that is no table: one message naming it
        assert "error" in said and said.count("pegawai.csv:") == 1, said
    assert await table_counts(tenant) == NOTHING_WRITTEN


async def test_a_trickling_body_gives_its_place_back_at_the_deadline(app_with, idp, tenant, team):
    """A sender that never finishes its body held one of the instansi's import places for as
    long as its connection lived; now the body must arrive within the deadline (408)."""
    api = await app_with(import_seconds=0.2)
    never = asyncio.Event()

    async def trickle():
        yield b"tanggal,uraian\n"
        await never.wait()  # the rest never comes

    response = await api.post(URL, content=trickle(), headers=as_staf(idp, tenant, team))

    refused(response, 408, "BODY_TIMEOUT")
    assert progres_endpoint.RUNNING.held(tenant.kode) == 0
    assert await stored(tenant) == 0
