"""`ekinerja angka-kredit …`: the angka kredit ledger, for a scheduled job."""

from __future__ import annotations

import typer

from ekinerja.cli._per_tenant import bound, each_tenant, report
from ekinerja.cli._runtime import chosen_instansi, run_with_database
from ekinerja.penilaian.kredit import hitung

app = typer.Typer(no_args_is_help=True, help="The angka kredit ledger of jabatan fungsional.")


@app.command("hitung")
def hitung_command(
    tahun: int = typer.Option(..., "--tahun", help="The year whose windows to count."),
    tenant: list[str] = typer.Option(
        None, "--tenant", help="Kode instansi (repeatable). Default: every active instansi."
    ),
) -> None:
    """Bring the ledger up to date with every final periodic result (idempotent). A failing
    instansi is reported at the end (exit 1); the others are still counted."""

    async def work(_settings, _address):
        return await each_tenant(await chosen_instansi(tenant), bound(lambda: hitung(tahun, "cli")))

    report(
        run_with_database(work),
        lambda result: (
            f"{result.dibuat} new, {result.diubah} changed, {result.tetap} unchanged, "
            f"{result.belum_final} not final yet"
        ),
    )
