"""The contract checker itself (ekinerja/contract/), on small SDLs: the keys of every breaking
and dangerous change graphql-core reports, what passes and what fails, the changelog, the
release step, the description count. No database."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql.utilities.find_schema_changes import BreakingChangeType, DangerousChangeType
from typer.testing import CliRunner

from ekinerja.contract import ContractFiles
from ekinerja.contract.changelog import HEADER, unreleased_section, with_unreleased
from ekinerja.contract.changes import find_changes, parse_sdl
from ekinerja.contract.check import check, compare
from ekinerja.contract.declarations import EMPTY, parse_declarations
from ekinerja.contract.descriptions import missing_descriptions
from ekinerja.contract.release import ReleaseRefused, release
from ekinerja.contract.versions import Released, Version, read_released

Q = "type Query { a: Int }\n"

# (change type, old SDL, new SDL, expected coordinate): one or more per graphql-core change type.
KEYED = [
    ("TYPE_REMOVED", Q + "type Foo { x: Int }", Q, "Foo"),
    ("TYPE_REMOVED", "type Query { a: Float }", Q, "Float"),  # a standard scalar, unreferenced
    ("TYPE_CHANGED_KIND", Q + "scalar Foo", Q + "enum Foo { A }", "Foo"),
    (
        "TYPE_REMOVED_FROM_UNION",
        Q + "type A { x: Int } type B { x: Int } union U = A | B",
        Q + "type A { x: Int } type B { x: Int } union U = A",
        "U.B",
    ),
    ("VALUE_REMOVED_FROM_ENUM", Q + "enum E { A B }", Q + "enum E { A }", "E.B"),
    (
        "REQUIRED_INPUT_FIELD_ADDED",
        Q + "input I { a: Int }",
        Q + "input I { a: Int b: Int! }",
        "I.b",
    ),
    (
        "IMPLEMENTED_INTERFACE_REMOVED",
        Q + "interface N { id: ID } type A implements N { id: ID }",
        Q + "interface N { id: ID } type A { id: ID }",
        "A.N",
    ),
    ("FIELD_REMOVED", "type Query { a: Int b: Int }", Q, "Query.b"),
    ("FIELD_REMOVED", Q + "input I { a: Int b: Int }", Q + "input I { a: Int }", "I.b"),
    ("FIELD_CHANGED_KIND", Q, "type Query { a: String }", "Query.a"),
    ("FIELD_CHANGED_KIND", Q + "input I { a: Int }", Q + "input I { a: String }", "I.a"),
    ("REQUIRED_ARG_ADDED", Q, "type Query { a(x: Int!): Int }", "Query.a(x:)"),
    ("ARG_REMOVED", "type Query { a(x: Int): Int }", Q, "Query.a(x:)"),
    (
        "ARG_CHANGED_KIND",
        "type Query { a(x: Int): Int }",
        "type Query { a(x: String): Int }",
        "Query.a(x:)",
    ),
    (
        "ARG_CHANGED_KIND",
        Q + "directive @d(x: Int) on FIELD",
        Q + "directive @d(x: String) on FIELD",
        "@d(x:)",
    ),
    ("DIRECTIVE_REMOVED", Q + "directive @d on FIELD", Q, "@d"),
    (
        "DIRECTIVE_ARG_REMOVED",
        Q + "directive @d(x: Int) on FIELD",
        Q + "directive @d on FIELD",
        "@d(x:)",
    ),
    (
        "REQUIRED_DIRECTIVE_ARG_ADDED",
        Q + "directive @d on FIELD",
        Q + "directive @d(x: Int!) on FIELD",
        "@d(x:)",
    ),
    (
        "DIRECTIVE_REPEATABLE_REMOVED",
        Q + "directive @d repeatable on FIELD",
        Q + "directive @d on FIELD",
        "@d",
    ),
    (
        "DIRECTIVE_LOCATION_REMOVED",
        Q + "directive @d on FIELD | QUERY",
        Q + "directive @d on FIELD",
        "@d:QUERY",
    ),
    ("VALUE_ADDED_TO_ENUM", Q + "enum E { A }", Q + "enum E { A B }", "E.B"),
    (
        "TYPE_ADDED_TO_UNION",
        Q + "type A { x: Int } type B { x: Int } union U = A",
        Q + "type A { x: Int } type B { x: Int } union U = A | B",
        "U.B",
    ),
    (
        "OPTIONAL_INPUT_FIELD_ADDED",
        Q + "input I { a: Int }",
        Q + "input I { a: Int b: Int }",
        "I.b",
    ),
    ("OPTIONAL_ARG_ADDED", Q, "type Query { a(x: Int): Int }", "Query.a(x:)"),
    (
        "IMPLEMENTED_INTERFACE_ADDED",
        Q + "interface N { id: ID } type A { id: ID }",
        Q + "interface N { id: ID } type A implements N { id: ID }",
        "A.N",
    ),
    (
        "ARG_DEFAULT_VALUE_CHANGE",
        "type Query { a(x: Int = 1): Int }",
        "type Query { a(x: Int = 2): Int }",
        "Query.a(x:)",
    ),
    (
        "ARG_DEFAULT_VALUE_CHANGE",
        "type Query { a(x: Int = 1): Int }",
        "type Query { a(x: Int): Int }",
        "Query.a(x:)",
    ),
    (
        "ARG_DEFAULT_VALUE_CHANGE",
        Q + "directive @d(x: Int = 1) on FIELD",
        Q + "directive @d(x: Int = 2) on FIELD",
        "@d(x:)",
    ),
    (
        "INPUT_FIELD_DEFAULT_VALUE_CHANGE",
        Q + "input I { a: Int = 1 }",
        Q + "input I { a: Int = 2 }",
        "I.a",
    ),
    (
        "INPUT_FIELD_DEFAULT_VALUE_CHANGE",
        Q + "input I { a: Int = 1 }",
        Q + "input I { a: Int }",
        "I.a",
    ),
]


@pytest.mark.parametrize(("kind", "old", "new", "coordinate"), KEYED)
def test_every_breaking_and_dangerous_change_has_a_stable_key(kind, old, new, coordinate):
    keys = {change.key for change in find_changes(parse_sdl(old), parse_sdl(new))}
    assert f"{kind} {coordinate}" in keys


def test_the_key_table_covers_every_change_type_graphql_core_knows():
    # A graphql-core upgrade that adds a breaking or dangerous type fails here, not silently.
    known = {member.name for member in (*BreakingChangeType, *DangerousChangeType)}
    assert known == {kind for kind, *_ in KEYED}


# -- the check -----------------------------------------------------------------------------

V010 = Released(Version(0, 1, 0), "2026-01-01", "")
V100 = Released(Version(1, 0, 0), "2026-01-01", "")


def run(old: str, new: str, declared: str = "", released: Released = V010):
    return compare(old, new, parse_declarations(declared), released)


def problems(old: str, new: str, declared: str = "", released: Released = V010) -> list[str]:
    return run(old, new, declared, released).problems


OLD = """
type Query {
  skp: Int
  skpLama: Int @deprecated(reason: "Use `skp`.")
  daftar(tahun: Int): [Int]
}
enum Status { DRAFT DIAJUKAN }
"""


def _without(text: str, line: str) -> str:
    assert line in text
    return text.replace(line, "")


def test_an_additive_change_passes_and_is_listed():
    new = OLD.replace("skp: Int\n", "skp: Int\n  pegawai: Int\n", 1)
    report = run(OLD, new)
    assert report.passed, report.problems
    assert [c.description for c in report.of("safe")] == ["Field Query.pegawai was added."]
    assert "- Field Query.pegawai was added." in with_unreleased(HEADER, report)


def test_an_undeclared_removal_fails():
    new = _without(OLD, "  skp: Int\n")
    found = problems(OLD, new)
    assert len(found) == 1 and "undeclared breaking change: FIELD_REMOVED Query.skp" in found[0]


def test_a_declared_removal_of_what_was_deprecated_passes():
    new = _without(OLD, '  skpLama: Int @deprecated(reason: "Use `skp`.")\n')
    declared = """
