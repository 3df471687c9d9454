"""What every operation passes through besides execution: the document parsed within the token
limit, validated with the depth, alias and input rules (and without introspection in
production), variables checked for NUL, unexpected errors masked.

One extension does all of it (issue 17). Strawberry builds every extension of every operation
anew and asks each, per lifecycle step, whether it has a hook (with ``inspect``): seven
extensions (ParserCache, MaxTokensLimiter, AddValidationRules, InputChecks, ValidationCache,
MaskErrors, DisableIntrospection) were a fifth of `{ __typename }`'s CPU. And what the first
five computed depends on the document's text alone (the rules are fixed per schema), so it is
computed once per document: a repeated document costs one cache lookup for its parsed tree and
its validation errors."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema, specified_rules
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaskErrors
from strawberry.extensions.max_aliases import create_validator as alias_limit
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.schema import validate_document

from ekinerja.error_codes import ErrorCode
from ekinerja.logging import request_id_var
from ekinerja.schema.compiled import whole
from ekinerja.schema.documents import parsed
from ekinerja.schema.errors import is_unexpected
from ekinerja.schema.input_checks import nul_errors, with_input_rules
from ekinerja.settings import Settings

# Documents whose parse and validation are remembered, per schema (as Strawberry's caches were).
DOCUMENTS_REMEMBERED = 512


class DocumentChecks:
    """Parse and validation of a document's text by one schema's fixed rules, remembered."""

    def __init__(self, settings: Settings) -> None:
        self.max_tokens = settings.graphql_max_tokens
        self.compiled_reads = settings.compiled_reads
        # The rules in the order the separate extensions added them: graphql-core's (with the
        # literal check naming its argument), depth, aliases, NUL in literals, introspection.
        # The depth and alias rules are made once: each new rule class would be a new rule.
        rules = (
            *tuple(specified_rules),
            depth_limit(settings.graphql_max_depth, None),
            alias_limit(settings.graphql_max_aliases),
        )
        rules = with_input_rules(rules)
        if settings.is_production:
            rules = (*rules, NoSchemaIntrospectionCustomRule)
        self.rules = rules
        self.checked = lru_cache(maxsize=DOCUMENTS_REMEMBERED)(self._check)

    def _check(self, query: str, schema: GraphQLSchema) -> tuple[DocumentNode, list[GraphQLError]]:
        """The parsed document and its validation errors; a document that does not parse
        raises its GraphQLError (not remembered)."""
        document = parsed(query, self.max_tokens)
        return document, validate_document(schema, document, self.rules)


class OperationChecks(MaskErrors):
    """The per-operation side of ``DocumentChecks``, with error masking: an unexpected error is
    replaced by a message carrying the request id, which the logs also carry, so support can
    find the stack trace without the client ever seeing it."""

    def __init__(self, checks: DocumentChecks) -> None:
        super().__init__(should_mask_error=is_unexpected)
        self.checks = checks
        self.validation_errors: list[GraphQLError] = []

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        # Validated here too, once per document: the errors are reported in on_validate, which
        # Strawberry reaches only after checking the operation's type.
        context.graphql_document, self.validation_errors = self.checks.checked(
            context.query, context.schema._schema
        )
        yield

    def on_validate(self) -> Iterator[None]:
        self.execution_context.pre_execution_errors = self.validation_errors
        yield

    def on_execute(self) -> Iterator[None]:
        # A result set before execution is the result: nothing runs (Strawberry's contract).
        if refused := nul_errors(self.execution_context.variables):
            self.execution_context.result = ExecutionResult(data=None, errors=refused)
        yield

    def _process_result(self, result: object) -> None:
        # Strawberry's checks the result against a runtime Protocol, ~2 % of a request's CPU
        # (issue 17's profile); an execution result has `errors` or it has none.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = request_id_var.get()
        return GraphQLError(
            message=f"Unexpected error; quote request id {request_id} when reporting it.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": ErrorCode.INTERNAL_ERROR.value, "requestId": request_id},
        )


class _Hook:
    """One generator hook of ``OperationChecks`` as a context manager, ``with`` and ``async
    with`` alike: what Strawberry's runner makes of it, without finding the hook by
    ``inspect`` and wrapping it in ``contextlib`` for every step of every operation."""

    __slots__ = ("_steps",)

    def __init__(self, hook) -> None:
        self._steps = hook()

    def __enter__(self) -> None:
        next(self._steps)

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is None:
            try:
                next(self._steps)
            except StopIteration:
                return False
            raise RuntimeError("an extension hook must yield once")
        try:
            self._steps.throw(error)
        except StopIteration:
            return True  # the hook handled the error (as contextlib would have it)
        except BaseException as raised:
            if raised is error:
                return False
            raise
        raise RuntimeError("an extension hook must not yield again")

    async def __aenter__(self) -> None:
        self.__enter__()

    async def __aexit__(self, kind, error, traceback) -> bool:
        return self.__exit__(kind, error, traceback)


class _Executing(_Hook):
    """The execute step: ``on_execute``'s checks, then, for a query whose root fields all have
    remembered compiled plans, the answer without graphql-core's executor
    (ekinerja/schema/compiled/whole.py). A result set here is the result (Strawberry's
    contract), and goes through the same error processing and masking."""

    __slots__ = ("_execution_context", "_compiled_reads")

    def __init__(self, hook, execution_context, compiled_reads: bool) -> None:
        super().__init__(hook)
        self._execution_context = execution_context
        self._compiled_reads = compiled_reads

    async def __aenter__(self) -> None:
        self.__enter__()
        context = self._execution_context
        if self._compiled_reads and context.result is None:
            context.result = await whole.answer(context)


class OperationChecksRunner(SchemaExtensionsRunner):
    """Strawberry's runner for an operation whose one extension is ``OperationChecks``
    (ekinerja.schema.Schema picks it); streamed results go Strawberry's way."""

    def operation(self) -> _Hook:  # type: ignore[override]
        return _Hook(self.extensions[0].on_operation)

    def parsing(self) -> _Hook:  # type: ignore[override]
        return _Hook(self.extensions[0].on_parse)

    def validation(self) -> _Hook:  # type: ignore[override]
        return _Hook(self.extensions[0].on_validate)

    def executing(self) -> _Hook:  # type: ignore[override]
        extension = self.extensions[0]
        return _Executing(
            extension.on_execute, self.execution_context, extension.checks.compiled_reads
        )


def build_extensions(settings: Settings) -> list:
    """Factories, never instances: an extension instance holds the execution context of one
    operation, so each operation gets its own; the documents' cache is the schema's."""
    checks = DocumentChecks(settings)
    return [lambda: OperationChecks(checks)]
