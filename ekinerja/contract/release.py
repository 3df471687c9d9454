"""`ekinerja schema release VERSION`: schema.graphql becomes the released contract.

Refused unless the check passes and the version fits: after the released one, a new major (a
new minor before 1.0.0) when anything breaks, and the version every breaking declaration said
it ships in. Then, all computed before anything is written: the Unreleased changes become the
version's changelog section, schema.graphql is copied to released.graphql, released.toml names
the version and changes.toml is emptied.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekinerja.contract import ContractFiles
from ekinerja.contract.changelog import HEADER, render_changes, with_release, with_unreleased
from ekinerja.contract.check import check, compare
from ekinerja.contract.declarations import EMPTY, parse_declarations
from ekinerja.contract.versions import Released, Version, write_released


class ReleaseRefused(ValueError):
    pass


@dataclass(frozen=True)
class ReleaseResult:
    version: Version
    previous: Version | None
    breaking: int
    dangerous: int
    safe: int


def _refuse_version(version: Version, report_released: Released | None, breaking: bool) -> None:
    if report_released is None:
        return
    previous = report_released.version
    if version <= previous:
        raise ReleaseRefused(f"{version} is not after the released {previous}")
    if breaking and not version.may_break_from(previous):
        raise ReleaseRefused(
            f"{version} cannot carry breaking changes after {previous}: release a new major "
            "version (before 1.0.0, a new minor)"
        )


def release(files: ContractFiles, version_text: str, date: str, note: str = "") -> ReleaseResult:
    version = Version.parse(version_text)
    report = check(files)
    if not report.passed:
        raise ReleaseRefused(
            "the contract check fails: "
            + "; ".join(report.problems[:5])
            + (f" (and {len(report.problems) - 5} more)" if len(report.problems) > 5 else "")
        )
    breaking = report.of("breaking")
    _refuse_version(version, report.released, bool(breaking))
    elsewhere = sorted(
        {entry.ships_in for entry in report.declarations.entries if entry.ships_in} - {str(version)}
    )
    if elsewhere:
        raise ReleaseRefused(
            f"changes.toml declares changes that ship in {', '.join(elsewhere)}, not {version}: "
            "release that version, or correct ships_in"
        )
    if report.released is not None and not report.changes:
        raise ReleaseRefused(f"nothing changed since {report.released.version}")

    heading = f"{version} — {date}"
    if report.released is None:
        section = f"## {heading}\n\nThe first recorded contract.\n"
    else:
        section = render_changes(report, heading)
    if note:
        section = section.replace("\n\n", f"\n\n{note}\n\n", 1)

    current_sdl = files.schema.read_text()
    released = Released(version, date, note)
    changelog = files.changelog.read_text() if files.changelog.exists() else HEADER
    changelog = with_release(changelog, section)
    afterwards = compare(current_sdl, current_sdl, parse_declarations(EMPTY), released)
    changelog = with_unreleased(changelog, afterwards)

    files.directory.mkdir(parents=True, exist_ok=True)
    files.released_sdl.write_text(current_sdl)
    write_released(files.released_version, released)
    files.declarations.write_text(EMPTY)
    files.changelog.write_text(changelog)
    return ReleaseResult(
        version=version,
        previous=report.released.version if report.released else None,
        breaking=len(breaking),
        dangerous=len(report.of("dangerous")),
        safe=len(report.of("safe")),
    )