[[breaking]]
changes = ["FIELD_REMOVED Query.skpLama"]
reason = "Deprecated in 0.1.0; use `skp`."
ships_in = "0.2.0"
"""
    assert problems(OLD, new, declared) == []


def test_removing_what_was_not_deprecated_needs_a_reason_to_skip_deprecation():
    new = _without(OLD, "  skp: Int\n")
    declared = """
[[breaking]]
changes = ["FIELD_REMOVED Query.skp"]
reason = "Renamed to `skpTahunan`."
ships_in = "0.2.0"
"""
    found = problems(OLD, new, declared)
    assert len(found) == 1 and "removes what 0.1.0 had not @deprecated" in found[0]
    justified = declared + 'without_deprecation = "Nothing depends on 0.x."\n'
    assert problems(OLD, new, justified) == []


def test_an_undeclared_enum_value_or_argument_removal_fails():
    new = _without(_without(OLD, " DIAJUKAN"), "(tahun: Int)")
    found = problems(OLD, new)
    assert any("VALUE_REMOVED_FROM_ENUM Status.DIAJUKAN" in p for p in found)
    assert any("ARG_REMOVED Query.daftar(tahun:)" in p for p in found)


def test_a_stale_declaration_fails():
    declared = """
[[breaking]]
changes = ["FIELD_REMOVED Query.skp"]
reason = "Renamed."
ships_in = "0.2.0"
without_deprecation = "0.x."
"""
    found = problems(OLD, OLD, declared)
    assert len(found) == 1 and found[0].startswith("stale declaration: FIELD_REMOVED Query.skp")


def test_a_dangerous_change_needs_a_changelog_line():
    new = OLD.replace("DRAFT DIAJUKAN", "DRAFT DIAJUKAN DITARIK")
    found = problems(OLD, new)
    assert len(found) == 1
    assert "undeclared dangerous change: VALUE_ADDED_TO_ENUM Status.DITARIK" in found[0]
    declared = """
