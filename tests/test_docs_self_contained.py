"""The repository is self-contained: no tracked file points at a file outside it (issue 16,
item 1). The domain specification the code cites is docs/domain.md; the terms are in
docs/glossary.md."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OUTSIDE = re.compile(
    r"\.\./shared|/work/|shared/domain|shared/design|\bDOMAIN\.md|\bARCHITECTURE\.md"
)

# The released contract is a frozen copy of what was promised (decision 0026): its descriptions
# change with the next release, not by editing the snapshot.
FROZEN = {"docs/contract/released.graphql"}


def _tracked_text_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [name.decode() for name in listed if name and name.decode() not in FROZEN]


def outside_references(paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        file = ROOT / path
        if not file.is_file():  # deleted in the working tree, not yet committed
            continue
        try:
            text = file.read_text()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path}:{number}: {line.strip()[:120]}")
    return found


def test_no_tracked_file_points_outside_the_repository():
    found = outside_references([p for p in _tracked_text_files() if p != _THIS])
    assert not found, "point these at docs/domain.md or docs/glossary.md:\n" + "\n".join(found)


def test_the_check_sees_each_kind_of_outside_reference(tmp_path):
    lines = [
        "Domain reference: `../shared/domain/DOMAIN.md`.",
        "see /work/shared/design/ARCHITECTURE.md",
        "(DOMAIN.md 5.6)",
        "(ARCHITECTURE.md §8)",
        "(docs/domain.md 5.6) stays",
    ]
    assert [bool(OUTSIDE.search(line)) for line in lines] == [True, True, True, True, False]


_THIS = "tests/test_docs_self_contained.py"
