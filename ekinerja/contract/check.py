"""The stability check: schema.graphql against the last released contract.

It fails (`Report.problems` not empty) when
- a breaking or dangerous change graphql-core finds is not declared in changes.toml;
- a declaration names a change that does not exist (stale) or files it under the wrong
  severity;
- a breaking change's `ships_in` is not a version that may break after the released one;
- a field, argument, input field or enum value is removed that the released contract had not
  marked @deprecated, and the declaration does not say why (`without_deprecation`);
- something is @deprecated without a reason (what to use instead).
Safe (additive) changes pass; the changelog lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLSchema

from ekinerja.contract import ContractFiles
from ekinerja.contract.changes import (
    DEFAULT_DEPRECATION_REASON,
    REMOVALS,
    Change,
    Deprecation,
    deprecation_reasons,
    find_changes,
    find_deprecations,
    parse_sdl,
)
from ekinerja.contract.declarations import Declaration, Declarations, read_declarations
from ekinerja.contract.versions import Released, Version, VersionError, read_released


@dataclass
class Report:
    released: Released | None
    changes: list[Change] = field(default_factory=list)
    deprecations: list[Deprecation] = field(default_factory=list)
    declarations: Declarations = field(default_factory=Declarations)
    undeclared: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def of(self, severity: str) -> list[Change]:
        return [change for change in self.changes if change.severity == severity]

    @property
    def passed(self) -> bool:
        return not self.problems


def _check_version(entry: Declaration, released: Released, problems: list[str]) -> None:
    if entry.ships_in is None:
        return
    keys = ", ".join(entry.changes)
    try:
        ships_in = Version.parse(entry.ships_in)
    except VersionError as error:
        problems.append(f"{keys}: ships_in {error}")
        return
    if ships_in <= released.version:
        problems.append(f"{keys}: ships_in {ships_in} is not after the released {released.version}")
    elif entry.severity == "breaking" and not ships_in.may_break_from(released.version):
        problems.append(
            f"{keys}: a breaking change cannot ship in {ships_in} after {released.version} "
            "(a new major version; before 1.0.0 a new minor)"
        )


def _undeprecated_removals(
    entry: Declaration, found: dict[str, Change], deprecated_before: dict[str, str]
) -> list[str]:
    return [
        key
        for key in entry.changes
        if key in found
        and found[key].type in REMOVALS
        and found[key].coordinate not in deprecated_before
    ]


def _bad_deprecation_reasons(schema: GraphQLSchema) -> list[str]:
    return [
        f"{coordinate} is @deprecated without a reason: say what to use instead "
        '(@deprecated(reason: "Use `…` instead."))'
        for coordinate, reason in deprecation_reasons(schema).items()
        if not reason.strip() or reason.strip() == DEFAULT_DEPRECATION_REASON
    ]


def compare(
    released_sdl: str | None,
    current_sdl: str,
    declarations: Declarations,
    released: Released | None,
) -> Report:
    current = parse_sdl(current_sdl)
    report = Report(released=released, declarations=declarations)
    problems = report.problems
    problems.extend(declarations.problems)
    problems.extend(_bad_deprecation_reasons(current))
    if released_sdl is None or released is None:
        for key in declarations.by_key():
            problems.append(f"stale declaration: {key} (no contract has been released yet)")
        return report

    old = parse_sdl(released_sdl)
    report.changes = find_changes(old, current)
    report.deprecations = find_deprecations(old, current)
    found = {change.key: change for change in report.changes if change.severity != "safe"}
    declared = declarations.by_key()
    deprecated_before = deprecation_reasons(old)

    for key, change in found.items():
        entry = declared.get(key)
        if entry is None:
            report.undeclared.append(change)
            problems.append(
                f"undeclared {change.severity} change: {key} ({change.description}) — declare "
                "it in docs/contract/changes.toml with its reason"
            )
        elif entry.severity != change.severity:
            problems.append(
                f"{key} is declared as {entry.severity} but is {change.severity}: move it to "
                f"[[{change.severity}]]"
            )
    safe = {change.key for change in report.changes if change.severity == "safe"}
    for key in declared:
        if key in safe:
            problems.append(f"{key} is a safe change: it needs no declaration; remove it")
        elif key not in found:
            problems.append(
                f"stale declaration: {key} — no such change between {released.version} and "
                "schema.graphql; remove it from docs/contract/changes.toml"
            )
    for entry in declarations.entries:
        _check_version(entry, released, problems)
        if entry.severity == "breaking" and entry.without_deprecation is None:
            for key in _undeprecated_removals(entry, found, deprecated_before):
                problems.append(
                    f"{key} removes what {released.version} had not @deprecated: deprecate it "
                    "in a release first, or say why not (without_deprecation)"
                )
    return report


def check(files: ContractFiles) -> Report:
    released = read_released(files.released_version)
    released_sdl = files.released_sdl.read_text() if files.released_sdl.exists() else None
    report = compare(
        released_sdl, files.schema.read_text(), read_declarations(files.declarations), released
    )
    if (released is None) != (released_sdl is None):
        have, lack = (
            (files.released_version, files.released_sdl)
            if released
            else (files.released_sdl, files.released_version)
        )
        report.problems.insert(0, f"{have.name} exists without {lack.name}: restore both")
    return report
