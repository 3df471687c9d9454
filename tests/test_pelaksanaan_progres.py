"""Progres harian over GraphQL: single and bulk entry, every bad row reported with nothing
written, the window rules, editing, and tenant isolation."""

from __future__ import annotations

from datetime import date

from ekinerja.models.tenant import ProgresHarian, Skp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, same_row_in
from tests.support.pelaksanaan import Portal, build_team, plan, progres_row
from tests.support.query_counter import count_queries

CREATE = """mutation($input: ProgresHarianInput!) { buatProgresHarian(input: $input) {
  __typename ... on ProgresHarianDisimpan { progres { id periode tanggal jamMulai realisasi satuan
    sumberData } }
  ... on BarisDitolak { code baris { baris field message } }
  ... on MutationError { code field message } } }"""

BULK = """mutation($rows: [ProgresHarianInput!]!) { buatProgresHarianMassal(baris: $rows) {
  __typename ... on ProgresHarianDisimpan { progres { id } }
  ... on BarisDitolak { code message baris { baris field message } }
  ... on MutationError { code field message } } }"""

UPDATE = """mutation($id: ID!, $input: ProgresHarianInput!) {
  ubahProgresHarian(progresId: $id, input: $input) {
  __typename ... on ProgresHarianDisimpan { progres { id kegiatan } }
  ... on BarisDitolak { baris { field message } } ... on MutationError { code field } } }"""

DELETE = """mutation($id: ID!) { hapusProgresHarian(progresId: $id) {
  __typename ... on MutationError { code field } } }"""

SUBMIT = """mutation($skp: ID!, $periode: String!) {
  ajukanEvaluasiPeriodik(skpId: $skp, periode: $periode, catatan: "Selesai") {
  __typename ... on EvaluasiDiajukan { status } ... on MutationError { code field } } }"""

