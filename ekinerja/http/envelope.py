"""The one JSON error envelope of every HTTP endpoint (decision 0031): the GraphQL shape, so a
portal reads every error one way, /graphql or not.

    {"errors": [{"message": "...", "extensions": {"code": "FORBIDDEN", "requestId": "...",
                                                  "field": "tahun"}}]}

`code` is an `ErrorCode` value (UPPER_SNAKE), `requestId` the request's id (also in the
`X-Request-ID` header), `field` present when one input is at fault. Anything else an endpoint
adds about the error (an import's `baris` and `jumlahKesalahan`) is in `extensions` too. Never a
stack trace: an unexpected error is INTERNAL_ERROR with the request id, and the trace goes to
the log under that id.

The one exception is the OAuth token endpoint, whose clients are OAuth libraries: RFC 6749
§5.2 requires `error` and `error_description` at the top level, so its errors carry both those
and `errors` (``oauth_body``).

Starlette's own answers (404 for no route, 405 for a method a route does not take) come here
through the app's exception handlers; an exception no layer answered comes out as a 500
INTERNAL_ERROR envelope (``internal_error``, answered by edge.py, which raises the exception on
for the server to log its trace).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ekinerja.logging import request_id_var
from ekinerja.observability.metrics import count_error
from ekinerja.refusals import RequestRefused

log = logging.getLogger(__name__)

JSON = "application/json"

# The codes of the statuses Starlette answers by itself (routing) and of the last resort.
_STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    408: "BODY_TIMEOUT",
    413: "TOO_LARGE",
    415: "UNSUPPORTED_TYPE",
    500: "INTERNAL_ERROR",
}
_STATUS_MESSAGES = {
    404: "no such endpoint: see the HTTP endpoints in docs/integrators.md",
    405: "this endpoint does not take that method",
}


def error_body(
    code: str, message: str, field: str | None = None, **extensions: Any
) -> dict[str, Any]:
    """The envelope of one error, with the current request's id."""
    ext: dict[str, Any] = {"code": str(code), "requestId": request_id_var.get()}
    count_error(ext["code"], "http")  # /metrics: every envelope is an error answered
    if field is not None:
        ext["field"] = field
    ext.update(extensions)
    return {"errors": [{"message": message, "extensions": ext}]}


def error_response(
    code: str,
    message: str,
    status: int,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
    media_type: str = JSON,
    **extensions: Any,
) -> JSONResponse:
    """The envelope as a response. A 401 says how to authenticate (WWW-Authenticate)."""
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(
        error_body(code, message, field, **extensions),
        status_code=status,
        headers=all_headers,
        media_type=media_type,
    )


class HttpRefusal(RequestRefused):
    """A refusal an HTTP endpoint raises with everything its envelope says: the code, the
    status, the field at fault, headers (Retry-After) and further extensions."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(message, str(code))
        self.http_status = status
        self.field = field
        self.headers = dict(headers or {})
        self.extensions = extensions


def refusal_response(error: RequestRefused, media_type: str = JSON) -> JSONResponse:
    """Any RequestRefused (authentication, tenant selection, body limits, an HttpRefusal) in
    the envelope, with its headers."""
    return error_response(
        error.code,
        error.message,
        error.http_status,
        field=getattr(error, "field", None),
        headers=getattr(error, "headers", None),
        media_type=media_type,
        **getattr(error, "extensions", {}),
    )


def oauth_body(error: str, description: str, code: str) -> dict[str, Any]:
    """The token endpoint's error: RFC 6749's `error` / `error_description` for OAuth libraries,
    beside the envelope every other endpoint answers with."""
    return {"error": error, "error_description": description, **error_body(code, description)}


def code_for_status(status: int) -> str:
    return _STATUS_CODES.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL_ERROR")


async def http_exception(_request: Request, exc: Exception) -> Response:
    """Starlette's HTTPException (routing's 404 and 405, a malformed request) in the envelope;
    the 405 keeps its Allow header."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    message = _STATUS_MESSAGES.get(status) or str(exc.detail)
    return error_response(code_for_status(status), message, status, headers=exc.headers)


def internal_error() -> JSONResponse:
    request_id = request_id_var.get()
    return error_response(
        "INTERNAL_ERROR",
        f"unexpected error; quote request id {request_id} to support",
        500,
    )
