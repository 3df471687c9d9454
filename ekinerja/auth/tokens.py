"""Bearer token validation: signature by a trusted issuer's published key, then claims.

Order matters and every refusal says what was wrong:
1. the compact JWS must parse; its `alg` must be in the allowlist (RS256, PS256, ES256): `none`
   and HMAC are refused before any key is looked at, which closes the classic "HS256 signed
   with the public key" confusion;
2. the unverified `iss` only selects which configured issuer to check against: an issuer we do
   not trust is refused;
3. the key comes from that issuer's configured JWKS location, by `kid`;
4. the signature is verified, then `exp`, `nbf`, `iat`, `iss` and `aud` with a small leeway.
   Only `aud` says whom a token is for: `azp` names the party it was issued to (RFC 9068), and
   accepting it as an audience would let any client of the issuer whose id happens to be ours
   (or a token minted for another service by a client of that name) in.

Claims that name things (`aud`, roles, scopes) are read by one rule (`names_in`): a list of
strings or a single string; any other shape refuses the token, never a guess.

A portal sends the same token with every request until it expires, and verifying its signature
is most of a request's fixed cost (issue 17). So a token that verified is remembered by its
SHA-256 until its `exp`: a later request with the same bytes skips steps 1–4's parsing and
signature, but its time claims are checked again, and its issuer must still be trusted with
the same configuration.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ekinerja.auth.errors import InvalidToken
from ekinerja.auth.jwks import JwksCache

ALLOWED_ALGORITHMS = ("RS256", "PS256", "ES256")
DEFAULT_LEEWAY_SECONDS = 30
# Tokens remembered as verified, at most (the least recently used go first).
REMEMBERED_TOKENS = 20_000


@dataclass(frozen=True)
class IssuerConfig:
    """A trusted identity provider. ``instansi_kode`` set: it speaks for that one tenant;
    unset: a central issuer whose tokens name the tenant in ``tenant_claim``."""

    issuer: str
    audiences: tuple[str, ...]
    jwks_uri: str | None = None
    static_keys: KeySet | None = field(default=None, compare=False)
    instansi_kode: str | None = None
    nip_claim: str = "preferred_username"
    tenant_claim: str = "instansi"
    roles_claim: str = "realm_access.roles"
    admin_role: str = "admin-instansi"
    central_admin_role: str = "bkn-admin"


@dataclass(frozen=True)
class VerifiedToken:
    claims: Mapping[str, Any]
    issuer: IssuerConfig
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What is computed from the claims and the issuer alone (the person a token names), kept
    with the token for as long as it is remembered: a token dropped because its issuer's
    configuration changed takes it along."""

    def claim(self, path: str) -> Any:
        """A claim by dotted path (`realm_access.roles`); None when any step is missing or is
        not an object (a list or string in the middle ends the path, it is never indexed)."""
        value: Any = self.claims
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value

    def roles(self) -> frozenset[str]:
        """The role names the issuer granted, from its configured roles claim. Compared by
        exact membership: a string is one role, never searched for substrings."""
        path = self.issuer.roles_claim
        return names_in(
            self.claim(path),
            path,
            space_separated=path.rsplit(".", 1)[-1] in SPACE_SEPARATED_CLAIMS,
            code="INVALID_ROLES_CLAIM",
        )

    def scopes(self) -> frozenset[str]:
        """The scopes the token carries (`scope`, space-separated by RFC 6749 §3.3)."""
        return names_in(
            self.claims.get("scope"), "scope", space_separated=True, code="INVALID_SCOPE_CLAIM"
        )


# Claims that RFC 6749 §3.3 / RFC 9068 define as one space-separated string. An issuer whose
# roles live in such a claim (`ekinerja idp add --roles-claim scope`) gets them split on
# spaces; any other claim's string is exactly one role.
SPACE_SEPARATED_CLAIMS = frozenset({"scope", "scp"})


