"""`ekinerja worker`: deliver webhooks, run the admins' import jobs and keep the national
figures current. Runs until stopped (SIGINT/SIGTERM), or one pass of webhooks and imports with
`--once` (cron, or to look at what it would do)."""

from __future__ import annotations

import asyncio
import signal

import httpx
import typer
from rich.console import Console

from ekinerja.background import run_forever
from ekinerja.cli._per_tenant import each_tenant, report
from ekinerja.cli._runtime import chosen_instansi, run_with_database
from ekinerja.cli._startup import startup_refusal_as_one_line
from ekinerja.kepegawaian.impor.runner import run_pass
from ekinerja.settings import get_settings
from ekinerja.startup import check_startup
from ekinerja.webhooks.worker import Worker, servable

console = Console()


def worker(
    once: bool = typer.Option(False, "--once", help="One pass over the tenants, then exit."),
    tenant: list[str] = typer.Option(
        None, "--tenant", help="With --once: these instansi (repeatable). Default: subscribed."
    ),
) -> None:
    """Deliver webhooks (with retries) and refresh the national figures."""

    async def work(settings, address):
        async with httpx.AsyncClient() as http:
            runner = Worker(settings, http)
            if once:  # a tenant that fails is reported at the end; the others still run
                chosen = await chosen_instansi(tenant) if tenant else None
                webhooks = await each_tenant(
                    chosen or await runner.subscribed_tenants(), runner.run_tenant
                )
                # One queued import job per instansi (every servable one: any may have one).
                imports = await each_tenant(
                    chosen or await servable(), lambda instansi: run_pass([instansi], settings)
                )
                return webhooks, imports
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            console.print("webhook worker running; Ctrl+C stops it")
            await run_forever(runner, address, stop)

    with startup_refusal_as_one_line():
        check_startup(get_settings())
    outcomes = run_with_database(work, service_limits=True)  # a service: its waits are bounded
    if once:
        webhooks, imports = outcomes
        report(
            [*webhooks, *(i for i in imports if i.error is not None or i.result)],
            lambda done: (
                f"import jobs run {done}"
                if isinstance(done, int)
                else f"fanned out {done.disalurkan}, delivered {done.terkirim}, "
                f"to retry {done.diulang}, dead {done.gagal}"
            ),
            console,
        )
