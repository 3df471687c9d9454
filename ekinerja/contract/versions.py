"""Contract versions: MAJOR.MINOR.PATCH, and which bump a breaking change needs."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class VersionError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise VersionError(f"{text!r} is not a version (MAJOR.MINOR.PATCH, e.g. 1.0.0)")
        return cls(*(int(part) for part in match.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def may_break_from(self, released: Version) -> bool:
        """Whether this version may ship breaking changes after `released`: a new major; before
        1.0.0 (nothing promised yet) a new minor is enough, as semantic versioning allows."""
        if released.major == 0:
            return (self.major, self.minor) > (released.major, released.minor)
        return self.major > released.major


@dataclass(frozen=True)
class Released:
    version: Version
    date: str
    note: str


def read_released(path: Path) -> Released | None:
    """The released contract's version (docs/contract/released.toml), or None before the
    first release."""
    if not path.exists():
        return None
    data = tomllib.loads(path.read_text())
    return Released(
        Version.parse(str(data.get("version", ""))),
        str(data.get("date", "")),
        str(data.get("note", "")),
    )


def write_released(path: Path, released: Released) -> None:
    lines = [
        "# The last released contract: docs/contract/released.graphql is its SDL.",
        "# Written by `ekinerja schema release VERSION`; do not edit by hand.",
        f'version = "{released.version}"',
        f'date = "{released.date}"',
    ]
    if released.note:
        lines.append(f"note = {_toml_string(released.note)}")
    path.write_text("\n".join(lines) + "\n")


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
