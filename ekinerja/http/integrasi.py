"""The /graphql view's share of decision 0015: a request body's `documentId`, and a stored
response replayed through Strawberry's usual result path (status, headers, body)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from starlette.responses import Response
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from ekinerja.integrasi.dokumen_terpercaya import parse_document_id
from ekinerja.integrasi.errors import InvalidDocumentId
from ekinerja.integrasi.idempotensi import REPLAYED_HEADER, StoredResponse


@dataclass
class RequestData(GraphQLRequestData):
    document_hash: str | None = None
    """The registered document a `documentId` names, resolved before execution."""


def with_document_id(data: GraphQLRequestData, raw: bytes, decode) -> GraphQLRequestData:
    """The request data Strawberry parsed (it keeps only the standard keys), with the body's
    `documentId` if it has one. Only a body whose bytes mention `documentId` is decoded again,
    so ordinary requests pay nothing (a key spelled with JSON escapes is not recognised)."""
    if b"documentId" not in raw or not isinstance(body := decode(raw), dict):
        return data
    if "documentId" not in body:
        return data
    if body.get("query") is not None:
        raise InvalidDocumentId("send either `query` or `documentId`, not both")
    standard = {f.name: getattr(data, f.name) for f in fields(GraphQLRequestData)}
    return RequestData(**standard, document_hash=parse_document_id(body["documentId"]))


@dataclass
class ReplayedResult(ExecutionResult):
    """A response given before to the same request with the same Idempotency-Key."""

    body: dict[str, Any] = field(default_factory=dict)


def replayed(stored: StoredResponse, sub_response: Response) -> ReplayedResult:
    sub_response.status_code = stored.status
    sub_response.headers[REPLAYED_HEADER] = "true"
    # json.loads keeps the keys' order, so the body is encoded again byte for byte.
    return ReplayedResult(data=None, errors=None, body=json.loads(stored.body))