[[dangerous]]
changes = ["VALUE_ADDED_TO_ENUM Status.DITARIK"]
reason = "An SKP can be withdrawn; a client that switches on the status needs a default."
"""
    report = run(OLD, new, declared)
    assert report.passed, report.problems
    section = with_unreleased(HEADER, report)
    assert (
        "- An SKP can be withdrawn; a client that switches on the status needs a default. "
        "(`VALUE_ADDED_TO_ENUM Status.DITARIK`)" in section
    )


def test_declaring_a_safe_change_fails():
    new = OLD.replace("skp: Int\n", "skp: Int\n  pegawai: Int\n", 1)
    declared = (
        '[[dangerous]]\nchanges = ["FIELD_ADDED Field Query.pegawai was added."]\nreason = "r"\n'
    )
    assert problems(OLD, new, declared) == [
        "FIELD_ADDED Field Query.pegawai was added. is a safe change: it needs no declaration; "
        "remove it"
    ]


def test_a_change_declared_under_the_wrong_severity_fails():
    new = OLD.replace("DRAFT DIAJUKAN", "DRAFT DIAJUKAN DITARIK")
    declared = """
[[breaking]]
changes = ["VALUE_ADDED_TO_ENUM Status.DITARIK"]
reason = "Withdrawal."
ships_in = "0.2.0"
"""
    found = problems(OLD, new, declared)
    assert found == [
        "VALUE_ADDED_TO_ENUM Status.DITARIK is declared as breaking but is dangerous: move it "
        "to [[dangerous]]"
    ]


@pytest.mark.parametrize(
    ("released", "ships_in", "complaint"),
    [
        (V010, "soon", "is not a version"),
        (V010, "0.1.0", "is not after the released 0.1.0"),
        (V010, "0.1.1", "cannot ship in 0.1.1"),  # before 1.0 a breaking change needs a minor
        (V100, "1.1.0", "cannot ship in 1.1.0"),  # after 1.0, a major
        (V010, "0.2.0", None),
        (V010, "1.0.0", None),
        (V100, "2.0.0", None),
    ],
)
def test_a_breaking_change_ships_in_a_version_that_may_break(released, ships_in, complaint):
    new = _without(OLD, '  skpLama: Int @deprecated(reason: "Use `skp`.")\n')
    declared = f"""
