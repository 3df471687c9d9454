"""Progres harian: the daily log against an approved SKP's rencana aksi.

Bulk first: one row and ten thousand rows take the same path — every row is checked against
facts loaded in a constant number of queries, every problem is reported, and only a clean batch
is written (in one INSERT per chunk). A row may be written while its window is open: the date
falls in the rencana aksi's window, within the SKP's period, not in the future, and the window's
evaluation not yet submitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from ekinerja import audit
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.models.tenant import ProgresHarian
from ekinerja.pelaksanaan import peristiwa
from ekinerja.pelaksanaan.periode import ensure_open, hold_for_writing, window_closed
from ekinerja.refusals import Refusal, RowProblem, RowsRefused
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.lifecycle import Caller
from ekinerja.skp.periode import Window, kadensi_of, windows

MAX_KEGIATAN = 2000
MAX_SATUAN = 50
MAX_REALISASI = 10_000_000
MAX_ROWS = 100_000  # per call; the GraphQL mutation allows far fewer
_CHUNK = 5_000


@dataclass(frozen=True)
class ProgresInput:
    rencana_aksi_id: int
    tanggal: date
    jam_mulai: time
    jam_selesai: time
    kegiatan: str
    realisasi: int
    satuan: str


@dataclass(frozen=True)
class _Planned:
    """A rencana aksi with what the checks need of its SKP."""

    id: int
    periode: str
    skp_id: int
    pegawai_id: int
    status: str
    superseded: bool
    tahun: int
    periode_awal: date
    periode_akhir: date


_PLANNED = """
SELECT ra.id, ra.periode, s.id AS skp_id, s.pegawai_id, s.status,
       s.digantikan_pada IS NOT NULL AS superseded, s.tahun, s.periode_awal, s.periode_akhir
