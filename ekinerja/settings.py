"""Process configuration, read once from the environment and `.env`.

Every variable is prefixed ``EKINERJA_`` except ``DATABASE_URL``, which keeps its conventional
name so platform tooling (Heroku-style buildpacks, compose files) can set it as usual.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


class StorageBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="EKINERJA_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "EKINERJA_DATABASE_URL"),
        description="PostgreSQL URL. Unset: an embedded PostgreSQL under `data_dir`.",
    )
    direct_database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL for what needs a session of its own, past any pooler: the "
        "LISTEN connections (registry watcher, webhook worker, import jobs). Unset: the "
        "DATABASE_URL (or embedded) address. Behind PgBouncer in transaction mode, DATABASE_URL "
        "names PgBouncer and this the PostgreSQL server (docs/deployment.md).",
    )
    mode: Mode = Field(
        default=Mode.DEVELOPMENT,
        description="`development` or `production`. The default, development, is open (dev "
        "login as anyone) and is refused with DATABASE_URL set unless set explicitly "
        "(ekinerja/startup.py).",
    )
    data_dir: Path = Field(
        default=Path(".ekinerja"), description="Embedded PostgreSQL data and local files."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int | None = Field(
        default=None,
        ge=1,
        description="Processes `serve` runs on its one socket, each with its own database pool: "
        "up to workers × db_pool_max pooled connections, plus one LISTEN connection each. "
        "Default: one per CPU core in production, 1 in development.",
    )
    log_format: LogFormat = LogFormat.JSON
    log_level: str = "INFO"
    access_log: bool = Field(
        default=True,
        description="One INFO line per HTTP request (logger ekinerja.http.access: method, path, "
        "status, duration, client, request id). Off: a proxy in front logs requests already. "
        "uvicorn's own access line is always off (it would be a second line per request).",
    )

    db_pool_min: int = Field(default=1, ge=0, description="Pool minimum per process.")
    db_pool_max: int = Field(
        default=20, ge=1, description="Pool maximum per process, whatever the tenant count."
    )
    db_statement_cache_size: int = Field(
        default=100,
        ge=0,
        description="asyncpg prepared-statement cache; 0 behind PgBouncer older than 1.21.",
    )
    db_acquire_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Longest wait for a pooled connection (and for connecting) before a request "
        "is answered 503 DATABASE_TIMEOUT.",
    )
    db_statement_timeout_seconds: float = Field(
        default=30.0,
        ge=0,
        description="statement_timeout of a request's statements (transaction-local, set with "
        "the tenant binding; 0: none). The service also gives up on its own one second later, "
        "for a server that does not answer at all. CLI commands set none.",
    )
    db_lock_timeout_seconds: float = Field(
        default=5.0,
        ge=0,
        description="lock_timeout of a request's statements (0: none); a request waiting longer "
        "on a lock is answered 503 DATABASE_LOCK_TIMEOUT. CLI commands set none.",
    )
    db_idle_in_transaction_timeout_seconds: float = Field(
        default=60.0,
        ge=0,
        description="idle_in_transaction_session_timeout of every connection (0: none): the "
        "server ends a session that holds a transaction open without using it.",
    )
    readyz_timeout_seconds: float = Field(
        default=2.0,
        gt=0,
        description="Longest /readyz waits for each of its checks (the database, the object "
        "store's bucket).",
    )
    metrics_per_instansi: bool = Field(
        default=False,
        description="Label /metrics series by instansi (requests, webhook deliveries, outbox "
        "depth and lag): one series per instansi, so only where the number of instansi is "
        "small. Off: the `instansi` label is empty (docs/operations.md).",
    )
    metrics_max_operations: int = Field(
        default=100,
        ge=0,
        description="Distinct GraphQL operation names a process labels its request metrics "
        "with, first come (names are client-controlled); later names count as `other`.",
    )
    worker_metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Port of `ekinerja worker`'s own /metrics, /readyz and /healthz (on "
        "EKINERJA_HOST). Unset: no listener.",
    )
    otel_enabled: bool = Field(
        default=False,
        description="OpenTelemetry spans (request, tenant binding, SQL, S3, webhook delivery) "
        "when the `otel` extra is installed; exporter from the standard OTEL_* variables.",
    )
    tenant_role_prefix: str | None = Field(
        default=None,
        description="Prefix of per-tenant PostgreSQL roles (roles are cluster-wide). "
        "Default: the database name.",
    )
    migrate_concurrency: int = Field(default=4, ge=1, le=64)

    graphql_max_depth: int = Field(default=12, ge=1)
    graphql_max_tokens: int = Field(default=2000, ge=10)
    graphql_max_aliases: int = Field(default=30, ge=1)
    compiled_reads: bool = Field(
        default=True,
        description="Answer the query root fields the compiled read path covers with one SQL "
        "statement each (decision 0036); off: every field runs on its resolvers.",
    )
    graphql_max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest /graphql request body, in bytes; a larger one is refused 413.",
    )
    request_body_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Deadline for receiving a /graphql or /oauth/token request body, from when "
        "the service starts reading it; a body that has not all arrived by then (a stalled or "
        "trickling sender) is refused 408 BODY_TIMEOUT. The imports have import_seconds.",
    )

    oidc_issuer: str | None = Field(
        default=None,
        description="Identity provider for browser login (e.g. a Keycloak realm URL).",
    )
    oidc_discovery_url: str | None = Field(
        default=None,
        description="Where the service reads the IdP's metadata, when it cannot use the "
        "issuer's own URL (containers). Default: issuer + /.well-known/openid-configuration.",
    )
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = Field(default=None, description="Unset for a public client.")
    session_secret: str | None = Field(
        default=None,
        description="Signs the short-lived login-state cookie (OIDC state, PKCE verifier) and "
        "keys (HKDF) the encryption of browser sessions' refresh tokens. Development: generated "
        "under data_dir.",
    )
    session_idle_seconds: int = Field(
        default=3600,
        ge=60,
        le=7 * 86400,
        description="A browser session unused for this long ends (decision 0017).",
    )
    session_max_seconds: int = Field(
        default=8 * 3600,
        ge=300,
        le=30 * 86400,
        description="A browser session ends this long after login, however used; renewed "
        "silently with the identity provider's refresh token until then, or, without one, "
        "ended when the login's access token expires.",
    )
    session_allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins besides public_url's whose pages may send state-changing "
        "requests with the session cookie (comma-separated, e.g. https://portal.example.go.id).",
    )
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins whose pages may call the API from a browser without the session "
        "cookie (bearer tokens), comma-separated; session_allowed_origins and public_url's "
        "are allowed too, with the cookie (decision 0024).",
    )
    cors_max_age_seconds: int = Field(
        default=600,
        ge=0,
        le=86400,
        description="How long a browser may cache a preflight's answer (Access-Control-Max-Age).",
    )
    jwks_refetch_seconds: float = Field(default=30.0, ge=1)

    demo_tenant: str = Field(
        default="DEMO", description="Tenant the embedded default creates for a first look."
    )
    portal_dir: Path | None = Field(
        default=None,
        description="The reference portal's static files, served at /portal/ (issue 19). "
        "Default: the checkout's portal/ directory when it exists; the image sets "
        "/app/portal. A directory without index.html turns /portal/ off (404).",
    )

    public_url: str | None = Field(
        default=None,
        description="Where browsers reach this service (links it hands out, such as the local "
        "store's upload and download URLs). Default: http://{host}:{port}.",
    )
    storage_backend: StorageBackend = Field(
        default=StorageBackend.LOCAL,
        description="Evidence files: `local` (files under `storage_dir`, served by this "
        "service) or `s3` (any S3-compatible service).",
    )
    storage_dir: Path | None = Field(
        default=None, description="Local store directory. Default: data_dir/evidence."
    )
    storage_signing_secret: str | None = Field(
        default=None,
        description="Signs the local store's upload forms and download URLs. Development: "
        "generated under data_dir; production: derived from session_secret when unset.",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="S3 endpoint this process uses (MinIO: http://minio:9000)."
    )
    s3_public_endpoint_url: str | None = Field(
        default=None,
        description="S3 endpoint as browsers reach it, used only to presign URLs (their host "
        "is signed). Default: s3_endpoint_url.",
    )
    s3_bucket: str = Field(default="ekinerja-evidence", description="Bucket of evidence files.")
    s3_region: str = Field(default="us-east-1", description="Region of the bucket.")
    s3_access_key_id: str | None = Field(
        default=None, description="S3 access key. Unset: the AWS default credential chain."
    )
    s3_secret_access_key: str | None = Field(default=None, description="S3 secret key.")
    s3_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Longest wait to connect to the S3 endpoint."
    )
    s3_read_timeout_seconds: float = Field(
        default=15.0, gt=0, description="Longest wait for the S3 endpoint to answer a request."
    )
    s3_max_attempts: int = Field(
        default=2,
        ge=1,
        le=5,
        description="Attempts of one S3 call, the first included (retries back off); a frozen "
        "endpoint costs at most this × (connect + read timeout).",
    )
    evidence_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1, description="Largest evidence file accepted, in bytes."
    )
    evidence_upload_expiry_seconds: int = Field(
        default=900, ge=1, description="How long an upload form stays valid."
    )
    evidence_download_expiry_seconds: int = Field(
        default=300, ge=1, description="How long a download URL stays valid."
    )
    evidence_pending_ttl_seconds: int = Field(
        default=86400,
        ge=1,
        description="How long an unconfirmed upload may live before garbage collection.",
    )

    webhook_max_attempts: int = Field(
        default=8, ge=1, le=30, description="Attempts before a delivery is dead-lettered."
    )
    webhook_backoff_seconds: float = Field(
        default=30.0, gt=0, description="Wait after the first failed attempt; doubles each time."
    )
    webhook_backoff_max_seconds: float = Field(
        default=6 * 3600.0, gt=0, description="Longest wait between two attempts."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Per attempt, from resolving the host to the answer."
    )
    webhook_max_in_flight: int = Field(
        default=50, ge=1, description="Attempts a worker process has open at once, in all."
    )
    webhook_max_in_flight_per_receiver: int = Field(
        default=4,
        ge=1,
        description="Attempts a worker process has open at once to one receiver (scheme, host "
        "and port of the URL): a hanging receiver holds at most this many.",
    )
    webhook_allow_private_targets: bool | None = Field(
        default=None,
        description="Whether webhook URLs may reach loopback or private addresses. "
        "Default: only in development.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for notification emails (decision 0041); unset: no email.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="The SMTP server's port.")
    smtp_from: str = Field(
        default="ekinerja@localhost", description="The sender (From) of notification emails."
    )
    smtp_tls: str = Field(
        default="starttls",
        pattern="^(starttls|tls|none)$",
        description="starttls (upgrade after connecting), tls (implicit, e.g. port 465) or none.",
    )
    smtp_username: str | None = Field(default=None, description="SMTP login, when required.")
    smtp_password: str | None = Field(default=None, description="SMTP password, with the login.")
    smtp_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Per email, from connecting to the server's answer."
    )
    smtp_max_attempts: int = Field(
        default=5, ge=1, description="Attempts per email before it is given up (GAGAL)."
    )
    worker_in_serve: bool | None = Field(
        default=None,
        description="Run the webhook worker inside `serve`. Default: only in development.",
    )
    worker_sweep_seconds: float = Field(
        default=5.0, gt=0, description="How often the worker looks for due retries."
    )
    background_retry_seconds: float = Field(
        default=1.0,
        gt=0,
        description="A failing background loop (the worker) retries after this long, doubling "
        "each time up to background_retry_max_seconds.",
    )
    background_retry_max_seconds: float = Field(
        default=60.0, gt=0, description="Longest wait between two retries of a failing loop."
    )
    live_max_connections_per_principal: int = Field(
        default=5,
        ge=1,
        description="Live updates (decision 0042): open WebSocket and SSE connections one "
        "principal (a person, an API client) may hold in one process; one more is refused.",
    )
    live_max_subscriptions_per_connection: int = Field(
        default=10, ge=1, description="Live updates: subscriptions one WebSocket may run at once."
    )
    live_max_message_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="Live updates: the largest message a client may send on a WebSocket "
        "(a larger one closes it, 1009).",
    )
    live_init_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Live updates: a WebSocket must send connection_init within this (else 4408).",
    )
    live_ping_seconds: float = Field(
        default=25.0,
        gt=0,
        description="Live updates: the server pings a WebSocket (graphql-transport-ws `ping`), "
        "and heartbeats an SSE stream, this often.",
    )
    live_idle_seconds: float = Field(
        default=75.0,
        gt=0,
        description="Live updates: a WebSocket that sent nothing (not even a `pong`) for this "
        "long is closed (4408).",
    )
    live_queue_events: int = Field(
        default=500,
        ge=1,
        description="Live updates: events one subscription may have waiting to be sent; one "
        "that falls further behind is ended (SLOW_SUBSCRIBER) and resumes from its cursor.",
    )
    live_catchup_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Live updates: besides every notification, each tenant with subscribers in "
        "the process is read this often (events that became visible without a notification).",
    )
    token_signing_key: str | None = Field(
        default=None,
        description="Private JWK (JSON) signing the tokens of `POST /oauth/token`. "
        "Development: generated under data_dir; production: unset disables the endpoint.",
    )
    token_lifetime_seconds: int = Field(
        default=900, ge=60, le=86400, description="Life of a client-credentials token."
    )
    token_rate_per_client: int = Field(
        default=10,
        ge=1,
        description="`POST /oauth/token` requests a minute per client id (any outcome) before "
        "429: bounds secret guessing against one client.",
    )
    token_rate_per_address: int = Field(
        default=30,
        ge=1,
        description="`POST /oauth/token` requests a minute per client address before 429.",
    )
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Reverse proxies (comma-separated CIDR, e.g. 10.0.0.0/8,::1/128) whose "
        "X-Forwarded-For is believed: a request from one is counted against the address it "
        "forwarded for (the rightmost hop not itself trusted). Default none: the peer address.",
    )
    outbox_retention_days: int = Field(
        default=90,
        ge=7,
        description="Outbox events, finished webhook deliveries and expired idempotency keys "
        "older than this are pruned by the worker's upkeep (ekinerja outbox pangkas).",
    )
    idempotency_ttl_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 30,
        description="How long an API client's Idempotency-Key is remembered (decision 0015).",
    )
    statistik_max_age_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="The worker recomputes an instansi's national figures at least this often.",
    )
    import_max_rows: int = Field(
        default=50_000,
        ge=1,
        description="Most data rows in one import file (progres harian over HTTP, pegawai and "
        "units from the CLI); a larger file is refused, nothing written.",
    )
    import_max_bytes: int = Field(
        default=50 * 1024 * 1024, ge=1, description="Largest import file (body or file), bytes."
    )
    import_max_xlsx_bytes: int = Field(
        default=128 * 1024 * 1024,
        ge=1,
        description="Most bytes an XLSX import may unpack to, judged from its zip directory "
        "before it is opened (zip bombs).",
    )
    import_max_errors: int = Field(
        default=100, ge=1, description="Errors listed for a refused import; the total is given."
    )
    import_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Deadline for reading and checking the cells of an HTTP import (in a worker "
        "thread, off the event loop); past it the import is refused (422 IMPORT_TIMEOUT).",
    )
    import_concurrency_per_instansi: int = Field(
        default=2,
        ge=1,
        description="HTTP imports into one instansi running at once per process; more get 429.",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> object:
        """Comma-separated in the environment; each a network (a bare address is /32 or
        /128), host bits allowed (`10.1.2.3/8` is 10.0.0.0/8)."""
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            try:
                return [ip_network(str(part), strict=False) for part in value]
            except ValueError as error:
                raise ValueError(f"{error}; give CIDR networks such as 10.0.0.0/8") from None
        return value

    @field_validator("session_allowed_origins", "cors_allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """Comma-separated in the environment; each exactly scheme://host[:port]."""
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for origin in value if isinstance(value, list) else ():
            parts = urlsplit(str(origin))
            extra = parts.path.strip("/") or parts.query or parts.fragment
            # A name or an address, never a pattern: `https://*.go.id` would list no one.
            host = re.fullmatch(r"[a-z0-9.:-]+", parts.hostname or "")
            if parts.scheme not in ("http", "https") or not host or extra:
                raise ValueError(f"{origin!r} is not an origin such as https://host[:port]")
        return value

    @property
    def is_production(self) -> bool:
        return self.mode is Mode.PRODUCTION

    @property
    def webhooks_may_reach_private(self) -> bool:
        if self.webhook_allow_private_targets is not None:
            return self.webhook_allow_private_targets
        return not self.is_production

    @property
    def runs_worker_in_serve(self) -> bool:
        return self.worker_in_serve if self.worker_in_serve is not None else not self.is_production


@lru_cache
def get_settings() -> Settings:
    return Settings()