[[breaking]]
changes = ["FIELD_REMOVED Query.skpLama"]
reason = "Deprecated; use `skp`."
ships_in = "{ships_in}"
"""
    found = problems(OLD, new, declared, released)
    if complaint is None:
        assert found == []
    else:
        assert len(found) == 1 and complaint in found[0]


def test_a_deprecation_must_say_what_to_use_instead():
    bare = OLD.replace("skp: Int\n", "skp: Int @deprecated\n", 1)
    found = problems(OLD, bare)
    assert found == [
        "Query.skp is @deprecated without a reason: say what to use instead "
        '(@deprecated(reason: "Use `…` instead."))'
    ]
    reasoned = OLD.replace("skp: Int\n", 'skp: Int @deprecated(reason: "Use `skpTahunan`.")\n', 1)
    report = run(OLD, reasoned)
    assert report.passed, report.problems
    assert [(d.coordinate, d.reason) for d in report.deprecations] == [
        ("Query.skp", "Use `skpTahunan`.")
    ]
    assert "### Deprecated\n\n- `Query.skp`: Use `skpTahunan`." in with_unreleased(HEADER, report)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[[breaking]\n", "not valid TOML"),
        (
            '[[breaking]]\nchanges = ["X Y"]\nreason = "r"\nships_in = "0.2.0"\nwhy = "w"\n',
            "unknown field(s) why",
        ),
        ('[[breaking]]\nchanges = ["X Y"]\nships_in = "0.2.0"\n', "missing reason"),
        ('[[dangerous]]\nchanges = "X Y"\nreason = "r"\n', "changes must be a list"),
        ('[[dangerous]]\nchanges = ["X Y", "X Y"]\nreason = "r"\n', "X Y is declared twice"),
        ('[breaking]\nchanges = ["X Y"]\n', "write [[breaking]]"),
        ('[[safe]]\nchanges = ["X Y"]\n', "unknown section [safe]"),
    ],
)
def test_a_malformed_changes_file_fails_with_a_clear_problem(text, complaint):
    assert any(complaint in problem for problem in problems(OLD, OLD, text))


def test_nothing_declared_before_a_first_release_is_expected():
    assert compare(None, OLD, parse_declarations(""), None).passed
    declared = '[[dangerous]]\nchanges = ["X Y"]\nreason = "r"\n'
    assert not compare(None, OLD, parse_declarations(declared), None).passed


# -- the release step ----------------------------------------------------------------------


def contract_in(directory: Path, sdl: str) -> ContractFiles:
    files = ContractFiles(schema=directory / "schema.graphql", directory=directory / "contract")
    files.schema.write_text(sdl)
    return files


def test_release_rolls_the_contract(tmp_path):
    files = contract_in(tmp_path, OLD)
    release(files, "0.1.0", "2026-01-01", note="The baseline.")
    assert files.released_sdl.read_text() == OLD
    assert read_released(files.released_version).version == Version(0, 1, 0)
    assert "## 0.1.0 — 2026-01-01\n\nThe baseline.\n\nThe first recorded contract." in (
        files.changelog.read_text()
    )
    assert check(files).passed

    new = _without(OLD, '  skpLama: Int @deprecated(reason: "Use `skp`.")\n')
    new = new.replace("DRAFT DIAJUKAN", "DRAFT DIAJUKAN DITARIK") + "type Extra { x: Int }\n"
    files.schema.write_text(new)
    assert not check(files).passed
    files.declarations.write_text(
        EMPTY
        + """
[[breaking]]
changes = ["FIELD_REMOVED Query.skpLama"]
reason = "Deprecated in 0.1.0: use `skp`."
ships_in = "0.2.0"

