"""`ekinerja idp …` and `ekinerja clients …`: who the service trusts and which machines may
call it."""

from __future__ import annotations

from pathlib import Path

import typer
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from ekinerja.auth.api_clients import check_client_id
from ekinerja.cli._listing import JSON, show
from ekinerja.cli._listing import stdout as listing_out
from ekinerja.cli._runtime import console, run_with_database
from ekinerja.integrasi import dokumen_terpercaya
from ekinerja.models.shared import ApiClient, ApiClientGrant, IdentityProvider
from ekinerja.refusals import Refusal
from ekinerja.tenants.registry import get_instansi

idp_app = typer.Typer(no_args_is_help=True, help="Trusted token issuers (identity providers).")
clients_app = typer.Typer(no_args_is_help=True, help="API clients (client credentials).")
documents_app = typer.Typer(
    no_args_is_help=True, help="An API client's trusted documents (registered operations)."
)
clients_app.add_typer(documents_app, name="documents")


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
    """Trust an issuer: per tenant (--instansi) or central (its tokens name the tenant). An
    issuer already trusted takes the settings given (a deployment's setup job runs this on every
    start, docker/entrypoint.sh)."""

    async def work(_settings, _address):
        tenant = await get_instansi(instansi) if instansi else None
        wanted = {
            "jwks_uri": jwks_uri,
            "audiences": audience,
            "instansi_id": tenant.id if tenant else None,
            "nip_claim": nip_claim,
            "tenant_claim": tenant_claim,
            "roles_claim": roles_claim,
        }
        try:
            return await _trust(issuer, wanted)
        except IntegrityError:  # another setup job added it meanwhile: now it is there
            return await _trust(issuer, wanted)

    provider, what = run_with_database(work)
    console.print(f"{what} {provider.issuer} ({'tenant ' + instansi if instansi else 'central'})")


async def _trust(issuer: str, wanted: dict) -> tuple[IdentityProvider, str]:
    async with in_transaction():
        existing = await IdentityProvider.select_for_update().filter(issuer=issuer).first()
        if existing is None:
            return await IdentityProvider.create(issuer=issuer, **wanted), "trusting"
        if all(getattr(existing, name) == value for name, value in wanted.items()):
            return existing, "already trusting"
        existing.update_from_dict(wanted)
        await existing.save()
        return existing, "updated, trusting"


@idp_app.command("list")
def list_idps(as_json: bool = JSON) -> None:
    """The trusted issuers (stdout; --json: an array of objects)."""

    async def work(_settings, _address):
        return await IdentityProvider.all().select_related("instansi").order_by("issuer")

    rows = [
        {
            "issuer": p.issuer,
            "jwks_uri": p.jwks_uri,
            "audiences": list(p.audiences),
            "instansi": p.instansi.kode if p.instansi else None,  # None: central
            "nip_claim": p.nip_claim,
            "tenant_claim": p.tenant_claim,
            "roles_claim": p.roles_claim,
        }
        for p in run_with_database(work)
    ]
    show(["issuer", "jwks_uri", "audiences", "instansi", "nip_claim"], rows, as_json)


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
        client = await ApiClient.create(
            client_id=check_client_id(client_id), nama=nama, scopes=scope
        )
        for tenant in tenants:
            await ApiClientGrant.create(api_client=client, instansi=tenant)
        return client

    client = run_with_database(work)
    console.print(f"registered {client.client_id}: {', '.join(scope)} in {', '.join(instansi)}")


@clients_app.command("restrict")
def restrict_client(
    client_id: str = typer.Argument(...),
    on: bool = typer.Option(
        ..., "--on/--off", help="Only its registered documents may run (--on), or any (--off)."
    ),
) -> None:
    """Restrict an API client to its trusted documents, or lift that (from its next request)."""

    async def work(_settings, _address):
        return await dokumen_terpercaya.restrict(client_id, on)

    client, documents = run_with_database(work)
    if not on:
        console.print(f"{client.client_id} may run any operation its scopes allow")
        return
    console.print(f"{client.client_id} may run only its {documents} registered document(s)")
    if documents == 0:
        console.print("[yellow]warning[/yellow]: none is registered, so every request is refused")


@documents_app.command("add")
def add_document(
    client_id: str = typer.Argument(...),
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="One GraphQL operation, registered byte for byte."
    ),
    nama: str = typer.Option(None, "--nama", help="A label, e.g. the operation's purpose."),
) -> None:
    """Register a trusted document (validated against the schema); prints its documentId."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Refusal("INVALID_DOCUMENT", f"{file} is not UTF-8 text") from None

    async def work(settings, _address):
        return await dokumen_terpercaya.register(settings, client_id, text, nama)

    document, created = run_with_database(work)
    console.print(
        f"{'registered' if created else 'already registered'} for {client_id}"
        + (f" ({document.nama})" if document.nama else "")
    )
    typer.echo(dokumen_terpercaya.DOCUMENT_ID_PREFIX + document.hash)


@documents_app.command("list")
def list_documents(client_id: str = typer.Argument(...), as_json: bool = JSON) -> None:
    """The client's trusted documents and whether it is restricted to them (stdout; --json: an
    array of objects, the restriction on stderr)."""

    async def work(_settings, _address):
        return await dokumen_terpercaya.documents_of(client_id)

    client, documents = run_with_database(work)
    rows = [
        {
            "documentId": dokumen_terpercaya.DOCUMENT_ID_PREFIX + d.hash,
            "nama": d.nama,
            "registered": d.dibuat_pada.isoformat(timespec="seconds"),
            "first_line": next((ln.strip() for ln in d.dokumen.splitlines() if ln.strip()), "")[
                :60
            ],
        }
        for d in documents
    ]
    show(["documentId", "nama", "registered", "first_line"], rows, as_json)
    state = "only these documents" if client.hanya_dokumen_terdaftar else "any operation"
    (console if as_json else listing_out).print(f"{client.client_id} may run {state}")


@documents_app.command("remove")
def remove_document(
    client_id: str = typer.Argument(...),
    hash_: str = typer.Argument(..., metavar="HASH", help="The hash or `sha256:` documentId."),
) -> None:
    """Forget a trusted document; a restricted client can no longer run it."""

    async def work(_settings, _address):
        await dokumen_terpercaya.remove(client_id, hash_)

    run_with_database(work)
    console.print(f"removed from {client_id}")
