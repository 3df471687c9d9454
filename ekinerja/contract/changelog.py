"""docs/contract/CHANGELOG.md: the Unreleased section is rendered from the check's report (the
declared breaking and dangerous changes with their reasons, the new deprecations with theirs,
every safe change graphql-core finds); released sections are frozen text the release step
wrote. Only the part between the markers is rewritten.
"""

from __future__ import annotations

from ekinerja.contract.check import Report

BEGIN = (
    "<!-- BEGIN unreleased: rendered by `ekinerja schema changelog` (and `schema export`) "
    "from schema.graphql and changes.toml; edit those, not this -->"
)
END = "<!-- END unreleased -->"

# Description edits are not contract changes worth a line each (item 7 rewrites hundreds).
_UNLISTED = {"DESCRIPTION_CHANGED"}

HEADER = f"""\
# Contract changelog

Every change to the GraphQL contract (`schema.graphql`), newest first. Breaking and dangerous
changes are declared with their reason in [changes.toml](changes.toml); the policy is in
[README.md](README.md). The last released SDL is [released.graphql](released.graphql).

{BEGIN}
{END}
"""


class ChangelogError(ValueError):
    pass


def _codes(keys: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{key}`" for key in keys)


def _declared_lines(report: Report, severity: str) -> list[str]:
    found = {change.key for change in report.of(severity)}
    lines = []
    for entry in report.declarations.entries:
        keys = [key for key in entry.changes if key in found]
        if not keys or entry.severity != severity:
            continue
        line = f"- {entry.reason} ({_codes(keys)}"
        line += f"; ships in {entry.ships_in})" if entry.ships_in else ")"
        if entry.without_deprecation:
            line += f" Not deprecated first: {entry.without_deprecation}"
        lines.append(line)
    undeclared = {change.key for change in report.undeclared}
    lines.extend(
        f"- **Undeclared:** `{change.key}` ({change.description})"
        for change in report.of(severity)
        if change.key in undeclared
    )
    return lines


def render_changes(report: Report, heading: str) -> str:
    """One section (`## heading`) listing the report's changes."""
    since = report.released.version if report.released else None
    parts = [f"## {heading}", ""]
    sections = [
        ("Breaking", _declared_lines(report, "breaking")),
        (
            "Deprecated",
            [f"- `{d.coordinate}`: {d.reason}" for d in report.deprecations],
        ),
        ("Dangerous", _declared_lines(report, "dangerous")),
        (
            "Added and other safe changes",
            [f"- {c.description}" for c in report.of("safe") if c.type not in _UNLISTED],
        ),
    ]
    listed = [(title, lines) for title, lines in sections if lines]
    if since is None:
        parts.append("No contract released yet.")
    elif not listed:
        parts.append(f"No change to the contract since {since}.")
    else:
        parts.append(f"Since {since}.")
    for title, lines in listed:
        parts += ["", f"### {title}", "", *lines]
    return "\n".join(parts) + "\n"


def _split(text: str) -> tuple[str, str, str]:
    """(before BEGIN, between the markers, after END) of the changelog."""
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        raise ChangelogError(f"CHANGELOG.md lacks the markers {BEGIN!r} … {END!r}")
    return text[: begin + len(BEGIN)], text[begin + len(BEGIN) : end], text[end:]


def unreleased_section(text: str) -> str:
    return _split(text)[1].strip("\n") + "\n"


def with_unreleased(text: str, report: Report) -> str:
    """The changelog with its Unreleased section rendered from `report`."""
    before, _, after = _split(text)
    return f"{before}\n{render_changes(report, 'Unreleased')}{after}"


def with_release(text: str, section: str) -> str:
    """The changelog with a released version's `section` added below the markers, above the
    older ones (newest first). The release step then renders Unreleased anew."""
    before, between, after = _split(text)
    rest = after[len(END) :].lstrip("\n")
    return f"{before}{between}{END}\n\n{section}" + (f"\n{rest}" if rest else "")
