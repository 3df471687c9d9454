"""`ekinerja schema …`: write the GraphQL SDL, and keep the contract stable (docs/contract/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from graphql import GraphQLError

from ekinerja.cli._errors import CommandError
from ekinerja.cli._runtime import console
from ekinerja.contract import CONTRACT
from ekinerja.contract.changelog import ChangelogError, unreleased_section, with_unreleased
from ekinerja.contract.changes import parse_sdl
from ekinerja.contract.check import Report, check
from ekinerja.contract.descriptions import missing_descriptions, read_ratchet, write_ratchet
from ekinerja.contract.release import ReleaseRefused, release
from ekinerja.schema import SCHEMA_FILE, export_sdl

app = typer.Typer(no_args_is_help=True, help="The GraphQL schema and its contract.")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _refresh_changelog(report: Report) -> bool:
    """Rewrite the changelog's Unreleased section; whether it changed."""
    before = CONTRACT.changelog.read_text()
    after = with_unreleased(before, report)
    if after != before:
        CONTRACT.changelog.write_text(after)
    return after != before


@app.command("export")
def export(output: Path = typer.Option(SCHEMA_FILE, "--output", "-o")) -> None:
    """Write the schema (SDL) to schema.graphql (and render the contract changelog), or -o."""
    output.write_text(export_sdl())
    console.print(f"wrote {output}")
    if output.resolve() != CONTRACT.schema or not CONTRACT.changelog.exists():
        return
    try:
        report = check(CONTRACT)
        if _refresh_changelog(report):
            console.print(f"updated {_relative(CONTRACT.changelog)} (commit it with the schema)")
    except (ChangelogError, GraphQLError, ValueError, TypeError) as error:
        # schema.graphql is written; a broken contract file must not hide that.
        console.print(f"[yellow]contract changelog not updated: {error}[/yellow]")
        return
    if not report.passed:
        console.print(
            f"[yellow]contract check: {len(report.problems)} problem(s); "
            "`ekinerja schema check` lists them[/yellow]"
        )


@app.command("check")
def check_command() -> None:
    """Compare schema.graphql with the released contract; fail on an undeclared change."""
    report = check(CONTRACT)
    since = report.released.version if report.released else "nothing released"
    print(
        f"since {since}: {len(report.of('breaking'))} breaking, "
        f"{len(report.of('dangerous'))} dangerous, {len(report.of('safe'))} safe change(s), "
        f"{len(report.deprecations)} new deprecation(s)"
    )
    problems = list(report.problems)
    text = CONTRACT.changelog.read_text()
    if unreleased_section(text) != unreleased_section(with_unreleased(text, report)):
        problems.append("docs/contract/CHANGELOG.md is stale: run `ekinerja schema changelog`")
    for problem in problems:
        print(f"  {problem}")
    if problems:
        raise CommandError(f"the contract check found {len(problems)} problem(s)")


def _template(report: Report) -> str:
    blocks = []
    for change in report.undeclared:
        lines = [
            f"[[{change.severity}]]",
            f'changes = ["{change.key}"]',
            'reason = ""  # ' + change.description,
        ]
        if change.severity == "breaking":
            lines.append('ships_in = ""')
            lines.append('without_deprecation = ""  # removals of what was not @deprecated')
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@app.command("changes")
def changes(
    template: bool = typer.Option(
        False, "--template", help="Print a changes.toml entry to fill in for each undeclared one."
    ),
) -> None:
    """List the changes since the last released contract, with their keys."""
    report = check(CONTRACT)
    if template:
        print(_template(report))
        return
    declared = report.declarations.by_key()
    if not report.changes and not report.deprecations:
        since = report.released.version if report.released else "nothing released"
        print(f"no change to the contract since {since}")
    for change in report.changes:
        if change.severity == "safe":
            print(f"safe       {change.description}")
        else:
            mark = "declared" if change.key in declared else "UNDECLARED"
            print(f"{change.severity:<10} {change.key}  [{mark}]")
    for deprecation in report.deprecations:
        print(f"deprecated {deprecation.coordinate}: {deprecation.reason}")


@app.command("changelog")
def changelog() -> None:
    """Render the Unreleased section of docs/contract/CHANGELOG.md."""
    changed = _refresh_changelog(check(CONTRACT))
    console.print(f"{'updated' if changed else 'unchanged:'} {_relative(CONTRACT.changelog)}")


@app.command("descriptions")
def descriptions(
    listing: bool = typer.Option(False, "--list", help="Name each part without a description."),
    ratchet: bool = typer.Option(
        False, "--ratchet", help="Lower the recorded maximum to today's number."
    ),
) -> None:
    """Count the parts of the schema without a description (issue 16, item 7)."""
    missing = missing_descriptions(parse_sdl(CONTRACT.schema.read_text()))
    recorded = read_ratchet(CONTRACT.descriptions_ratchet)
    if listing:
        print("\n".join(missing))
    print(f"{len(missing)} without a description (recorded maximum {recorded})")
    if ratchet:
        if len(missing) > recorded:
            raise CommandError(f"{len(missing)} is more than the recorded {recorded}")
        write_ratchet(CONTRACT.descriptions_ratchet, len(missing))
        console.print(f"wrote {_relative(CONTRACT.descriptions_ratchet)}")


@app.command("release")
def release_command(
    version: str = typer.Argument(..., help="The contract version, e.g. 1.0.0."),
    date: str = typer.Option(None, "--date", help="The release date (default: today, UTC)."),
    note: str = typer.Option("", "--note", help="A sentence for the changelog section."),
) -> None:
    """Release the contract: schema.graphql becomes the released snapshot (docs/contract/)."""
    if CONTRACT.schema.read_text() != export_sdl():
        raise CommandError("schema.graphql is stale: run `ekinerja schema export` first")
    when = date or dt.datetime.now(dt.UTC).date().isoformat()
    try:
        dt.date.fromisoformat(when)
    except ValueError as error:
        raise CommandError(f"--date {when!r} is not a date (YYYY-MM-DD)") from error
    try:
        result = release(CONTRACT, version, when, note)
    except (ReleaseRefused, ValueError) as error:
        raise CommandError(f"release refused: {error}") from error
    since = f" after {result.previous}" if result.previous else " (the first)"
    console.print(
        f"released contract {result.version}{since}: {result.breaking} breaking, "
        f"{result.dangerous} dangerous, {result.safe} safe change(s). Commit docs/contract/."
    )
