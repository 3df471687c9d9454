"""The root fields the compiled path starts from: what row(s) each reads, for whom, with which
arguments. A root answers None — the field runs on its resolvers — whenever the resolvers
would refuse or say something the plan cannot (an argument out of range, a principal who is
not a pegawai, a cursor), so their error reaches the client as it does today."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ekinerja.auth.policy import Operation, Reach, Relation, widest_reach
from ekinerja.paging import MAX_FIRST, Keyset, decode_cursor
from ekinerja.refusals import Refusal
from ekinerja.schema.compiled.catalog import TODAY
from ekinerja.schema.compiled.catalog.cakupan import superior_row
from ekinerja.schema.compiled.catalog.spec import text
from ekinerja.schema.compiled.planner import CursorPath, Planner, allowed, object_type
from ekinerja.schema.compiled.sql import root_statement
from ekinerja.schema.context import Context
from ekinerja.schema.ids import decode_id
from ekinerja.schema.kepegawaian.resolvers import DAFTAR_PEGAWAI
from ekinerja.schema.pelaksanaan.types import MONITORING
from ekinerja.schema.permissions import require
from ekinerja.schema.skp.queries import SKP_SAYA
from ekinerja.skp.enums import Kadensi
from ekinerja.skp.periode import DEFAULT_KADENSI, Window, windows
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
    # Where its cursors are in the value ("*": every item) and the keyset encoding each.
    cursors: tuple[CursorPath, ...] = ()
    # The statement yields no row where only the resolvers can answer (a refusal, an error,
    # a case the plan does not cover): the field then runs on its resolvers. A row whose
    # value is null is the answer null.
    guarded: bool = False


def _compiled(
    plan,
    source: str,
    parameters: list[Any],
    one_row: bool,
    guarded: bool = False,
    present: str | None = None,
) -> CompiledRoot | None:
    if plan is None:
        return None
    statement = root_statement(plan, source, present)
    return CompiledRoot(
        statement, tuple(parameters), plan.reads(TODAY), one_row, tuple(plan.cursors), guarded
    )


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
    return replace(compiled, cursors=tuple((path, keyset) for path in cursors))


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


def _readable_skp(
    planner: Planner, arguments: dict, context: Context
) -> tuple[Planner, str, list[Any]] | None:
    """The SKP `skpId` names, for a reader the resolvers' ``ensure_allowed(READ_SKP, owner,
    appraisers=appraisers_of(skp))`` lets through: a reach of the whole instansi, or a pegawai
    who owns the SKP or is snapshotted on it as its pejabat penilai or atasan. Anyone else
    (a penilai by today's organisation only, say) gets no row, and the resolvers decide.
    Gives the planner (its relation: what such a reader may be to the owner), the condition on
    the SKP (alias s) and the parameters ($3 the SKP's id, $4 the caller when read); None
    when the resolvers would refuse before reading (another instansi's id, not an SKP's id,
    no `skp:read` at all)."""
    found = decode_id(arguments.get("skpId"))
    if found is None or found.type_name != "Skp" or found.instansi_kode != context.instansi.kode:
        return None
    reach = widest_reach(context.principal, Operation.READ_SKP)
    if reach is None:
        return None
    if reach >= Reach.TENANT:
        return replace(planner, relation=Relation.OTHER_IN_TENANT), "TRUE", [found.row_id]
    if context.pegawai_id is None:
        return None  # refused: nobody is anyone's penilai
    parameters = [found.row_id, CALLER]
    if reach < Reach.SUBORDINATE:  # the owner only (no role reads SKPs so today)
        return replace(planner, relation=Relation.OWN), "s.pegawai_id = $4::int", parameters
    condition = (
        "(s.pegawai_id = $4::int OR $4::int IN (s.penilai_pegawai_id, s.atasan_penilai_pegawai_id))"
    )
    return replace(planner, relation=Relation.SUBORDINATE), condition, parameters


def _window(periode: Any) -> tuple[Kadensi, int, Window] | None:
    """The cadence a year must have for `periode` to be one of its windows, the year and the
    window (skp/periode.py ``windows``), or None when it is no window of any cadence."""
    if not isinstance(periode, str):
        return None
    year, dash, _ = periode.partition("-")
    if not dash or not year.isascii() or not year.isdigit() or not is_tahun(int(year)):
        return None
    for kadensi in Kadensi:
        for window in windows(int(year), kadensi):
            if window.kode == periode:
                return kadensi, int(year), window
    return None


# An SKP (alias s) whose evidence or feedback the catalog would write otherwise than the
# resolvers: a size beyond GraphQL's Int (their serialization error), kalimat that are not an
# array of strings (list() of them). Never written so by the API; checked, so a row written
# otherwise is answered by the resolvers.
_UNUSUAL_EXECUTION = (
    "EXISTS (SELECT 1 FROM bukti_dukung b WHERE b.skp_id = s.id AND b.ukuran > 2147483647)"
    " OR EXISTS (SELECT 1 FROM umpan_balik u WHERE u.skp_id = s.id AND u.periode = {periode}"
    " AND jsonb_typeof(u.kalimat) <> 'null' AND (jsonb_typeof(u.kalimat) <> 'array'"
    " OR EXISTS (SELECT 1 FROM jsonb_array_elements(u.kalimat) k"
    " WHERE jsonb_typeof(k) <> 'string')))"
)


def pelaksanaan(planner: Planner, field_type, details, arguments: dict, context: Context):
    """An SKP's execution in a window (schema/pelaksanaan/queries.py): the SKP by id, for
    whom `_readable_skp` lets through, the window one of the SKP's year's under the year's
    cadence and covering part of the SKP's period. Anything else — no such SKP, a refusal,
    a window the resolvers refuse — yields no row and runs on the resolvers."""
    readable = _readable_skp(planner, arguments, context)
    found = _window(arguments.get("periode"))
    if readable is None or found is None:
        return None
    planner, condition, parameters = readable
    kadensi, tahun, window = found
    n = len(parameters) + 3  # the next parameter's number
    periode, year, cadence, awal, akhir = (f"${n + i}" for i in range(5))
    parameters = [*parameters, window.kode, tahun, kadensi.value, window.awal, window.akhir]
    start = f"greatest({awal}::date, s.periode_awal)"
    end = f"least({akhir}::date, s.periode_akhir)"
    unusual = _UNUSUAL_EXECUTION.format(periode=f"{periode}::text")
    source = (
        f"FROM (SELECT s.id AS skp_id, {periode}::text AS periode, {start} AS awal,"
        f" {end} AS akhir, e.status AS status_evaluasi, e.diajukan_pada, e.catatan_pegawai"
        " FROM skp s LEFT JOIN evaluasi_periodik e"
        f" ON e.skp_id = s.id AND e.periode = {periode}::text"
        f" WHERE s.id = $3 AND {condition} AND s.tahun = {year}::int"
        " AND coalesce((SELECT pt.kadensi FROM periode_tahun pt WHERE pt.tahun = s.tahun),"
        f" {text(DEFAULT_KADENSI.value)}) = {cadence}::text"
        f" AND {start} <= {end} AND NOT ({unusual})) {{row}}"
    )
    plan = planner.object(object_type(field_type), details)
    return _compiled(plan, source, parameters, one_row=False, guarded=True)


def evaluasi(planner: Planner, field_type, details, arguments: dict, context: Context):
    """An SKP's evaluation for a period (schema/penilaian/queries.py): the SKP by id for whom
    `_readable_skp` lets through, then its evaluation of `periode` (none: null). No such SKP
    or a refusal: the resolvers."""
    readable = _readable_skp(planner, arguments, context)
    periode = arguments.get("periode")
    if readable is None or not isinstance(periode, str) or "\x00" in periode:
        return None
    planner, condition, parameters = readable
    n = len(parameters) + 3
    source = (
        "FROM skp s LEFT JOIN evaluasi_periodik {row}"
        f" ON {{row}}.skp_id = s.id AND {{row}}.periode = ${n}::text"
        f" WHERE s.id = $3 AND {condition}"
    )
    plan = planner.object(object_type(field_type), details)
    return _compiled(
        plan,
        source,
        [*parameters, periode],
        one_row=False,
        guarded=True,
        present="{row}.id IS NOT NULL",
    )


# Root field → how to compile it, and the relation of its records to the caller (the widest
# one a record of the answer may have: a field the policy allows only closer falls back).
ROOTS = {
    "saya": (saya, Relation.OWN),
    "skpSaya": (skp_saya, Relation.OWN),
    "daftarPegawai": (daftar_pegawai, Relation.OTHER_IN_TENANT),
    "rhk": (rhk, Relation.OTHER_IN_TENANT),
    "monitoringPelaksanaan": (monitoring_pelaksanaan, Relation.SUBORDINATE),
    "cakupanCascade": (cakupan_cascade, Relation.SUBORDINATE),
    # Their relation is the reader's (_readable_skp): the SKP's owner or appraiser, or anyone
    # for a reach of the whole instansi.
    "pelaksanaan": (pelaksanaan, Relation.SUBORDINATE),
    "evaluasi": (evaluasi, Relation.SUBORDINATE),
}
