"""The background loop that runs import jobs (inside `ekinerja worker`, and `serve` in
development; started by ekinerja/background.py, supervised like the webhook loop).

It wakes when a job is queued (a notification on jobs.CHANNEL, sent on commit, naming the
schema) and runs that instansi's jobs; every SWEEP_SECONDS it also looks at every instansi, for
jobs whose worker died (their lease ran out), a notification missed while reconnecting, and
files past their retention. When told to stop, a running job is given back to the queue.
"""

from __future__ import annotations

import asyncio
import time

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.errors import DatabaseUnavailable
from ekinerja.db.listen import listen
from ekinerja.kepegawaian.impor.jobs import CHANNEL
from ekinerja.kepegawaian.impor.runner import run_pass
from ekinerja.settings import Settings
from ekinerja.supervision import LoopHealth, until_woken
from ekinerja.webhooks.worker import servable

SWEEP_SECONDS = 60.0


async def _until_stopped(work, stop: asyncio.Event) -> None:
    """Run ``work``; cancel it when ``stop`` is set first (the runner gives its job back)."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    if task.done() and not task.cancelled():
        task.result()  # a failure: the supervisor retries


async def run_imports(
    address: DatabaseAddress, settings: Settings, stop: asyncio.Event, health: LoopHealth
) -> None:
    woken: set[str] = set()
    wake = asyncio.Event()
    listener = await listen(address, settings, CHANNEL, woken, wake)
    swept_at: float | None = None
    try:
        while not stop.is_set():
            if listener.is_closed():  # notifications would be missed: start afresh
                raise DatabaseUnavailable()
            wake.clear()
            every = await servable()
            if swept_at is None or time.monotonic() - swept_at >= SWEEP_SECONDS:
                due, swept_at = every, time.monotonic()
            else:
                due = [i for i in every if i.schema_name in woken]
            woken.clear()
            # An instansi with several jobs queued gets them one per pass, until none is left.
            while due and not stop.is_set():
                ran: list[int] = []

                async def one_pass(tenants=due, ran=ran) -> None:
                    ran.append(await run_pass(tenants, settings))

                await _until_stopped(one_pass(), stop)
                if not ran or not ran[0]:
                    break
            health.succeeded()
            await until_woken(wake, stop, settings.worker_sweep_seconds)
    finally:
        listener.terminate()
