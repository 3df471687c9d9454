"""CORS: which other origins' pages may call the API from a browser, and with what (decision
0024).

Two lists, one rule each:

- ``EKINERJA_CORS_ALLOWED_ORIGINS``: pages that call with a bearer token. Their requests and
  preflights are answered with ``Access-Control-Allow-Origin`` (the exact origin) but never
  ``Access-Control-Allow-Credentials``, so a browser sends them no cookie and lets them read
  no cookie-authenticated response.
- The origins trusted with the session cookie (the public URL's and
  ``EKINERJA_SESSION_ALLOWED_ORIGINS``, the same set the CSRF check accepts,
  ``same_origin.allowed_origins``): allowed as above *and* with credentials. So the CORS list
  is always a superset of the session list, and one setting says who may use the cookie.

Any other origin gets no CORS header at all: its preflight is refused 403 with a message
naming the setting; its actual requests are served as for any client (a browser just hides the
answer from the page; the CSRF check guards cookie requests that change something).

Starlette's CORSMiddleware is not used: it has one credentials flag for every origin, adds
``Allow-Credentials`` and ``Expose-Headers`` to responses for unlisted origins too, and answers
a refused preflight with CORS headers in plain text.

Preflights are answered before routing and authentication (a preflight carries no
credentials), for every path. Actual responses are decorated whatever their status, so a
portal can read a 401, a 404, a 503 or a bug's 500 (edge.py applies the policy, outside every
other layer).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import Scope

from ekinerja.auth.authentication import TENANT_HEADER
from ekinerja.http.envelope import error_response
from ekinerja.http.request_id import HEADER as REQUEST_ID_HEADER
from ekinerja.http.same_origin import allowed_origins, origin_of
from ekinerja.integrasi.idempotensi import HEADER as IDEMPOTENCY_HEADER
from ekinerja.integrasi.idempotensi import REPLAYED_HEADER
from ekinerja.settings import Settings

# Every method a browser-facing route accepts (/graphql GET and POST, the PDFs and CSVs, the
# imports, logout, the token endpoint, the local store's upload form and download).
ALLOWED_METHODS = ("GET", "HEAD", "POST")
# Every request header the service reads that a page may set (the CORS-safelisted ones need no
# listing, but content-type only is safelisted for form and text bodies, not JSON).
ALLOWED_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    IDEMPOTENCY_HEADER,
    TENANT_HEADER,
    REQUEST_ID_HEADER,
)
# Response headers a portal needs to read beyond the safelisted ones (content-type and a few).
EXPOSED_HEADERS = (
    REQUEST_ID_HEADER,
    "retry-after",
    "location",
    "content-disposition",
    REPLAYED_HEADER.lower(),
    "www-authenticate",
)
REFUSED_CODE = "CORS_ORIGIN_REFUSED"


@dataclass(frozen=True)
class CorsPolicy:
    origins: frozenset[str]  # may read responses (bearer-token pages)
    credentialed: frozenset[str]  # may also send and read with the session cookie
    max_age_seconds: int

    @classmethod
    def of(cls, settings: Settings) -> CorsPolicy:
        credentialed = allowed_origins(settings)
        listed = {origin for url in settings.cors_allowed_origins if (origin := origin_of(url))}
        return cls(frozenset(listed) | credentialed, credentialed, settings.cors_max_age_seconds)

    def headers_for(self, origin: str | None) -> dict[str, str]:
        """The CORS headers an actual response to a page of ``origin`` carries: none for an
        unlisted one. Compared exactly: browsers send the origin serialised (lowercase, no
        default port), as the settings were normalised."""
        if origin is None or origin not in self.origins:
            return {}
        headers = {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
        }
        if origin in self.credentialed:
            headers["Access-Control-Allow-Credentials"] = "true"
        return headers

    def preflight(self, origin: str) -> Response:
        if origin not in self.origins:
            return _refusal(origin)
        headers = {
            **self.headers_for(origin),
            "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
            "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
            "Access-Control-Max-Age": str(self.max_age_seconds),
            "Vary": "Origin",
        }
        del headers["Access-Control-Expose-Headers"]  # meaningless on a preflight
        # The requested method and headers are not checked here: the browser compares them
        # with these lists and names the one that is missing, which is clearer than a refusal.
        return Response(status_code=204, headers=headers)


def _refusal(origin: str) -> Response:
    message = (
        f"origin {origin[:200]!r} may not call this service from a browser: it is not listed "
        "in EKINERJA_CORS_ALLOWED_ORIGINS (bearer tokens) or EKINERJA_SESSION_ALLOWED_ORIGINS "
        "(the session cookie)"
    )
    return error_response(REFUSED_CODE, message, 403, headers={"Vary": "Origin"})


def is_preflight_request(scope: Scope, origin: str | None, requested_method: bytes | None) -> bool:
    """An OPTIONS request with Origin and Access-Control-Request-Method: a browser asking
    before its actual request (answered by ``CorsPolicy.preflight``, in edge.py)."""
    return scope["method"] == "OPTIONS" and origin is not None and requested_method is not None
