"""The API contract's stability: the last released SDL, the declared changes since, the
changelog and the check that compares them (docs/contract/README.md, decision 0026).

`ContractFiles` names the files; the other modules take one, so the tests run the same code on
a scratch directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ContractFiles:
    schema: Path  # the contract as the code states it today (`ekinerja schema export`)
    directory: Path  # docs/contract/

    @property
    def released_sdl(self) -> Path:
        return self.directory / "released.graphql"

    @property
    def released_version(self) -> Path:
        return self.directory / "released.toml"

    @property
    def declarations(self) -> Path:
        return self.directory / "changes.toml"

    @property
    def changelog(self) -> Path:
        return self.directory / "CHANGELOG.md"

    @property
    def descriptions_ratchet(self) -> Path:
        return self.directory / "descriptions.toml"


CONTRACT = ContractFiles(
    schema=REPOSITORY / "schema.graphql", directory=REPOSITORY / "docs" / "contract"
)
