"""`ekinerja angka-kredit …`: the angka kredit ledger, for a scheduled job."""

from __future__ import annotations

import typer

from ekinerja.cli._runtime import chosen_instansi, console, run_with_database
from ekinerja.penilaian.kredit import hitung
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

app = typer.Typer(no_args_is_help=True, help="The angka kredit ledger of jabatan fungsional.")


@app.command("hitung")
def hitung_command(
    tahun: int = typer.Option(..., "--tahun", help="The year whose windows to count."),
    tenant: list[str] = typer.Option(
        None, "--tenant", help="Kode instansi (repeatable). Default: every active instansi."
    ),
) -> None:
    """Bring the ledger up to date with every final periodic result (idempotent)."""

    async def work(_settings, _address):
        chosen = await chosen_instansi(tenant)
        totals = []
        for instansi in chosen:
            async with tenant_transaction(as_bound(instansi)):
                totals.append((instansi.kode, await hitung(tahun, "cli")))
        return totals

    for kode, result in run_with_database(work):
        console.print(
            f"{kode}: {result.dibuat} new, {result.diubah} changed, {result.tetap} unchanged, "
            f"{result.belum_final} not final yet"
        )
