"""What a process checks before it serves anything: that its configuration is safe to run.

Development mode is open by design (`/auth/dev-login` signs anyone in as any pegawai or admin
of any instansi, and development tokens are trusted), which is what the embedded default is
for. Against a real database server it is refused unless asked for by name
(`EKINERJA_MODE=development`), and then it runs with a loud warning. Production refuses to start
with a missing or weak secret, or a token signing key that does not parse. Each refusal is one
line that names the variable to fix.

`create_app` and `ekinerja worker` call `check_startup`; `ekinerja serve` reaches it through
`create_app`.
"""

from __future__ import annotations

import logging

from ekinerja.auth.service_tokens import InvalidSigningKey, signing_key
from ekinerja.db.config import DatabaseAddress, DatabaseUrlError
from ekinerja.settings import Mode, Settings

log = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 32
# Values copied from examples and compose files; a long placeholder is as public as a short one.
_PLACEHOLDERS = (
    "change-me",
    "changeme",
    "change_me",
    "replace-me",
    "replace-with",
    "replaceme",
    "your-secret",
    "placeholder",
    "example",
)
_COMMON = frozenset({"secret", "password", "ekinerja", "development", "test", "default"})


class StartupRefused(RuntimeError):
    """The configuration is unsafe to run with; the message is one line saying what to fix."""


def check_startup(settings: Settings) -> None:
    """Refuse an unsafe configuration (StartupRefused), warn about a risky one."""
    if settings.mode is Mode.DEVELOPMENT and settings.database_url is not None:
        _development_against_a_server(settings)
    if settings.is_production:
        _require_strong("EKINERJA_SESSION_SECRET", settings.session_secret, required=True)
        _require_strong(
            "EKINERJA_STORAGE_SIGNING_SECRET", settings.storage_signing_secret, required=False
        )
    if settings.token_signing_key is not None:
        try:
            signing_key(settings)
        except InvalidSigningKey as error:
            raise StartupRefused(str(error)) from None


def _server(settings: Settings) -> str:
    """Where DATABASE_URL points, without its password."""
    try:
        address = DatabaseAddress.parse(settings.database_url or "")
    except DatabaseUrlError:
        return "the server in DATABASE_URL"
    return f"{address.host}:{address.port}/{address.database}"


def _development_against_a_server(settings: Settings) -> None:
    server = _server(settings)
    if "mode" not in settings.model_fields_set:
        raise StartupRefused(
            f"DATABASE_URL points at a database server ({server}) but EKINERJA_MODE is not set, "
            "and development mode (the default) lets anyone sign in as anyone: set "
            "EKINERJA_MODE=production, or EKINERJA_MODE=development to run it open on purpose"
        )
    log.warning(
        "DEVELOPMENT MODE AGAINST A DATABASE SERVER (%s): anyone who reaches this service can "
        "sign in at /auth/dev-login as any pegawai or admin of any instansi, and development "
        "tokens are trusted. Never expose it; use EKINERJA_MODE=production for real data.",
        server,
    )


def _require_strong(variable: str, secret: str | None, *, required: bool) -> None:
    if not secret:
        if required:
            raise StartupRefused(f"{variable} must be set in production")
        return
    reason = _weakness(secret)
    if reason:
        raise StartupRefused(
            f"{variable} is {reason}: use a random string of at least {MIN_SECRET_LENGTH} "
            "characters (e.g. `openssl rand -base64 48`)"
        )


def _weakness(secret: str) -> str | None:
    lowered = secret.strip().lower()
    if lowered in _COMMON or any(word in lowered for word in _PLACEHOLDERS):
        return "a placeholder"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(secret)) == 1:
        return "one character repeated"
    return None
