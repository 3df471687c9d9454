"""Signing a delivery, and checking one (what a receiver does; our tests do it too).

    X-Ekinerja-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=…]

The timestamp is signed with the body, so a captured request cannot be replayed later than
the receiver's tolerance. While a rotated-out secret is still valid, both signatures are sent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

SIGNATURE_HEADER = "X-Ekinerja-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header(secrets: Iterable[str], timestamp: int, body: bytes) -> str:
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets)])


def verify(
    secret: str,
    value: str,
    body: bytes,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether ``value`` (the header) signs ``body`` with ``secret`` within ``tolerance``.
    False, never an exception, for a malformed header: ASCII digits only (``str.isdigit``
    admits ``²``, which ``int`` refuses), and signatures compared as bytes (``compare_digest``
    raises on a non-ASCII ``str``). docs/integrators.md shows receivers the same function."""
    parts = [p.partition("=") for p in value.split(",")]
    stamps = [v for k, _, v in parts if k == "t"]
    if len(stamps) != 1 or not _TIMESTAMP.fullmatch(stamps[0]):
        return False
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).encode()
    return any(hmac.compare_digest(expected, v.encode()) for k, _, v in parts if k == "v1")
