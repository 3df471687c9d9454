"""Refusals. A whole request refused before any work runs (RequestRefused: code, HTTP
status, message) and a domain operation refused (Refusal: code, message, the field at fault).
GraphQL mutations return a Refusal as data (see ekinerja.schema.mutation_errors.guarded); an
operation that raises one has written nothing, because it runs in a savepoint."""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja.error_codes import ErrorCode


class RequestRefused(Exception):
    """A refusal that ends an HTTP request before any work runs: a machine-readable code, an
    HTTP status and a message (authentication, tenant selection, integration checks). The HTTP
    endpoints answer every kind the same way."""

    code: ErrorCode = ErrorCode.BAD_REQUEST
    http_status = 400

    def __init__(self, message: str, code: ErrorCode | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = ErrorCode(code)  # a code not in ErrorCode is a bug: ValueError


class Refusal(Exception):
    """A domain operation refused: ``code`` (an ErrorCode, or its name: a string that is not
    one is refused with ValueError, so no code outside the enum reaches a client), a message
    for a person and the input field at fault."""

    def __init__(self, code: ErrorCode | str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message
        self.field = field


def invalid(field: str, message: str) -> Refusal:
    return Refusal(ErrorCode.INVALID_INPUT, message, field)


def required_text(value: str | None, field: str, what: str, longest: int) -> str:
    """``value`` without surrounding blanks; refused naming ``field`` when that leaves nothing
    or more than ``longest`` characters."""
    value = (value or "").strip()
    if not value:
        raise invalid(field, f"{what} is empty")
    if len(value) > longest:
        raise invalid(field, f"{what} is longer than {longest} characters")
    return value


# The storage layer's own codes (ekinerja/storage/base.py, lowercase like S3's) whose capitals
# are not the service's code for the same fault.
_STORAGE_SYNONYMS = {
    "unsupported_media_type": ErrorCode.UNSUPPORTED_TYPE,
    "invalid_argument": ErrorCode.INVALID_INPUT,
}


def storage_code(code: str) -> ErrorCode:
    """The ErrorCode of a storage error's ``code``: its capitals, or the service's code for the
    same fault; STORAGE_UNAVAILABLE for one the enum does not know (the store failed in a way
    the caller cannot fix)."""
    found = _STORAGE_SYNONYMS.get(code)
    if found is None:
        found = ErrorCode.__members__.get(code.upper(), ErrorCode.STORAGE_UNAVAILABLE)
    return found


def not_found(what: str, value: object, field: str) -> Refusal:
    return Refusal(ErrorCode.NOT_FOUND, f"no {what} with id {value}", field)


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row of a bulk input (rows count from 1)."""

    row: int
    field: str
    message: str


class RowsRefused(Refusal):
    """Bulk input with bad rows: nothing is written. Every problem is reported, or with
    ``total`` (a file's problems can be as many as its cells) the first ones and their count."""

    def __init__(self, problems: list[RowProblem], total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        if self.total > len(problems):
            message = (
                f"{self.total} problems in the rows, the first {len(problems)} listed; "
                "nothing was written"
            )
        else:
            message = f"{len({p.row for p in problems})} row(s) are invalid; nothing was written"
        super().__init__(ErrorCode.INVALID_ROWS, message, "rows")
