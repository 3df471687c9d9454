"""The fault suite's PostgreSQL: a cluster of its own (tests/support/faults.py), started once
for the session, which the tests stop, restart and freeze. Every test leaves it running."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.faults import Site, fault_site


@pytest.fixture(scope="session")
async def site() -> AsyncIterator[Site]:
    async with fault_site() as made:
        yield made


@pytest.fixture
async def running(site: Site) -> AsyncIterator[Site]:
    """The site, put back on its feet however the test ends (thawed, started)."""
    yield site
    site.cluster.thaw()
    if not site.cluster.is_running():
        site.cluster.start()
