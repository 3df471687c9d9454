"""Bearer token validation against a real JWKS endpoint over HTTP, with real signed tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import httpx
import orjson
import pytest

from ekinerja.auth.authentication import principal_from
from ekinerja.auth.errors import InvalidToken
from ekinerja.auth.jwks import JwksCache
from ekinerja.auth.principal import Role
from ekinerja.auth.tokens import IssuerConfig, TokenValidator
from tests.support.idp import TestIdentityProvider


@pytest.fixture(scope="module")
def idp():
    provider = TestIdentityProvider()
    provider.start()
    yield provider
    provider.stop()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def make_validator(idp):
    clients = []

    def make(**issuer_overrides):
        config = IssuerConfig(
            issuer=idp.issuer, audiences=("ekinerja",), jwks_uri=idp.jwks_uri, **issuer_overrides
        )
        client = httpx.AsyncClient()
        clients.append(client)
        clock = Clock()
        cache = JwksCache(client, min_refetch_interval=30, clock=clock)
        trusted = {config.issuer: config}
        return TokenValidator(trusted.get, cache), cache, clock

    yield make
    for client in clients:
        await client.aclose()


async def test_a_valid_token_yields_its_claims(idp, make_validator):
    validator, _, _ = make_validator()
    verified = await validator.validate(idp.token({"preferred_username": "198609262015051001"}))
    assert verified.claims["preferred_username"] == "198609262015051001"
    assert verified.issuer.issuer == idp.issuer


def _unsigned(header: dict, claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def _hs256_with_public_key(idp) -> str:
    header = {"alg": "HS256", "kid": idp.keys[0].kid}
    claims = {"iss": idp.issuer, "aud": "ekinerja", "iat": _now(), "exp": _now() + 60}
    unsigned = _unsigned(header, claims)[:-1]
    secret = idp.keys[0].as_pem(private=False)
    mac = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def _now() -> int:
    return int(time.time())


@pytest.mark.parametrize(
    ("make_token", "code", "message"),
    [
        (lambda idp: "not-a-jwt", "INVALID_TOKEN", "three dot-separated parts"),
        (lambda idp: "a.b.c", "INVALID_TOKEN", "is not base64url JSON"),
        (lambda idp: idp.token(lifetime=-120), "TOKEN_EXPIRED", "expired"),
        (lambda idp: idp.token({"nbf": _now() + 600}), "TOKEN_NOT_YET_VALID", "not valid yet"),
        (lambda idp: idp.token({"iat": _now() + 600}), "INVALID_TOKEN", "issued in the future"),
        (lambda idp: idp.token({"iss": "https://evil.test"}), "INVALID_TOKEN", "is not trusted"),
        (lambda idp: idp.token({"aud": "someone-else"}), "WRONG_AUDIENCE", "not meant for"),
        (
            lambda idp: _unsigned({"alg": "none"}, {"iss": idp.issuer, "aud": "ekinerja"}),
            "INVALID_TOKEN",
            "algorithm 'none' is not accepted",
        ),
        (
            # The classic confusion: HMAC "signed" with the issuer's public key as the secret.
            lambda idp: _hs256_with_public_key(idp),
            "INVALID_TOKEN",
            "algorithm 'HS256' is not accepted",
        ),
        (
            lambda idp: idp.token(key=TestIdentityProvider.new_key("rsa-1")),
            "INVALID_TOKEN",
            "signature verification failed",
        ),
        (
            lambda idp: idp.token(key=TestIdentityProvider.new_key("never-published")),
            "INVALID_TOKEN",
            "'never-published' is not published",
        ),
        (lambda idp: idp.token({"exp": "tomorrow"}), "INVALID_TOKEN", "no valid `exp`"),
    ],
)
async def test_bad_tokens_are_refused_with_a_clear_reason(
    idp, make_validator, make_token, code, message
):
    validator, _, _ = make_validator()
    with pytest.raises(InvalidToken, match=message) as refused:
        await validator.validate(make_token(idp))
    assert refused.value.code == code
    assert refused.value.http_status == 401


@pytest.mark.parametrize(
    "claims", [{"aud": "account", "azp": "ekinerja"}, {"aud": None, "azp": "ekinerja"}]
)
async def test_azp_does_not_stand_in_for_aud(idp, make_validator, claims):
    """`azp` names the client a token was issued to, not the service it is for: a token for
    another audience (or none) is refused whatever its `azp` says (issue 14, defect 6)."""
    validator, _, _ = make_validator()
    with pytest.raises(InvalidToken, match="not meant for this service") as refused:
        await validator.validate(idp.token(claims))
    assert refused.value.code == "WRONG_AUDIENCE"


async def test_aud_may_be_a_list_naming_this_service_among_others(idp, make_validator):
    validator, _, _ = make_validator()
    verified = await validator.validate(idp.token({"aud": ["account", "ekinerja"], "azp": "x"}))
    assert verified.claims["azp"] == "x"


@pytest.mark.parametrize("aud", [{"ekinerja": True}, 42, ["ekinerja", 7], [["ekinerja"]], True])
async def test_an_aud_of_another_shape_is_refused_not_a_crash(idp, make_validator, aud):
    validator, _, _ = make_validator()
    with pytest.raises(InvalidToken, match="`aud` claim must be a string or a list of strings"):
        await validator.validate(idp.token({"aud": aud}))


async def test_rotated_key_is_fetched_once_and_refetches_are_rate_limited(idp, make_validator):
    validator, cache, clock = make_validator()
    await validator.validate(idp.token())
    assert cache.fetches == 1

    new_key = idp.rotate(f"rotated-{_now()}", kind="EC")
    token = idp.token(key=new_key, alg="ES256")
    # Within the refetch interval an unknown kid does not reach the IdP again…
    with pytest.raises(InvalidToken, match="is not published"):
        await validator.validate(token)
    assert cache.fetches == 1
    # …after it, one refetch picks up the new key, and the old one still works.
    clock.now += 31
    assert (await validator.validate(token)).claims["iss"] == idp.issuer
    assert (await validator.validate(idp.token())).claims["iss"] == idp.issuer
    assert cache.fetches == 2

    # Made-up kids cost at most one refetch per interval.
    for i in range(5):
        with pytest.raises(InvalidToken):
            await validator.validate(idp.token(key=TestIdentityProvider.new_key(f"fake-{i}")))
    assert cache.fetches == 2


async def test_key_location_named_in_the_token_is_never_fetched(idp, make_validator):
    validator, cache, _ = make_validator()
    attacker_key = TestIdentityProvider.new_key("attacker")
    token = idp.token(
        key=attacker_key, header={"jku": "http://127.0.0.1:1/evil.json", "jwk": {"kty": "RSA"}}
    )
    hits_before = idp.jwks_hits
    with pytest.raises(InvalidToken, match="'attacker' is not published"):
        await validator.validate(token)
    assert idp.jwks_hits == hits_before + 1  # only our configured location was asked


# --- Verified tokens are remembered until they expire (issue 17) ------------------------------


@pytest.fixture
async def remembering(idp):
    """A validator on a clock of the test's and a directory of trusted issuers it can change."""
    config = IssuerConfig(issuer=idp.issuer, audiences=("ekinerja",), jwks_uri=idp.jwks_uri)
    trusted = {config.issuer: config}
    clock = Clock()
    clock.now = time.time()
    async with httpx.AsyncClient() as client:
        validator = TokenValidator(trusted.get, JwksCache(client), now=clock)
        yield validator, trusted, clock


