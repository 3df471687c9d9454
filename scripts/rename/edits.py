"""Text edits collected against the original files, applied at once (decision 0033).

Every change the rename makes is an `Edit` on a span of a file as it was read; spans of one file
must not overlap (two rules wanting the same span differently is a refusal, not a guess).
"""

from __future__ import annotations

import difflib
import io
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


class Refusal(Exception):
    """The rename would be a guess: an old name is ambiguous or the new one is taken."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    new: str
    why: str


class Source:
    """One file's text with line/column → offset conversion (columns are in characters)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self._starts = [0]
        for i, ch in enumerate(self.text):
            if ch == "\n":
                self._starts.append(i + 1)

    def offset(self, line: int, col: int) -> int:
        return self._starts[line - 1] + col

    def tokens(self) -> list[tokenize.TokenInfo]:
        if not hasattr(self, "_tokens"):
            self._tokens = list(tokenize.generate_tokens(io.StringIO(self.text).readline))
        return self._tokens


class EditSet:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_file: dict[Path, list[Edit]] = defaultdict(list)
        self._sources: dict[Path, Source] = {}
        self.notes: list[str] = []

    def source(self, path: Path) -> Source:
        path = path.resolve()
        if path not in self._sources:
            self._sources[path] = Source(path)
        return self._sources[path]

    def add(self, path: Path, start: int, end: int, new: str, why: str) -> None:
        path = path.resolve()
        self.by_file[path].append(Edit(start, end, new, why))

    def replace_span(self, src: Source, line: int, col: int, old: str, new: str, why: str):
        start = src.offset(line, col)
        found = src.text[start : start + len(old)]
        if found != old:
            raise Refusal(f"{src.path}:{line}:{col}: expected {old!r}, found {found!r} ({why})")
        self.add(src.path, start, start + len(old), new, why)

    def resolved(self) -> dict[Path, str]:
        out: dict[Path, str] = {}
        for path, edits in self.by_file.items():
            text = self.source(path).text
            unique = sorted(set(edits), key=lambda e: (e.start, e.end))
            for a, b in zip(unique, unique[1:], strict=False):
                if b.start < a.end:
                    if (a.start, a.end) == (b.start, b.end) and a.new == b.new:
                        continue
                    raise Refusal(
                        f"{self.rel(path)}: conflicting edits at {a.start}-{a.end}: "
                        f"{a.new!r} ({a.why}) vs {b.new!r} ({b.why})"
                    )
            parts, pos = [], 0
            seen: set[tuple[int, int]] = set()
            for e in unique:
                if (e.start, e.end) in seen:
                    continue
                seen.add((e.start, e.end))
                parts.append(text[pos : e.start])
                parts.append(e.new)
                pos = e.end
            parts.append(text[pos:])
            out[path] = "".join(parts)
        return out

    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def diff(self) -> str:
        chunks = []
        for path, new in sorted(self.resolved().items()):
            old = self.source(path).text
            if old == new:
                continue
            name = self.rel(path)
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(True),
                    new.splitlines(True),
                    f"a/{name}",
                    f"b/{name}",
                    n=0,
                )
            )
        return "".join(chunks)

    def write(self) -> int:
        n = 0
        for path, new in self.resolved().items():
            if self.source(path).text != new:
                path.write_text(new, encoding="utf-8")
                n += 1
        return n
