"""`ekinerja dev …`: helpers for the embedded default. Never trusted in production."""

from __future__ import annotations

import typer

from ekinerja.auth.dev_tokens import DEV_ADMIN_ROLE, DEV_CENTRAL_ADMIN_ROLE, mint_dev_token
from ekinerja.cli._errors import CommandError
from ekinerja.settings import get_settings

app = typer.Typer(no_args_is_help=True, help="Development helpers (development mode only).")

_ROLES = {"admin-instansi": DEV_ADMIN_ROLE, "bkn-admin": DEV_CENTRAL_ADMIN_ROLE}


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
    settings = get_settings()
    if settings.is_production:
        raise CommandError("development tokens are refused in production mode")
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
