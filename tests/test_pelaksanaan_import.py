"""Importing progres harian from CSV and XLSX over HTTP: all rows or none, every bad cell and
row reported by its file row number."""

from __future__ import annotations

import io
from datetime import date, time

import httpx
import pytest
from openpyxl import Workbook

from ekinerja.http.app import create_app
from ekinerja.models.tenant import ProgresHarian
from ekinerja.schema.ids import encode_id
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import principal_header
from tests.support.pelaksanaan import build_team, plan

URL = "/pelaksanaan/progres-harian/import"
HEADER = "Rencana Aksi Id,Tanggal,Jam Mulai,Jam Selesai,Kegiatan,Realisasi,Satuan\n"


@pytest.fixture
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def stored(tenant) -> list[tuple]:
    async with tenant_transaction(as_bound(tenant)):
        return await ProgresHarian.all().order_by("tanggal").values_list("tanggal", "sumber_data")


def headers(idp, tenant, pegawai, content_type="text/csv") -> dict:
    return principal_header(idp, tenant.kode, pegawai.nip) | {"Content-Type": content_type}


async def test_a_csv_is_imported_whole(api, idp, tenant, team):
    ra = team.rencana()
    body = HEADER + "".join(
        f"{ra},{day:02d}-01-2026,08:00,09.30,Rapat analisis {day},1,Dokumen\n" for day in (5, 6, 7)
    )
    dry = await api.post(f"{URL}?uji=true", content=body, headers=headers(idp, tenant, team.staf))
    assert dry.json() == {"jumlah": 3, "uji": True}
    assert await stored(tenant) == []
    response = await api.post(URL, content=body, headers=headers(idp, tenant, team.staf))
    assert response.status_code == 200 and response.json() == {"jumlah": 3, "uji": False}
    rows = await stored(tenant)
    assert [str(t) for t, _ in rows] == ["2026-01-05", "2026-01-06", "2026-01-07"]
    assert {s for _, s in rows} == {"import"}


async def test_every_bad_row_is_reported_by_file_row_and_nothing_written(api, idp, tenant, team):
    ra = team.rencana()
    body = (
        HEADER
        + f"{ra},2026-01-05,08:00,09:00,Baik,1,Dokumen\n"  # row 2: fine
        + f"{ra},2026-13-05,08:00,09:00,Tanggal salah,1,Dokumen\n"  # row 3
        + f"{ra},2026-01-06,10:00,09:00,Jam terbalik,1,Dokumen\n"  # row 4
        + "\n"  # row 5: blank, skipped
        + f"{ra},2026-01-07,08:00,09:00,Pecahan,1.5,Dokumen\n"  # row 6
        + f"{team.draft_ra},2026-01-07,08:00,09:00,Milik orang lain,1,Dokumen\n"  # row 7
    )
    response = await api.post(URL, content=body, headers=headers(idp, tenant, team.staf))
    assert response.status_code == 422
    answer = error_of(response)  # the rows (baris) are in the envelope's extensions
    assert answer["code"] == "INVALID_ROWS" and answer["field"] == "baris"
    assert [(r["baris"], r["field"]) for r in answer["baris"]] == [
        (3, "tanggal"),
        (4, "jamSelesai"),
        (6, "realisasi"),
        (7, "rencanaAksiId"),
    ]
    assert "bilangan bulat" in answer["baris"][2]["message"]
    assert await stored(tenant) == []


async def test_an_xlsx_is_imported(api, idp, tenant, team):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "RENCANA_AKSI_ID",
            "TANGGAL",
            "JAM_MULAI",
            "JAM_SELESAI",
            "KEGIATAN",
            "REALISASI",
            "SATUAN",
        ]
    )
    sheet.append(
        [team.rencana(), date(2026, 2, 2), time(8, 0), time(11, 0), "Menyusun", 2, "Dokumen"]
    )
    data = io.BytesIO()
    book.save(data)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = await api.post(
        URL, content=data.getvalue(), headers=headers(idp, tenant, team.staf, xlsx)
    )
    assert response.json() == {"jumlah": 1, "uji": False}


async def test_unsupported_types_missing_columns_and_anonymous_callers(api, idp, tenant, team):
    pdf = await api.post(URL, content=b"%PDF", headers=headers(idp, tenant, team.staf, "x/y"))
    assert pdf.status_code == 415
    no_columns = await api.post(URL, content="A,B\n1,2\n", headers=headers(idp, tenant, team.staf))
    assert no_columns.status_code == 400 and code_of(no_columns) == "INVALID_FILE"
    assert "RENCANA_AKSI_ID" in error_of(no_columns)["message"]
    anonymous = await api.post(URL, content=HEADER, headers={"Content-Type": "text/csv"})
    assert anonymous.status_code == 401


async def test_tenant_b_cannot_import_against_tenant_a(api, idp, tenant, other_tenant, team):
    other = await build_team(other_tenant, "Seksi B")
    async with tenant_transaction(as_bound(tenant)):
        _, extra = await plan(team.skp, "Hanya di A")
    a_only = next(iter(extra.values()))
    body = HEADER + f"{a_only},2026-01-05,08:00,09:00,Tebakan,1,Dokumen\n"
    response = await api.post(URL, content=body, headers=headers(idp, other_tenant, other.staf))
    assert response.status_code == 422
    assert error_of(response)["baris"][0]["message"] == f"no rencana aksi with id {a_only}"


async def test_the_column_takes_the_ids_the_api_hands_out(api, idp, tenant, other_tenant, team):
    """RENCANA_AKSI_ID as the API gives it (`rencanaAksi { id }`, a global id): every row was
    refused "… is not an id" (issue 19, found by the portal's import). Another type's id and
    another instansi's are refused naming the cell."""
    ra = team.rencana()
    own = encode_id("RencanaAksi", ra, tenant.kode)
    body = (
        HEADER
        + f"{own},2026-01-05,08:00,09:00,Dengan id global,1,Dokumen\n"  # row 2: fine
        + f"{encode_id('Skp', ra, tenant.kode)},2026-01-05,10:00,11:00,Id SKP,1,Dokumen\n"
        + f"{encode_id('RencanaAksi', ra, other_tenant.kode)},2026-01-05,12:00,13:00,Lain,1,x\n"
    )
    refused = await api.post(URL, content=body, headers=headers(idp, tenant, team.staf))
    assert [(r["baris"], r["field"]) for r in error_of(refused)["baris"]] == [
        (3, "rencanaAksiId"),
        (4, "rencanaAksiId"),
    ]
    assert "not a RencanaAksi" in error_of(refused)["baris"][0]["message"]
    assert "another instansi" in error_of(refused)["baris"][1]["message"]
    good = HEADER + f"{own},2026-01-05,08:00,09:00,Dengan id global,1,Dokumen\n"
    written = await api.post(URL, content=good, headers=headers(idp, tenant, team.staf))
    assert written.json() == {"jumlah": 1, "uji": False}
    assert [str(t) for t, _ in await stored(tenant)] == ["2026-01-05"]
