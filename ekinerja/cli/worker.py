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
from ekinerja.http.worker_probe import Probe
from ekinerja.kepegawaian.impor.runner import run_pass
from ekinerja.observability import tracing
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
        tracing.enable(settings)  # EKINERJA_OTEL_ENABLED: spans of deliveries, SQL, S3
        async with httpx.AsyncClient() as http:
            runner = Worker(settings, http)
            if once:  # a tenant that fails is reported at the end; the others still run
                chosen = await chosen_instansi(tenant) if tenant else None
                # Webhooks where there are subscriptions; import jobs anywhere (any instansi
                # may have one queued): one queued job per instansi per pass.
                subscribed = None if chosen else {i.kode for i in await runner.subscribed_tenants()}

                async def both(instansi):
                    webhooks = None
                    if subscribed is None or instansi.kode in subscribed:
                        webhooks = await runner.run_tenant(instansi)
                    return webhooks, await run_pass([instansi], settings)

                return await each_tenant(chosen or await servable(), both)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            console.print("webhook worker running; Ctrl+C stops it")
            port = settings.worker_metrics_port
            probe = Probe(settings, port) if port else None  # /metrics and /readyz (issue 18)
            if probe is not None:
                console.print(f"metrics and readiness on http://{settings.host}:{probe.port}")
            try:
                await run_forever(runner, address, stop)
            finally:
                if probe is not None:
                    await probe.stop()

    with startup_refusal_as_one_line():
        check_startup(get_settings())
    outcomes = run_with_database(work, service_limits=True)  # a service: its waits are bounded
    if once:  # an instansi with nothing to do is not listed
        report(
            [o for o in outcomes if o.error is not None or o.result != (None, 0)],
            _said,
            console,
        )


def _said(done) -> str:
    webhooks, imports = done
    said = [] if webhooks is None else [
        f"fanned out {webhooks.disalurkan}, delivered {webhooks.terkirim}, "
        f"to retry {webhooks.diulang}, dead {webhooks.gagal}"
    ]  # fmt: skip
    return ", ".join([*said, *([f"import jobs run {imports}"] if imports else [])])
