"""GraphQL enums over the domain's StrEnums, with a description on every value (issue 16,
item 7).

The domain enums (`ekinerja/*/enums.py`, the models' columns) are plain StrEnums that the rules
and the database use; what each value means to a portal or an integrator is the contract's
business, so it is written where the schema wraps the enum, not by turning each member of the
domain module into a `strawberry.enum_value`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=StrEnum)


def described_enum(
    cls: type[E], *, description: str, values: Mapping[E, str], name: str | None = None
) -> type[E]:
    """`strawberry.enum(cls)` with `description` on the enum and `values[member]` on each
    value. Every member needs its description: a value added to the domain enum without one
    fails at import, not silently in the SDL."""
    missing = [member.name for member in cls if not values.get(member, "").strip()]
    if missing:
        raise ValueError(f"{name or cls.__name__}: no description for {', '.join(missing)}")
    wrapped = strawberry.enum(cls, name=name, description=description)
    texts = {member.value: text for member, text in values.items()}
    for value in wrapped.__strawberry_definition__.values:
        value.description = texts[value.value]
    return wrapped