FROM rencana_aksi ra JOIN rhk r ON r.id = ra.rhk_id JOIN skp s ON s.id = r.skp_id
WHERE ra.id = ANY($1::int[])"""


async def _planned(ids: set[int]) -> dict[int, _Planned]:
    return {row["id"]: _Planned(**row) for row in await fetch(_PLANNED, list(ids))}


async def _windows_by_kode(years: set[int]) -> dict[str, Window]:
    found: dict[str, Window] = {}
    for tahun in years:
        found.update({w.kode: w for w in windows(tahun, await kadensi_of(tahun))})
    return found


class _Checker:
    """The checks of one batch, over facts loaded once for the whole batch."""

    def __init__(self, caller: Caller, planned, closed, windows_by_kode, today_: date) -> None:
        self.caller = caller
        self.planned: dict[int, _Planned] = planned
        self.closed: set[tuple[int, str]] = closed
        self.windows = windows_by_kode
        self.today = today_

    def problems(self, number: int, row: ProgresInput) -> list[RowProblem]:
        found: list[RowProblem] = []

        def refuse(field: str, message: str) -> None:
            found.append(RowProblem(number, field, message))

        if not row.kegiatan or not row.kegiatan.strip():
            refuse("kegiatan", "the activity is empty")
        elif len(row.kegiatan) > MAX_KEGIATAN:
            refuse("kegiatan", f"the activity is longer than {MAX_KEGIATAN} characters")
        if not row.satuan or not row.satuan.strip():
            refuse("satuan", "the unit (satuan) is empty")
        elif len(row.satuan) > MAX_SATUAN:
            refuse("satuan", f"the unit is longer than {MAX_SATUAN} characters")
        if row.realisasi < 0 or row.realisasi > MAX_REALISASI:
            refuse("realisasi", f"realisasi must be a whole number from 0 to {MAX_REALISASI}")
        if row.jam_selesai <= row.jam_mulai:
            refuse(
                "jamSelesai",
                f"the end time {row.jam_selesai:%H:%M} is not after the start time "
                f"{row.jam_mulai:%H:%M}",
            )
        if row.tanggal > self.today:
            refuse("tanggal", f"{row.tanggal.isoformat()} is in the future")
        planned = self.planned.get(row.rencana_aksi_id)
        if planned is None:
            refuse("rencanaAksiId", f"no rencana aksi with id {row.rencana_aksi_id}")
            return found
        found.extend(self._against_plan(number, row, planned))
        return found

    def _against_plan(self, number: int, row: ProgresInput, plan: _Planned) -> list[RowProblem]:
        def problem(field: str, message: str) -> list[RowProblem]:
            return [RowProblem(number, field, message)]

        if self.caller.pegawai_id is not None and self.caller.pegawai_id != plan.pegawai_id:
            # Said as "not found": the id of someone else's plan reveals nothing.
            return problem("rencanaAksiId", f"no rencana aksi with id {row.rencana_aksi_id}")
        if plan.status != StatusSkp.DISETUJUI.value:
            return problem("rencanaAksiId", f"its SKP is {plan.status}, not approved")
        if plan.superseded:
            return problem("rencanaAksiId", "its SKP version was replaced by a newer version")
        if (plan.skp_id, plan.periode) in self.closed:
            return problem("tanggal", window_closed(plan.skp_id, plan.periode).message)
        window = self.windows.get(plan.periode)
        if window is None:
            return problem("rencanaAksiId", f"its window {plan.periode} is not in the cadence")
        if not (window.awal <= row.tanggal <= window.akhir):
            return problem(
                "tanggal",
                f"{row.tanggal.isoformat()} is outside the rencana aksi's window {plan.periode} "
                f"({window.awal.isoformat()} – {window.akhir.isoformat()})",
            )
        # The SKP may cover part of its windows only (a new hire, a transfer, a retirement):
        # its own dates bound the log, as they bound its evaluation and credit (periods.clip).
        if row.tanggal < plan.periode_awal:
            return problem(
                "tanggal",
                f"{row.tanggal.isoformat()} is before the SKP starts "
                f"({plan.periode_awal.isoformat()})",
            )
        if row.tanggal > plan.periode_akhir:
            return problem(
                "tanggal",
                f"{row.tanggal.isoformat()} is after the SKP ends "
                f"({plan.periode_akhir.isoformat()})",
            )
        return []


async def check(
    rows: Sequence[ProgresInput],
    caller: Caller,
    row_numbers: Sequence[int] | None = None,
    leaving: tuple[int, str] | None = None,
) -> tuple[list[RowProblem], dict]:
    """Every problem of ``rows`` (empty when all are fine) and the plans they point to.
    Problems name rows by ``row_numbers`` (a file's row numbers), else 1, 2, …

    The windows written into are held open until the transaction ends (windows.py), with
    ``leaving``, the window an edited entry moves out of (WINDOW_CLOSED if it is closed)."""
    if len(rows) > MAX_ROWS:
        raise Refusal("TOO_MANY_ROWS", f"at most {MAX_ROWS} rows at once", "rows")
    planned = await _planned({r.rencana_aksi_id for r in rows})
    writing = {(p.skp_id, p.periode) for p in planned.values()}
    closed = await hold_for_writing(writing | ({leaving} if leaving else set()))
    if leaving in closed:
        raise window_closed(*leaving)
    windows_by_kode = await _windows_by_kode({p.tahun for p in planned.values()})
    checker = _Checker(caller, planned, closed, windows_by_kode, await hari_ini())
    numbers = row_numbers or range(1, len(rows) + 1)
    problems = [
        p for number, row in zip(numbers, rows, strict=True) for p in checker.problems(number, row)
    ]
    return problems, planned


_INSERT = """
INSERT INTO progres_harian (rencana_aksi_id, skp_id, pegawai_id, periode, tanggal, jam_mulai,
  jam_selesai, kegiatan, realisasi, satuan, sumber_data, dibuat_pada, diubah_pada)
SELECT *, now(), now() FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::date[],
  $6::time[], $7::time[], $8::text[], $9::int[], $10::text[], $11::text[])
