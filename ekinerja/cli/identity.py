"""`ekinerja idp …` and `ekinerja clients …`: who the service trusts and which machines may
call it."""

from __future__ import annotations

import typer
from rich.table import Table

from ekinerja.cli._runtime import console, run_with_database
from ekinerja.models.shared import ApiClient, ApiClientGrant, IdentityProvider
from ekinerja.tenants.registry import get_instansi

idp_app = typer.Typer(no_args_is_help=True, help="Trusted token issuers (identity providers).")
clients_app = typer.Typer(no_args_is_help=True, help="API clients (client credentials).")


@idp_app.command("add")
def add_idp(
    issuer: str = typer.Argument(..., help="The `iss` of its tokens, e.g. a Keycloak realm URL."),
    jwks_uri: str = typer.Option(..., "--jwks-uri", help="Where its signing keys are published."),
    audience: list[str] = typer.Option(["ekinerja"], "--audience"),
    instansi: str = typer.Option(None, "--instansi", help="Speaks for this tenant only."),
    nip_claim: str = typer.Option("preferred_username", "--nip-claim"),
    tenant_claim: str = typer.Option("instansi", "--tenant-claim"),
    roles_claim: str = typer.Option("realm_access.roles", "--roles-claim"),
) -> None:
    """Trust an issuer: per tenant (--instansi) or central (its tokens name the tenant)."""

    async def work(_settings, _address):
        tenant = await get_instansi(instansi) if instansi else None
        return await IdentityProvider.create(
            issuer=issuer,
            jwks_uri=jwks_uri,
            audiences=audience,
            instansi=tenant,
            nip_claim=nip_claim,
            tenant_claim=tenant_claim,
            roles_claim=roles_claim,
        )

    provider = run_with_database(work)
    console.print(f"trusting {provider.issuer} ({'tenant ' + instansi if instansi else 'central'})")


@idp_app.command("list")
def list_idps() -> None:
    async def work(_settings, _address):
        return await IdentityProvider.all().select_related("instansi").order_by("issuer")

    table = Table("issuer", "jwks", "audiences", "instansi", "nip claim")
    for p in run_with_database(work):
        table.add_row(
            p.issuer,
            p.jwks_uri,
            ", ".join(p.audiences),
            p.instansi.kode if p.instansi else "central",
            p.nip_claim,
        )
    console.print(table)


@clients_app.command("add")
def add_client(
    client_id: str = typer.Argument(..., help="The `azp` / `client_id` of its tokens."),
    nama: str = typer.Option(..., "--nama"),
    scope: list[str] = typer.Option(..., "--scope", help="e.g. pegawai:read (repeatable)."),
    instansi: list[str] = typer.Option(..., "--instansi", help="Granted tenant (repeatable)."),
) -> None:
    """Register an API client with its scopes and the tenants it may act for."""

    async def work(_settings, _address):
        tenants = [await get_instansi(kode) for kode in instansi]
        client = await ApiClient.create(client_id=client_id, nama=nama, scopes=scope)
        for tenant in tenants:
            await ApiClientGrant.create(api_client=client, instansi=tenant)
        return client

    client = run_with_database(work)
    console.print(f"registered {client.client_id}: {', '.join(scope)} in {', '.join(instansi)}")
