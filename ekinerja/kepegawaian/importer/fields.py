"""Parsing one cell: each parser returns the value or raises FieldError with the reason."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)

_DATE_FORMATS = (
    (re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})"), ("d", "m", "y")),
)
# Deliberately loose: one @, a dot in the domain, no spaces. Deliverability is not our business.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_DIGITS = re.compile(r"\d+")
_FLAG_YES = {"Y", "YA", "YES"}
_FLAG_NO = {"N", "T", "TIDAK", "NO", ""}
_ENUM_SEPARATORS = re.compile(r"[\s\-]+")


class FieldError(ValueError):
    """A cell that cannot be used; the message is the reason shown to the person importing."""


def clean(raw: str | None) -> str:
    """Trimmed, with runs of whitespace made one space: ` Dinas  Kesehatan ` = `Dinas Kesehatan`,
    so re-importing a file typed slightly differently does not look like a change."""
    return " ".join((raw or "").split())


def parse_text(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise FieldError(f"too long: {len(value)} characters, at most {max_length} are allowed")
    return value


def parse_date(value: str) -> date:
    for pattern, order in _DATE_FORMATS:
        match = pattern.fullmatch(value)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise FieldError(f"{value!r} is not a real date") from None
    # Spreadsheets sometimes hand over a timestamp; its date part is what was meant.
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", value):
        return parse_date(value[:10])
    raise FieldError(f"{value!r} is not a date: write YYYY-MM-DD or DD-MM-YYYY")


def parse_flag(value: str) -> bool:
    upper = value.upper()
    if upper in _FLAG_YES:
        return True
    if upper in _FLAG_NO:
        return False
    raise FieldError(f"{value!r} is not Y or N")


def parse_enum(enum: type[E], value: str) -> E:
    key = _ENUM_SEPARATORS.sub("_", value).upper()
    try:
        return enum(key)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise FieldError(f"{value!r} is not one of {allowed}") from None


def parse_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise FieldError(f"{value!r} is not an e-mail address (name@domain)")
    return parse_text(value, 255)


def parse_nip_lama(value: str) -> str:
    if not (_DIGITS.fullmatch(value) and len(value) == 9):
        raise FieldError(f"{value!r} is not an old NIP: it has 9 digits")
    return value
