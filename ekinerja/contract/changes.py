"""What changed between two SDLs, each change with a stable key.

graphql-core finds the changes (`find_schema_changes`: breaking, dangerous and safe). Its
descriptions are prose and may be reworded by a new version; declarations need something that
does not move, so each breaking or dangerous change gets a key: its type and the schema
coordinate it is about, e.g. ``FIELD_REMOVED Mutation.ajukanSkp``,
``ARG_REMOVED Query.skp(tahun:)``, ``VALUE_ADDED_TO_ENUM StatusSkp.DITARIK``,
``TYPE_ADDED_TO_UNION HasilAjukan.Galat`` (union, then member),
``IMPLEMENTED_INTERFACE_ADDED Pegawai.Node`` (type, then interface),
``DIRECTIVE_LOCATION_REMOVED @cached:FIELD``.

The coordinate is read from graphql-core's description by one pattern per change type; a test
builds every breaking and dangerous type from small SDLs, so a graphql-core upgrade that
rewords one fails there, not silently here. Should one still not match, the key falls back to
the type and the whole description (it can still be declared, verbatim).

graphql-core does not report deprecations (they are not changes to what a query may select);
`find_deprecations` adds them, since the changelog must announce them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)
from graphql.utilities.find_schema_changes import (
    BreakingChangeType,
    DangerousChangeType,
    SafeChangeType,
    find_schema_changes,
)

Severity = Literal["breaking", "dangerous", "safe"]

_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
_FIELD = rf"(?P<type>{_NAME})\.(?P<field>{_NAME})"
_ARG = rf"{_FIELD}\((?P<arg>{_NAME}):\)"
_DIRECTIVE = rf"@(?P<directive>{_NAME})"
_DIRECTIVE_ARG = rf"{_DIRECTIVE}\((?P<arg>{_NAME}):\)"

# One pattern (or a few) per change type, matched against graphql-core 3.3's description.
# Named groups build the coordinate (see `_coordinate`).
_PATTERNS: dict[str, tuple[str, ...]] = {
    # breaking
    "TYPE_REMOVED": (
        rf"^Standard scalar (?P<name>{_NAME}) was removed",
        rf"^(?P<name>{_NAME}) was removed\.$",
    ),
    "TYPE_CHANGED_KIND": (rf"^(?P<name>{_NAME}) changed from ",),
    "TYPE_REMOVED_FROM_UNION": (
        rf"^(?P<member>{_NAME}) was removed from union type (?P<owner>{_NAME})\.$",
    ),
    "VALUE_REMOVED_FROM_ENUM": (rf"^Enum value {_FIELD} was removed\.$",),
    "REQUIRED_INPUT_FIELD_ADDED": (rf"^A required field {_FIELD} was added\.$",),
    "IMPLEMENTED_INTERFACE_REMOVED": (
        rf"^(?P<owner>{_NAME}) no longer implements interface (?P<member>{_NAME})\.$",
    ),
    "FIELD_REMOVED": (rf"^Field {_FIELD} was removed\.$",),
    "FIELD_CHANGED_KIND": (rf"^Field {_FIELD} changed type from ",),
    "REQUIRED_ARG_ADDED": (rf"^A required argument {_ARG} was added\.$",),
    "ARG_REMOVED": (rf"^Argument {_ARG} was removed\.$",),
    "ARG_CHANGED_KIND": (
        rf"^Argument {_ARG} has changed type from ",
        rf"^Argument {_DIRECTIVE_ARG} has changed type from ",
    ),
    "DIRECTIVE_REMOVED": (rf"^Directive {_DIRECTIVE} was removed\.$",),
    "DIRECTIVE_ARG_REMOVED": (rf"^Argument {_DIRECTIVE_ARG} was removed\.$",),
    "REQUIRED_DIRECTIVE_ARG_ADDED": (rf"^A required argument {_DIRECTIVE_ARG} was added\.$",),
    "DIRECTIVE_REPEATABLE_REMOVED": (rf"^Repeatable flag was removed from {_DIRECTIVE}\.$",),
    "DIRECTIVE_LOCATION_REMOVED": (rf"^(?P<location>[A-Z_]+) was removed from {_DIRECTIVE}\.$",),
    # dangerous
    "VALUE_ADDED_TO_ENUM": (rf"^Enum value {_FIELD} was added\.$",),
    "TYPE_ADDED_TO_UNION": (
        rf"^(?P<member>{_NAME}) was added to union type (?P<owner>{_NAME})\.$",
    ),
    "OPTIONAL_INPUT_FIELD_ADDED": (rf"^An optional field {_FIELD} was added\.$",),
    "OPTIONAL_ARG_ADDED": (rf"^An optional argument {_ARG} was added\.$",),
    "IMPLEMENTED_INTERFACE_ADDED": (
        rf"^(?P<member>{_NAME}) added to interfaces implemented by (?P<owner>{_NAME})\.$",
    ),
    "ARG_DEFAULT_VALUE_CHANGE": (
        rf"^{_ARG} (has changed defaultValue|defaultValue was removed)",
        rf"^{_DIRECTIVE_ARG} (has changed defaultValue|defaultValue was removed)",
    ),
    "INPUT_FIELD_DEFAULT_VALUE_CHANGE": (
        rf"^{_FIELD} (has changed defaultValue|defaultValue was removed)",
    ),
}
_COMPILED = {kind: tuple(re.compile(p) for p in ps) for kind, ps in _PATTERNS.items()}

# Removals of something @deprecated can mark: the deprecation rule applies to them.
REMOVALS = frozenset({"FIELD_REMOVED", "ARG_REMOVED", "VALUE_REMOVED_FROM_ENUM"})

DEFAULT_DEPRECATION_REASON = "No longer supported"  # graphql's, when @deprecated has none


@dataclass(frozen=True)
class Change:
    severity: Severity
    type: str  # graphql-core's change type name, e.g. FIELD_REMOVED
    coordinate: str  # e.g. Query.skp(tahun:); the description when no pattern matched
    description: str  # graphql-core's words

    @property
    def key(self) -> str:
        return f"{self.type} {self.coordinate}"


@dataclass(frozen=True)
class Deprecation:
    coordinate: str
    reason: str

    @property
    def key(self) -> str:
        return f"DEPRECATED {self.coordinate}"


def _coordinate(match: re.Match[str]) -> str:
    parts = match.groupdict()
    if parts.get("name"):
        return parts["name"]
    if parts.get("owner"):
        return f"{parts['owner']}.{parts['member']}"
    if parts.get("directive"):
        text = f"@{parts['directive']}"
        if parts.get("arg"):
            return f"{text}({parts['arg']}:)"
        if parts.get("location"):
            return f"{text}:{parts['location']}"
        return text
    text = f"{parts['type']}.{parts['field']}"
    return f"{text}({parts['arg']}:)" if parts.get("arg") else text


def coordinate_of(change_type: str, description: str) -> str | None:
    """The schema coordinate a graphql-core change description is about, or None."""
    for pattern in _COMPILED.get(change_type, ()):
        match = pattern.match(description)
        if match:
            return _coordinate(match)
    return None


def _severity(change_type: object) -> Severity:
    if isinstance(change_type, BreakingChangeType):
        return "breaking"
    if isinstance(change_type, DangerousChangeType):
        return "dangerous"
    assert isinstance(change_type, SafeChangeType), change_type
    return "safe"


def parse_sdl(sdl: str) -> GraphQLSchema:
    return build_schema(sdl, assume_valid_sdl=False)


def find_changes(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """Every change from `old` to `new`, in graphql-core's order."""
    changes = []
    for found in find_schema_changes(old, new):
        kind = found.type.name
        severity = _severity(found.type)
        coordinate = coordinate_of(kind, found.description)
        if coordinate is None:
            # Safe changes are only listed (by description); a breaking or dangerous one that
            # no pattern knows is keyed by its description, which can still be declared.
            coordinate = found.description
        changes.append(Change(severity, kind, coordinate, found.description))
    return changes


def _deprecatable(schema: GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """(coordinate, deprecation reason or None) of every field, argument, input field and enum
    value of the schema's own types."""
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                yield f"{name}.{field_name}", field.deprecation_reason
                for arg_name, arg in field.args.items():
                    yield f"{name}.{field_name}({arg_name}:)", arg.deprecation_reason
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                yield f"{name}.{field_name}", field.deprecation_reason
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                yield f"{name}.{value_name}", value.deprecation_reason


def deprecation_reasons(schema: GraphQLSchema) -> dict[str, str]:
    """Coordinate → reason of everything deprecated in the schema."""
    return {c: reason for c, reason in _deprecatable(schema) if reason is not None}


def find_deprecations(old: GraphQLSchema, new: GraphQLSchema) -> list[Deprecation]:
    """What `new` deprecates that `old` had, not deprecated."""
    before = dict(_deprecatable(old))
    return [
        Deprecation(coordinate, reason)
        for coordinate, reason in _deprecatable(new)
        if reason is not None and coordinate in before and before[coordinate] is None
    ]
