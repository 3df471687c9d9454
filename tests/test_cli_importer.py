"""`ekinerja import …` end to end, as a subprocess against the test database."""

from __future__ import annotations

import csv

from tests.support.kepegawaian_db import table_counts, write_file
from tests.support.pegawai_rows import nip, row, small_agency
from tests.test_migrations import run_cli


async def test_a_bad_file_lists_every_error_and_exits_1_then_a_good_one_imports(
    database, tenant, tmp_path
):
    bad = small_agency() + [row(NIP=nip(40), GOLONGAN="IX"), row(NIP="123")]
    bad_file = write_file(tmp_path / "bad.xlsx", bad)
    errors_csv = tmp_path / "errors.csv"

    result = run_cli(
        database,
        *("import", "pegawai", str(bad_file), "--tenant", tenant.kode),
        *("--errors-csv", str(errors_csv)),
    )

    assert result.returncode == 1, result.stderr
    assert "2 errors in 2 rows; nothing was written" in result.stderr
    assert "not a PNS golongan" in result.stderr
    assert list(csv.reader(errors_csv.open(encoding="utf-8-sig")))[1:] == [
        ["8", "GOLONGAN", "golongan 'IX' is not a PNS golongan (I/a … IV/e)"],
        ["9", "NIP", "NIP must be 18 digits (got 3 characters: '123')"],
    ]
    assert (await table_counts(tenant))["Pegawai"] == 0

    good_file = write_file(tmp_path / "good.csv", small_agency())
    result = run_cli(database, "import", "pegawai", str(good_file), "--tenant", tenant.kode)

    assert result.returncode == 0, result.stderr
    assert "imported 6 rows" in result.stderr
    assert (await table_counts(tenant))["Pegawai"] == 6


def test_an_unreadable_file_or_unknown_tenant_is_a_clear_error(database, tmp_path):
    text_file = tmp_path / "pegawai.txt"
    text_file.write_text("NIP\n")

    unreadable = run_cli(database, "import", "unor", str(text_file), "--tenant", "KODE1")

    assert unreadable.returncode == 1
    assert "unsupported file type .txt" in unreadable.stderr

    good_file = write_file(tmp_path / "good.csv", small_agency())
    unknown = run_cli(database, "import", "pegawai", str(good_file), "--tenant", "NOSUCH1")

    assert unknown.returncode == 2
    assert "TENANT_NOT_FOUND" in unknown.stderr
