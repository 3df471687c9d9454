"""Checks of a validated file against the tenant's current state (pure: given a snapshot)."""

from __future__ import annotations

from datetime import date

from ekinerja.kepegawaian.importer.tenant_checks import (
    OpenAssignment,
    TenantSnapshot,
    check_against_tenant,
)
from ekinerja.kepegawaian.importer.validation import validate_pegawai_rows
from tests.support.pegawai_rows import DINAS, ROOT, nip, row, small_agency


def _errors(rows, snapshot=None):
    validated = validate_pegawai_rows(rows)
    assert validated.errors == []
    return [
        (e.row, e.column, e.reason)
        for e in check_against_tenant(validated, snapshot or TenantSnapshot())
    ]


def test_a_parent_must_be_in_the_file_or_in_the_tenant():
    rows = [row(UNOR_ATASAN_ID="U-ELSEWHERE")]

    [(number, column, reason)] = _errors(rows)

    assert (number, column) == (2, "UNOR_ATASAN_ID")
    assert "parent unit U-ELSEWHERE is neither a UNOR_ID in this file nor a unit" in reason
    assert _errors(rows, TenantSnapshot(unit_parents={"U-ELSEWHERE": None})) == []


def test_a_cycle_in_the_file_is_reported_on_each_unit_in_it():
    rows = [
        row(NIP=nip(1), UNOR_ID="A", UNOR_ATASAN_ID="B"),
        row(NIP=nip(2), UNOR_ID="B", UNOR_ATASAN_ID="C"),
        row(NIP=nip(3), UNOR_ID="C", UNOR_ATASAN_ID="A"),
        row(NIP=nip(4), UNOR_ID="D", UNOR_ATASAN_ID="A"),  # below the loop, not in it
    ]

    errors = _errors(rows)

    assert [(n, c) for n, c, _ in errors] == [(2, "UNOR_ATASAN_ID"), (3, "UNOR_ATASAN_ID"),
                                             (4, "UNOR_ATASAN_ID")]  # fmt: skip
    assert "A → B → C → A" in errors[0][2]


def test_a_cycle_through_the_tenant_tree_is_reported():
    # The tenant has ROOT → DINAS; the file hangs ROOT below DINAS.
    snapshot = TenantSnapshot(unit_parents={ROOT: None, DINAS: ROOT})

    errors = _errors([row(UNOR_ID=ROOT, UNOR_NAMA="Setda", UNOR_ATASAN_ID=DINAS)], snapshot)

    assert [(n, c) for n, c, _ in errors] == [(2, "UNOR_ATASAN_ID")]
    assert f"{ROOT} → {DINAS} → {ROOT}" in errors[0][2]


def test_a_mutasi_must_start_after_the_assignment_it_ends():
    current = OpenAssignment(nip(3), DINAS, "Analis Kebijakan Ahli Pertama", date(2020, 1, 1))
    snapshot = TenantSnapshot(unit_parents={ROOT: None}, open_assignments=[current])
    agency = small_agency()  # nip(3) holds Pranata Komputer Ahli Pertama from 2020-01-01

    [(number, column, reason)] = _errors(agency, snapshot)

    assert (number, column) == (4, "TMT_JABATAN")
    assert "2020-01-01 is not after 2020-01-01" in reason
    agency[2]["TMT_JABATAN"] = "2020-01-02"
    assert _errors(agency, snapshot) == []
    # The same jabatan again is no mutasi, whatever its TMT.
    same = OpenAssignment(nip(3), DINAS, "Pranata Komputer Ahli Pertama", date(2024, 1, 1))
    assert _errors(small_agency(), TenantSnapshot({ROOT: None}, [same])) == []


def test_a_head_seat_changing_hands_must_start_after_the_current_holder_took_it():
    holder = OpenAssignment(nip(77), ROOT, "Sekretaris Daerah", date(2023, 1, 1))
    snapshot = TenantSnapshot(unit_parents={}, open_assignments=[holder])
    agency = small_agency()
    agency[0]["TMT_JABATAN"] = "2022-12-31"

    [(number, column, reason)] = _errors(agency, snapshot)

    assert (number, column) == (2, "TMT_JABATAN")
    assert f"NIP {nip(77)}, who holds this head seat now" in reason
