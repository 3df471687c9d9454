"""Work an operation does outside its tenant transaction (decision 0018).

Every GraphQL operation runs in one tenant transaction (ekinerja/http/graphql_view.py). A call
to the object store inside it would hold that transaction, its row locks and a pooled
connection for as long as the store takes to answer, which is the whole freeze when the store
hangs. So a mutation that must ask the store registers a step under its field name: the view
runs the steps of the operation's root fields before it opens the transaction (each step reads
in a short transaction of its own and calls the store outside any) and leaves what they found
in ``context.prepared`` for the resolver, which decides inside the transaction. Store work a
resolver decides on (deleting wrong bytes) goes to ``context.after_transaction`` and runs once
the transaction is over.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_operation_ast,
    value_from_ast_untyped,
)

from ekinerja.schema.context import Context
from ekinerja.schema.documents import parsed

log = logging.getLogger(__name__)

Step = Callable[[Context, FieldNode, dict[str, Any]], Awaitable[None]]
_STEPS: dict[str, Step] = {}


def before_transaction(field_name: str) -> Callable[[Step], Step]:
    """Register ``step`` to run before the transaction of any mutation that selects the root
    field ``field_name`` (its schema name), once per selection, aliases included."""

    def register(step: Step) -> Step:
        _STEPS[field_name] = step
        return step

    return register


def argument(field: FieldNode, name: str, variables: dict[str, Any]) -> Any:
    """The argument as sent, a literal or a variable's value; None when absent. Not coerced:
    a step checks what it uses, and execution reports a bad value in its usual way."""
    for given in field.arguments or ():
        if given.name.value == name:
            if isinstance(given.value, VariableNode):
                return variables.get(given.value.name.value)
            return value_from_ast_untyped(given.value, variables)
    return None


async def run_before(
    context: Context,
    query: str | None,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    max_tokens: int,
    max_aliases: int,
) -> None:
    """Run the registered steps of the operation about to execute. Only a document that
    mentions a registered field is parsed here; one that does not parse or is not a mutation
    has no steps (its execution reports why). Steps run before validation, so the alias limit
    is kept here too: a valid document selects a root field at most ``max_aliases`` + 1 times
    (twice without an alias would conflict), and one asking for more is refused by validation
    anyway, so it gets no more steps than that (each may cost a store call)."""
    if not query or not any(name in query for name in _STEPS):
        return
    try:
        document = parsed(query, max_tokens)
    except GraphQLError:
        return
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.MUTATION:
        return
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    given = _with_defaults(operation, variables or {})
    allowed = max_aliases + 1
    for field in _root_fields(operation.selection_set, fragments, set()):
        step = _STEPS.get(field.name.value)
        if step is not None and allowed > 0:
            allowed -= 1
            await step(context, field, given)


def _with_defaults(operation: OperationDefinitionNode, variables: dict[str, Any]) -> dict:
    """The variables as execution sees them: one the request leaves out takes its default
    (``$id: ID = "5"``), so a step never misses an argument its resolver will receive."""
    given = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in given and definition.default_value is not None:
            given[name] = value_from_ast_untyped(definition.default_value)
    return given


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> Iterator[FieldNode]:
    """The root fields, through inline fragments and fragment spreads. @skip and @include are
    not evaluated: a skipped field costs a needless step, never a missing one."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:  # a cycle is the validator's to report
                seen.add(name)
                yield from _root_fields(fragments[name].selection_set, fragments, seen)


async def run_after(context: Context) -> None:
    """The work resolvers left for after the transaction. Its failure changes no answer (the
    transaction has ended); it is logged, and gc catches what a failed cleanup left."""
    for work in context.after_transaction:
        try:
            await work()
        except Exception as error:
            log.warning("work after the transaction failed: %s", " ".join(str(error).split()))
    context.after_transaction.clear()
