"""Refusals of an API client's request before any GraphQL runs: an HTTP status, a code and a
message, sent as a GraphQL-shaped error with no data (like the refusals of decision 0006)."""

from __future__ import annotations

from ekinerja.refusals import RequestRefused


class IntegrationRefused(RequestRefused):
    code = "BAD_REQUEST"


class InvalidDocumentId(IntegrationRefused):
    code = "INVALID_DOCUMENT_ID"


class DocumentIdNotSupported(IntegrationRefused):
    code = "DOCUMENT_ID_NOT_SUPPORTED"


class UntrustedDocument(IntegrationRefused):
    code = "UNTRUSTED_DOCUMENT"
    http_status = 403


class InvalidIdempotencyKey(IntegrationRefused):
    code = "INVALID_IDEMPOTENCY_KEY"


class IdempotencyKeyReused(IntegrationRefused):
    code = "IDEMPOTENCY_KEY_REUSED"
    http_status = 422
