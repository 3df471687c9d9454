"""`ekinerja dev …`: helpers for the embedded default. Never trusted in production."""

from __future__ import annotations

import sys

import typer

from ekinerja.auth.dev_tokens import DEV_ADMIN_ROLE, DEV_CENTRAL_ADMIN_ROLE, mint_dev_token
from ekinerja.cli._errors import CommandError
from ekinerja.cli._listing import JSON, show
from ekinerja.cli._runtime import run_with_database
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.kepegawaian.demo.identities import DemoIdentity, DemoRole, demo_identities
from ekinerja.settings import get_settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound, get_servable_instansi

app = typer.Typer(no_args_is_help=True, help="Development helpers (development mode only).")

_ROLES = {"admin-instansi": DEV_ADMIN_ROLE, "bkn-admin": DEV_CENTRAL_ADMIN_ROLE}


def _refuse_in_production() -> None:
    if get_settings().is_production:
        raise CommandError("development helpers are refused in production mode")


@app.command("token")
def token(
    nip: str = typer.Option(None, "--nip", help="The pegawai to act as."),
    instansi: str = typer.Option(None, "--instansi", help="Default EKINERJA_DEMO_TENANT."),
    role: list[str] = typer.Option([], "--role", help="admin-instansi and/or bkn-admin."),
    client: str = typer.Option(None, "--client", help="Act as this API client instead."),
    scope: list[str] = typer.Option([], "--scope", help="Scopes for --client."),
) -> None:
    """Print a bearer token signed by the local development key. The service trusts it only in
    development mode (EKINERJA_MODE=development, the default of the embedded setup)."""
    _refuse_in_production()
    settings = get_settings()
    if bool(nip) == bool(client):
        raise CommandError("give exactly one of --nip or --client")
    unknown = [r for r in role if r not in _ROLES]
    if unknown:
        raise CommandError(f"unknown role {unknown[0]!r}; use {', '.join(_ROLES)}")
    print(
        mint_dev_token(
            settings,
            nip=nip,
            instansi=(instansi or settings.demo_tenant) if nip else None,
            roles=tuple(_ROLES[r] for r in role),
            client_id=client,
            scopes=tuple(scope),
        )
    )


@app.command("users")
def users(
    tenant: str = typer.Option(None, "--tenant", help="Default EKINERJA_DEMO_TENANT."),
    role: DemoRole = typer.Option(DemoRole.PEGAWAI, "--role", help="Who to act as."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="At most this many."),
    as_json: bool = JSON,
) -> None:
    """List demo identities for a role (NIP, nama, jabatan, unit, penilai, atasan penilai), to
    follow docs/journey.md with `dev token --nip NIP`."""
    _refuse_in_production()
    kode = tenant or get_settings().demo_tenant

    async def work(_settings, _address) -> list[DemoIdentity]:
        async with tenant_transaction(as_bound(await get_servable_instansi(kode))):
            return await demo_identities(role, await hari_ini(), limit)

    found = run_with_database(work)
    fields = ("nip", "nama", "jabatan", "unit", "penilai", "atasan_penilai")
    if as_json:
        show(fields, [{f: getattr(who, f) for f in fields} for who in found], as_json=True)
    else:  # tab-separated, for cut and awk
        print("\t".join(f.replace("_", " ").upper() for f in fields))
        for who in found:
            print("\t".join(getattr(who, f) or "-" for f in fields))
    extra = " --role admin-instansi" if role is DemoRole.ADMIN_INSTANSI else ""
    hint = f"act as one: ekinerja dev token --nip NIP --instansi {kode}{extra}"
    print(hint if found else f"nobody in {kode} plays {role.value}", file=sys.stderr)
