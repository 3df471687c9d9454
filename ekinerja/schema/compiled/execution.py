"""Running compiled root fields inside graphql-core's execution: a query's root field the
planner covers is answered by its one statement, already the completed value; every other
field of the same document runs on its resolvers as before. Validation, the limits and the
error model are graphql-core's and the service's, unchanged."""

from __future__ import annotations

from datetime import date, time
from inspect import isawaitable
from typing import Any

import orjson
from graphql import GraphQLError, GraphQLObjectType, OperationType
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from ekinerja.paging import Keyset, encode_cursor
from ekinerja.schema.compiled.batch import Load, compiled_roots
from ekinerja.schema.compiled.planner import Planner
from ekinerja.schema.compiled.plans import Plans, for_caller, root_facts
from ekinerja.schema.compiled.roots import ROOTS, CompiledRoot
from ekinerja.schema.context import Context
from ekinerja.schema.tanggal import hari_ini

# A sort key as PostgreSQL's JSON writes it → the Python value the resolvers' rows hold
# (paging.py tags a key by its Python type).
_FROM_JSON = {date: date.fromisoformat, time: time.fromisoformat}


def encode_cursors(value: Any, cursors, kode: str) -> None:
    """Each cursor the statement gave as its row's sort keys (a JSON array), as paging.py
    encodes it; ``cursors`` name where ("*" standing for every item of a list) and with which
    keyset."""

    def encoded(keys: list, keyset: Keyset) -> str:
        typed = [
            _FROM_JSON[t](k) if t in _FROM_JSON else k
            for k, t in zip(keys, keyset.types, strict=True)
        ]
        return encode_cursor(kode, keyset, typed)

    def walk(node: Any, path: tuple[str, ...], keyset: Keyset) -> None:
        head, rest = path[0], path[1:]
        if head == "*":
            for item in node or ():
                walk(item, rest, keyset)
        elif not rest:
            if node.get(head) is not None:
                node[head] = encoded(node[head], keyset)
        elif node.get(head) is not None:
            walk(node[head], rest, keyset)

    for path, keyset in cursors:
        walk(value, path, keyset)


# Plans depend on the code and the document only (plans.py), so one cache serves every schema
# of the process.
PLANS = Plans()


class CompiledRootMissing(Exception):
    """The root's row was not there although the request said it would be."""


RESOLVERS = object()  # root_value(): a guarded root found no row, its resolvers answer


def root_value(compiled: CompiledRoot, raw: str | None, kode: str) -> Any:
    """The root field's value from its statement's JSON text (None: no row)."""
    if raw is None and compiled.guarded:
        return RESOLVERS
    if raw is None or (compiled.guarded and raw == "null"):
        if compiled.one_row and not compiled.guarded:
            raise CompiledRootMissing("the record this field reads was not found")
        return None
    if compiled.cursors:
        value = orjson.loads(raw)
        encode_cursors(value, compiled.cursors, kode)
        return value
    # PostgreSQL's JSON is already the field's value: it goes into the response as it is (the
    # view writes with orjson), not parsed and written again (15 ms for a 10,000-node
    # cascade's 2.9 MB).
    return orjson.Fragment(raw)


class CompilingExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        if path.prev is None and self.operation.operation == OperationType.QUERY:
            compiled = self._compile_root(parent_type, field_details_list)
            if compiled is not None:
                return self._run(
                    compiled, parent_type, source, field_details_list, path, position_context
                )
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _compile_root(
        self, parent_type: GraphQLObjectType, field_details_list: Any
    ) -> CompiledRoot | None:
        details = field_details_list[0]
        name = details.node.name.value
        root = ROOTS.get(name)
        context = self.context_value
        if root is None or not isinstance(context, Context):
            return None
        if context.principal is None or context.instansi is None:
            return None  # the resolvers' refusal says why
        nodes = [d.node for d in field_details_list]
        compiled = PLANS.get(
            nodes,
            root_facts(context, self.variable_values),
            lambda: self._plan(root, parent_type, field_details_list),
        )
        return None if compiled is None else for_caller(compiled, context.pegawai_id)

    def _plan(self, root, parent_type: GraphQLObjectType, field_details_list: Any):
        compile_root, relation = root
        context = self.context_value
        planner = Planner(
            context.principal,
            relation,
            lambda t, fields: self.collect_subfields(t, fields).grouped_field_set,
            self._arguments,
            context.instansi.kode,
        )
        details = field_details_list[0]
        name = details.node.name.value
        if not planner.may_read(parent_type, name):
            return None
        field_def = parent_type.fields[name]
        arguments = self._arguments(field_def, details)
        if arguments is None:
            return None
        return compile_root(planner, field_def.type, field_details_list, arguments, context)

    def _arguments(self, field_def: Any, details: Any) -> dict[str, Any] | None:
        """A field's coerced arguments; None when they do not coerce (the resolvers' path
        reports it)."""
        try:
            return get_argument_values(
                field_def,
                details.node,
                self.variable_values,
                details.fragment_variable_values,
                self.hide_suggestions,
            )
        except GraphQLError:
            return None

    async def _run(
        self,
        compiled: CompiledRoot,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        field_def = parent_type.fields[field_details_list[0].node.name.value]
        try:
            context = self.context_value
            info = self.build_resolve_info(
                field_def, to_nodes(field_details_list), parent_type, path
            )
            # No await before the load: every root of the request joins one batch.
            load = Load(compiled, context.instansi.kode, lambda: hari_ini(info))
            raw = await context.loader(compiled_roots).load(load)
            value = root_value(compiled, raw, context.instansi.kode)
            if value is not RESOLVERS:
                return value
            # else the resolvers answer, below (outside this error handling: theirs)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field_def.type, field_details_list, path)
            return None
        # A guarded root without a row: the case is the resolvers' (a refusal, an error, a
        # null), in the same transaction, as if the field had never been compiled.
        resolved = super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
        return await resolved if isawaitable(resolved) else resolved
