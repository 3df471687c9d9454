"""Which address a request comes from, for per-address limits. Behind a reverse proxy every
request's peer is the proxy, so one abuser would limit everyone; the proxy says who it forwards
for in `X-Forwarded-For`. That header is anyone's to write, so it is believed only from a peer
in `trusted_proxies` (EKINERJA_TRUSTED_PROXIES, default none), and only as far as trusted hops
go: the address is the rightmost one in the chain (peer last) that is not itself a trusted
proxy. A client that sends its own `X-Forwarded-For` through the proxy only adds entries to the
left of the one the proxy appended, which is the one taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.requests import HTTPConnection

Network = IPv4Network | IPv6Network
UNKNOWN = "unknown"
_MAX_HOPS = 20  # a longer chain is read from its right end only: nobody proxies 20 deep


def client_address(request: HTTPConnection, trusted: Sequence[Network]) -> str:
    """The address to count ``request`` against."""
    peer = request.client.host if request.client else None
    if peer is None:
        return UNKNOWN
    if not _is_trusted(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
    ][-_MAX_HOPS:]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return _canonical(hop) or peer  # garbage where an address belongs: the proxy's
    return peer  # every hop trusted, or no header: the proxies' own request


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text)
    except ValueError:
        return None


def _canonical(text: str) -> str | None:
    parsed = _parse(text)
    return None if parsed is None else str(parsed)


def _is_trusted(text: str, trusted: Sequence[Network]) -> bool:
    parsed = _parse(text)
    if parsed is None:
        return False
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return any(parsed.version == network.version and parsed in network for network in trusted)
