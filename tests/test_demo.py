"""The demo agency: valid identifiers, a realistic 5–6 level tree, importable, deterministic."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from ekinerja.kepegawaian.calendar import today
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.kepegawaian.importer.validation import validate_pegawai_rows
from ekinerja.kepegawaian.nip import parse_ni_pppk, parse_nip_pns
from ekinerja.models.tenant import (
    AngkaKredit,
    EvaluasiPeriodik,
    Keberatan,
    Pegawai,
    ProgresHarian,
    Rhk,
    Skp,
)
from ekinerja.skp.enums import StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.kepegawaian_db import table_counts
from tests.test_migrations import run_cli

# docs/domain.md 2.5: the golongan ruang each jenjang is held at.
JENJANG_GOLONGAN = {
    "AHLI_PERTAMA": {"III/a", "III/b"},
    "AHLI_MUDA": {"III/c", "III/d"},
    "AHLI_MADYA": {"IV/a", "IV/b", "IV/c"},
    "AHLI_UTAMA": {"IV/d", "IV/e"},
    "PEMULA": {"II/a"},
    "TERAMPIL": {"II/b", "II/c", "II/d"},
    "MAHIR": {"III/a", "III/b"},
    "PENYELIA": {"III/c", "III/d"},
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate_demo_rows(300)


def _depth(parents: dict[str, str], unit: str) -> int:
    depth = 1
    while parents[unit]:
        unit, depth = parents[unit], depth + 1
    return depth


def test_every_nip_is_valid_for_its_jenis_and_unique(rows):
    assert len(rows) == 300
    for cells in rows:
        parse = parse_nip_pns if cells["JENIS_PEGAWAI"] == "PNS" else parse_ni_pppk
        parse(cells["NIP"])
    assert len({cells["NIP"] for cells in rows}) == 300
    share_pns = Counter(cells["JENIS_PEGAWAI"] for cells in rows)["PNS"] / len(rows)
    assert 0.65 < share_pns < 0.85


def test_the_tree_has_five_or_six_levels_and_one_head_per_unit_at_most(rows):
    parents = {cells["UNOR_ID"]: cells["UNOR_ATASAN_ID"] for cells in rows}
    assert [u for u, p in parents.items() if not p] == [rows[0]["UNOR_ID"]]
    assert rows[0]["UNOR_NAMA"] == "Sekretariat Daerah"
    assert rows[0]["PENILAI_EKSTERNAL_JABATAN"].startswith("Bupati ")
    assert 5 <= max(_depth(parents, unit) for unit in parents) <= 6

    heads: dict[str, set[str]] = defaultdict(set)
    for cells in rows:
        if cells["KEPALA_UNIT"] == "Y":
            heads[cells["UNOR_ID"]].add(cells["JABATAN_NAMA"])
    assert all(len(jabatan) == 1 for jabatan in heads.values())
    staff = Counter(cells["UNOR_ID"] for cells in rows if cells["KEPALA_UNIT"] == "N")
    assert sum(staff.values()) / len(parents) > 4


def test_a_larger_agency_leaves_a_few_heads_vacant_and_keeps_spans_realistic():
    rows = generate_demo_rows(3000)
    units = {cells["UNOR_ID"] for cells in rows}
    headed = {cells["UNOR_ID"] for cells in rows if cells["KEPALA_UNIT"] == "Y"}
    children = Counter(
        cells["UNOR_ATASAN_ID"] for cells in {c["UNOR_ID"]: c for c in rows}.values()
    )
    vacant_share = (len(units) - len(headed)) / len(units)
    assert 0.01 < vacant_share < 0.4  # vacant heads, plus puskesmas pembantu run by staff
    assert 4 <= len(rows) / len(units) <= 16
    assert sorted(children.values())[len(children) // 2] <= 8  # the median span of control


def test_jenjang_follows_golongan_for_pns(rows):
    fungsional = [
        c for c in rows if c["JENIS_JABATAN"] == "FUNGSIONAL" and c["JENIS_PEGAWAI"] == "PNS"
    ]
    assert fungsional
    for cells in fungsional:
        assert cells["GOLONGAN"] in JENJANG_GOLONGAN[cells["JENJANG"]], cells


def test_the_same_seed_gives_the_same_agency(rows):
    assert generate_demo_rows(300, seed=1) == rows
    assert generate_demo_rows(300, seed=2) != rows


def test_the_rows_pass_validation(rows):
    assert validate_pegawai_rows(rows).errors == []


async def test_the_rows_import(tenant, rows):
    result = await import_pegawai(tenant.kode, rows, actor="test", source="demo")

    assert result.ok, result.errors[:5]
    assert result.pegawai.created == result.penugasan.created == 300


def test_too_small_an_agency_is_refused():
    with pytest.raises(ValueError, match="at least 100 pegawai"):
        generate_demo_rows(50)


async def test_demo_seed_command_end_to_end(database, tenant):
    result = run_cli(database, "demo", "seed", "--tenant", tenant.kode, "--pegawai", "150")

    assert result.returncode == 0, result.stderr
    assert "imported 150 rows" in result.stderr
    counts = await table_counts(tenant)
    assert (counts["Pegawai"], counts["Penugasan"], counts["AuditEvent"]) == (150, 150, 1)


async def test_next_year_is_started_top_down_on_an_existing_agency(database, tenant):
    """`demo seed --skp-tahun` on an instansi with pegawai adds next year's cascaded SKPs and
    touches nothing else; running it again creates none."""
    this_year, next_year = today().year, today().year + 1
    first = run_cli(database, "demo", "seed", "--tenant", tenant.kode, "--pegawai", "100",
                    "--skp-tahun", str(this_year))  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "imported 100 rows" in first.stderr and "walked up to today" in first.stderr
    async with tenant_transaction(as_bound(tenant)):
        before = await _year_state(this_year)
        # A pegawai's own draft for next year is kept as it is (no second SKP, no cascade).
        own = await Skp.filter(tahun=this_year).order_by("-id").first()
        draft = await Skp.create(
            pegawai_id=own.pegawai_id, tahun=next_year, periode_awal=date(next_year, 1, 1),
            periode_akhir=date(next_year, 12, 31), pendekatan=own.pendekatan,
            jenis_form=own.jenis_form, snapshot_pegawai=own.snapshot_pegawai,
        )  # fmt: skip
        await Rhk.create(skp=draft, urutan=1, teks="Rencana sendiri")

    for created in (99, 0):
        run = run_cli(database, "demo", "seed", "--tenant", tenant.kode, "--pegawai", "150",
                      "--skp-tahun", str(next_year))  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert f"demo SKPs for {next_year}: {created} created" in run.stderr
        assert "imported" not in run.stderr  # the agency is left as it is (150 would differ)

    async with tenant_transaction(as_bound(tenant)):
        assert await _year_state(this_year) == before
        assert await Pegawai.all().count() == 100
        assert await Skp.filter(tahun=next_year).count() == 100
        assert await Skp.filter(tahun=next_year, status=StatusSkp.DISETUJUI).count() == 99
        mine = await Rhk.get(skp_id=draft.id)
        assert (mine.teks, mine.intervensi_id) == ("Rencana sendiri", None)
        next_rhk = Rhk.filter(skp__tahun=next_year, skp__status=StatusSkp.DISETUJUI)
        top = await next_rhk.filter(urutan=1, intervensi_id__isnull=True)
        # Only the top of the tree starts the cascade (and those under the pegawai with the
        # draft, whose plan is theirs to approve).
        assert len(top) >= 1 and await next_rhk.filter(intervensi_id__isnull=False).count() > 150


async def _year_state(tahun: int) -> tuple:
    return (
        await Skp.filter(tahun=tahun).count(),
        await EvaluasiPeriodik.all().count(),
        await Keberatan.all().count(),
        await AngkaKredit.all().count(),
        await ProgresHarian.all().count(),
    )