[[dangerous]]
changes = ["VALUE_ADDED_TO_ENUM Status.DITARIK"]
reason = "Withdrawn SKPs."
"""
    )
    report = check(files)
    assert report.passed, report.problems
    files.changelog.write_text(with_unreleased(files.changelog.read_text(), report))
    assert "Deprecated in 0.1.0" in unreleased_section(files.changelog.read_text())

    result = release(files, "0.2.0", "2026-02-01")
    assert (result.breaking, result.dangerous, result.safe) == (1, 1, 1)
    assert files.released_sdl.read_text() == new
    assert files.declarations.read_text() == EMPTY
    changelog = files.changelog.read_text()
    assert unreleased_section(changelog) == (
        "## Unreleased\n\nNo change to the contract since 0.2.0.\n"
    )
    newest = changelog.index("## 0.2.0 — 2026-02-01")
    assert newest < changelog.index("## 0.1.0 — 2026-01-01")
    section = changelog[newest : changelog.index("## 0.1.0")]
    assert "Deprecated in 0.1.0: use `skp`. (`FIELD_REMOVED Query.skpLama`; ships in 0.2.0)" in (
        section
    )
    assert "Withdrawn SKPs. (`VALUE_ADDED_TO_ENUM Status.DITARIK`)" in section
    assert "- Extra was added." in section
    assert check(files).passed


def _released_at(tmp_path: Path, released_version: str) -> ContractFiles:
    files = contract_in(tmp_path, OLD)
    release(files, released_version, "2026-01-01")
    return files


@pytest.mark.parametrize(
    ("declared", "version", "complaint"),
    [
        ("", "0.2.0", "the contract check fails: undeclared breaking change"),
        ('ships_in = "0.3.0"\n', "0.2.0", "ship in 0.3.0, not 0.2.0"),
        ('ships_in = "0.2.0"\n', "0.1.1", "0.1.1 cannot carry breaking changes after 0.1.0"),
        ('ships_in = "0.2.0"\n', "0.1.0", "0.1.0 is not after the released 0.1.0"),
    ],
)
def test_release_refuses(tmp_path, declared, version, complaint):
    files = _released_at(tmp_path, "0.1.0")
    files.schema.write_text(_without(OLD, '  skpLama: Int @deprecated(reason: "Use `skp`.")\n'))
    if declared:
        files.declarations.write_text(
            '[[breaking]]\nchanges = ["FIELD_REMOVED Query.skpLama"]\nreason = "Gone."\n' + declared
        )
    before = {p.name: p.read_text() for p in files.directory.iterdir()}
    with pytest.raises(ReleaseRefused, match=complaint):
        release(files, version, "2026-02-01")
    assert {p.name: p.read_text() for p in files.directory.iterdir()} == before  # nothing written


def test_release_refuses_when_nothing_changed(tmp_path):
    files = _released_at(tmp_path, "0.1.0")
    with pytest.raises(ReleaseRefused, match="nothing changed since 0.1.0"):
        release(files, "0.1.1", "2026-02-01")


# -- descriptions (issue 16, item 7) -------------------------------------------------------


def test_missing_descriptions_name_every_undescribed_part():
    sdl = '''
"""Described."""
type Query {
  """Described."""
  a(
    """Described."""
    x: Int
    y: Int
  ): Int
  b: Int
}
enum E {
  """Described."""
  A
  B
}
input I { c: Int }
scalar Tanggal
directive @d(z: Int) on FIELD
'''
    assert missing_descriptions(parse_sdl(sdl)) == [
        "E",
        "E.B",
        "I",
        "I.c",
        "Query.a(y:)",
        "Query.b",
        "Tanggal",
        "@d",
        "@d(z:)",
    ]


def test_the_cli_check_passes_on_the_repository():
    from ekinerja.cli import app

    result = CliRunner().invoke(app, ["schema", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("since 1.")


def test_the_check_catches_a_break_of_the_real_contract(tmp_path):
    # The released contract as committed, a schema.graphql with one field gone and one value
    # added: both are found with their keys, and pass once declared.
    from ekinerja.contract import CONTRACT

    files = contract_in(tmp_path, CONTRACT.released_sdl.read_text())
    files.directory.mkdir()
    for source in (CONTRACT.released_sdl, CONTRACT.released_version):
        (files.directory / source.name).write_text(source.read_text())
    released = files.schema.read_text()
    changed = _without(
        released, '  """The pegawai record of the signed-in principal."""\n  saya: Pegawai!\n'
    )
    changed = changed.replace("  DISETUJUI\n}", "  DISETUJUI\n  DITARIK\n}", 1)
    files.schema.write_text(changed)

    report = check(files)
    assert [c.key for c in report.undeclared] == [
        "FIELD_REMOVED Query.saya",
        "VALUE_ADDED_TO_ENUM StatusSkp.DITARIK",
    ]
    files.declarations.write_text(
        '[[breaking]]\nchanges = ["FIELD_REMOVED Query.saya"]\nreason = "Use `node`."\n'
        'ships_in = "2.0.0"\nwithout_deprecation = "A test of the checker."\n\n'
        '[[dangerous]]\nchanges = ["VALUE_ADDED_TO_ENUM StatusSkp.DITARIK"]\nreason = "New."\n'
    )
    assert check(files).passed
