"""Refusals of domain operations: a machine-readable code, the field at fault if one is, and a
message. GraphQL mutations return them as data (see ekinerja.schema.mutation_errors.guarded);
an operation that raises one has written nothing, because it runs in a savepoint."""

from __future__ import annotations


class Refusal(Exception):
    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def invalid(field: str, message: str) -> Refusal:
    return Refusal("INVALID_INPUT", message, field)


def not_found(what: str, value: object, field: str) -> Refusal:
    return Refusal("NOT_FOUND", f"no {what} with id {value}", field)
