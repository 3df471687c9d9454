"""The reference portal's operations (examples/portal/*.graphql, issue 16 item 9) are valid,
well-formed and useful: each file holds one named operation or fragment named as the file;
every operation, with the fragments it uses, validates against the schema the service builds
and against schema.graphql, within the limits /graphql enforces (depth, aliases, tokens); every
mutation selects the error members of its result; every fragment is used. No database here:
tests/test_examples_portal_run.py runs some of them against the app, and
tests/test_examples_codegen.py feeds them to GraphQL Code Generator and relay-compiler."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import graphql
import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableNode,
    Visitor,
    get_named_type,
    is_abstract_type,
    is_non_null_type,
    parse,
    specified_rules,
    type_from_ast,
    validate,
    visit,
)
from graphql.validation import NoDeprecatedCustomRule
from strawberry.extensions.max_aliases import create_validator as alias_limit
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit

from ekinerja.schema import build_schema
from ekinerja.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PORTAL = ROOT / "examples" / "portal"
SUFFIX = {
    OperationType.QUERY: "Query",
    OperationType.MUTATION: "Mutation",
    OperationType.SUBSCRIPTION: "Subscription",
}
# The members of a result union that carry a refusal: without them a refusal reads as `{}`.
ERROR_MEMBERS = {"MutationError", "BarisDitolak"}


@cache
def definitions() -> dict[str, OperationDefinitionNode | FragmentDefinitionNode]:
    """File stem -> the one definition in that file (checked by the first test)."""
    found = {}
    for path in sorted(PORTAL.glob("*.graphql")):
        [definition] = parse(path.read_text()).definitions
        found[path.stem] = definition
    return found


def files() -> list[Path]:
    return sorted(PORTAL.glob("*.graphql"))


def operations() -> list[str]:
    return [
        path.stem
        for path in files()
        if any(isinstance(d, OperationDefinitionNode) for d in parse(path.read_text()).definitions)
    ]


def spreads(selection_set: SelectionSetNode | None) -> set[str]:
    names: set[str] = set()
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            names.add(selection.name.value)
        else:
            names |= spreads(selection.selection_set)
    return names


def fragments_used(name: str) -> list[str]:
    """The fragments ``name`` spreads, directly or through other fragments, in file order."""
    seen: set[str] = set()
    todo = spreads(definitions()[name].selection_set)
    while todo:
        fragment = todo.pop()
        if fragment not in seen:
            seen.add(fragment)
            todo |= spreads(definitions()[fragment].selection_set)
    return sorted(seen)


def document_text(name: str) -> str:
    """What a client sends for operation ``name``: its file, then the fragments it uses."""
    parts = [PORTAL / f"{name}.graphql", *(PORTAL / f"{f}.graphql" for f in fragments_used(name))]
    return "\n".join(path.read_text() for path in parts)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()  # the defaults: the limits a deployment has unless it changes them


@pytest.fixture(scope="module")
def built(settings) -> GraphQLSchema:
    return build_schema(settings)._schema  # as `ekinerja schema export` builds it


@pytest.fixture(scope="module")
def exported() -> GraphQLSchema:
    return graphql.build_schema((ROOT / "schema.graphql").read_text())


def test_each_file_holds_one_definition_named_as_the_file():
    """One operation or one fragment per file, named as the file. An operation's name ends in
    its type (`…Query`, `…Mutation`), as relay-compiler requires of an operation in a module of
    that name; GraphQL Code Generator is told not to double the suffix (examples/codegen.ts)."""
    assert len(files()) >= 20
    for path in files():
        document = parse(path.read_text())
        assert len(document.definitions) == 1, f"{path.name}: one definition per file"
        [definition] = document.definitions
        assert isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode), path.name
        assert definition.name is not None, f"{path.name}: the operation has no name"
        assert definition.name.value == path.stem, f"{path.name} holds {definition.name.value}"
        if isinstance(definition, OperationDefinitionNode):
            assert definition.operation in SUFFIX, f"{path.name}: {definition.operation}"
            assert path.stem.endswith(SUFFIX[definition.operation]), path.name


def test_every_fragment_is_used_by_an_operation():
    fragments = {n for n, d in definitions().items() if isinstance(d, FragmentDefinitionNode)}
    used = {f for name in operations() for f in fragments_used(name)}
    assert fragments - used == set()


def _rules(settings: Settings) -> list:
    """The rules /graphql validates with (ekinerja/schema/extensions.py): the specification's,
    the depth limit and the alias limit."""
    return [
        *specified_rules,
        depth_limit(settings.graphql_max_depth, None),
        alias_limit(settings.graphql_max_aliases),
    ]


def _parse_within_limits(name: str, settings: Settings) -> DocumentNode:
    try:  # the token limit is the parser's (MaxTokensLimiter)
        return parse(document_text(name), max_tokens=settings.graphql_max_tokens)
    except GraphQLError as error:
        pytest.fail(f"{name}: {error.message}")


@pytest.mark.parametrize("name", operations())
def test_the_operation_validates_against_the_built_schema_within_the_limits(name, settings, built):
    errors = validate(built, _parse_within_limits(name, settings), _rules(settings))
    assert not errors, f"{name}: " + "; ".join(e.message for e in errors)


@pytest.mark.parametrize("name", operations())
def test_the_operation_uses_nothing_deprecated(name, built):
    """An example shows the contract a new portal should build on: a field, argument, input
    field or enum value marked @deprecated (decision 0026: deprecated before removed) is
    replaced in the documents when it is deprecated."""
    errors = validate(built, parse(document_text(name)), [NoDeprecatedCustomRule])
    assert not errors, f"{name}: " + "; ".join(e.message for e in errors)


@pytest.mark.parametrize("name", operations())
def test_the_operation_validates_against_schema_graphql(name, settings, exported):
    """schema.graphql is what portals generate from: the documents must fit it too (it is
    re-exported with every schema change; tests/test_schema_drift.py keeps it current)."""
    errors = validate(exported, _parse_within_limits(name, settings), _rules(settings))
    assert not errors, f"{name}: " + "; ".join(e.message for e in errors)


def _error_members_missing(schema: GraphQLSchema, parent, selection_set, fragments) -> tuple:
    """(how many abstract results with error members were checked, the misses) below a
    selection set, through inline fragments and named fragments."""
    checked, missing = 0, []
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            inner = schema.get_type(fragment.type_condition.name.value)
            c, m = _error_members_missing(schema, inner, fragment.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            inner = schema.get_type(selection.type_condition.name.value)
            c, m = _error_members_missing(schema, inner, selection.selection_set, fragments)
        elif isinstance(selection, FieldNode) and selection.selection_set:
            field_type = get_named_type(parent.fields[selection.name.value].type)
            c, m = 0, []
            if is_abstract_type(field_type):
                members = {t.name for t in schema.get_possible_types(field_type)}
                wanted = members & ERROR_MEMBERS
                selected = {
                    s.type_condition.name.value
                    for s in selection.selection_set.selections
                    if isinstance(s, InlineFragmentNode) and s.type_condition
                }
                if wanted:
                    c += 1
                    m += [f"{selection.name.value} lacks ... on {t}" for t in wanted - selected]
            c2, m2 = _error_members_missing(schema, field_type, selection.selection_set, fragments)
            c, m = c + c2, m + m2
        else:
            continue
        checked, missing = checked + c, missing + m
    return checked, missing


@pytest.mark.parametrize("name", operations())
def test_every_mutation_selects_the_error_members_of_its_result(name, built):
    """`... on MutationError { code message field }` (and `... on BarisDitolak` where the union
    has it) on every mutation's result, beside `__typename`: a selection without it makes a
    refusal look like success. A mutation whose result carries no error member at all fails
    too: the error model changed shape and this check must follow it."""
    document = parse(document_text(name))
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation.operation != OperationType.MUTATION:
        return
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for root in operation.selection_set.selections:
        assert isinstance(root, FieldNode), f"{name}: select mutation fields directly"
        checked, missing = _error_members_missing(
            built, built.mutation_type, SelectionSetNode(selections=(root,)), fragments
        )
        assert checked, f"{name}: {root.name.value} selects no result with error members"
        assert any(  # what a portal branches on, and relay-compiler types as a tagged union
            isinstance(s, FieldNode) and s.name.value == "__typename"
            for s in root.selection_set.selections
        ), f"{name}: {root.name.value} does not select __typename"
        assert not missing, f"{name}: {missing}"
        error = next(
            s
            for s in root.selection_set.selections
            if isinstance(s, InlineFragmentNode) and s.type_condition.name.value == "MutationError"
        )
        fields = {s.name.value for s in error.selection_set.selections if isinstance(s, FieldNode)}
        assert {"code", "message", "field"} <= fields, f"{name}: MutationError {{ {fields} }}"


@pytest.mark.parametrize("name", operations())
def test_variables_are_typed_as_relay_compiler_requires(name, built):
    """relay-compiler is stricter than GraphQL: a variable fed to a non-null argument must be
    non-null itself, even where the argument has a default (`$first: Int` for `first: Int! =
    20` is refused), and a non-null variable takes no default. Checked here, without Node."""
    document = parse(document_text(name))
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    variables = operation.variable_definitions or ()
    declared = {v.variable.name.value: type_from_ast(built, v.type) for v in variables}
    problems = [
        f"${v.variable.name.value}: a non-null variable with a default"
        for v in variables
        if is_non_null_type(declared[v.variable.name.value]) and v.default_value is not None
    ]
    type_info = TypeInfo(built)

    class Feeds(Visitor):
        def _check(self, value, expected) -> None:
            if isinstance(value, VariableNode) and expected and is_non_null_type(expected):
                if not is_non_null_type(declared[value.name.value]):
                    problems.append(f"${value.name.value} is nullable, fed to {expected}")

        def enter_argument(self, node, *_):
            argument = type_info.get_argument()
            self._check(node.value, argument.type if argument else None)

        def enter_object_field(self, node, *_):
            self._check(node.value, type_info.get_input_type())

    visit(document, TypeInfoVisitor(type_info, Feeds()))
    assert not problems, f"{name}: {problems}"
