"""Reading the one error envelope (decision 0031) in tests: ``error_of`` checks the shape and
gives the one error flattened (its message beside its extensions)."""

from __future__ import annotations

from typing import Any

import httpx


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The response's one error as ``{"message", "code", "requestId", "field"?, ...}``, after
    checking it is the envelope: JSON, `errors` a list of one, a code and the request id the
    response's X-Request-ID header carries, and no stack trace anywhere in the body."""
    assert response.headers["content-type"].split(";")[0] in (
        "application/json",
        "application/graphql-response+json",
    ), response.headers["content-type"]
    assert "Traceback" not in response.text and 'File "' not in response.text, response.text
    body = response.json()
    assert isinstance(body.get("errors"), list) and len(body["errors"]) == 1, body
    [error] = body["errors"]
    assert isinstance(error["message"], str) and error["message"], body
    extensions = error["extensions"]
    assert isinstance(extensions["code"], str) and extensions["code"].isupper(), body
    if "x-request-id" in response.headers:
        assert extensions["requestId"] == response.headers["x-request-id"], body
    return {"message": error["message"], **extensions}


def code_of(response: httpx.Response) -> str:
    return error_of(response)["code"]
