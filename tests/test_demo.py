"""The demo agency: valid identifiers, a realistic 5–6 level tree, importable, deterministic."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.kepegawaian.importer.validation import validate_pegawai_rows
from ekinerja.kepegawaian.nip import parse_ni_pppk, parse_nip_pns
from tests.support.kepegawaian_db import table_counts
from tests.test_migrations import run_cli

# DOMAIN.md 2.5: the golongan ruang each jenjang is held at.
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
