"""The contract stays stable: schema.graphql against the last released contract
(docs/contract/released.graphql), every breaking and dangerous change declared with its reason
in docs/contract/changes.toml, the changelog current, no more parts without a description than
recorded (issue 16, items 7 and 8; decision 0026). No database: it reads files."""

from __future__ import annotations

from ekinerja.contract import CONTRACT
from ekinerja.contract.changelog import unreleased_section, with_unreleased
from ekinerja.contract.changes import parse_sdl
from ekinerja.contract.check import check
from ekinerja.contract.descriptions import missing_descriptions, read_ratchet
from ekinerja.contract.versions import read_released


def test_schema_has_no_undeclared_change_since_the_released_contract():
    report = check(CONTRACT)
    assert report.passed, (
        "the contract check fails (docs/contract/README.md; `ekinerja schema changes "
        "--template` prints entries for docs/contract/changes.toml):\n  "
        + "\n  ".join(report.problems)
    )


def test_changelog_lists_the_unreleased_changes():
    text = CONTRACT.changelog.read_text()
    rendered = with_unreleased(text, check(CONTRACT))
    assert unreleased_section(text) == unreleased_section(rendered), (
        "docs/contract/CHANGELOG.md is stale: run `ekinerja schema changelog` (or "
        "`ekinerja schema export`) and commit it"
    )


def test_released_contract_is_recorded_with_its_version():
    released = read_released(CONTRACT.released_version)
    assert released is not None
    parse_sdl(CONTRACT.released_sdl.read_text())  # a valid schema
    assert f"## {released.version} — {released.date}" in CONTRACT.changelog.read_text()


def test_every_part_of_the_schema_has_a_description():
    """Issue 16, item 7: every type, field, argument, input field and enum value (the ratchet
    reached 0; it stays recorded so a release cannot loosen it silently)."""
    missing = missing_descriptions(parse_sdl(CONTRACT.schema.read_text()))
    assert read_ratchet(CONTRACT.descriptions_ratchet) == 0
    assert not missing, (
        f"{len(missing)} parts of the schema have no description: describe them "
        "(`ekinerja schema descriptions --list`): " + ", ".join(missing[:20])
    )
