"""Realisasi per indikator per window: recording it (one indikator, or a whole window at once),
and reading it with what the daily log suggests and the capaian it gives (capaian.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ekinerja import audit
from ekinerja.db.sql import fetch
from ekinerja.models.tenant import Indikator, Realisasi, Skp
from ekinerja.pelaksanaan import peristiwa
from ekinerja.pelaksanaan.capaian import (
    INDIKATOR_LINEAGE,
    capaian_persen,
    load_rules,
    realised_to_date,
    target_value,
)
from ekinerja.pelaksanaan.periode import ensure_in_force, ensure_open, window_named
from ekinerja.refusals import Refusal, RowProblem, RowsRefused, invalid
from ekinerja.skp.lifecycle import Caller
from ekinerja.skp.periode import kadensi_of, windows

MAX_NARASI = 5000
MAX_BULK_ITEMS = 1000  # indikator per call: far more than any SKP has
_LIMIT = Decimal("1e13")


@dataclass(frozen=True)
class RealisasiInput:
    indikator_id: int
    periode: str
    kuantitas: Decimal | None
    narasi: str | None


async def _open_window(skp: Skp, periode: str) -> None:
    """The checks every write of realisasi passes: the SKP in force, ``periode`` one of its
    windows, and that window open (and held open until the transaction ends, windows.py)."""
    ensure_in_force(skp)
    await window_named(skp, periode)
    await ensure_open(skp.id, periode)


async def save_realisasi(
    request: RealisasiInput, caller: Caller, sumber_data: str = "ekinerja"
) -> Realisasi:
    """Record (or replace) an indikator's realisation for a window while it is open."""
    indikator = await Indikator.get_or_none(id=request.indikator_id).select_related("rhk__skp")
    skp: Skp | None = indikator.rhk.skp if indikator else None
    if skp is None or not _is_callers(skp, caller):
        raise Refusal("NOT_FOUND", f"no indikator with id {request.indikator_id}", "indikatorId")
    await _open_window(skp, request.periode)
    kuantitas, narasi = _checked_values(request.kuantitas, request.narasi)
    row, created = await Realisasi.get_or_create(
        indikator_id=indikator.id,
        periode=request.periode,
        defaults={
            "skp_id": skp.id,
            "kuantitas": kuantitas,
            "narasi": narasi,
            "sumber_data": sumber_data,
        },
    )
    if not created:
        row.kuantitas, row.narasi, row.sumber_data = kuantitas, narasi, sumber_data
        await row.save()
    await audit.record(
        caller.subject,
        "realisasi.save",
        "skp",
        skp.id,
        indikator_id=indikator.id,
        periode=request.periode,
        kuantitas=None if kuantitas is None else str(kuantitas),
    )
    await peristiwa.realisasi(peristiwa.REALISASI, skp.id, request.periode)
    return row


def _is_callers(skp: Skp, caller: Caller) -> bool:
    """A person writes on their own SKP only; an integrator (no pegawai) with the scope on any."""
    return caller.pegawai_id is None or caller.pegawai_id == skp.pegawai_id


def _checked_values(
    kuantitas: Decimal | None, narasi: str | None
) -> tuple[Decimal | None, str | None]:
    """The quantity and narrative as stored, or INVALID_INPUT naming the field."""
    narasi = (narasi or "").strip() or None
    if kuantitas is None and narasi is None:
        raise invalid("kuantitas", "give a quantity, a narrative or both")
    if narasi and len(narasi) > MAX_NARASI:
        raise invalid("narasi", f"the narrative is longer than {MAX_NARASI} characters")
    return _checked_quantity(kuantitas), narasi


