"""CSRF defence for the session cookie: a request that changes something and is authenticated
by the cookie must come from this service's own pages (decision 0017).

A browser attaches the cookie to a request some other site's page makes (a form post, a
`fetch` with a text/plain body that needs no CORS preflight), but it always says where that
page came from in `Origin` (every POST from current browsers) or else `Referer`, and a page
cannot forge either. So such a request must name the public URL's origin or one configured
in `session_allowed_origins`; a request naming neither header is refused too. Bearer-token
requests are not affected: another site's page cannot attach an Authorization header.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from ekinerja.auth.errors import AccessDenied
from ekinerja.settings import Settings
from ekinerja.storage.setup import public_base_url

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SHOWN = 200  # of a refused header, in the message
# One machine under three names: in development a page opened at localhost:8000 is the same
# service as the default public URL http://127.0.0.1:8000.
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class CrossOriginRefused(AccessDenied):
    code = "CSRF_REJECTED"


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL (lowercase, default port dropped); None for anything
    that is not an http(s) URL, including the `null` origin of sandboxed pages."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"  # IPv6, as written in an origin
    return f"{scheme}://{host}" + (f":{port}" if port and port != _DEFAULT_PORTS[scheme] else "")


def allowed_origins(settings: Settings) -> frozenset[str]:
    configured = [public_base_url(settings), *settings.session_allowed_origins]
    origins = {origin for url in configured if (origin := origin_of(url))}
    if not settings.is_production:
        origins |= {alias for origin in origins for alias in _loopback_aliases(origin)}
    return frozenset(origins)


def _loopback_aliases(origin: str) -> list[str]:
    """The other loopback names of a loopback origin (``http://localhost:8000`` for
    ``http://127.0.0.1:8000``); none for any other host."""
    parts = urlsplit(origin)
    if f"[{parts.hostname}]" not in _LOOPBACK_NAMES and parts.hostname not in _LOOPBACK_NAMES:
        return []
    suffix = f":{parts.port}" if parts.port else ""
    return [f"{parts.scheme}://{name}{suffix}" for name in _LOOPBACK_NAMES]


def ensure_same_origin(request: HTTPConnection, allowed: frozenset[str]) -> None:
    """Refuse (403 CSRF_REJECTED) a state-changing request from a page of another origin."""
    if request.scope.get("method", "GET") in SAFE_METHODS:
        return
    header = "Origin" if "origin" in request.headers else "Referer"
    claimed = request.headers.get(header)
    if claimed is None:
        raise CrossOriginRefused(
            "a request that changes something with the session cookie must carry an Origin "
            "(or Referer) header naming this service's pages"
        )
    if origin_of(claimed) not in allowed:
        raise CrossOriginRefused(
            f"cross-origin request refused: {header} {claimed[:_SHOWN]!r} is not one of "
            f"{', '.join(sorted(allowed))} (EKINERJA_PUBLIC_URL, "
            "EKINERJA_SESSION_ALLOWED_ORIGINS)"
        )
