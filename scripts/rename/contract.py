"""After the rename: declare its breaking and dangerous changes in docs/contract/changes.toml
(and drop the declarations the rename made stale: a change to a field that no longer exists
under its old name), and teach the inventory the words its lexicons lacked."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path


def contract_state(root: Path) -> tuple[set[str], set[str], dict[str, str]]:
    """(undeclared keys, stale keys, severity by found key) of the check as the tree is now."""
    import importlib

    import ekinerja.contract.changes as changes_mod
    import ekinerja.contract.check as check_mod

    importlib.reload(changes_mod)
    importlib.reload(check_mod)
    from ekinerja.contract import ContractFiles

    files = ContractFiles(schema=root / "schema.graphql", directory=root / "docs" / "contract")
    report = check_mod.check(files)
    undeclared = {c.key for c in report.undeclared}
    stale = set()
    for p in report.problems:
        m = re.match(r"stale declaration: (.+?) — ", p)
        if m:
            stale.add(m.group(1))
    severity = {c.key: c.severity for c in report.changes}
    return undeclared, stale, severity


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def declare(root: Path, before: tuple, mapping: dict, log) -> dict:
    undeclared_before, stale_before, _ = before
    undeclared, stale, severity = contract_state(root)
    path = root / "docs" / "contract" / "changes.toml"
    text = path.read_text()
    removed = sorted(stale - stale_before)
    for key in removed:
        text, n = re.subn(rf',\s*"{re.escape(key)}"', "", text)
        if not n:
            text, n = re.subn(rf'"{re.escape(key)}"\s*,?\s*', "", text)
        if not n:
            log(f"changes.toml: could not remove stale {key}")
    # entries left with no key are dropped whole
    blocks = re.split(r"(?m)^(?=\[\[(?:breaking|dangerous)\]\])", text)
    kept = []
    for block in blocks:
        if block.startswith("[[") and re.search(r"(?m)^changes\s*=\s*\[\s*\]", block):
            continue
        kept.append(block)
    text = "".join(kept)
    new = sorted(undeclared - undeclared_before)
    breaking = [k for k in new if severity.get(k) == "breaking"]
    dangerous = [k for k in new if severity.get(k) == "dangerous"]
    reason = mapping["reason"]
    if breaking:
        text = text.rstrip("\n") + "\n\n[[breaking]]\nchanges = [\n"
        text += "".join(f"    {_toml_str(k)},\n" for k in breaking)
        text += f']\nreason = {_toml_str(reason)}\nships_in = "1.0.0"\n'
        text += f"without_deprecation = {_toml_str(mapping['without_deprecation'])}\n"
    if dangerous:
        text = text.rstrip("\n") + "\n\n[[dangerous]]\nchanges = [\n"
        text += "".join(f"    {_toml_str(k)},\n" for k in dangerous)
        note = " A renamed enum value or union member is new to a client that switches on it."
        text += f"]\nreason = {_toml_str(reason + note)}\n"
    tomllib.loads(text)
    path.write_text(text)
    return {
        "declared_breaking": len(breaking),
        "declared_dangerous": len(dangerous),
        "stale_removed": len(removed),
    }


def teach_inventory(root: Path, words: list[str], verbs: list[str] = ()) -> None:
    _teach(root, "INDONESIAN = frozenset(", words)
    _teach(root, "VERBS = frozenset(", list(verbs))


def _teach(root: Path, anchor: str, words: list[str]) -> None:
    path = root / "scripts" / "naming_inventory.py"
    text = path.read_text()
    start = text.index(anchor)
    end = text.index('\n    """.split()', start)
    present = set(text[start:end].split())
    add = [w for w in words if w not in present]
    if not add:
        return
    text = text[:end] + "\n    " + " ".join(add) + text[end:]
    path.write_text(text)
