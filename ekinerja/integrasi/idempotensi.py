"""Idempotency keys on mutations (decision 0015), from every caller: API clients and persons.

A caller sends `Idempotency-Key: <1–200 printable ASCII>` with a mutation. Inside the
request's tenant transaction, before the mutation runs, the key's row is inserted; the response
is written into it before commit, so the row commits or rolls back with the mutation's writes.
That is what makes a blind retry safe after any failure, even a lost answer to a commit that
happened (a connection dropped, a 500 or 503 after the database restarted): the retry finds the
row and replays, or finds none and executes.

- The first request with a key executes; a repeat of the same request (same document,
  operationName and variables) gets the stored response, and the mutation does not run again.
- The same key with a different request is refused (422 IDEMPOTENCY_KEY_REUSED).
- A concurrent twin waits on the unique index (client_id, key) until the first transaction
  ends: then it replays (the first committed) or executes itself (the first rolled back).
- An operation with GraphQL errors rolls back, key row included: nothing was written, so a
  retry with the same key executes again, which is what a client retrying a transient failure
  needs. Only responses without errors are remembered (errors as data included: they commit).
- Keys older than `idempotency_ttl_hours` are ignored and taken over by the next request with
  the same key, whatever its request; no job deletes old rows, the age check is enough.

Keys are the caller's own in one instansi: an API client's by its client id, a person's by
their NIP (`person:<nip>`). Queries (which write nothing) and requests bound to no instansi
ignore the header.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, OperationType, get_operation_ast

from ekinerja.auth.principal import Principal, Role
from ekinerja.db.sql import fetch
from ekinerja.integrasi.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from ekinerja.schema.documents import parsed

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"[\x20-\x7e]{1,200}")
_PERSON, _CLIENT = "person:", "client:"
_DIGEST = _CLIENT + "sha256:"
OWNER_MAX = 255
"""The `client_id` column's length (models/tenant/idempotensi.py): every owner fits it."""

# Inserted, or taken over when the row that holds the key has expired. ON CONFLICT waits for a
# concurrent uncommitted insert of the same key to end, which is what keeps twins apart.
_CLAIM_SQL = """
INSERT INTO idempotency_key (client_id, kunci, request_hash, dibuat_pada)
VALUES ($1, $2, $3, now())
ON CONFLICT (client_id, kunci) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, dibuat_pada = EXCLUDED.dibuat_pada,
        response_status = NULL, response_body = NULL
    WHERE idempotency_key.dibuat_pada < now() - make_interval(hours => $4)
RETURNING id"""

_STORED_SQL = """
SELECT request_hash, response_status, response_body FROM idempotency_key
WHERE client_id = $1 AND kunci = $2"""

_REMEMBER_SQL = """
UPDATE idempotency_key SET response_status = $2, response_body = $3 WHERE id = $1"""


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    """The JSON body exactly as first sent."""


@dataclass
class IdempotentRequest:
    client_id: str
    key: str
    request_hash: str
    row_id: int | None = None

    async def claim(self, ttl_hours: int) -> StoredResponse | None:
        """Take the key for this request, or return the response it already gave. Call inside
        the tenant transaction of the operation, before executing it."""
        claimed = await fetch(_CLAIM_SQL, self.client_id, self.key, self.request_hash, ttl_hours)
        if claimed:
            self.row_id = claimed[0]["id"]
            return None
        # A live row, committed (a concurrent one has been waited for): replay or refuse.
        row = (await fetch(_STORED_SQL, self.client_id, self.key))[0]
        if row["request_hash"] != self.request_hash:
            raise IdempotencyKeyReused(
                f"Idempotency-Key {self.key!r} was used within the last {ttl_hours} h for a "
                "different request (document, operationName or variables differ); send a new "
                "key with a new request"
            )
        # Responses are written in the transaction that inserted the row, so a committed row
        # always has one.
        return StoredResponse(row["response_status"], row["response_body"])

    async def remember(self, status: int, body: str) -> None:
        await fetch(_REMEMBER_SQL, self.row_id, status, body)


def idempotent_request(
    principal: Principal | None,
    headers: Mapping[str, str],
    query: str | None,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    max_tokens: int,
) -> IdempotentRequest | None:
    """The key this request carries, if it applies: a mutation. A malformed key is refused only
    there; elsewhere the header is ignored, malformed or not."""
    raw = headers.get(HEADER)
    owner = key_owner(principal)
    if raw is None or owner is None:
        return None
    if not _is_mutation(query, operation_name, max_tokens):
        return None
    if not _KEY.fullmatch(raw):
        raise InvalidIdempotencyKey(
            "the Idempotency-Key header must be 1 to 200 printable ASCII characters (a UUID "
            f"will do); the one sent has {len(raw)} characters"
            + ("" if raw.isascii() and raw.isprintable() else ", not all printable ASCII")
        )
    return IdempotentRequest(owner, raw, request_fingerprint(query, operation_name, variables))


def key_owner(principal: Principal | None) -> str | None:
    """Whose keys these are, as the `client_id` column holds it. An API client's bare id, as
    since decision 0015, so keys stored before persons had any still replay; a person's
    `person:<nip>`. A client id that itself starts with one of the prefixes is stored as
    `client:<id>`, so no client can ever name a person's keys (or another client's).

    A registered client id may be as long as the column (255), so `client:<id>` may not fit:
    such an owner is `client:sha256:<hex of the id>` (78 characters). No other owner has that
    shape: a bare id never starts with `client:`, and `client:<id>` has an id starting with
    `person:` or `client:`, never `sha256:`."""
    if principal is None:
        return None
    if principal.has_role(Role.API_CLIENT):
        client_id = principal.client_id
        if not client_id.startswith((_PERSON, _CLIENT)):
            return client_id
        owner = _CLIENT + client_id
        if len(owner) > OWNER_MAX:
            return _DIGEST + hashlib.sha256(client_id.encode("utf-8")).hexdigest()
        return owner
    if principal.is_person:
        return _PERSON + principal.nip
    return None


def request_fingerprint(
    query: str | None, operation_name: str | None, variables: dict[str, Any] | None
) -> str:
    """SHA-256 of the request as canonical JSON (sorted keys, no spaces). The document is the
    one executed, so a `documentId` and its registered text are the same request."""
    canonical = json.dumps(
        {"document": query, "operationName": operation_name, "variables": variables or {}},
        sort_keys=True,
        separators=(",", ":"),  # ASCII escapes: any string a client sends encodes
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _is_mutation(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """Whether the operation to run is a mutation. A document that does not parse is not (its
    execution reports why); the schema's token limit applies here too, so a hostile document
    costs no more here than it would there."""
    if not query:
        return False
    try:
        operation = get_operation_ast(parsed(query, max_tokens), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation is OperationType.MUTATION
