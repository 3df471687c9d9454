#!/usr/bin/env python3
"""Apply the naming rule (docs/naming.md) to the tree from docs/contract/renames.toml
(decision 0033). Run it from the repository's root with the project's virtualenv:

    .venv/bin/python scripts/rename/apply.py            # dry run: what would change, refusals
    .venv/bin/python scripts/rename/apply.py --diff     # dry run with the full diff
    .venv/bin/python scripts/rename/apply.py --write    # rewrite the tree, then regenerate

--write refuses a tree with uncommitted changes (run it on a quiet tree; `--allow-dirty`
overrides) and any refusal of the plan (an ambiguous old name, a new name already taken)
unless `--allow-refused` says to apply the rest. After the edits it moves the modules
(`git mv`), regenerates schema.graphql and the contract changelog (`ekinerja schema export`),
writes the tenant/shared migrations with Tortoise's own makemigrations (numbered after the
newest migration present), declares the breaking and dangerous changes in
docs/contract/changes.toml and regenerates docs/naming-inventory.md. It commits nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from edits import EditSet, Refusal  # noqa: E402

# Where client-facing text lives, and what is history (never rewritten: decisions describe
# the names of their day; the released contract and its changelog are what was promised).
HISTORY = ("docs/decisions/", "docs/contract/", "ekinerja/models/migrations/")
RULE_DOCS = ("docs/naming.md", "docs/glossary.md", "docs/naming-inventory.md")
SELF = "scripts/rename/"
# The rule's own tool names old names on purpose (its hints and SAME_THING checks).
KEEP = ("scripts/naming_inventory.py", "tests/test_naming_inventory.py")


def tracked(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True)
    return [p for p in out.stdout.splitlines() if (root / p).is_file()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--write", action="store_true", help="rewrite the tree (default: dry run)")
    ap.add_argument("--diff", action="store_true", help="print the full diff of the edits")
    ap.add_argument("--mapping", default="docs/contract/renames.toml")
    ap.add_argument("--allow-dirty", action="store_true")
    ap.add_argument(
        "--allow-refused",
        action="store_true",
        help="apply the rest when some are refused",
    )
    ap.add_argument("--migration-name", default="penamaan")
    args = ap.parse_args(argv)

    root = Path.cwd().resolve()
    if not (root / "ekinerja").is_dir():
        print("run from the repository's root", file=sys.stderr)
        return 2
    sys.path.insert(0, str(root))
    mapping = tomllib.loads((root / args.mapping).read_text())

    if args.write and not args.allow_dirty:
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if dirty:
            print(
                "refused: the tree has uncommitted changes (commit them, or --allow-dirty):\n"
                + dirty,
                file=sys.stderr,
            )
            return 2

    import columns
    import contract
    import documents
    import modules
    from python_names import PythonTree, Report, schema_edits

    files = tracked(root)
    py = [root / p for p in files if p.endswith(".py") and not p.startswith(SELF)]
    py_code = [
        p
        for p in py
        if not str(p.relative_to(root)).startswith(HISTORY) and str(p.relative_to(root)) not in KEEP
    ]
    edits = EditSet(root)
    report = Report([], [], [])
    tree = PythonTree(root, py_code, edits)
    counts: dict[str, int] = {}

    # 0. the contract check as it stands (so only what the rename changes is declared)
    before = contract.contract_state(root)

    # 1. schema names behind the Python code
    state = schema_edits(root, tree, mapping, report)

    # 2. columns: models (source_field) and raw SQL
    col_plan = columns.plan(mapping, report)
    columns.model_edits(tree, col_plan, edits, report)
    for p in py_code:
        columns.sql_edits(p, col_plan, edits, counts)
    for t in mapping.get("tables", {}):
        report.refused.append(
            f"table {t}: left as is — Tortoise 1.x's RenameModel renames a table only when it is "
            "the model name lowercased, and Meta.table changes are invisible to makemigrations "
            "(a RunSQL rename would leave the migration state's table stale); see decision 0033"
        )
    for v in mapping.get("enum_values", {}):
        report.refused.append(
            f"enum value {v}: left as is — the Python member names are also stored values "
            "(StatusImpor, StatusInstansi) and settings values; see decision 0033"
        )

    # 3. client text: GraphQL documents, response keys, prose naming the contract
    names = documents.Names(mapping, state["old_sdl"])
    for p in py_code:
        rel = str(p.relative_to(root))
        if rel.startswith(("tests/", "bench/", "examples/", "scripts/")):
            documents.python_file(p, edits, names, counts)
        elif rel.startswith("ekinerja/"):
            documents.python_file(p, edits, names, counts, exact_types=False)
    for rel in files:
        if rel.startswith(HISTORY) or rel in RULE_DOCS or rel.startswith(SELF) or rel in KEEP:
            continue
        if rel.endswith(".graphql") and rel != "schema.graphql":
            documents.text_file(root / rel, edits, names, counts, prose=False)
        elif rel.endswith(".md"):
            documents.text_file(root / rel, edits, names, counts, prose=True)

    documents.key_edits(edits, names)

    # 4. modules
    moves = modules.plan(root, mapping, report)
    if moves:
        for p in py:
            modules.python_edits(root, p, moves, edits, tree)
        for rel in files:
            if (
                rel.endswith(
                    (
                        ".md",
                        ".toml",
                        ".cfg",
                        ".ini",
                        ".sh",
                        ".yml",
                        ".yaml",
                        ".txt",
                        ".json",
                    )
                )
                or rel.startswith("scripts/")
                and not rel.endswith(".py")
            ):
                if rel.startswith(SELF) or rel == args.mapping:
                    continue
                modules.text_edits(root / rel, moves, edits)
            elif rel.endswith(".py") and not rel.startswith(SELF):
                pass

    # report
    try:
        diff = edits.diff()
    except Refusal as e:
        report.refused.append(str(e))
        diff = ""
    kinds: dict[str, int] = {}
    for d in report.done:
        kinds[d.split(" ")[0]] = kinds.get(d.split(" ")[0], 0) + 1
    print("renamed by kind:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(
        "documents rewritten:",
        counts.get("documents", 0),
        "; raw SQL words:",
        counts.get("sql", 0),
    )
    print("files edited:", len([1 for p, e in edits.by_file.items() if e]))
    for s in report.skipped:
        print("skipped:", s)
    for r in report.refused:
        print("REFUSED:", r)
    if args.diff:
        print(diff)
    hard = [r for r in report.refused if "left as is" not in r]
    if not args.write:
        print("dry run: nothing written (--write to apply)")
        return 1 if hard else 0
    if hard and not args.allow_refused:
        print("refused: fix the mapping or pass --allow-refused", file=sys.stderr)
        return 1

    written = edits.write()
    print(f"wrote {written} files")
    modules.move(root, moves)
    lexicon = mapping.get("inventory", {})
    contract.teach_inventory(root, lexicon.get("indonesian", []), lexicon.get("verbs", []))
    run = lambda *cmd: subprocess.run(list(cmd), cwd=root, check=True)  # noqa: E731
    venv = Path(sys.executable).parent
    # migrations: Tortoise's own autodetector, numbered after the newest migration present
    run(
        str(venv / "tortoise"),
        "-c",
        "ekinerja.db.tortoise_cli.TORTOISE_ORM",
        "makemigrations",
        "--name",
        args.migration_name,
    )
    run(str(venv / "ekinerja"), "schema", "export")
    # declarations, then the changelog again (it prints them)
    summary = contract.declare(root, before, mapping, print)
    print("changes.toml:", summary)
    run(str(venv / "ekinerja"), "schema", "export")
    run(sys.executable, "scripts/naming_inventory.py")
    changed = subprocess.run(
        ["git", "diff", "--name-only", "--", "*.py"],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.split()
    changed += subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "*.py"],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.split()
    changed = [
        c
        for c in changed
        if (root / c).exists() and not c.startswith((SELF, "ekinerja/models/migrations/"))
    ]
    ruff = venv / "ruff" if (venv / "ruff").exists() else shutil.which("ruff")
    if changed and not ruff:
        print(
            "ruff not found: run `ruff check --fix --select I` and `ruff format` on the "
            "changed files"
        )
    elif changed:
        subprocess.run(
            [str(ruff), "check", "--fix", "--select", "I,F401", "-q", *changed],
            cwd=root,
        )
        subprocess.run([str(ruff), "format", "-q", *changed], cwd=root)
        left = subprocess.run(
            [
                str(ruff),
                "check",
                "--select",
                "E501",
                "--output-format",
                "concise",
                "-q",
                *changed,
            ],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout
        if left.strip():
            print("hand step — lines the longer names made too long (ruff E501):\n" + left)
    print("done: review `git status`, run the tests, commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