LOG = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  statusEvaluasi progres(first: 100) { nodes { id tanggal kegiatan bukti { id } } }
  realisasi { indikatorId saranKuantitas jumlahProgres } } }"""


async def count_rows(tenant) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return await ProgresHarian.all().count()


async def test_a_pegawai_logs_a_day_and_sees_it_in_the_window(portal, team, tenant):
    saved = await portal.as_(team.staf, CREATE, input=progres_row(portal.tenant, team.rencana()))
    result = saved["data"]["buatProgresHarian"]
    assert result["__typename"] == "ProgresHarianDisimpan", saved
    assert result["progres"][0] | {"id": None} == {
        "id": None,
        "periode": "2026-T1",
        "tanggal": "2026-02-03",
        "jamMulai": "08:00:00",
        "realisasi": 1,
        "satuan": "Dokumen",
        "sumberData": "ekinerja",
    }
    window = await portal.as_(
        team.staf, LOG, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
    )
    log = window["data"]["pelaksanaan"]
    assert [p["kegiatan"] for p in log["progres"]["nodes"]] == ["Menyusun dokumen analisis"]
    dokumen = next(
        r for r in log["realisasi"] if r["indikatorId"] == gid_of(portal.tenant, team.dokumen)
    )
    assert dokumen["saranKuantitas"] == "1" and dokumen["jumlahProgres"] == 1
    # The penilai reads it too; a colleague elsewhere may not.
    assert (
        await portal.as_(team.kasi, LOG, skp=gid_of(portal.tenant, team.skp), periode="2026-T1")
    )["data"]["pelaksanaan"]["progres"]["nodes"]
    refused = await portal.as_(
        team.rekan, LOG, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bulk_reports_every_bad_row_and_writes_nothing(portal, team, tenant):
    rows = [
        progres_row(portal.tenant, team.rencana()),
        progres_row(portal.tenant, team.rencana(), jamMulai="10:00:00", jamSelesai="09:00:00"),
        progres_row(
            portal.tenant, team.rencana(), tanggal="2026-05-04"
        ),  # T2, but the rencana aksi is T1
        progres_row(portal.tenant, team.draft_ra),  # someone else's (and unapproved) plan
        progres_row(portal.tenant, team.rencana(), kegiatan="  ", satuan=""),
        progres_row(portal.tenant, team.rencana(), tanggal="2099-01-02"),
        progres_row(portal.tenant, 999999),
    ]
    refused = (await portal.as_(team.staf, BULK, rows=rows))["data"]["buatProgresHarianMassal"]
    assert refused["__typename"] == "BarisDitolak" and refused["code"] == "INVALID_ROWS"
    problems = {(r["baris"], r["field"]) for r in refused["baris"]}
    assert problems == {
        (2, "jamSelesai"),
        (3, "tanggal"),
        (4, "rencanaAksiId"),
        (5, "kegiatan"),
        (5, "satuan"),
        (6, "tanggal"),
        (7, "rencanaAksiId"),
    }
    messages: dict[tuple, str] = {}
    for r in refused["baris"]:
        messages[(r["baris"], r["field"])] = (
            messages.get((r["baris"], r["field"]), "") + r["message"]
        )
    assert "is not after the start time" in messages[(2, "jamSelesai")]
    assert "outside the rencana aksi's window 2026-T1" in messages[(3, "tanggal")]
    assert "in the future" in messages[(6, "tanggal")]
    assert await count_rows(tenant) == 0

    good = [
        progres_row(portal.tenant, team.rencana(), tanggal=f"2026-01-{d:02d}") for d in range(5, 25)
    ]
    saved = (await portal.as_(team.staf, BULK, rows=good))["data"]["buatProgresHarianMassal"]
    assert len(saved["progres"]) == 20
    assert await count_rows(tenant) == 20


async def test_progres_needs_an_approved_current_skp(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        draft_owner_plan = team.draft_ra
    result = (
        await portal.as_(team.rekan, CREATE, input=progres_row(portal.tenant, draft_owner_plan))
    )["data"]
    rows = result["buatProgresHarian"]["baris"]
    assert rows == [
        {"baris": 1, "field": "rencanaAksiId", "message": "its SKP is DRAFT, not approved"}
    ]


async def test_a_submitted_window_is_closed_for_new_edit_and_delete(portal, team, tenant):
    saved = await portal.as_(team.staf, CREATE, input=progres_row(portal.tenant, team.rencana()))
    entry = saved["data"]["buatProgresHarian"]["progres"][0]["id"]
    submitted = await portal.as_(
        team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["status"] == "DIAJUKAN"
    again = await portal.as_(
        team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
    )
    assert again["data"]["ajukanEvaluasiPeriodik"]["code"] == "WINDOW_CLOSED"

    late = (await portal.as_(team.staf, CREATE, input=progres_row(portal.tenant, team.rencana())))[
        "data"
    ]
    assert late["buatProgresHarian"]["baris"][0]["field"] == "tanggal"
    assert "already submitted" in late["buatProgresHarian"]["baris"][0]["message"]
    edit = await portal.as_(
        team.staf, UPDATE, id=entry, input=progres_row(portal.tenant, team.rencana())
    )
    assert edit["data"]["ubahProgresHarian"] == {
        "__typename": "MutationError",
        "code": "WINDOW_CLOSED",
        "field": "periode",
    }
    removal = await portal.as_(team.staf, DELETE, id=entry)
    assert removal["data"]["hapusProgresHarian"]["code"] == "WINDOW_CLOSED"
    # The next window is still open.
    t2 = progres_row(portal.tenant, team.rencana("2026-T2"), tanggal="2026-04-06")
    opened = await portal.as_(team.staf, CREATE, input=t2)
    assert opened["data"]["buatProgresHarian"]["__typename"] == "ProgresHarianDisimpan"
    assert await count_rows(tenant) == 2


async def test_edit_and_delete_own_entries_only(portal, team, tenant):
    saved = await portal.as_(team.staf, CREATE, input=progres_row(portal.tenant, team.rencana()))
    entry = saved["data"]["buatProgresHarian"]["progres"][0]["id"]
    changed = progres_row(portal.tenant, team.rencana(), kegiatan="Merevisi dokumen")
    edit = await portal.as_(team.staf, UPDATE, id=entry, input=changed)
    assert edit["data"]["ubahProgresHarian"]["progres"] == [
        {"id": entry, "kegiatan": "Merevisi dokumen"}
    ]
    # The penilai cannot edit their subordinate's log (reporting is about one's own).
    theirs = await portal.as_(team.kasi, UPDATE, id=entry, input=changed)
    assert theirs["data"]["ubahProgresHarian"]["code"] == "NOT_FOUND"
    assert (await portal.as_(team.kasi, DELETE, id=entry))["data"]["hapusProgresHarian"][
        "code"
    ] == "NOT_FOUND"
    assert (await portal.as_(team.staf, DELETE, id=entry))["data"]["hapusProgresHarian"][
        "__typename"
    ] == "Dihapus"
    assert await count_rows(tenant) == 0


async def test_tenant_b_cannot_log_against_or_read_tenant_a(
    portal, team, tenant, other_tenant, settings, idp
):
    other = await build_team(other_tenant, "Seksi B")
    async with tenant_transaction(as_bound(tenant)):
        # Ids beyond any of tenant B's, so a guess cannot land on a plan of B's own.
        _, extra = await plan(team.skp, "Hanya di A")
    a_only = next(iter(extra.values()))
    saved = await portal.as_(team.staf, CREATE, input=progres_row(portal.tenant, a_only))
    entry = saved["data"]["buatProgresHarian"]["progres"][0]["id"]
    b = Portal(portal.api, idp, other_tenant)
    # Tenant A's ids mean nothing in tenant B's schema.
    guessed = await b.as_(other.staf, CREATE, input=progres_row(b.tenant, a_only))
    assert guessed["data"]["buatProgresHarian"]["baris"] == [
        {"baris": 1, "field": "rencanaAksiId", "message": f"no rencana aksi with id {a_only}"}
    ]
    deleted = await b.as_(other.staf, DELETE, id=same_row_in(b.tenant, entry))
    assert deleted["data"]["hapusProgresHarian"]["code"] == "NOT_FOUND"
    read = await b.as_(other.staf, LOG, skp=gid_of(b.tenant, team.skp), periode="2026-T1")
    assert (
        read["data"]["pelaksanaan"] is None or read["data"]["pelaksanaan"]["progres"]["nodes"] == []
    )
    assert await count_rows(tenant) == 1


async def test_reading_a_window_costs_the_same_queries_whatever_the_log(portal, team, tenant):
    async def queries_for_window() -> int:
        with count_queries() as statements:
            body = await portal.as_(
                team.staf, LOG, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
            )
        assert body["data"]["pelaksanaan"], body
        return len(statements)

    await portal.as_(team.staf, BULK, rows=[progres_row(portal.tenant, team.rencana())])
    few = await queries_for_window()
    many = [
        progres_row(portal.tenant, team.rencana(), tanggal=f"2026-03-{d:02d}") for d in range(1, 29)
    ]
    await portal.as_(team.staf, BULK, rows=many)
    assert await queries_for_window() == few


async def test_a_day_before_the_skp_starts_or_after_it_ends_is_refused(portal, team, tenant):
    """An SKP in force 2 February – 15 March (a new hire, a retirement): days of its windows
    outside those dates are refused, per row, naming ``tanggal`` and the SKP's dates."""
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=team.skp.id).update(
            periode_awal=date(2026, 2, 2), periode_akhir=date(2026, 3, 15)
        )
    rows = [
        progres_row(portal.tenant, team.rencana(), tanggal="2026-02-02"),
        progres_row(portal.tenant, team.rencana(), tanggal="2026-01-30"),
        progres_row(portal.tenant, team.rencana(), tanggal="2026-03-16"),
    ]
    refused = (await portal.as_(team.staf, BULK, rows=rows))["data"]["buatProgresHarianMassal"]
    assert refused["__typename"] == "BarisDitolak", refused
    assert [(r["baris"], r["field"]) for r in refused["baris"]] == [(2, "tanggal"), (3, "tanggal")]
    assert "before the SKP starts (2026-02-02)" in refused["baris"][0]["message"]
    assert "after the SKP ends (2026-03-15)" in refused["baris"][1]["message"]
    assert await count_rows(tenant) == 0

    single = await portal.as_(team.staf, CREATE, input=rows[1])
    assert single["data"]["buatProgresHarian"]["baris"][0]["field"] == "tanggal"
    saved = await portal.as_(team.staf, CREATE, input=rows[0])
    entry = saved["data"]["buatProgresHarian"]["progres"][0]["id"]
    moved = await portal.as_(team.staf, UPDATE, id=entry, input=rows[2])
    assert moved["data"]["ubahProgresHarian"]["baris"][0]["field"] == "tanggal"
