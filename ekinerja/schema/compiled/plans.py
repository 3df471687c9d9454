"""Compiled roots remembered per process: planning a root field (collecting its selection,
checking the policy field by field, rendering the SQL) was a fifth of "my page"'s CPU, and a
portal sends the same few documents over and over.

A root's plan is a pure function of the schema, the field as written in the document, the
variables' values (they pick @skip/@include, `first`, a cursor), the caller's roles and scopes
(the policy's input), the instansi (a cursor or id is checked against its kode) and whether
the caller is a pegawai. That is the key. What differs between two callers with the same key
is only who "me" is: roots put ``CALLER`` where the caller's pegawai id goes, and each request
binds its own. A root that falls back (None) is remembered too.

The document's nodes are the key by identity (their equality compares whole trees); each
entry holds its nodes, so an id in the key cannot be reused by another document while the
entry lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from typing import Any

from ekinerja.schema.compiled.roots import CALLER, CompiledRoot

MAX_PLANS = 1024
NOT_PLANNED = object()  # remembered(): nothing planned yet for these nodes and facts


def frozen(value: Any) -> Hashable:
    """Variables' values as a key: dicts and lists become tuples, recursively."""
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    return value


class Plans:
    def __init__(self, maxsize: int = MAX_PLANS) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, tuple[Sequence[Any], CompiledRoot | None]] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._entries)

    def remembered(self, nodes: Sequence[Any], facts: Hashable) -> CompiledRoot | None | object:
        """The root planned before for ``nodes`` under ``facts``, or ``NOT_PLANNED``: a lookup
        that never plans (whole.py answers only what was planned)."""
        found = self._entries.get((tuple(id(node) for node in nodes), facts))
        if found is None or not all(a is b for a, b in zip(found[0], nodes, strict=True)):
            return NOT_PLANNED
        self._entries.move_to_end((tuple(id(node) for node in nodes), facts))
        return found[1]

    def get(
        self,
        nodes: Sequence[Any],
        facts: Hashable,
        plan: Callable[[], CompiledRoot | None],
    ) -> CompiledRoot | None:
        """The root for the field written as ``nodes`` under ``facts`` (everything else the
        plan depends on), planned once."""
        key = (tuple(id(node) for node in nodes), facts)
        found = self._entries.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], nodes, strict=True)):
            self._entries.move_to_end(key)
            return found[1]
        root = plan()
        self._entries[key] = (tuple(nodes), root)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return root


def root_facts(context: Any, variable_values: Any) -> Hashable:
    """Everything besides the field as written that a root's plan depends on (the module's
    docstring): the caller's roles and scopes, the instansi, whether the caller is a pegawai,
    and the variables' coerced values."""
    principal = context.principal
    return (
        principal.roles,
        principal.scopes,
        context.instansi.kode,
        context.pegawai_id is None,
        frozen(variable_values.coerced),
    )


def for_caller(root: CompiledRoot, pegawai_id: int | None) -> CompiledRoot:
    """The remembered root with this request's caller in place of ``CALLER``."""
    if CALLER not in root.parameters:
        return root
    parameters = tuple(pegawai_id if p is CALLER else p for p in root.parameters)
    return replace(root, parameters=parameters)
