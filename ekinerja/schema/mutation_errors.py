"""Errors as data: the failure member of every mutation's result union."""

from __future__ import annotations

import strawberry


@strawberry.type(description="An expected failure: nothing was changed.")
class MutationError:
    code: str = strawberry.field(description="Machine-readable, e.g. INVALID_INPUT.")
    message: str
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
