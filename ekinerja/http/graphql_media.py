"""The media type of /graphql responses, per the GraphQL over HTTP specification
(decision 0025).

The Accept header is negotiated as RFC 9110 says: each of our two media types takes the quality
of the most specific range that names it (`application/json;q=0, */*` accepts
`application/graphql-response+json` only), the higher quality wins, and on a tie the one the
client named more specifically, then the one it listed first; a bare wildcard (`*/*`,
`application/*`) ties to `application/json`, the legacy type every client can read. No Accept
header (or an empty one) means `application/graphql-response+json`, the spec's default since
2025. When neither type is acceptable, nothing runs: 406 (`negotiate` returns None).

With `application/graphql-response+json`, a request error (a document that does not parse or
validate, an operation that cannot be chosen, variables that do not fit their types) answers 400
with no `data` entry. With `application/json`, the legacy behaviour: 200 with `"data": null`, so
that a client can trust any 200 to be a GraphQL response. Errors during execution are 200 either
way, beside the data that was produced."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from ekinerja.schema.errors import REQUEST_ERROR_CODE

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# In the order a tie between equally specific ranges is broken (a bare wildcard: the legacy type).
_OURS = (JSON, GRAPHQL_RESPONSE)
_MAX_RANGES = 64  # an Accept header is a few ranges; a longer one is not worth parsing whole


def _ranges(accept: str) -> list[tuple[str, float]]:
    """(media range, quality) in the order listed; a malformed quality counts as 0."""
    found = []
    for part in accept.split(",")[:_MAX_RANGES]:
        media, *parameters = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        found.append((media.lower(), quality))
    return found


def _specificity(media_range: str, media_type: str) -> int:
    """How specifically ``media_range`` names ``media_type``: 2 exactly, 1 as type/*, 0 as */*,
    -1 not at all."""
    if media_range == media_type:
        return 2
    kind = media_type.split("/")[0]
    if media_range == f"{kind}/*":
        return 1
    return 0 if media_range == "*/*" else -1


def _match(ranges: list[tuple[str, float]], media_type: str) -> tuple[float, int, int] | None:
    """(quality, specificity, -position) of the most specific range naming ``media_type``."""
    matches = [
        (_specificity(r, media_type), -position, quality)
        for position, (r, quality) in enumerate(ranges)
        if _specificity(r, media_type) >= 0
    ]
    if not matches:
        return None
    specificity, earliest, quality = max(matches)
    return quality, specificity, earliest


@lru_cache(maxsize=256)
def negotiate(accept: str | None) -> str | None:
    """The response media type for this Accept header, or None when neither is acceptable.
    Remembered: a request asks up to three times, and clients send a few Accept headers."""
    if accept is None or not accept.strip():
        return GRAPHQL_RESPONSE
    ranges = _ranges(accept)
    if not ranges:
        return GRAPHQL_RESPONSE  # only separators: as good as no header
    candidates = [
        ((*match, -preference), media_type)
        for preference, media_type in enumerate(_OURS)
        if (match := _match(ranges, media_type)) is not None and match[0] > 0
    ]
    return max(candidates)[1] if candidates else None


def wants_graphql_response(headers: Mapping[str, str]) -> bool:
    return negotiate(headers.get("accept")) == GRAPHQL_RESPONSE


def shaped(request: Request, errors: list[GraphQLError] | None, body: dict[str, Any]) -> dict:
    """The response body for the negotiated media type; notes a request error's status on the
    request for `negotiated`. Called once the errors have their codes (a masked unexpected
    error is INTERNAL_ERROR, never a request error)."""
    codes = [(e.extensions or {}).get("code") for e in errors or ()]
    if codes and body.get("data") is None and all(c == REQUEST_ERROR_CODE for c in codes):
        if wants_graphql_response(request.headers):
            request.state.graphql_status = 400
            body.pop("data", None)
    return body


def negotiated(request: Request, response: Response) -> Response:
    """``response`` (a JSON GraphQL response of the view) in the negotiated media type."""
    is_json = getattr(response, "media_type", None) == JSON  # not GraphiQL's page
    if is_json and wants_graphql_response(request.headers):
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        response.status_code = getattr(request.state, "graphql_status", response.status_code)
    elif is_json:
        response.headers["content-type"] = f"{JSON}; charset=utf-8"
    return response


def graphql_response(request: Request, body: bytes, sub_response: Response) -> Response:
    """An operation's result in the negotiated media type, with what the operation set on
    ``sub_response`` (status, headers, background): Strawberry's create_response and
    ``negotiated`` in one step, without rewriting the headers it had just written."""
    status = None
    if wants_graphql_response(request.headers):
        media_type = GRAPHQL_RESPONSE
        status = getattr(request.state, "graphql_status", None)
    else:
        media_type = JSON
    response = Response(
        body,
        status_code=status or sub_response.status_code or 200,
        media_type=f"{media_type}; charset=utf-8",
    )
    response.raw_headers.extend(sub_response.raw_headers)
    if sub_response.background:
        response.background = sub_response.background
    return response
