"""Every request gets an id: taken from a sane incoming X-Request-ID, otherwise new. It is echoed
on the response, put on every log line, and quoted in masked GraphQL errors (applied by
edge.py)."""

from __future__ import annotations

import os
import re

HEADER = "x-request-id"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_of(incoming: bytes | None) -> str:
    """The id of a request whose X-Request-ID header is ``incoming`` (raw, None: absent)."""
    if incoming is not None:
        text = incoming.decode("latin-1")
        if _ACCEPTABLE.fullmatch(text):
            return text
    # 128 random bits as 32 hex digits, the shape uuid4().hex had, at a quarter of its CPU.
    return os.urandom(16).hex()
