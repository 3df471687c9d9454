"""docs/contract/changes.toml: the breaking and dangerous changes made on purpose since the last
release, each with its reason (and, for a breaking one, the version it ships in).

    [[breaking]]
    changes = ["FIELD_REMOVED Mutation.ajukanSkp", "FIELD_REMOVED Mutation.setujuiSkp"]
    reason = "Mutations are Indonesian verbs (docs/glossary.md): use ajukanSkp, setujuiSkp."
    ships_in = "1.0.0"
    without_deprecation = "Before 1.0 nothing was promised to integrators."

    [[dangerous]]
    changes = ["VALUE_ADDED_TO_ENUM KodeGalat.KUOTA_HABIS"]
    reason = "New refusal of importPegawai; clients that switch on the code need a default."

One entry may cover several changes that share a reason. `without_deprecation` is needed when
an entry removes a field, argument, input field or enum value the released contract had not
marked @deprecated: it says why the deprecation period was skipped.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = ("breaking", "dangerous")
_FIELDS = {
    "breaking": {"changes", "reason", "ships_in", "without_deprecation"},
    "dangerous": {"changes", "reason", "ships_in"},
}
_REQUIRED = {"breaking": ("changes", "reason", "ships_in"), "dangerous": ("changes", "reason")}

EMPTY = """\
# The contract's breaking and dangerous changes since the last release, declared on purpose
# (docs/contract/README.md). `ekinerja schema changes` lists what the check finds and prints an
# entry to fill in for each undeclared one. `ekinerja schema release VERSION` empties this file.
#
# [[breaking]]
# changes = ["FIELD_REMOVED Type.field"]          # the keys `ekinerja schema changes` prints
# reason = "What replaces it and why (the changelog prints this)."
# ships_in = "1.0.0"
# without_deprecation = "Why it was not @deprecated in a release first (removals only)."
#
# [[dangerous]]
# changes = ["VALUE_ADDED_TO_ENUM Enum.VALUE"]
# reason = "What a client must handle."
"""


@dataclass(frozen=True)
class Declaration:
    severity: str  # "breaking" or "dangerous"
    changes: tuple[str, ...]
    reason: str
    ships_in: str | None = None
    without_deprecation: str | None = None


@dataclass
class Declarations:
    entries: list[Declaration] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the file itself is wrong

    def by_key(self) -> dict[str, Declaration]:
        return {key: entry for entry in self.entries for key in entry.changes}


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _entry(section: str, number: int, raw: object, problems: list[str]) -> Declaration | None:
    where = f"changes.toml [[{section}]] #{number}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: not a table")
        return None
    unknown = sorted(set(raw) - _FIELDS[section])
    if unknown:
        allowed = ", ".join(sorted(_FIELDS[section]))
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)} (allowed: {allowed})")
    missing = [name for name in _REQUIRED[section] if not raw.get(name)]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    changes = raw.get("changes")
    if not isinstance(changes, list) or not all(_text(key) for key in changes):
        problems.append(f'{where}: changes must be a list of keys ("FIELD_REMOVED Type.field")')
        return None
    return Declaration(
        severity=section,
        changes=tuple(key.strip() for key in changes),
        reason=_text(raw.get("reason")) or "",
        ships_in=_text(raw.get("ships_in")),
        without_deprecation=_text(raw.get("without_deprecation")),
    )


def parse_declarations(text: str) -> Declarations:
    declarations = Declarations()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        declarations.problems.append(f"changes.toml is not valid TOML: {error}")
        return declarations
    for name in sorted(set(data) - set(SECTIONS)):
        declarations.problems.append(
            f"changes.toml: unknown section [{name}] (use [[breaking]] or [[dangerous]])"
        )
    seen: set[str] = set()
    for section in SECTIONS:
        raw_entries = data.get(section, [])
        if not isinstance(raw_entries, list):
            declarations.problems.append(f"changes.toml: write [[{section}]], not [{section}]")
            continue
        for number, raw in enumerate(raw_entries, start=1):
            entry = _entry(section, number, raw, declarations.problems)
            if entry is None:
                continue
            for key in entry.changes:
                if key in seen:
                    declarations.problems.append(f"changes.toml: {key} is declared twice")
                seen.add(key)
            declarations.entries.append(entry)
    return declarations


def read_declarations(path: Path) -> Declarations:
    return parse_declarations(path.read_text() if path.exists() else "")