async def test_a_token_is_verified_once_and_then_remembered(idp, remembering):
    validator, _, _ = remembering
    token = idp.token({"preferred_username": "198609262015051001"})
    first = await validator.validate(token)
    hits = idp.jwks_hits
    assert await validator.validate(token) is first
    assert idp.jwks_hits == hits


async def test_a_remembered_token_still_expires(idp, remembering):
    validator, _, clock = remembering
    token = idp.token(lifetime=60)
    await validator.validate(token)
    clock.now += 60 + 31  # past exp and the leeway
    with pytest.raises(InvalidToken, match="expired"):
        await validator.validate(token)


async def test_a_remembered_token_of_an_issuer_no_longer_trusted_is_refused(idp, remembering):
    validator, trusted, _ = remembering
    token = idp.token()
    await validator.validate(token)
    trusted.clear()
    with pytest.raises(InvalidToken, match="is not trusted"):
        await validator.validate(token)


async def test_a_remembered_token_is_checked_again_when_its_issuer_changes(idp, remembering):
    validator, trusted, _ = remembering
    token = idp.token()
    await validator.validate(token)
    trusted[idp.issuer] = IssuerConfig(
        issuer=idp.issuer, audiences=("another-service",), jwks_uri=idp.jwks_uri
    )
    with pytest.raises(InvalidToken, match="not meant for this service"):
        await validator.validate(token)


async def test_only_the_same_bytes_are_remembered(idp, remembering):
    validator, _, _ = remembering
    token = idp.token()
    await validator.validate(token)
    header, payload, signature = token.split(".")
    forged = ".".join(
        (header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB"))
    )
    with pytest.raises(InvalidToken, match="signature"):
        await validator.validate(forged)


async def test_the_person_of_a_remembered_token_follows_its_issuer(idp, remembering):
    """The principal a token names is worked out once per remembered token, and again when the
    issuer's configuration changes (the token is verified anew, its person with it)."""
    validator, trusted, _ = remembering
    nip = "198609262015051001"
    token = idp.token(
        {"preferred_username": nip, "instansi": "DEMO", "realm_access": {"roles": ["pengelola"]}}
    )
    person = await principal_from(await validator.validate(token))
    assert await principal_from(await validator.validate(token)) is person
    assert person.nip == nip and not person.has_role(Role.ADMIN_INSTANSI)
    trusted[idp.issuer] = IssuerConfig(
        issuer=idp.issuer, audiences=("ekinerja",), jwks_uri=idp.jwks_uri, admin_role="pengelola"
    )
    promoted = await principal_from(await validator.validate(token))
    assert promoted.has_role(Role.ADMIN_INSTANSI)
