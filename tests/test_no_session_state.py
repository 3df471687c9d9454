"""Pooled connections go back to the pool without a reset (decision 0035), so no code may leave
session state on one: every setting is transaction-local. This reads the package's SQL text for
the ways to set session state and fails on any."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ekinerja"

SESSION_STATE = {
    # A statement that starts with SET (upper case, as the package writes SQL): not prose.
    "SET without LOCAL": re.compile(r"""["';]\s*SET\s+(?!LOCAL\b)(?!TRANSACTION\b)\w"""),
    "set_config(…, false)": re.compile(r"set_config\([^)]*,\s*false\s*\)", re.I),
    "a session advisory lock": re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.I),
    "PREPARE by name": re.compile(r"""["']\s*PREPARE\s+\w"""),
}
# LISTEN runs on connections of their own (ekinerja/db/listen.py), never on the pool's.
ALLOWED = {"db/listen.py"}


def test_no_sql_in_the_package_sets_session_state():
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in ALLOWED or relative.startswith("models/migrations/"):
            continue
        text = path.read_text()
        for what, pattern in SESSION_STATE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {what}")
    assert not found, "\n".join(found)
