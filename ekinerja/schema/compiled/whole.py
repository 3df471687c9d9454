"""A query whose every root field has a remembered plan, answered without graphql-core's executor
(issue 17).

Once a document has run, each compiled root field's plan is remembered (plans.py), and the
roots' one statement is the whole answer: graphql-core's executor would only build itself,
collect the root fields and hand each the value PostgreSQL already built — about a fifth of a
request's CPU. So the operation's execute step (schema/extensions.py, where Strawberry takes a
result set before execution as the result) asks ``answer``, which runs the statement itself.
Parsing, validation, error processing and masking stay the normal pipeline's.

``answer`` only looks plans up; it never plans. Anything it is not sure of returns None and the
executor runs as before, planning what it can for the next time: a root field not compiled or
not planned yet, a fragment or a directive at the root, variables that do not coerce (the
executor reports them), and a guarded root that found no row (its resolvers answer: the
statement then runs again, in the normal path, only in that case)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLField,
    GraphQLSchema,
    OperationType,
    get_operation_ast,
    is_non_null_type,
    located_error,
)
from graphql.execution.values import get_variable_values

from ekinerja.schema.compiled.batch import Load, run
from ekinerja.schema.compiled.execution import PLANS, RESOLVERS, root_value
from ekinerja.schema.compiled.plans import NOT_PLANNED, for_caller, root_facts
from ekinerja.schema.compiled.roots import ROOTS
from ekinerja.schema.context import Context
from ekinerja.schema.tanggal import hari_ini_untuk

_TYPENAME = "__typename"
_SHAPES_REMEMBERED = 512  # as many as the documents whose parse is remembered


@dataclass(frozen=True)
class _Root:
    key: str  # the response key: the alias, else the name
    node: FieldNode
    field: GraphQLField | None  # None: `__typename`


class _Shapes:
    """Per (document, operation name): the operation and its root fields, when every root
    selection is a plain field (no fragment, no directive) that is `__typename` or a root the
    compiled path knows; None otherwise. Keyed by the document's identity (the parse cache
    hands out the same tree for the same text), each entry holding its document."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[int, str | None], tuple[DocumentNode, Any]] = OrderedDict()

    def of(self, schema: GraphQLSchema, document: DocumentNode, name: str | None):
        key = (id(document), name)
        found = self._entries.get(key)
        if found is not None and found[0] is document:
            return found[1]
        shape = _shape(schema, document, name)
        self._entries[key] = (document, shape)
        if len(self._entries) > _SHAPES_REMEMBERED:
            self._entries.popitem(last=False)
        return shape


def _shape(schema: GraphQLSchema, document: DocumentNode, name: str | None):
    operation = get_operation_ast(document, name)  # None: the executor says why
    if operation is None or operation.operation != OperationType.QUERY or operation.directives:
        return None
    fields = schema.query_type.fields
    roots: list[_Root] = []
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives:
            return None
        field_name = selection.name.value
        if field_name != _TYPENAME and (field_name not in ROOTS or field_name not in fields):
            return None
        key = selection.alias.value if selection.alias else field_name
        roots.append(_Root(key, selection, fields.get(field_name)))
    if len({root.key for root in roots}) != len(roots):
        return None  # a key selected twice: the executor merges the selections
    return operation, tuple(roots)


SHAPES = _Shapes()


async def answer(execution_context: Any) -> ExecutionResult | None:
    """The operation's result from its remembered plans, or None: the executor runs."""
    context = execution_context.context
    if not isinstance(context, Context) or context.principal is None or context.instansi is None:
        return None
    schema = execution_context.schema
    graphql_schema = schema._schema
    shape = SHAPES.of(
        graphql_schema, execution_context.graphql_document, execution_context.operation_name
    )
    if shape is None:
        return None
    operation, roots = shape
    variables = get_variable_values(
        graphql_schema,
        operation.variable_definitions or (),
        execution_context.variables or {},
        hide_suggestions=getattr(schema, "hide_suggestions", False),
    )
    if isinstance(variables, list):
        return None  # they do not coerce: the executor says how
    facts = root_facts(context, variables)
    compiled = []
    for root in roots:
        if root.field is not None:
            plan = PLANS.remembered([root.node], facts)
            if plan is NOT_PLANNED or plan is None:
                return None
            compiled.append((root, for_caller(plan, context.pegawai_id)))
    kode = context.instansi.kode

    def today():
        return hari_ini_untuk(context)

    try:
        raws = await run([Load(plan, kode, today) for _, plan in compiled]) if compiled else []
    except Exception as error:
        # As the executor reports a failed field: each compiled root's error, at its path.
        return _result(roots, {root.key: error for root, _ in compiled}, {}, graphql_schema)
    values: dict[str, Any] = {}
    errors: dict[str, Exception] = {}
    for (root, plan), raw in zip(compiled, raws, strict=True):
        try:
            value = root_value(plan, raw, kode)
        except Exception as error:
            errors[root.key] = error
            continue
        if value is RESOLVERS:
            return None
        values[root.key] = value
    return _result(roots, errors, values, graphql_schema)


def _result(
    roots: tuple[_Root, ...],
    errors: dict[str, Exception],
    values: dict[str, Any],
    schema: GraphQLSchema,
) -> ExecutionResult:
    """The response as the executor builds it: the roots in the document's order, a failed
    root null with its error located at it, and no data at all when a failed root is
    non-null."""
    data: dict[str, Any] | None = {}
    located = []
    for root in roots:
        if root.field is None:
            data[root.key] = schema.query_type.name
        elif root.key in errors:
            located.append(located_error(errors[root.key], [root.node], [root.key]))
            data[root.key] = None
        else:
            data[root.key] = values[root.key]
    if any(root.key in errors and is_non_null_type(root.field.type) for root in roots):
        data = None
    return ExecutionResult(data, located or None)