def _checked_quantity(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        if not value.is_finite() or value < 0 or value >= _LIMIT:
            raise invalid("kuantitas", "the quantity must be a number from 0 below 10^13")
        return value.quantize(Decimal("0.0001"))
    except InvalidOperation:
        raise invalid("kuantitas", "the quantity has too many digits") from None


@dataclass(frozen=True)
class RealisasiItem:
    """One indikator's realisation in a bulk save (the window is the call's)."""

    indikator_id: int | None  # None: the input was not an id at all
    kuantitas: Decimal | None
    narasi: str | None


@dataclass(frozen=True)
class SavedRealisasi:
    id: int
    indikator_id: int
    periode: str
    kuantitas: Decimal | None
    narasi: str | None


_INDIKATOR_IDS = """
SELECT i.id FROM indikator i JOIN rhk r ON r.id = i.rhk_id WHERE r.skp_id = $1"""

# One statement for the whole window: new rows inserted, recorded ones replaced (the unique
# key is (indikator, periode); an indikator belongs to one SKP, so skp_id never changes).
_UPSERT = """
INSERT INTO realisasi (indikator_id, skp_id, periode, kuantitas, narasi, sumber_data,
  dibuat_pada, diubah_pada)
SELECT t.indikator_id, $2, $3, t.kuantitas, t.narasi, $6, now(), now()
FROM unnest($1::int[], $4::numeric[], $5::text[]) AS t(indikator_id, kuantitas, narasi)
ON CONFLICT (indikator_id, periode) DO UPDATE SET kuantitas = EXCLUDED.kuantitas,
  narasi = EXCLUDED.narasi, sumber_data = EXCLUDED.sumber_data, diubah_pada = now()
RETURNING id, indikator_id, periode, kuantitas, narasi"""


async def save_realisasi_bulk(
    skp_id: int,
    periode: str,
    items: Sequence[RealisasiItem],
    caller: Caller,
    sumber_data: str = "ekinerja",
) -> list[SavedRealisasi]:
    """Record (or replace) the realisation of many indikator of one SKP in one open window: all
    of them or, when any item is bad, none (every bad item is reported). A fixed number of
    statements whatever the number of items; the saved rows in input order."""
    if not items:
        raise invalid("items", "no items given")
    if len(items) > MAX_BULK_ITEMS:
        raise Refusal("TOO_MANY_ROWS", f"at most {MAX_BULK_ITEMS} items at once", "items")
    skp = await Skp.get_or_none(id=skp_id)
    if skp is None or not _is_callers(skp, caller):
        raise Refusal("NOT_FOUND", f"no SKP with id {skp_id}", "skpId")
    await _open_window(skp, periode)
    own = {row["id"] for row in await fetch(_INDIKATOR_IDS, skp.id)}
    checked, problems = _checked_items(items, own)
    if problems:
        raise RowsRefused(problems)
    saved = await fetch(
        _UPSERT,
        [item.indikator_id for item in items],
        skp.id,
        periode,
        [kuantitas for kuantitas, _ in checked],
        [narasi for _, narasi in checked],
        sumber_data,
    )
    by_indikator = {row["indikator_id"]: SavedRealisasi(**row) for row in saved}
    await audit.record(
        caller.subject,
        "realisasi.save_bulk",
        "skp",
        skp.id,
        periode=periode,
        items=len(items),
        indikator_ids=[item.indikator_id for item in items][:50],
    )
    await peristiwa.realisasi(peristiwa.REALISASI, skp.id, periode, len(items))
    return [by_indikator[item.indikator_id] for item in items]


def _checked_items(
    items: Sequence[RealisasiItem], own: set[int]
) -> tuple[list[tuple[Decimal | None, str | None]], list[RowProblem]]:
    """The values of every item as stored, and every bad item (rows count from 1)."""
    checked: list[tuple[Decimal | None, str | None]] = []
    problems: list[RowProblem] = []
    first_row: dict[int, int] = {}
    for number, item in enumerate(items, 1):
        if item.indikator_id is None:
            problems.append(RowProblem(number, "indikatorId", "not an indikator id"))
        elif item.indikator_id not in own:
            # Said as "not found": an indikator of someone else's SKP reveals nothing.
            message = f"no indikator with id {item.indikator_id} in this SKP"
            problems.append(RowProblem(number, "indikatorId", message))
        elif item.indikator_id in first_row:
            message = f"indikator {item.indikator_id} is already given in row "
            problems.append(
                RowProblem(number, "indikatorId", message + str(first_row[item.indikator_id]))
            )
        else:
            first_row[item.indikator_id] = number
        try:
            checked.append(_checked_values(item.kuantitas, item.narasi))
        except Refusal as refusal:
            problems.append(RowProblem(number, refusal.field or "kuantitas", refusal.message))
            checked.append((None, None))
    return checked, problems


@dataclass(frozen=True)
class RealisasiIndikator:
    """One indikator of an SKP in one window."""

    indikator_id: int
    rhk_id: int
    aspek: str | None
    target: Decimal | None
    satuan: str | None
    realisasi_id: int | None
    kuantitas: Decimal | None
    narasi: str | None
    kuantitas_sampai_periode: Decimal | None
    capaian_persen: Decimal | None
    saran_kuantitas: Decimal | None
    jumlah_progres: int
    jumlah_bukti: int


_INDIKATOR = """
SELECT i.id, i.rhk_id, i.aspek, i.target_min, i.target_max, i.satuan
FROM indikator i JOIN rhk r ON r.id = i.rhk_id
WHERE r.skp_id = $1 ORDER BY r.urutan, r.id, i.urutan, i.id"""

# Each indikator's realisasi per window, including the windows recorded on the versions it
# was copied from (a revision mid-year: the first months stay on the replaced version's
# indikator), the nearest version's row first.
_REALISASI = f"""
WITH RECURSIVE {INDIKATOR_LINEAGE}
SELECT DISTINCT ON (g.indikator_id, r.periode)
       r.id, g.indikator_id, r.periode, r.kuantitas, r.narasi,
       (SELECT count(*) FROM bukti_dukung b
        WHERE b.realisasi_id = r.id AND b.status = 'TERSEDIA') AS bukti
FROM garis g JOIN realisasi r ON r.indikator_id = g.leluhur
WHERE r.periode = ANY($2::text[])
ORDER BY g.indikator_id, r.periode, g.jarak"""

# The daily log's suggestion: the window's progres on the RHK's rencana aksi, summed where
# its satuan is the indikator's (case and spacing aside); and the entries counted either way.
_SARAN = """
SELECT i.id AS indikator_id,
       sum(p.realisasi) FILTER (
         WHERE lower(btrim(p.satuan)) = lower(btrim(coalesce(i.satuan, '')))) AS saran,
       count(p.id) AS jumlah
FROM indikator i JOIN rhk r ON r.id = i.rhk_id
JOIN rencana_aksi ra ON ra.rhk_id = r.id
JOIN progres_harian p ON p.rencana_aksi_id = ra.id AND p.periode = $2
WHERE r.skp_id = $1
GROUP BY i.id"""


async def realisasi_periode(skp: Skp, periode: str) -> list[RealisasiIndikator]:
    """Every indikator of ``skp`` in window ``periode``: a fixed number of queries."""
    year = [w.kode for w in windows(skp.tahun, await kadensi_of(skp.tahun))]
    if periode not in year:
        raise invalid("periode", f"{periode!r} is not an evaluation window of {skp.tahun}")
    upto = year[: year.index(periode) + 1]
    rules = await load_rules()
    indikator = await fetch(_INDIKATOR, skp.id)
    recorded = await fetch(_REALISASI, [i["id"] for i in indikator], upto)
    saran = {row["indikator_id"]: row for row in await fetch(_SARAN, skp.id, periode)}
    by_indikator: dict[int, dict[str, dict]] = {}
    for row in recorded:
        by_indikator.setdefault(row["indikator_id"], {})[row["periode"]] = row
    result = []
    for i in indikator:
        mine = by_indikator.get(i["id"], {})
        here = mine.get(periode)
        so_far = realised_to_date(
            i["aspek"], {k: r["kuantitas"] for k, r in mine.items()}, upto, rules
        )
        target = target_value(i["target_min"], i["target_max"])
        suggestion = saran.get(i["id"], {})
        result.append(
            RealisasiIndikator(
                indikator_id=i["id"],
                rhk_id=i["rhk_id"],
                aspek=i["aspek"],
                target=target,
                satuan=i["satuan"],
                realisasi_id=here["id"] if here else None,
                kuantitas=here["kuantitas"] if here else None,
                narasi=here["narasi"] if here else None,
                kuantitas_sampai_periode=so_far,
                capaian_persen=capaian_persen(i["aspek"], target, so_far, rules),
                saran_kuantitas=(
                    Decimal(suggestion["saran"]) if suggestion.get("saran") is not None else None
                ),
                jumlah_progres=suggestion.get("jumlah", 0),
                jumlah_bukti=here["bukti"] if here else 0,
            )
        )
    return result
