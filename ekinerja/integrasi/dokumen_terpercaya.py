"""Trusted documents (persisted operations) of API clients.

A document is registered for one client (`ekinerja clients documents add`) after it parses and
validates against the schema; it is known by the SHA-256 of its text exactly as registered. The
client runs it by sending `documentId: "sha256:<hash>"` instead of `query`, or by sending the
identical text. A client restricted to its documents (`ekinerja clients restrict --on`) may run
nothing else: any other document is refused before execution (decision 0015).
"""

from __future__ import annotations

import hashlib
import re

from graphql import GraphQLError, OperationDefinitionNode, parse, specified_rules, validate
from strawberry.extensions.max_aliases import create_validator as alias_limit
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit

from ekinerja.auth.klien_dikenal import lupakan
from ekinerja.auth.principal import Principal
from ekinerja.integrasi.errors import DocumentIdNotSupported, InvalidDocumentId, UntrustedDocument
from ekinerja.models.shared import ApiClient, DokumenTerpercaya
from ekinerja.refusals import Refusal
from ekinerja.settings import Settings

DOCUMENT_ID_PREFIX = "sha256:"
_DOCUMENT_ID = re.compile(r"sha256:([0-9a-fA-F]{64})")
_HASH = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")
_REGISTER_HINT = (
    "register it with `ekinerja clients documents add CLIENT_ID FILE`, then send "
    '`"documentId": "sha256:<hash>"` or the identical text as `query`'
)


def document_hash(text: str) -> str:
    """The lowercase hex SHA-256 of a document's UTF-8 text, byte for byte: whitespace and
    comments count, so a client must send exactly what was registered. (A lone surrogate, which
    JSON can carry but no registered file can, hashes instead of failing.)"""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_document_id(value: object) -> str:
    """The hash a request's `documentId` names."""
    match = _DOCUMENT_ID.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidDocumentId(
            "documentId must be a string `sha256:` followed by the 64 hex digits of the "
            f"registered document's SHA-256, not {str(value)[:80]!r}"
        )
    return match.group(1).lower()


async def resolve_query(
    principal: Principal | None, query: str | None, hash_: str | None
) -> str | None:
    """The document to execute: the registered text a `documentId` names, or the `query` sent
    once it is known to be trusted (checked only for restricted clients). One query on
    `shared.dokumen_terpercaya`, and none for an unrestricted caller sending `query`."""
    client_id = principal.client_id if principal is not None else None
    if hash_ is not None:
        if client_id is None:
            raise DocumentIdNotSupported(
                "documentId runs documents registered for an API client; send the operation "
                "itself as `query`"
            )
        text = (
            await DokumenTerpercaya.filter(api_client__client_id=client_id, hash=hash_)
            .first()
            .values_list("dokumen", flat=True)
        )
        if text is None:
            # Another client's document is as unknown here as one never registered.
            raise UntrustedDocument(
                f"no document sha256:{hash_} is registered for API client {client_id}: "
                + _REGISTER_HINT
            )
        return text
    if client_id is None or not principal.restricted_to_documents or query is None:
        return query
    sent = document_hash(query)
    if not await DokumenTerpercaya.filter(api_client__client_id=client_id, hash=sent).exists():
        raise UntrustedDocument(
            f"API client {client_id} may run only its registered documents, and the document "
            f"sent (sha256:{sent}) is not one of them: " + _REGISTER_HINT
        )
    return query


def check_document(settings: Settings, text: str) -> None:
    """Refuse a document that could never run: unparsable, not exactly one operation, invalid
    against the schema, or over the limits every operation meets (ekinerja/schema/extensions.py)."""
    try:
        document = parse(text, max_tokens=settings.graphql_max_tokens)
    except GraphQLError as error:
        raise Refusal("INVALID_DOCUMENT", f"not a GraphQL document: {error}", "FILE") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise Refusal(
            "INVALID_DOCUMENT",
            f"a trusted document holds exactly one operation; this one holds {len(operations)}",
            "FILE",
        )
    rules = [
        *specified_rules,
        depth_limit(settings.graphql_max_depth, None),
        alias_limit(settings.graphql_max_aliases),
    ]
    # Imported here: the schema itself imports the admin mutations that call this.
    from ekinerja.schema import build_schema

    errors = validate(build_schema(settings)._schema, document, rules)
    if errors:
        raise Refusal(
            "INVALID_DOCUMENT",
            "the document does not validate against the schema: "
            + "; ".join(str(e).replace("\n", " ") for e in errors),
            "FILE",
        )


async def _client(client_id: str) -> ApiClient:
    client = await ApiClient.get_or_none(client_id=client_id)
    if client is None:
        raise Refusal("NOT_FOUND", f"no API client {client_id!r} is registered", "CLIENT_ID")
    return client


async def register(
    settings: Settings, client_id: str, text: str, nama: str | None = None
) -> tuple[DokumenTerpercaya, bool]:
    """Register ``text`` for the client; ``(document, created)``. Registering the same text
    again changes nothing (its label only, when one is given)."""
    client = await _client(client_id)
    check_document(settings, text)
    hash_ = document_hash(text)
    existing = await DokumenTerpercaya.get_or_none(api_client=client, hash=hash_)
    if existing is not None:
        if nama is not None and nama != existing.nama:
            existing.nama = nama
            await existing.save(update_fields=["nama"])
        return existing, False
    document = await DokumenTerpercaya.create(
        api_client=client, hash=hash_, dokumen=text, nama=nama
    )
    return document, True


async def documents_of(client_id: str) -> tuple[ApiClient, list[DokumenTerpercaya]]:
    client = await _client(client_id)
    return client, await DokumenTerpercaya.filter(api_client=client).order_by("dibuat_pada", "id")


async def remove(client_id: str, hash_or_id: str) -> None:
    """Forget a document (its hash, with or without `sha256:`). A restricted client can no
    longer run it at once: principals are built per request."""
    client = await _client(client_id)
    match = _HASH.fullmatch(hash_or_id.strip())
    if match is None:
        raise Refusal("INVALID_INPUT", "HASH must be 64 hex digits, optionally `sha256:`", "HASH")
    removed = await DokumenTerpercaya.filter(
        api_client=client, hash=match.group(1).lower()
    ).delete()
    if not removed:
        raise Refusal(
            "NOT_FOUND", f"no document {hash_or_id} is registered for {client_id}", "HASH"
        )


async def restrict(client_id: str, on: bool) -> tuple[ApiClient, int]:
    """Restrict the client to its documents, or lift that; ``(client, documents registered)``."""
    client = await _client(client_id)
    client.hanya_dokumen_terdaftar = on
    await client.save(update_fields=["hanya_dokumen_terdaftar"])
    lupakan(client_id)  # what requests remember of it (auth/klien_dikenal.py)
    return client, await DokumenTerpercaya.filter(api_client=client).count()
