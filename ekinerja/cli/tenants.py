"""`ekinerja tenants …`: the tenant registry."""

from __future__ import annotations

import typer

from ekinerja.cli._listing import JSON, show
from ekinerja.cli._runtime import console, run_with_database
from ekinerja.db.lifecycle import tenant_role_prefix
from ekinerja.models.shared import JenisInstansi, StatusInstansi
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import list_instansi, set_status

app = typer.Typer(no_args_is_help=True, help="Manage tenants (instansi).")


@app.command("create")
def create(
    kode: str = typer.Argument(..., help="Kode instansi, 2–16 letters or digits."),
    nama: str = typer.Option(..., "--nama", help="Nama instansi."),
    jenis: JenisInstansi = typer.Option(..., "--jenis", case_sensitive=False),
    provinsi: str = typer.Option(
        None, "--provinsi", help="BPS province code (e.g. 33), for regional instansi."
    ),
) -> None:
    """Register an instansi and create its schema, role and tables."""

    async def work(settings, address):
        prefix = tenant_role_prefix(settings, address)
        instansi, _ = await create_tenant(kode, nama, jenis, prefix, provinsi)
        return instansi

    instansi = run_with_database(work)
    console.print(
        f"created {instansi.kode} ({instansi.nama}) in schema {instansi.schema_name}, "
        f"version {instansi.schema_version}"
    )


@app.command("list")
def list_(as_json: bool = JSON) -> None:
    """List every registered instansi (stdout; --json: an array of objects)."""

    async def work(_settings, _address):
        return await list_instansi()

    rows = [
        {
            "kode": i.kode,
            "nama": i.nama,
            "jenis": i.jenis.value,
            "status": i.status.value,
            "schema": i.schema_name,
            "version": i.schema_version,
        }
        for i in run_with_database(work)
    ]
    show(["kode", "nama", "jenis", "status", "schema", "version"], rows, as_json)


def _set_status(kode: str, status: StatusInstansi) -> None:
    async def work(_settings, _address):
        return await set_status(kode, status)

    instansi = run_with_database(work)
    console.print(f"{instansi.kode} is now {instansi.status.value}")


@app.command("suspend")
def suspend(kode: str) -> None:
    """Stop serving an instansi (its data stays)."""
    _set_status(kode, StatusInstansi.SUSPENDED)


@app.command("resume")
def resume(kode: str) -> None:
    """Serve a suspended instansi again."""
    _set_status(kode, StatusInstansi.ACTIVE)
