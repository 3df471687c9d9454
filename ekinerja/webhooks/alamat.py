"""Where a webhook may be sent. A URL an API client registers is a request this service will
make from inside the agency's network, so loopback, private, link-local and other special
addresses are refused unless the deployment allows them (development does, for local
receivers). Checked when a URL is registered (literal addresses) and again before every
attempt (what the host name resolves to then)."""

from __future__ import annotations

import asyncio
import ipaddress
from urllib.parse import urlsplit

from ekinerja.refusals import Refusal

MAX_URL = 500


def _special(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not address.is_global or address.is_multicast


def check_url(url: str, allow_private: bool, field: str = "url") -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL:
        raise Refusal("INVALID_URL", f"the URL is longer than {MAX_URL} characters", field)
    allowed_schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise Refusal(
            "INVALID_URL", f"the URL must be {' or '.join(allowed_schemes)} with a host", field
        )
    if parts.username or parts.password:
        raise Refusal("INVALID_URL", "the URL must not carry credentials", field)
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and _special(literal) and not allow_private:
        raise Refusal("INVALID_URL", f"{literal} is not a public address", field)
    return url


async def ensure_public(url: str) -> None:
    """Refuse (ValueError) a URL whose host resolves to a non-public address."""
    host = urlsplit(url).hostname or ""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if _special(address):
            raise ValueError(f"{host} resolves to {address}, which is not a public address")
