"""A root field's selection → a plan the SQL renderer turns into one statement, or None.

The planner walks the selection as graphql-core collected it (fragments merged, aliases kept,
@skip/@include applied) and gives up — returning None, so the field runs on its resolvers — on
anything it cannot answer exactly as the resolvers would:
- a field the catalog does not have, or one given arguments;
- an abstract type (interface, union) below the root;
- a field with an extension other than its permission (an id check, say), or a permission
  that is not one of the policy table's (ekinerja/schema/permissions.py `require`);
- a field the policy would refuse for the relation the plan proves (the resolvers then give
  the null and the error the client expects). Below an object the catalog says may be about
  someone else (an intervened RHK, a cascade), the relation is the wider one it states;
- a connection below the root (catalog `Paged`) with a `first` out of range or a cursor
  paging.py would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType
from strawberry.permission import PermissionExtension

from ekinerja.auth.policy import Reach, Relation, widest_reach
from ekinerja.auth.principal import Principal
from ekinerja.paging import MAX_FIRST, Keyset, decode_cursor
from ekinerja.refusals import Refusal
from ekinerja.schema.compiled.catalog import CATALOG, Column, Listed, Many, One, Paged, Same
from ekinerja.schema.compiled.catalog.spec import sql_literal
from ekinerja.schema.node import RefuseOtherInstansiIds

# Field extensions the plan keeps the meaning of: the permission (checked from the policy
# here) and the root fields' refusal of another instansi's ids (no compiled root takes an id).
_UNDERSTOOD = (PermissionExtension, RefuseOtherInstansiIds)

# Objects that json_build_object can take in one call: 100 arguments, a key and a value each.
MAX_KEYS = 50


@dataclass(frozen=True)
class Literal:
    value: str


# Where a cursor is in a root's value (keys, "*" for every item of a list) and the keyset that
# encodes it: the statement gives the row's sort keys as a JSON array, execution encodes them.
CursorPath = tuple[tuple[str, ...], Keyset]


@dataclass
class ObjectPlan:
    type_name: str
    fields: list[tuple[str, Column | Literal | NestedPlan | Inline]] = field(default_factory=list)
    cursors: list[CursorPath] = field(default_factory=list)  # of connections below it

    def below(self, key: str, nested: ObjectPlan, many: bool) -> None:
        """Take over the cursors of ``nested``, the object (or list) at ``key``."""
        prefix = (key, "*") if many else (key,)
        self.cursors += [(prefix + path, keyset) for path, keyset in nested.cursors]

    def reads(self, parameter: str) -> bool:
        """Whether any part of the plan uses ``parameter`` (``$1``, say)."""
        for _, value in self.fields:
            if isinstance(value, Column) and parameter in value.sql:
                return True
            if isinstance(value, NestedPlan) and (
                parameter in value.source or value.plan.reads(parameter)
            ):
                return True
            if isinstance(value, Inline) and value.plan.reads(parameter):
                return True
        return False


@dataclass(frozen=True)
class Inline:
    """An object over the same row (an edge's node)."""

    plan: ObjectPlan


@dataclass(frozen=True)
class NestedPlan:
    """One object from ``source``; with ``order``, the list of every row in that order,
    at most ``limit`` of them."""

    source: str
    plan: ObjectPlan
    order: str | None = None
    limit: int | None = None


CollectSubfields = Callable[[GraphQLObjectType, Any], dict[str, Any]]
ArgumentsOf = Callable[[Any, Any], dict[str, Any] | None]  # (field, details) → coerced, or None


def object_type(graphql_type: Any) -> GraphQLObjectType | None:
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return graphql_type if isinstance(graphql_type, GraphQLObjectType) else None


def list_of_objects(graphql_type: Any) -> GraphQLObjectType | None:
    """`[T!]!`, `[T!]` or `[T]` of an object type T."""
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    if not isinstance(graphql_type, GraphQLList):
        return None
    return object_type(graphql_type.of_type)


def allowed(principal: Principal, permissions: list[type], relation: Relation) -> bool:
    """Whether every permission of a field lets ``principal`` through for an object about a
    pegawai in ``relation`` to them (``ensure_allowed``'s rule, decided without a query).
    None: a permission the planner does not understand."""
    for permission in permissions:
        operation = getattr(permission, "operation", None)
        if operation is None:
            return False
        reach = widest_reach(principal, operation)
        if reach is None:
            return False
        needed = relation if permission.has_target else Relation.OTHER_IN_TENANT
        if reach < Reach.TENANT and needed > reach:
            return False
    return True


@dataclass
class Planner:
    principal: Principal
    relation: Relation  # of the pegawai every object below the root is about
    collect: CollectSubfields
    arguments: ArgumentsOf
    kode: str = ""  # the instansi's: a cursor of another one is refused (not compiled)

    def object(self, graphql_type: GraphQLObjectType, field_details_list: Any) -> ObjectPlan | None:
        type_name = graphql_type.name
        catalog = CATALOG.get(type_name)
        if catalog is None:
            return None
        plan = ObjectPlan(type_name)
        for key, details in self.collect(graphql_type, field_details_list).items():
            node = details[0].node
            name = node.name.value
            if name == "__typename":
                plan.fields.append((key, Literal(type_name)))
                continue
            spec = catalog.get(name)
            if spec is None or not self.may_read(graphql_type, name):
                return None
            if node.arguments and not isinstance(spec, Listed | Paged):
                return None
            if isinstance(spec, Column):
                plan.fields.append((key, spec))
                continue
            field_type = graphql_type.fields[name].type
            if isinstance(spec, Listed):
                arguments = self.arguments(graphql_type.fields[name], details[0])
                built = spec.build(arguments) if arguments is not None else None
                child_type = list_of_objects(field_type)
                if built is None or child_type is None or child_type.name != spec.type_name:
                    return None
                nested = self.below(spec).object(child_type, details)
                if nested is None:
                    return None
                plan.fields.append((key, NestedPlan(built[0], nested, built[1])))
                plan.below(key, nested, many=True)
                continue
            if isinstance(spec, Same):
                child_type = object_type(field_type)
                if child_type is None or child_type.name != spec.type_name:
                    return None
                nested = self.object(child_type, details)
                if nested is None:
                    return None
                plan.fields.append((key, Inline(nested)))
                plan.below(key, nested, many=False)
                continue
            if isinstance(spec, Paged):
                child_type = object_type(field_type)
                arguments = self.arguments(graphql_type.fields[name], details[0])
                if child_type is None or child_type.name != spec.type_name or arguments is None:
                    return None
                paged = self.below(spec).paged(spec, child_type, details, arguments)
                if paged is None:
                    return None
                connection, cursors = paged
                plan.fields.append((key, Inline(connection)))
                plan.cursors += [((key, *path), spec.keyset) for path in cursors]
                continue
            many = isinstance(spec, Many)
            child_type = list_of_objects(field_type) if many else object_type(field_type)
            if child_type is None or child_type.name != spec.type_name:
                return None
            nested = self.below(spec).object(child_type, details)
            if nested is None:
                return None
            order = spec.order if many else None
            plan.fields.append((key, NestedPlan(spec.source, nested, order)))
            plan.below(key, nested, many)
        return plan if len(plan.fields) <= MAX_KEYS else None

    def paged(
        self, spec: Paged, graphql_type: GraphQLObjectType, details: Any, arguments: dict
    ) -> tuple[ObjectPlan, list[tuple[str, ...]]] | None:
        """A `Paged` connection's page: `first` rows after `after` (decoded as the resolvers
        decode it, its values written into the statement as typed literals: they are part of
        the plan's key, the variables)."""
        keyset = spec.keyset
        first, after = arguments.get("first"), arguments.get("after")
        if not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= MAX_FIRST:
            return None
        source = spec.source
        if after is not None:
            try:
                values = decode_cursor(self.kode, keyset, after)
            except Refusal:
                return None
            literals = [sql_literal(value) for value in values]
            if any(literal is None for literal in literals):
                return None
            source += " AND " + after_condition(keyset, literals)
        descending = tuple(term.startswith("-") for term in keyset.order)
        return self.connection(
            graphql_type, details, source, spec.source, keyset.fields, descending, first
        )

    def below(self, spec: One | Many | Listed | Paged) -> Planner:
        """The planner of the objects ``spec`` reads: the policy checked for the relation the
        catalog gives them when it is wider than the one proven so far."""
        if spec.relation is None or spec.relation <= self.relation:
            return self
        return replace(self, relation=spec.relation)

    def connection(
        self,
        graphql_type: GraphQLObjectType,
        field_details_list: Any,
        source: str,
        counted: str,
        sort_keys: tuple[str, ...],
        descending: tuple[bool, ...],
        first: int,
    ) -> tuple[ObjectPlan, list[tuple[str, ...]]] | None:
        """A `…Connection` read from ``source`` (over ``{child}``), its page of ``first`` rows
        in the keyset order (``sort_keys`` columns, each ascending or not), its `totalCount`
        the rows of ``counted`` (the list without the cursor's condition), and where its
        cursors are: the paths whose value the statement gives as the row's sort keys (a JSON
        array) and execution turns into paging.py's cursor (its check is not SQL's to
        compute)."""
        order = ", ".join(
            f"{{child}}.{key}{' DESC' if down else ''}"
            for key, down in zip(sort_keys, descending, strict=True)
        )
        keys = Column(f"json_build_array({', '.join('{row}.' + k for k in sort_keys)})")
        plan = ObjectPlan(graphql_type.name)
        cursors: list[tuple[str, ...]] = []
        for key, details in self.collect(graphql_type, field_details_list).items():
            name = details[0].node.name.value
            if name == "__typename":
                plan.fields.append((key, Literal(graphql_type.name)))
            elif name == "nodes":
                node_type = list_of_objects(graphql_type.fields[name].type)
                nodes = self.object(node_type, details) if node_type else None
                if nodes is None:
                    return None
                plan.fields.append((key, NestedPlan(source, nodes, order, first)))
            elif name == "edges":
                edges = self._edges(graphql_type.fields[name].type, details, keys)
                if edges is None:
                    return None
                edge_plan, cursor_keys = edges
                plan.fields.append((key, NestedPlan(source, edge_plan, order, first)))
                cursors += [(key, "*", cursor_key) for cursor_key in cursor_keys]
            elif name == "totalCount":
                every = counted.format(child="c", row="{row}")
                plan.fields.append((key, Column(f"(SELECT count(*)::int {every})")))
            elif name == "pageInfo":
                page_info = self._page_info(
                    graphql_type.fields[name].type, details, source, order, keys, first
                )
                if page_info is None:
                    return None
                info_plan, info_cursors = page_info
                plan.fields.append((key, Inline(info_plan)))  # its values are over the row's
                cursors += [(key, cursor_key) for cursor_key in info_cursors]
            else:
                return None
        return plan, cursors

    def _edges(self, graphql_type: Any, details: Any, keys: Column):
        edge_type = list_of_objects(graphql_type)
        if edge_type is None:
            return None
        plan = ObjectPlan(edge_type.name)
        cursor_keys = []
        for key, fields in self.collect(edge_type, details).items():
            name = fields[0].node.name.value
            if name == "__typename":
                plan.fields.append((key, Literal(edge_type.name)))
            elif name == "cursor":
                plan.fields.append((key, keys))
                cursor_keys.append(key)
            elif name == "node":
                node_type = object_type(edge_type.fields[name].type)
                node = self.object(node_type, fields) if node_type else None
                if node is None:
                    return None
                plan.fields.append((key, Inline(node)))
            else:
                return None
        return plan, cursor_keys

    def _page_info(
        self, graphql_type: Any, details: Any, source: str, order: str, keys: Column, first: int
    ):
        page_info_type = object_type(graphql_type)
        plan = ObjectPlan(page_info_type.name)
        cursors = []
        # The page's rows in order, numbered: the first and the last give the page's cursors
        # (the resolvers' startCursor and endCursor: the first and the last row read).
        numbered = (
            f"(SELECT {keys.sql.format(row='{child}')} AS keys, "
            f"row_number() OVER (ORDER BY {order}) AS n {source} ORDER BY {order} "
            f"LIMIT {first})"
        ).format(child="c", row="{row}")
        for key, fields in self.collect(page_info_type, details).items():
            name = fields[0].node.name.value
            if name == "__typename":
                plan.fields.append((key, Literal(page_info_type.name)))
            elif name == "hasNextPage":
                beyond = source.format(child="c", row="{row}")
                plan.fields.append(
                    (
                        key,
                        Column(
                            f"(SELECT count(*) > {first} FROM (SELECT 1 {beyond} "
                            f"LIMIT {first + 1}) beyond)"
                        ),
                    )  # fmt: skip
                )
            elif name == "hasPreviousPage":
                plan.fields.append((key, Column("false")))  # as the resolvers: never asked
            elif name in ("startCursor", "endCursor"):
                direction = "" if name == "startCursor" else " DESC"
                plan.fields.append(
                    (
                        key,
                        Column(
                            f"(SELECT page.keys FROM {numbered} page "
                            f"ORDER BY page.n{direction} LIMIT 1)"
                        ),
                    )  # fmt: skip
                )
                cursors.append(key)
            else:
                return None
        return plan, cursors

    def may_read(self, graphql_type: GraphQLObjectType, name: str) -> bool:
        definition = graphql_type.fields[name].extensions.get("strawberry-definition")
        if definition is None:
            return False
        if any(not isinstance(e, _UNDERSTOOD) for e in definition.extensions):
            return False
        return allowed(self.principal, definition.permission_classes, self.relation)


def after_condition(keyset: Keyset, values: list[str]) -> str:
    """paging.after_q's condition over {child}: a > x OR (a = x AND b > y) OR …, each
    comparison flipped for a descending term; ``values`` are SQL expressions."""
    alternatives = []
    for i, term in enumerate(keyset.order):
        equal = [f"{{child}}.{f} = {values[j]}" for j, f in enumerate(keyset.fields[:i])]
        op = "<" if term.startswith("-") else ">"
        equal.append(f"{{child}}.{keyset.fields[i]} {op} {values[i]}")
        alternatives.append("(" + " AND ".join(equal) + ")")
    return "(" + " OR ".join(alternatives) + ")"


__all__ = ["Literal", "NestedPlan", "ObjectPlan", "One", "Planner", "allowed"]
