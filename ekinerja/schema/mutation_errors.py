"""Errors as data: the failure member of every mutation's result union, and the one place
mutations turn domain refusals into it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from tortoise.transactions import in_transaction

from ekinerja.db.config import CONNECTION
from ekinerja.refusals import Refusal

T = TypeVar("T")
E = TypeVar("E")


@strawberry.type(description="An expected failure: nothing was changed.")
class MutationError:
    code: str = strawberry.field(description="Machine-readable, e.g. INVALID_INPUT.")
    message: str = strawberry.field(
        description="What went wrong, in English, for a person (do not parse it: use `code`)."
    )
    field: str | None = strawberry.field(description="The input field at fault, if one is.")

    @classmethod
    def of(cls, refusal: Refusal) -> MutationError:
        return cls(code=refusal.code, message=refusal.message, field=refusal.field)


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
