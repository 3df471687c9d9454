"""Refusals of SKP operations: a machine-readable code, the field at fault if one is, and a
message. Returned as data by the GraphQL mutations; nothing is written when one is raised."""

from __future__ import annotations


class SkpError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def invalid(field: str, message: str) -> SkpError:
    return SkpError("INVALID_INPUT", message, field)
