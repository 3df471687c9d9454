"""The root fields the compiled path starts from: what row(s) each reads, for whom, with which
arguments. A root answers None — the field runs on its resolvers — whenever the resolvers
would refuse or say something the plan cannot (an argument out of range, a principal who is
not a pegawai, a cursor), so their error reaches the client as it does today."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ekinerja.auth.policy import Operation, Relation
from ekinerja.paging import MAX_FIRST
from ekinerja.schema.compiled.catalog import TODAY
from ekinerja.schema.compiled.planner import Planner, _object_type, allowed
from ekinerja.schema.compiled.sql import root_statement
from ekinerja.schema.context import Context
from ekinerja.schema.ids import decode_id
from ekinerja.schema.permissions import require
from ekinerja.tahun import is_tahun


@dataclass(frozen=True)
class CompiledRoot:
    statement: str
    parameters: tuple[Any, ...]  # from $3 on ($1 today, $2 the kode)
    reads_today: bool
    one_row: bool  # a root that reads one row (not a connection): no row is an error


def _compiled(plan, source: str, parameters: list[Any], one_row: bool) -> CompiledRoot | None:
    if plan is None:
        return None
    statement = root_statement(plan, source)
    return CompiledRoot(statement, tuple(parameters), plan.reads(TODAY), one_row)


def saya(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The caller's own pegawai row."""
    if arguments or context.pegawai_id is None:
        return None
    plan = planner.object(_object_type(field_type), details)
    source = "FROM pegawai {row} WHERE {row}.id = $3"
    return _compiled(plan, source, [context.pegawai_id], one_row=True)


_READ_OWN_SKP = [require(Operation.READ_SKP, target=lambda _: 0)]


def skp_saya(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The caller's SKP versions, newest first: the first page (no `after`)."""
    first = _first_page(arguments)
    tahun = (arguments.get("filter") or {}).get("tahun")
    if (
        context.pegawai_id is None
        or first is None
        or (tahun is not None and not is_tahun(tahun))
        or not allowed(context.principal, _READ_OWN_SKP, Relation.OWN)
    ):
        return None
    source = "FROM skp {child} WHERE {child}.pegawai_id = $3"
    parameters: list[Any] = [context.pegawai_id]
    if tahun is not None:
        source += " AND {child}.tahun = $4"
        parameters.append(tahun)
    order = "{child}.tahun DESC, {child}.versi DESC, {child}.id DESC"
    plan = planner.connection(_object_type(field_type), details, source, order, first)
    return _compiled(plan, "", parameters, one_row=False)


def _first_page(arguments: dict) -> int | None:
    """`first` of a first page (no `after`), when the resolvers would accept it."""
    first = arguments.get("first")
    if arguments.get("after") is not None or not isinstance(first, int):
        return None
    return first if 1 <= first <= MAX_FIRST else None


def daftar_pegawai(planner: Planner, field_type, details, arguments: dict, context: Context):
    """The directory's first page, everyone, by name (kepegawaian/search.py's order); a filter
    or a `tanggal` falls back."""
    first = _first_page(arguments)
    if first is None or arguments.get("tanggal") is not None:
        return None
    if any(value is not None for value in (arguments.get("filter") or {}).values()):
        return None
    order = "{child}.nama, {child}.id"
    plan = planner.connection(_object_type(field_type), details, "FROM pegawai {child}", order,
                              first)  # fmt: skip
    return _compiled(plan, "", [], one_row=False)


def rhk(planner: Planner, field_type, details, arguments: dict, context: Context):
    """An RHK by id, as the resolver reads it (no row: null). An id that is not an RHK of this
    instansi falls back: the resolvers and the id check give their refusal."""
    found = decode_id(arguments.get("id"))
    if found is None or found.type_name != "Rhk" or found.instansi_kode != context.instansi.kode:
        return None
    plan = planner.object(_object_type(field_type), details)
    return _compiled(plan, "FROM rhk {row} WHERE {row}.id = $3", [found.row_id], one_row=False)


# Root field → how to compile it, and the relation of its records to the caller (the widest
# one a record of the answer may have: a field the policy allows only closer falls back).
ROOTS = {
    "saya": (saya, Relation.OWN),
    "skpSaya": (skp_saya, Relation.OWN),
    "daftarPegawai": (daftar_pegawai, Relation.OTHER_IN_TENANT),
    "rhk": (rhk, Relation.OTHER_IN_TENANT),
}
