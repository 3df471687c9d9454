"""A client that goes away is not a server error. Starlette raises ClientDisconnect when the
client disconnects while its body is read (an upload cut off) or while a streamed response is
sent (a SIASN export abandoned); uvicorn raises ClientDisconnected (an OSError) when a response
is sent to a closed connection. Left alone, each reached the server, which logged "Exception in
ASGI application" at ERROR with a traceback: noise that hides real errors. Here it is one INFO
line, and the request ends (there is no one left to answer); edge.py catches them.
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect
from starlette.types import Scope
from uvicorn.protocols.utils import ClientDisconnected

log = logging.getLogger(__name__)

GONE = (ClientDisconnect, ClientDisconnected)


def log_gone(scope: Scope) -> None:
    log.info(
        "client disconnected before the response was complete",
        extra={"method": scope.get("method"), "path": scope.get("path")},
    )
