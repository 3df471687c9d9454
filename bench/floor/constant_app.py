"""The cheapest ASGI app that answers `{ __typename }`: it reads the body and sends a constant.
bench/asgi_floor.py serves it with the service's own uvicorn settings, so its throughput is
the HTTP server's share of a request, and what the service does beyond it is ours."""

_BODY = b'{"data":{"__typename":"Query"}}'
_HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": _BODY})
