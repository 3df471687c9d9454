"""The media type of /graphql responses, per the GraphQL over HTTP specification.

A client that prefers `application/graphql-response+json` (or sends no Accept header, the
spec's default since 2025) gets that media type, and a request error (a document that does not
parse or validate, or variables that do not fit their types) answers 400 with no `data` entry.
A client accepting `application/json` (or `*/*`) gets the legacy behaviour: 200 with
`"data": null`, so that it can trust any 200 to be a GraphQL response. Errors during execution
are 200 either way, beside the data that was produced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from ekinerja.schema.errors import REQUEST_ERROR_CODE

GRAPHQL_RESPONSE = "application/graphql-response+json"
_JSON_RANGES = ("application/json", "application/*", "*/*")


def _qualities(accept: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for part in accept.split(","):
        media, *parameters = (p.strip() for p in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        found[media.lower()] = max(found.get(media.lower(), 0.0), quality)
    return found


def wants_graphql_response(headers: Mapping[str, str]) -> bool:
    accept = headers.get("accept", "").strip()
    if not accept:
        return True
    qualities = _qualities(accept)
    preferred = qualities.get(GRAPHQL_RESPONSE, 0.0)
    legacy = next((qualities[r] for r in _JSON_RANGES if r in qualities), 0.0)
    return preferred > 0 and preferred >= legacy


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
    is_json = getattr(response, "media_type", None) == "application/json"  # not GraphiQL's page
    if is_json and wants_graphql_response(request.headers):
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        response.status_code = getattr(request.state, "graphql_status", response.status_code)
    return response
