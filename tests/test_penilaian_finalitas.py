"""The finality rule lives in one module (`penilaian.finalitas`): its Python form and its SQL
form agree on every combination of the facts it reads, in WIB and in WITA, and both say what
the rule's statement says."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ekinerja import pengaturan
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import ZONE_SETTING
from ekinerja.models.tenant import Skp
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.penilaian.finalitas import (
    Fakta,
    ada_atasan,
    annual_final_sql,
    final_dari,
    final_sql,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

# 23:30 WIB on 1 March is 00:30 WITA on 2 March: the day count differs by zone.
FIXED_AT = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
ANNOUNCED_AT = FIXED_AT + timedelta(days=20)
DAYS = 14
KEBERATAN = {"none": None, "pending": StatusKeberatan.DIAJUKAN, "decided": StatusKeberatan.FINAL}
# window: a periodic row; copy: the annual copy of the last window (LAST_PERIOD), the facts
# being the window's; separate: an annual evaluation of its own (SEPARATE_ANNUAL).
KINDS = ("window", "copy", "separate")
# Who hears a keberatan: a pegawai of the instansi, an official outside it (the SKP's NON_ASN
# snapshot, decision 0023), or nobody; as stored on the SKP.
ATASAN = {
    "pegawai": (1, {"status": "ASN", "pegawaiId": 1, "nama": "Atasan"}),
    "eksternal": (None, {"status": "NON_ASN", "pegawaiId": None, "nama": "Bupati"}),
    "none": (None, None),
}

_SQL = f"""
SELECT c.n,
       {final_sql("e", "k", "c", "$3", "c.hari")} AS window_final,
       {annual_final_sql("e", "k", "lw", "lk", "c", "$3", "c.hari", "c.follows")} AS annual
FROM jsonb_to_recordset($1::text::jsonb)
  AS c(n int, atasan_penilai_pegawai_id int, snapshot_atasan_penilai jsonb, hari date,
       follows bool)
JOIN jsonb_to_recordset($1::text::jsonb)
  AS e(n int, status text, ditetapkan_pada timestamptz, final_diumumkan_pada timestamptz)
  ON e.n = c.n
LEFT JOIN jsonb_to_recordset($2::text::jsonb) AS k(n int, id int, status text, last bool)
  ON k.n = c.n AND NOT k.last
LEFT JOIN jsonb_to_recordset($4::text::jsonb)
  AS lw(n int, id int, status text, ditetapkan_pada timestamptz, final_diumumkan_pada timestamptz)
  ON lw.n = c.n AND c.follows
LEFT JOIN jsonb_to_recordset($2::text::jsonb) AS lk(n int, id int, status text, last bool)
  ON lk.n = c.n AND lk.last
