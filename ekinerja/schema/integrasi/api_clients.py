"""The admin instansi's API clients over GraphQL. Secrets are returned only when made
(`buatApiClient`, `putarClientSecret`); afterwards only their first characters show."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

import strawberry

from ekinerja import audit
from ekinerja.auth import api_clients
from ekinerja.auth.policy import Operation
from ekinerja.schema.context import Info
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.permissions import ensure_allowed

_CLIENT_ID = Annotated[
    str, strawberry.argument(description="The client's id, e.g. `demo-sipgaji-3fa2c1`.")
]
_SCOPES = Annotated[
    list[str],
    strawberry.argument(
        description="OAuth scopes, at least one, each a scope of the authorization table "
        "(docs/authorization.md), e.g. `skp:read`, `changes:read`."
    ),
]


@strawberry.type(description="A valid client secret, identified by its first characters.")
class ClientSecret:
    awalan: str = strawberry.field(
        description="The secret's first 10 characters, to tell secrets apart (never the secret)."
    )
    dibuat_pada: datetime = strawberry.field(description="When it was made.")
    berlaku_sampai: datetime | None = strawberry.field(description="Null: until rotated.")


@strawberry.type(description="A registered operation the client may run by its id.")
class DokumenTerpercaya:
    document_id: str = strawberry.field(description="Send as `documentId` (sha256:<hex>).")
    nama: str | None = strawberry.field(description="A name the admin gave it; null when none.")
    dokumen: str = strawberry.field(description="The GraphQL document (one operation), as sent.")
    dibuat_pada: datetime = strawberry.field(description="When it was registered.")


@strawberry.type(
    description="API client: an integrator's OAuth 2.0 client (client credentials, "
    "machine-to-machine) that may act for the instansi. Read and managed by the admin "
    "instansi (`api-client:manage`)."
)
class ApiClient:
    client_id: str = strawberry.field(
        description="The OAuth client id; it is the `client_id` at POST /oauth/token."
    )
    nama: str = strawberry.field(description="The client's name (the integrating system).")
    scopes: list[str] = strawberry.field(
        description="The OAuth scopes it holds (docs/authorization.md), sorted."
    )
    aktif: bool = strawberry.field(description="False once revoked or switched off.")
    dibuat_pada: datetime = strawberry.field(description="When it was registered.")
    dicabut_pada: datetime | None = strawberry.field(
        description="When it was revoked; null while it is not."
    )
    instansi: list[str] = strawberry.field(description="Kode of every instansi it may act for.")
    milik_instansi: bool = strawberry.field(
        description="Managed by this instansi's admin (false: registered centrally by BKN)."
    )
    rahasia: list[ClientSecret] = strawberry.field(
        description="Its client secrets still valid, newest first (only their first characters).",
        name="clientSecret",
    )
    hanya_dokumen_terdaftar: bool = strawberry.field(
        description="Only its registered documents may run (decision 0015)."
    )
    dokumen_terpercaya: list[DokumenTerpercaya] = strawberry.field(
        description="Dokumen terpercaya: the operations registered for it, oldest first."
    )

    @classmethod
    def of(cls, found: api_clients.Klien) -> ApiClient:
        client = found.client
        return cls(
            client_id=client.client_id,
            nama=client.nama,
            scopes=list(client.scopes),
            aktif=client.aktif and client.revoked_at is None,
            dibuat_pada=client.created_at,
            dicabut_pada=client.revoked_at,
            instansi=found.instansi,
            milik_instansi=found.milik,
            rahasia=[
                ClientSecret(
                    awalan=s.awalan, dibuat_pada=s.dibuat_pada, berlaku_sampai=s.berlaku_sampai
                )  # fmt: skip
                for s in found.rahasia
            ],
            hanya_dokumen_terdaftar=client.hanya_dokumen_terdaftar,
            dokumen_terpercaya=[
                DokumenTerpercaya(
                    document_id=f"sha256:{d.hash}",
                    nama=d.nama,
                    dokumen=d.dokumen,
                    dibuat_pada=d.dibuat_pada,
                )  # fmt: skip
                for d in sorted(client.dokumen_terpercaya, key=lambda d: (d.dibuat_pada, d.id))
            ],
        )


@strawberry.type(description="A client with its secret in the clear, shown this once.")
class ApiClientTerbit:
    client: ApiClient = strawberry.field(description="The client.", name="apiClient")
    client_secret: str = strawberry.field(
        description="Trade it with the client id at POST /oauth/token (grant_type="
        "client_credentials). Store it now: it cannot be read again."
    )


ClientResult = Annotated[
    ApiClient | MutationError,
    strawberry.union(
        "ApiClientResult",
        description="The client as it now stands, or a MutationError (nothing changed): "
        "NOT_FOUND, NOT_OWNER (registered centrally: BKN manages it), REVOKED, INVALID_INPUT "
        "(a scope or document that is not valid).",
    ),
]
TerbitResult = Annotated[
    ApiClientTerbit | MutationError,
    strawberry.union(
        "ApiClientTerbitResult",
        description="The client with its new secret, or a MutationError (nothing changed): "
        "NOT_FOUND, NOT_OWNER, REVOKED, INVALID_INPUT.",
    ),
]


async def _admin(info: Info):
    await ensure_allowed(info, Operation.MANAGE_API_CLIENTS)
    return info.context.instansi, info.context.principal.subject


async def _manage(info: Info, action: str, work: Callable[..., Awaitable], **detail: object):
    """One admin change to a client: authorized, run with refusals as data, audited in the
    tenant's log. ``work(instansi, actor)`` returns the client (Klien) or it with a new secret
    (Terbit), which is then shown this once."""
    instansi, actor = await _admin(info)

    async def change():
        done = await work(instansi, actor)
        klien = done.klien if isinstance(done, api_clients.Terbit) else done
        await audit.record(actor, f"api_client.{action}", "api_client", klien.client.client_id,
                           **detail)  # fmt: skip
        if isinstance(done, api_clients.Terbit):
            return ApiClientTerbit(client=ApiClient.of(klien), client_secret=done.rahasia)
        return ApiClient.of(klien)

    return await guarded(change)


@strawberry.type
class ApiClientQuery:
    @strawberry.field(description="Admin: the API clients that may act for this instansi.")
    async def daftar_api_client(self, info: Info) -> list[ApiClient]:
        instansi, _ = await _admin(info)
        return [ApiClient.of(k) for k in await api_clients.daftar(instansi)]


@strawberry.type
class ApiClientMutation:
    @strawberry.mutation(description="Admin: a new API client of this instansi (audited).")
    async def buat_api_client(
        self,
        info: Info,
        nama: Annotated[
            str, strawberry.argument(description="The client's name, 1–255 characters.")
        ],
        scopes: _SCOPES,
    ) -> TerbitResult:
        return await _manage(
            info, "buat", lambda i, actor: api_clients.buat(i, nama, scopes, actor), scopes=scopes
        )

    @strawberry.mutation(
        description="Admin: a new client secret; earlier ones stay valid for 24 hours."
    )
    async def putar_client_secret(self, info: Info, client_id: _CLIENT_ID) -> TerbitResult:
        return await _manage(
            info, "putar_rahasia", lambda i, actor: api_clients.putar_rahasia(i, client_id, actor)
        )

    @strawberry.mutation(description="Admin: replace a client's scopes (audited).")
    async def ubah_scope_api_client(
        self, info: Info, client_id: _CLIENT_ID, scopes: _SCOPES
    ) -> ClientResult:
        return await _manage(
            info, "ubah_scope", lambda i, _: api_clients.ubah_scope(i, client_id, scopes),
            scopes=scopes,
        )  # fmt: skip

    @strawberry.mutation(description="Admin: revoke a client for good; its tokens stop at once.")
    async def cabut_api_client(self, info: Info, client_id: _CLIENT_ID) -> ClientResult:
        return await _manage(info, "cabut", lambda i, _: api_clients.cabut(i, client_id))

    @strawberry.mutation(
        description="Admin: register an operation (one, validated against the schema) for one "
        "of the instansi's clients; it then runs by `documentId` (audited)."
    )
    async def daftarkan_dokumen_api_client(
        self,
        info: Info,
        client_id: _CLIENT_ID,
        dokumen: Annotated[
            str,
            strawberry.argument(
                description="The GraphQL document: exactly one operation, valid against the schema."
            ),
        ],
        nama: Annotated[
            str | None, strawberry.argument(description="A name to recognise it by.")
        ] = None,
    ) -> ClientResult:
        settings = info.context.settings
        return await _manage(
            info, "daftarkan_dokumen",
            lambda i, _: api_clients.daftarkan_dokumen(i, client_id, settings, dokumen, nama),
        )  # fmt: skip

    @strawberry.mutation(description="Admin: forget a registered operation (audited).")
    async def hapus_dokumen_api_client(
        self,
        info: Info,
        client_id: _CLIENT_ID,
        document_id: Annotated[
            str, strawberry.argument(description="The document's id, `sha256:<hex>`.")
        ],
    ) -> ClientResult:
        return await _manage(
            info, "hapus_dokumen",
            lambda i, _: api_clients.hapus_dokumen(i, client_id, document_id),
            dokumen=document_id,
        )  # fmt: skip

    @strawberry.mutation(
        description="Admin: restrict a client to its registered operations, or lift that."
    )
    async def batasi_api_client(
        self,
        info: Info,
        client_id: _CLIENT_ID,
        hanya_dokumen_terdaftar: Annotated[
            bool,
            strawberry.argument(
                description="True: any other operation is refused (403 UNTRUSTED_DOCUMENT); "
                "false: lift the restriction."
            ),
        ],
    ) -> ClientResult:
        return await _manage(
            info, "batasi",
            lambda i, _: api_clients.batasi(i, client_id, hanya_dokumen_terdaftar),
            hanya_dokumen_terdaftar=hanya_dokumen_terdaftar,
        )  # fmt: skip
