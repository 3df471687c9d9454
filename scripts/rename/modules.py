"""Module moves: `git mv` plus every reference to the module rewritten — dotted names
(imports, monkeypatch targets, logger names), relative imports, `from pkg import module`
(kept under its old local name with `as`, so no code that uses it changes), and paths in text.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from edits import EditSet
from python_names import resolve_from


def dotted(path: str) -> str:
    p = path[:-3] if path.endswith(".py") else path.rstrip("/")
    return p.replace("/", ".")


def plan(root: Path, mapping: dict, report) -> list[tuple[str, str]]:
    moves = []
    for old, new in mapping.get("modules", {}).items():
        if not (root / old).exists():
            report.skipped.append(f"module {old}: not in the tree any more")
            continue
        if (root / new).exists():
            report.refused.append(f"module {old} → {new}: {new} exists already")
            continue
        moves.append((old.rstrip("/"), new.rstrip("/")))
        report.done.append(f"module {old} → {new}")
    return moves


def python_edits(root: Path, path: Path, moves, edits: EditSet, tree) -> None:
    src = edits.source(path)
    text = src.text
    for old, new in moves:
        od, nd = dotted(old), dotted(new)
        for m in re.finditer(rf"(?<![\w.]){re.escape(od)}(?![\w])", text):
            edits.add(path, m.start(), m.end(), nd, f"module {od} → {nd}")
    try:
        module = tree.tree(path)
    except SyntaxError:
        return
    for node in ast.walk(module):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = resolve_from(root, path, node)
        seg_start = src.offset(node.lineno, node.col_offset)
        seg_end = src.offset(node.end_lineno, node.end_col_offset)
        seg = text[seg_start:seg_end]
        for old, new in moves:
            od, nd = dotted(old), dotted(new)
            old_leaf, new_leaf = od.rsplit(".", 1)[1], nd.rsplit(".", 1)[1]
            parent = od.rsplit(".", 1)[0]
            if node.level and (base == od or base.startswith(od + ".")):
                # from .document import X  /  from ..events.feed import Y
                rel = node.module or ""
                parts = rel.split(".")
                # which part of the relative module is the old leaf
                depth = len(base.split(".")) - len(od.split("."))
                idx = len(parts) - 1 - depth
                if 0 <= idx < len(parts) and parts[idx] == old_leaf:
                    m = re.search(r"from\s+(\.+)", seg)
                    pos = m.end()
                    for i, part in enumerate(parts):
                        if i == idx:
                            edits.add(
                                path,
                                seg_start + pos,
                                seg_start + pos + len(part),
                                new_leaf,
                                f"module {od} → {nd}",
                            )
                        pos += len(part) + 1
            if base == parent:
                for alias in node.names:
                    if alias.name != old_leaf:
                        continue
                    for m in re.finditer(rf"(?<![\w.]){re.escape(old_leaf)}(?!\w)", seg):
                        after = seg[m.end() :]
                        if m.start() < seg.find("import"):
                            continue
                        repl = new_leaf if alias.asname else f"{new_leaf} as {old_leaf}"
                        if re.match(r"\s+as\s", after) and not alias.asname:
                            continue
                        edits.add(
                            path,
                            seg_start + m.start(),
                            seg_start + m.end(),
                            repl,
                            f"module {od} → {nd}",
                        )
                        break


def text_edits(path: Path, moves, edits: EditSet, dotted_too: bool = True) -> None:
    text = edits.source(path).text
    for old, new in moves:
        for m in re.finditer(rf"(?<![\w/]){re.escape(old)}(?=\.py\b|/|\b)(?![\w])", text):
            edits.add(path, m.start(), m.end(), new, f"path {old} → {new}")
        if not dotted_too:
            continue
        od, nd = dotted(old), dotted(new)
        for m in re.finditer(rf"(?<![\w.]){re.escape(od)}(?![\w])", text):
            edits.add(path, m.start(), m.end(), nd, f"module {od} → {nd}")


def move(root: Path, moves) -> None:
    for old, new in moves:
        subprocess.run(["git", "mv", old, new], cwd=root, check=True)
