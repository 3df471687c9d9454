"""Errors as data: the failure member of every mutation's result union, and the one place
mutations turn domain refusals into it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from tortoise.transactions import in_transaction

from ekinerja.db.config import CONNECTION
from ekinerja.error_codes import ErrorCode, descriptions
from ekinerja.refusals import Refusal
from ekinerja.schema.enum_descriptions import described_enum

T = TypeVar("T")
E = TypeVar("E")


# The one list of error codes (ekinerja/error_codes.py): MutationError.code, a GraphQL error's
# extensions.code and the HTTP envelopes' code all take their values from it.
described_enum(
    ErrorCode,
    name="ErrorCode",
    description="Every machine-readable error code: `MutationError.code`, a GraphQL error's "
    "`extensions.code` and the `code` of every HTTP endpoint's error envelope take their values "
    "from this one list, one code per fault. Branch on it, never on a message; a code may be "
    "added in a later version (handle unknown ones as a generic failure).",
    values=descriptions(),
)


@strawberry.type(description="An expected failure: nothing was changed.")
class MutationError:
    code: ErrorCode = strawberry.field(
        description="Machine-readable: what failed (e.g. INVALID_INPUT, NOT_FOUND, STALE_VERSION)."
    )
    message: str = strawberry.field(
        description="What went wrong, in English, for a person (do not parse it: use `code`)."
    )
    field: str | None = strawberry.field(description="The input field at fault, if one is.")

    def __post_init__(self) -> None:
        self.code = ErrorCode(self.code)  # a name given as a string; any other is a bug

    @classmethod
    def of(cls, refusal: Refusal) -> MutationError:
        return cls(code=ErrorCode(refusal.code), message=refusal.message, field=refusal.field)


async def guarded(
    change: Callable[[], Awaitable[T]],
    refused: Callable[[Refusal], E] = MutationError.of,
) -> T | E:
    """Run ``change`` in a savepoint inside the request's transaction: its result, or its
    refusal as data (``refused`` makes it; a MutationError by default) with nothing written."""
    try:
        async with in_transaction(CONNECTION):
            return await change()
    except Refusal as refusal:
        return refused(refusal)
