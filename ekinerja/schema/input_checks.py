"""Checks of input values before an operation runs, beyond GraphQL's own:

- a literal of the wrong type or value is reported naming its argument (graphql-core says only
  "Int cannot represent ...", which does not tell which of several arguments is meant);
- text with a NUL character (U+0000), in a literal or a variable, is refused: PostgreSQL cannot
  store it and would fail the operation with an unexpected error.

Both are request errors: nothing runs, and the response has no data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    SKIP,
    ArgumentNode,
    ASTValidationRule,
    GraphQLError,
    GraphQLInputType,
    ObjectFieldNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableDefinitionNode,
)
from graphql.pyutils import print_path_list
from graphql.utilities.validate_input_value import validate_input_literal
from graphql.validation import ValuesOfCorrectTypeRule

NUL = "\x00"
_NUL_REFUSED = "text cannot contain the NUL character (U+0000)"


class _NamesTheInput(ValidationRule):
    """Keeps the name of the argument (or variable default) being visited, and the path to
    the input field being visited inside it."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.input_name = "Value"
        self.path: list[str | int] = []

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.input_name, self.path = f"Argument '{node.name.value}'", []

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
        self.input_name, self.path = f"Variable '${node.variable.name.value}' default value", []

    def named(self, path: list[str | int]) -> str:
        return f"{self.input_name} has invalid value{print_path_list(path)}"


class NamedValuesOfCorrectTypeRule(_NamesTheInput, ValuesOfCorrectTypeRule):
    """graphql-core's ValuesOfCorrectTypeRule, its messages prefixed with the argument."""

    def is_valid_value_node(self, node: ValueNode, input_type: GraphQLInputType | None):
        if input_type:

            def on_error(error: GraphQLError, path: list[str | int]) -> None:
                self.report_error(
                    GraphQLError(f"{self.named(path)}: {error.message}", error.nodes or node)
                )

            validate_input_literal(
                node, input_type, on_error, None, None, self.context.hide_suggestions
            )
        return SKIP


class NoNulInTextRule(_NamesTheInput):
    """Refuse string literals (arguments, input fields, variable defaults) holding U+0000."""

    def enter_object_field(self, node: ObjectFieldNode, *_args: Any) -> None:
        self.path.append(node.name.value)

    def leave_object_field(self, *_args: Any) -> None:
        self.path.pop()

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if NUL in node.value:
            self.report_error(GraphQLError(f"{self.named(self.path)}: {_NUL_REFUSED}.", node))


def _nul_paths(value: Any) -> Iterator[list[str | int]]:
    """Paths of strings holding U+0000 in a JSON value. Iterative: the request body is bounded
    in size and nesting already, and this must not recurse whatever it is given."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield path
        elif isinstance(item, dict):
            for key, child in item.items():
                if NUL in str(key):
                    yield path
                else:
                    stack.append((child, [*path, key]))
        elif isinstance(item, list):
            stack.extend((child, [*path, index]) for index, child in enumerate(item))


def nul_errors(variables: dict[str, Any] | None) -> list[GraphQLError]:
    errors = []
    for name, value in (variables or {}).items():
        for path in _nul_paths(value):
            errors.append(
                GraphQLError(
                    f"Variable '${name}' has invalid value{print_path_list(path)}: {_NUL_REFUSED}."
                )
            )
            break  # one error per variable is enough to act on
    return errors


def with_input_rules(rules: tuple[type[ASTValidationRule], ...]) -> tuple:
    """``rules`` with the literal checks above in place of graphql-core's, and the NUL rule.
    Variables are not part of the validated (cached) document: ``nul_errors`` checks them on
    every operation, after validation (schema/extensions.py)."""
    return (
        *(
            NamedValuesOfCorrectTypeRule if rule is ValuesOfCorrectTypeRule else rule
            for rule in rules
        ),
        NoNulInTextRule,
    )
