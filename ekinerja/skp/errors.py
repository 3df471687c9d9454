"""Refusals of SKP operations (a Refusal of the SKP domain)."""

from __future__ import annotations

from ekinerja.refusals import Refusal


class SkpError(Refusal):
    pass


def invalid(field: str, message: str) -> SkpError:
    return SkpError("INVALID_INPUT", message, field)
