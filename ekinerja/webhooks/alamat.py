"""Where a webhook may be sent. A URL an API client registers is a request this service will
make from inside the agency's network, so loopback, private, link-local and other special
addresses are refused unless the deployment allows them (development does, for local
receivers). Checked when a URL is registered (literal addresses) and again before every
attempt (what the host name resolves to then), and the attempt connects to the very address
checked, so a name cannot resolve to a public address for the check and a private one for the
connection."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

from ekinerja.refusals import Refusal

MAX_URL = 500
_DEFAULT_PORT = {"https": 443, "http": 80}


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


def penerima(url: str) -> str:
    """The receiver a URL reaches, as the per-receiver in-flight bound counts it: `host:port`,
    the host lowercased, IDNA-encoded and without a trailing dot (an IPv6 address in its short
    form, bracketed), the port the scheme's default when none is written. So
    `https://EXAMPLE.com:443/a`, `https://example.com.` and `http://example.com:443` are one
    receiver (one listening socket, whatever the scheme spoken to it), and `https://bücher.de`
    is `https://xn--bcher-kva.de`. The one place this is decided; a URL that does not parse
    (none is registered so) is its own receiver."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port or _DEFAULT_PORT.get(parts.scheme)
    except ValueError:
        port = None
    host = (parts.hostname or "").rstrip(".")
    if not host or port is None:
        return url
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"{_ascii_host(host)}:{port}"
    return f"[{address}]:{port}" if address.version == 6 else f"{address}:{port}"


def _ascii_host(host: str) -> str:
    """A host name as DNS sees it: lowercase ASCII (IDNA 2008 with UTS 46 mapping, as httpx
    connects); a name IDNA refuses stays as written, lowercased."""
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.lower()


@dataclass(frozen=True)
class Sasaran:
    """Where one attempt connects: the URL with its host replaced by the checked address, and
    what keeps the receiver seeing its own name (the Host header, TLS SNI and certificate)."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, str]


def pinned(url: str, address: str) -> Sasaran:
    """``url`` aimed at ``address``: the connection goes to the address that was checked, not
    to whatever the name resolves to a moment later (DNS rebinding)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = f"{host}:{parts.port}" if parts.port else host
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return Sasaran(parts._replace(netloc=netloc).geturl(), {"Host": host_header}, extensions)


async def public_target(url: str) -> Sasaran:
    """The URL pinned to a public address its host resolves to; ValueError when any address
    it resolves to is not public (a name mixing public and private addresses is refused)."""
    host = urlsplit(url).hostname or ""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if _special(address):
            raise ValueError(f"{host} resolves to {address}, which is not a public address")
    if not addresses:
        raise ValueError(f"{host} does not resolve")
    return pinned(url, str(addresses[0]))