def names_in(
    value: Any, claim: str, *, space_separated: bool = False, code: str = "INVALID_TOKEN"
) -> frozenset[str]:
    """The names a claim holds: absent → none; a list of strings → those; a string → that one
    name (or its space-separated words where the claim is defined that way). Any other shape
    (an object, a number, a list holding anything but strings) is refused, so a claim we do
    not understand can never grant anything."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.split() if space_separated else (value,))
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return frozenset(value)
    raise InvalidToken(
        f"the `{claim}` claim must be a string or a list of strings, not {type(value).__name__}",
        code=code,
    )


def _segment(token: str, index: int, what: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed token: a JWT has three dot-separated parts")
    try:
        raw = parts[index] + "=" * (-len(parts[index]) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(raw))
    except (ValueError, TypeError):
        raise InvalidToken(f"malformed token: the {what} is not base64url JSON") from None
    if not isinstance(value, dict):
        raise InvalidToken(f"malformed token: the {what} is not a JSON object")
    return value


class TokenValidator:
    def __init__(
        self,
        issuers: Callable[[str], IssuerConfig | None],
        jwks: JwksCache,
        now: Callable[[], float] = time.time,
        leeway: int = DEFAULT_LEEWAY_SECONDS,
    ) -> None:
        self._issuers = issuers
        self._jwks = jwks
        self._now = now
        self._leeway = leeway
        self._verified: OrderedDict[bytes, VerifiedToken] = OrderedDict()

    async def validate(self, token: str) -> VerifiedToken:
        digest = hashlib.sha256(token.encode()).digest()
        remembered = self._verified.get(digest)
        if remembered is not None:
            trusted = self._issuers(remembered.issuer.issuer)
            if trusted is remembered.issuer or trusted == remembered.issuer:
                # The same bytes, verified for this very configuration: their issuer and
                # audience were checked then; only the time can have made them invalid.
                self._check_times(remembered.claims)
                self._verified.move_to_end(digest)
                return remembered
            del self._verified[digest]  # its issuer is no longer trusted as it was
        verified = await self._verify(token)
        self._verified[digest] = verified
        while len(self._verified) > REMEMBERED_TOKENS:
            self._verified.popitem(last=False)
        return verified

    async def _verify(self, token: str) -> VerifiedToken:
        header = _segment(token, 0, "header")
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise InvalidToken(
                f"algorithm {algorithm!r} is not accepted; use one of "
                + ", ".join(ALLOWED_ALGORITHMS)
            )
        unverified = _segment(token, 1, "payload")
        issuer = self._issuers(str(unverified.get("iss", "")))
        if issuer is None:
            raise InvalidToken(f"issuer {unverified.get('iss')!r} is not trusted")
        kid = header.get("kid")
        if issuer.static_keys is not None:
            key = next((k for k in issuer.static_keys.keys if kid in (None, k.kid)), None)
            if key is None:
                raise InvalidToken(f"signing key {kid!r} is not published by the issuer")
        else:
            key = await self._jwks.key(issuer.jwks_uri, kid)
        try:
            decoded = jwt.decode(token, key, algorithms=[algorithm])
        except JoseError as error:
            raise InvalidToken(f"signature verification failed ({error.error})") from None
        self._check_claims(decoded.claims, issuer)
        return VerifiedToken(decoded.claims, issuer)

    def _check_claims(self, claims: Mapping[str, Any], issuer: IssuerConfig) -> None:
        self._check_times(claims)
        if claims.get("iss") != issuer.issuer:
            raise InvalidToken("the token's issuer does not match")
        if not names_in(claims.get("aud"), "aud") & set(issuer.audiences):
            raise InvalidToken(
                "the token is not meant for this service (its `aud` does not name it)",
                code="WRONG_AUDIENCE",
            )

    def _check_times(self, claims: Mapping[str, Any]) -> None:
        now = self._now()
        for name in ("exp", "iat"):
            if not isinstance(claims.get(name), int | float):
                raise InvalidToken(f"the token has no valid `{name}` claim")
        if claims["exp"] + self._leeway < now:
            raise InvalidToken("the token has expired", code="TOKEN_EXPIRED")
        if claims["iat"] - self._leeway > now:
            raise InvalidToken("the token was issued in the future (`iat`)")
        nbf = claims.get("nbf")
        if nbf is not None and (not isinstance(nbf, int | float) or nbf - self._leeway > now):
            raise InvalidToken("the token is not valid yet (`nbf`)", code="TOKEN_NOT_YET_VALID")