ORDER BY c.n"""


def _expected(f: Fakta, atasan: bool, on, zone: ZoneInfo) -> bool:
    """The rule as its statement reads, for a window (or a separate annual evaluation)."""
    fixed_day = f.ditetapkan_pada.astimezone(zone).date()
    return f.status is StatusEvaluasi.DITETAPKAN and (
        f.final_diumumkan_pada is not None
        or f.keberatan is StatusKeberatan.FINAL
        or (f.keberatan is None and (not atasan or (on - fixed_day).days >= 15))
    )


def _cases(zone: ZoneInfo) -> list[dict]:
    fixed_day = FIXED_AT.astimezone(zone).date()
    cases = []
    for fixed, atasan, keberatan, day, kind, announced in itertools.product(
        (True, False), ATASAN, KEBERATAN, (14, 15), KINDS, (False, True)
    ):
        facts = Fakta(
            StatusEvaluasi.DITETAPKAN if fixed else StatusEvaluasi.DINILAI,
            FIXED_AT,
            ANNOUNCED_AT if announced and fixed else None,
            KEBERATAN[keberatan],
        )
        on = fixed_day + timedelta(days=day)
        copy = kind == "copy"
        # The annual copy carries the window's status, is not announced apart from it, and
        # has no keberatan of its own.
        row = Fakta(facts.status, FIXED_AT, None, None) if copy else facts
        cases.append(
            {
                "name": f"{kind} fixed={fixed} atasan={atasan} keberatan={keberatan} "
                f"day={day} announced={announced}",
                "row": row,
                "last": facts if copy else None,
                "follows": copy,
                "atasan": atasan,
                "on": on,
                "expected": _expected(facts, atasan != "none", on, zone),
            }
        )
    # The readings the three former implementations disagreed on (regressions).
    on = fixed_day + timedelta(days=14)
    pending = Fakta(StatusEvaluasi.DITETAPKAN, FIXED_AT, None, StatusKeberatan.DIAJUKAN)
    cases += [
        {  # An annual copy under LAST_PERIOD whose SKP has no last window row: no keberatan
            # is possible against anything, so final as fixed (the SQL waited for the days).
            "name": "copy without a last window, inside the period",
            "row": Fakta(StatusEvaluasi.DITETAPKAN, FIXED_AT, None, None),
            "last": None,
            "follows": True,
            "atasan": "pegawai",
            "on": on,
            "expected": True,
        },
        {  # An announced annual row stays final even if the window it follows is open (the
            # SQL judged only the window).
            "name": "announced copy, last window with a pending keberatan",
            "row": Fakta(StatusEvaluasi.DITETAPKAN, FIXED_AT, ANNOUNCED_AT, None),
            "last": pending,
            "follows": True,
            "atasan": "pegawai",
            "on": on,
            "expected": True,
        },
        {  # Announced final, then a pending keberatan (the GraphQL field said not final).
            "name": "announced window with a pending keberatan",
            "row": Fakta(StatusEvaluasi.DITETAPKAN, FIXED_AT, ANNOUNCED_AT, pending.keberatan),
            "last": None,
            "follows": False,
            "atasan": "pegawai",
            "on": on,
            "expected": True,
        },
    ]
    return cases


def _rows(cases: list[dict]) -> tuple[str, str, str]:
    """The cases as JSON rows: results (with the case's atasan, date and kind), keberatan,
    last windows."""

    def row(n: int, f: Fakta, **extra) -> dict:
        announced = f.final_diumumkan_pada
        return {"n": n, "id": n, "status": f.status.value,
                "ditetapkan_pada": f.ditetapkan_pada.isoformat(),
                "final_diumumkan_pada": announced and announced.isoformat(), **extra}  # fmt: skip

    rows, keberatan, lasts = [], [], []
    for n, case in enumerate(cases):
        pegawai_id, snapshot = ATASAN[case["atasan"]]
        rows.append(row(n, case["row"], atasan_penilai_pegawai_id=pegawai_id,
                        snapshot_atasan_penilai=snapshot, hari=case["on"].isoformat(),
                        follows=case["follows"]))  # fmt: skip
        for f, last in ((case["row"], False), (case["last"], True)):
            if f is not None and f.keberatan is not None:
                keberatan.append({"n": n, "id": n, "status": f.keberatan.value, "last": last})
        if case["last"] is not None:
            lasts.append(row(n, case["last"]))
    return json.dumps(rows), json.dumps(keberatan), json.dumps(lasts)


@pytest.mark.parametrize("zone_name", ["Asia/Jakarta", "Asia/Makassar"])
async def test_the_python_and_sql_forms_agree_on_every_case(tenant, zone_name):
    zone = ZoneInfo(zone_name)
    cases = _cases(zone)
    async with tenant_transaction(as_bound(tenant)):
        await pengaturan.tetapkan(ZONE_SETTING, zone_name, "admin")
        rows, keberatan, lasts = _rows(cases)
        sql = await fetch(_SQL, rows, keberatan, DAYS, lasts)
    assert [r["n"] for r in sql] == list(range(len(cases)))
    for case, answer in zip(cases, sql, strict=True):
        pegawai_id, snapshot = ATASAN[case["atasan"]]
        skp = Skp(atasan_penilai_pegawai_id=pegawai_id, snapshot_atasan_penilai=snapshot)
        python = final_dari(
            case["row"], ada_atasan(skp), DAYS, case["on"], zone, case["follows"], case["last"]
        )
        in_sql = answer["annual"]
        assert (python, in_sql) == (case["expected"],) * 2, case["name"]
        if not case["follows"]:  # a window and a separate annual evaluation: the same rule
            assert answer["window_final"] is python, case["name"]