RETURNING id"""


async def create_progres(
    rows: Sequence[ProgresInput],
    caller: Caller,
    sumber_data: str = "ekinerja",
    row_numbers: Sequence[int] | None = None,
) -> list[int]:
    """Write ``rows`` all together or not at all; the new ids, in input order."""
    if not rows:
        raise Refusal("INVALID_INPUT", "no rows given", "rows")
    problems, planned = await check(rows, caller, row_numbers)
    if problems:
        raise RowsRefused(problems)
    ids: list[int] = []
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        plans = [planned[r.rencana_aksi_id] for r in chunk]
        inserted = await fetch(
            _INSERT,
            [r.rencana_aksi_id for r in chunk],
            [p.skp_id for p in plans],
            [p.pegawai_id for p in plans],
            [p.periode for p in plans],
            [r.tanggal for r in chunk],
            [r.jam_mulai for r in chunk],
            [r.jam_selesai for r in chunk],
            [r.kegiatan.strip() for r in chunk],
            [r.realisasi for r in chunk],
            [r.satuan.strip() for r in chunk],
            [sumber_data] * len(chunk),
        )
        ids.extend(row["id"] for row in inserted)
    skps = sorted({p.skp_id for p in planned.values()})
    await audit.record(
        caller.subject,
        "progres.create",
        "skp",
        skps[0] if len(skps) == 1 else None,
        rows=len(rows),
        skp_ids=skps[:50],
        sumber_data=sumber_data,
    )
    by_plan = Counter(r.rencana_aksi_id for r in rows)
    touched: Counter[tuple[int, str]] = Counter()
    for ra, count in by_plan.items():
        touched[planned[ra].skp_id, planned[ra].periode] += count
    await peristiwa.progres(peristiwa.DIBUAT, touched)
    return ids


async def _own_entry(progres_id: int, caller: Caller) -> ProgresHarian:
    """The caller's entry, locked (its window is the caller's to check)."""
    entry = await ProgresHarian.select_for_update().get_or_none(id=progres_id)
    if entry is None or (caller.pegawai_id is not None and caller.pegawai_id != entry.pegawai_id):
        raise Refusal("NOT_FOUND", f"no progres harian with id {progres_id}", "progresId")
    return entry


async def update_progres(progres_id: int, row: ProgresInput, caller: Caller) -> int:
    """Replace an entry while its window is open (it may move to another rencana aksi, and so
    to another window: both are held, together)."""
    entry = await _own_entry(progres_id, caller)
    problems, planned = await check([row], caller, leaving=(entry.skp_id, entry.periode))
    if problems:
        raise RowsRefused(problems)
    plan = planned[row.rencana_aksi_id]
    await ProgresHarian.filter(id=entry.id).update(
        rencana_aksi_id=row.rencana_aksi_id,
        skp_id=plan.skp_id,
        periode=plan.periode,
        tanggal=row.tanggal,
        jam_mulai=row.jam_mulai,
        jam_selesai=row.jam_selesai,
        kegiatan=row.kegiatan.strip(),
        realisasi=row.realisasi,
        satuan=row.satuan.strip(),
    )
    await audit.record(caller.subject, "progres.update", "progres_harian", entry.id)
    moved = {(entry.skp_id, entry.periode), (plan.skp_id, plan.periode)}
    await peristiwa.progres(peristiwa.DIUBAH, Counter(moved))
    return entry.id


async def delete_progres(progres_id: int, caller: Caller) -> int:
    entry = await _own_entry(progres_id, caller)
    await ensure_open(entry.skp_id, entry.periode)
    await entry.delete()
    await audit.record(caller.subject, "progres.delete", "progres_harian", progres_id)
    await peristiwa.progres(peristiwa.DIHAPUS, Counter([(entry.skp_id, entry.periode)]))
    return progres_id
