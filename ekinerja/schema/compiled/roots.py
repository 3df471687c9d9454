"""The root fields the compiled path starts from: what row(s) each reads, for whom, with which
arguments. A root answers None — the field runs on its resolvers — whenever the resolvers
would refuse or say something the plan cannot (an argument out of range, a principal who is
not a pegawai, a cursor), so their error reaches the client as it does today."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ekinerja.auth.policy import Operation, Relation
from ekinerja.paging import MAX_FIRST, Keyset, decode_cursor
from ekinerja.refusals import Refusal
from ekinerja.schema.compiled.catalog import TODAY
from ekinerja.schema.compiled.catalog.cakupan import superior_row
from ekinerja.schema.compiled.planner import Planner, allowed, object_type
from ekinerja.schema.compiled.sql import root_statement
from ekinerja.schema.context import Context
from ekinerja.schema.ids import decode_id
from ekinerja.schema.kepegawaian.resolvers import DAFTAR_PEGAWAI
from ekinerja.schema.pelaksanaan.types import MONITORING
from ekinerja.schema.permissions import require
from ekinerja.schema.skp.queries import SKP_SAYA
from ekinerja.tahun import is_tahun


class _Caller:
    def __repr__(self) -> str:
        return "CALLER"


# Where a root's parameters hold the caller's pegawai id: plans are shared between callers
# (plans.py) and each request puts its own caller there.
CALLER: Any = _Caller()


@dataclass(frozen=True)
class CompiledRoot:
    statement: str
    parameters: tuple[Any, ...]  # from $3 on ($1 today, $2 the kode)
    reads_today: bool
    one_row: bool  # a root that reads one row (not a connection): no row is an error
    keyset: Keyset | None = None  # a connection's: its cursors are encoded with it
    cursors: tuple[tuple[str, ...], ...] = ()  # where, in the value ("*": every item)


def _compiled(plan, source: str, parameters: list[Any], one_row: bool) -> CompiledRoot | None:
    if plan is None:
        return None
    statement = root_statement(plan, source)
    return CompiledRoot(statement, tuple(parameters), plan.reads(TODAY), one_row)


_SQL_TYPE = {int: "int", str: "text"}


def _page(
    planner: Planner,
    field_type,
    details,
    arguments: dict,
    context: Context,
    keyset: Keyset,
    source: str,
    parameters: list[Any],
) -> CompiledRoot | None:
    """A connection's page: ``first`` rows after ``after`` in ``keyset``'s order. The keyset's
    columns are its fields; `after` is decoded as the resolvers decode it (a cursor they would
    refuse falls back, so their refusal is the answer)."""
    first = arguments.get("first")
    if not isinstance(first, int) or not 1 <= first <= MAX_FIRST:
        return None
    if any(t not in _SQL_TYPE for t in keyset.types):
        return None
    after = arguments.get("after")
    counted = source  # totalCount counts the whole list, not what is after the cursor
    if after is not None:
        try:
            values = decode_cursor(context.instansi.kode, keyset, after)
        except Refusal:
            return None
        # paging.after_q's condition: a > x OR (a = x AND b > y) OR …, flipped when descending.
        alternatives = []
        for i, term in enumerate(keyset.order):
            equal = [
                f"{{child}}.{f} = ${len(parameters) + 3 + j}::{_SQL_TYPE[keyset.types[j]]}"
                for j, f in enumerate(keyset.fields[:i])
            ]
            op = "<" if term.startswith("-") else ">"
            number = len(parameters) + 3 + i
            equal.append(
                f"{{child}}.{keyset.fields[i]} {op} ${number}::{_SQL_TYPE[keyset.types[i]]}"
            )
            alternatives.append("(" + " AND ".join(equal) + ")")
        source += " AND (" + " OR ".join(alternatives) + ")"
        parameters = parameters + list(values)
    descending = tuple(term.startswith("-") for term in keyset.order)
    found = planner.connection(
        object_type(field_type), details, source, counted, keyset.fields, descending, first
    )
    if found is None:
        return None
    plan, cursors = found
    compiled = _compiled(plan, "", parameters, one_row=False)
    return replace(compiled, keyset=keyset, cursors=tuple(cursors))


def saya(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The caller's own pegawai row."""
    if arguments or context.pegawai_id is None:
        return None
    plan = planner.object(object_type(field_type), details)
    source = "FROM pegawai {row} WHERE {row}.id = $3"
    return _compiled(plan, source, [CALLER], one_row=True)


_READ_OWN_SKP = [require(Operation.READ_SKP, target=lambda _: 0)]


