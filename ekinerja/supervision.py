"""Background loops that outlive failures, and their health.

``supervise`` runs a loop until it is told to stop: whatever the loop raises (the database
restarting, frozen or gone, a bug in one pass), it waits, doubling the wait up to a cap, and
starts the loop again, which reconnects what it needs. It logs once when a loop starts failing
(with the error) and once when it recovers, never once per retry. Each loop's health (`ok` or
`failing`, since when, consecutive failures, last success, the kind of the last error) is kept
here for /readyz and /metrics while the loop runs in this process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ekinerja.db.errors import database_failure

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def error_kind(error: BaseException) -> str:
    """What went wrong, without the message: health is public, messages may carry data."""
    failure = database_failure(error)
    if failure is None:
        return type(error).__name__
    return f"{failure.code} ({type(failure.__cause__ or error).__name__})"


@dataclass
class LoopHealth:
    name: str
    state: str = "starting"
    since: datetime = field(default_factory=_now)
    consecutive_failures: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def _tell(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def until(self, condition: Callable[[LoopHealth], bool]) -> None:
        """Wait until ``condition(self)`` holds, checked at every attempt's outcome."""
        while not condition(self):
            await self._changed.wait()

    def succeeded(self) -> None:
        moment = _now()
        if self.state == "failing":
            log.warning(
                "%s recovered after %d failed attempts over %.0f s",
                self.name,
                self.consecutive_failures,
                (moment - self.since).total_seconds(),
            )
        if self.state != "ok":
            self.state, self.since = "ok", moment
        self.consecutive_failures = 0
        self.last_success = moment
        self._tell()

    def failed(self, error: BaseException) -> None:
        self.consecutive_failures += 1
        self.last_error = error_kind(error)
        if self.state == "failing":
            log.debug("%s still failing: %s", self.name, self.last_error)
        else:
            self.state, self.since = "failing", _now()
            log.error("%s failing; retrying until it recovers", self.name, exc_info=error)
        self._tell()

    @property
    def up(self) -> bool:
        return self.state == "ok"

    def as_json(self) -> dict:
        return {
            "state": self.state,
            "since": self.since.isoformat(),
            "consecutiveFailures": self.consecutive_failures,
            "lastSuccess": self.last_success.isoformat() if self.last_success else None,
            "lastError": self.last_error,
        }


_running: dict[str, LoopHealth] = {}


def running_loops() -> list[LoopHealth]:
    """The health of every loop running in this process."""
    return list(_running.values())


@contextmanager
def reported(name: str) -> Iterator[LoopHealth]:
    """The health of ``name``, shown while the block runs: a supervised loop, or a step inside
    one whose failures do not end the pass (the worker's upkeep)."""
    health = _running[name] = LoopHealth(name)
    try:
        yield health
    finally:
        if _running.get(name) is health:
            del _running[name]


def retry_delay(failures: int, first: float, cap: float) -> float:
    """``first`` after the first failure, doubling with each one after, never above ``cap``."""
    return min(cap, first * 2 ** min(failures - 1, 32))


async def until_woken(wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    """Wait for a notification (``wake``), the stop, or ``seconds``, whichever comes first:
    a background loop's rest between passes."""
    waiter = asyncio.ensure_future(wake.wait())
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({waiter, stopper}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        stopper.cancel()


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


async def supervise(
    name: str,
    loop: Callable[[LoopHealth], Awaitable[None]],
    stop: asyncio.Event,
    retry_seconds: float,
    retry_max_seconds: float,
) -> None:
    """Run ``loop(health)`` until ``stop`` is set. ``loop`` returns once ``stop`` is set and
    calls ``health.succeeded()`` after each good pass; when it raises, it is run again after
    ``retry_delay``. A cancelled loop is not restarted."""
    with reported(name) as health:
        while not stop.is_set():
            try:
                await loop(health)
            except Exception as error:  # any failure: the loop must go on
                health.failed(error)
                delay = retry_delay(health.consecutive_failures, retry_seconds, retry_max_seconds)
                await _pause(stop, delay)