def skp_saya(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The caller's SKP versions, newest first: the first page (no `after`)."""
    tahun = (arguments.get("filter") or {}).get("tahun")
    if (
        context.pegawai_id is None
        or (tahun is not None and not is_tahun(tahun))
        or not allowed(context.principal, _READ_OWN_SKP, Relation.OWN)
    ):
        return None
    source = "FROM skp {child} WHERE {child}.pegawai_id = $3"
    parameters: list[Any] = [CALLER]
    if tahun is not None:
        source += " AND {child}.tahun = $4"
        parameters.append(tahun)
    return _page(planner, field_type, details, arguments, context, SKP_SAYA, source, parameters)


def daftar_pegawai(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The directory, everyone, by name (kepegawaian/search.py's order); a filter or a
    `tanggal` falls back."""
    if arguments.get("tanggal") is not None:
        return None
    if any(value is not None for value in (arguments.get("filter") or {}).values()):
        return None
    source = "FROM pegawai {child} WHERE TRUE"
    return _page(planner, field_type, details, arguments, context, DAFTAR_PEGAWAI, source, [])


def rhk(planner: Planner, field_type, details, arguments: dict, context: Context):
    """An RHK by id, as the resolver reads it (no row: null). An id that is not an RHK of this
    instansi falls back: the resolvers and the id check give their refusal."""
    found = decode_id(arguments.get("id"))
    if found is None or found.type_name != "Rhk" or found.instansi_kode != context.instansi.kode:
        return None
    plan = planner.object(object_type(field_type), details)
    return _compiled(plan, "FROM rhk {row} WHERE {row}.id = $3", [found.row_id], one_row=False)


def cakupan_cascade(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The caller's own coverage for a year as of today (its subordinates; catalog.py says
    which fields compile). Another superior (`nip`) or another day falls back."""
    tahun = arguments.get("tahun")
    if (
        arguments.get("nip") is not None
        or arguments.get("tanggal") is not None
        or context.pegawai_id is None
        or not is_tahun(tahun)
        or not allowed(context.principal, _READ_OWN_SKP, Relation.OWN)
    ):
        return None
    plan = planner.object(object_type(field_type), details)
    source = f"FROM {superior_row('$3', '$4')} {{row}}"  # already a template
    return _compiled(plan, source, [CALLER, tahun], one_row=False)


_MONITOR_OWN = [require(Operation.MONITOR_PELAKSANAAN, target=lambda _: 0)]


def monitoring_pelaksanaan(
    planner: Planner, field_type, details, arguments: dict, context: Context
):
    """The caller's monitoring as pejabat penilai (pelaksanaan/monitoring.py): their approved,
    current SKPs of the year, by the snapshot's name then SKP id. Another penilai's falls
    back."""
    tahun = arguments.get("tahun")
    if (
        arguments.get("penilaiId") is not None
        or context.pegawai_id is None
        or not is_tahun(tahun)
        or not allowed(context.principal, _MONITOR_OWN, Relation.OWN)
    ):
        return None
    on = arguments.get("tanggal")
    parameters: list[Any] = [CALLER, tahun, arguments["periode"]]
    day = TODAY
    if on is not None:
        parameters.append(on)
        day = "$6"
    # The row pelaksanaan/monitoring.py's summary reads, with the day and the window's kode on
    # it for the counts (catalog.py MonitoringBawahan).
    source = (
        "FROM (SELECT s.id AS skp_id, coalesce(s.snapshot_pegawai->>'nama', '') AS nama,"
        f" s.pegawai_id, s.snapshot_pegawai, {day}::date AS pada, $5::text AS periode"
        " FROM skp s WHERE s.penilai_pegawai_id = $3 AND s.tahun = $4"
        " AND s.status = 'DISETUJUI' AND s.digantikan_pada IS NULL) {child} WHERE TRUE"
    )
    return _page(planner, field_type, details, arguments, context, MONITORING, source, parameters)


# Root field → how to compile it, and the relation of its records to the caller (the widest
# one a record of the answer may have: a field the policy allows only closer falls back).
ROOTS = {
    "saya": (saya, Relation.OWN),
    "skpSaya": (skp_saya, Relation.OWN),
    "daftarPegawai": (daftar_pegawai, Relation.OTHER_IN_TENANT),
    "rhk": (rhk, Relation.OTHER_IN_TENANT),
    "monitoringPelaksanaan": (monitoring_pelaksanaan, Relation.SUBORDINATE),
    "cakupanCascade": (cakupan_cascade, Relation.SUBORDINATE),
}
