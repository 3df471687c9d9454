# ruff: noqa: E501  (one member per line, its comment being its description in the SDL)
"""Every machine-readable error code the product emits, in one enum (issue 16, item 4;
decision 0030).

The same value is a mutation's `MutationError.code`, a GraphQL error's `extensions.code`, and
the `error` of every HTTP endpoint's JSON envelope, so a client has one list to branch on. In
the SDL this is the enum `ErrorCode` (ekinerja/schema/mutation_errors.py); each member's
trailing comment below is its description there, so write it for an integrator: when the code
is used (and, for a refusal of a whole HTTP request, its status).

Adding a code: append one line `NAME = "NAME"  # when it is used`, value equal to the name,
English UPPER_SNAKE (docs/naming.md). One code per fault: reuse the code of the same fault
(`NOT_FOUND`, `INVALID_INPUT`, `FORBIDDEN`, ...) rather than a synonym. A new value is a
dangerous change of the contract: declare it in docs/contract/changes.toml. Not listed here:
the OAuth token endpoint's errors, which RFC 6749 names (`invalid_client`, `slow_down`, ...).
tests/test_error_codes.py fails on a code emitted that is not a member, on a member never
emitted (unless in RESERVED), and on a member without its comment.
"""

from __future__ import annotations

import enum
import io
import tokenize
from functools import cache
from pathlib import Path


class ErrorCode(enum.StrEnum):
    # fmt: off
    # A request refused before anything ran (transport, GraphQL over HTTP)
    BAD_REQUEST = "BAD_REQUEST"  # 400: the request is malformed (a body that is not one JSON object, a parameter of the wrong JSON type, a missing query)
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"  # 405: the endpoint does not answer this HTTP method (the Allow header lists those it does)
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"  # 406: the Accept header allows none of the media types the endpoint answers in
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"  # 415, or a refused upload: the body or file is not of a media type the endpoint accepts
    TOO_LARGE = "TOO_LARGE"  # 413, or a refused upload: the request body or the file is over the size limit
    BODY_TIMEOUT = "BODY_TIMEOUT"  # 408: the request body (an upload, an operation) did not arrive in time
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"  # A GraphQL request error, nothing ran: the document does not parse or validate (or exceeds a limit), no operation can be chosen, or a variable is missing or does not fit its type (400 under application/graphql-response+json)
    INTERNAL_ERROR = "INTERNAL_ERROR"  # An unexpected fault of the service, masked: quote the request id (extensions.requestId) when reporting it
    CORS_ORIGIN_REFUSED = "CORS_ORIGIN_REFUSED"  # 403: a browser request from an origin this deployment does not allow
    CSRF_REJECTED = "CSRF_REJECTED"  # 403: a request with a browser session's cookie that does not prove it comes from the portal's own origin
    TOO_MANY_IMPORTS = "TOO_MANY_IMPORTS"  # 429: as many imports as allowed are running for this instansi; retry after Retry-After seconds
    # Authentication and authorization
    UNAUTHENTICATED = "UNAUTHENTICATED"  # 401: no credentials, or none this service accepts; sign in or send a bearer token
    INVALID_TOKEN = "INVALID_TOKEN"  # 401: the bearer token cannot be verified (signature, issuer, format)
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # 401: the bearer token has expired; get a new one
    TOKEN_NOT_YET_VALID = "TOKEN_NOT_YET_VALID"  # 401: the bearer token's nbf lies in the future
    WRONG_AUDIENCE = "WRONG_AUDIENCE"  # 401: the bearer token was issued for another audience
    INVALID_ROLES_CLAIM = "INVALID_ROLES_CLAIM"  # 401: the token's roles claim is not a list of role names
    INVALID_SCOPE_CLAIM = "INVALID_SCOPE_CLAIM"  # 401: the token's scope claim is not a space-separated list of scopes
    UNKNOWN_PRINCIPAL = "UNKNOWN_PRINCIPAL"  # 401: the token is valid but names no person or API client this service knows
    JWKS_UNAVAILABLE = "JWKS_UNAVAILABLE"  # 401: the identity provider's signing keys could not be fetched to verify the token; retry later
    SESSION_EXPIRED = "SESSION_EXPIRED"  # 401: the browser session ended (expired, signed out or revoked); sign in again
    IDENTITY_PROVIDER_UNAVAILABLE = "IDENTITY_PROVIDER_UNAVAILABLE"  # 503: the identity provider could not be reached to renew the browser session; the session is kept, retry after Retry-After seconds
    LOGIN_NOT_CONFIGURED = "LOGIN_NOT_CONFIGURED"  # 404: browser login is not configured on this deployment
    LOGIN_FAILED = "LOGIN_FAILED"  # 401: the identity provider refused the browser login
    FORBIDDEN = "FORBIDDEN"  # 403, or a field error: the caller is not allowed this (the policy table, a scope, or a person who is not a pegawai of this instansi)
    # Tenant (instansi) selection and binding
    NO_INSTANSI_SELECTED = "NO_INSTANSI_SELECTED"  # A field (or, 400, an operation) that reads one instansi's data was asked without the X-Instansi header
    NATIONAL_UNBOUND = "NATIONAL_UNBOUND"  # National figures were asked with X-Instansi: they span every instansi, ask without it
    TENANT_ERROR = "TENANT_ERROR"  # The instansi cannot serve this request (a fault of tenant selection not covered by a more specific code)
    INVALID_TENANT_CODE = "INVALID_TENANT_CODE"  # 400: the X-Instansi value is not an instansi code
    INVALID_IDENTIFIER = "INVALID_IDENTIFIER"  # 400: a name given for an instansi's database objects is not a valid identifier
    TENANT_NOT_FOUND = "TENANT_NOT_FOUND"  # 404: no instansi has the code given in X-Instansi
    TENANT_ALREADY_EXISTS = "TENANT_ALREADY_EXISTS"  # An instansi with this code exists already (provisioning)
    TENANT_SUSPENDED = "TENANT_SUSPENDED"  # 403: the instansi is suspended; nothing of it is served
    TENANT_MIGRATION_PENDING = "TENANT_MIGRATION_PENDING"  # 503: the instansi's database is being migrated; retry later
    INVALID_TENANT_FIELD = "INVALID_TENANT_FIELD"  # A field of a new instansi is invalid (provisioning)
    TENANT_PROVISIONING_FAILED = "TENANT_PROVISIONING_FAILED"  # Creating the instansi failed; nothing of it was kept
    # The database
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"  # 503: the database cannot be reached; retry after Retry-After seconds
    DATABASE_TIMEOUT = "DATABASE_TIMEOUT"  # 503: the database did not answer in time; retry later
    DATABASE_LOCK_TIMEOUT = "DATABASE_LOCK_TIMEOUT"  # 503: the data was held by another change for too long; retry
    # Integration: trusted documents, idempotency, API clients, webhooks, the change feed
    INVALID_DOCUMENT_ID = "INVALID_DOCUMENT_ID"  # 400: the trusted document id is not of the form sha256:<64 hex digits>
    DOCUMENT_ID_NOT_SUPPORTED = "DOCUMENT_ID_NOT_SUPPORTED"  # 400: documentId runs documents registered for an API client; other callers send the operation as `query`
    UNTRUSTED_DOCUMENT = "UNTRUSTED_DOCUMENT"  # 403: the document (documentId) is not registered for this API client, or the client may run only its registered documents and sent another
    INVALID_IDEMPOTENCY_KEY = "INVALID_IDEMPOTENCY_KEY"  # 400: the Idempotency-Key header is not a valid key
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"  # 422: the Idempotency-Key was used before with another request
    INVALID_DOCUMENT = "INVALID_DOCUMENT"  # A document to register is not one GraphQL operation (or not UTF-8 text)
    REVOKED = "REVOKED"  # The API client or webhook subscription was revoked: it no longer changes
    NOT_AN_API_CLIENT = "NOT_AN_API_CLIENT"  # Only an API client may do this (a webhook belongs to the client that subscribes)
    TOO_MANY = "TOO_MANY"  # The API client has as many active webhook subscriptions as allowed
    INVALID_URL = "INVALID_URL"  # The URL is not one the service calls (https, a public host, not too long)
    INVALID_CURSOR = "INVALID_CURSOR"  # The change-feed cursor is malformed or belongs to another instansi's feed
    CURSOR_EXPIRED = "CURSOR_EXPIRED"  # Events after this change-feed cursor were pruned: read again from the beginning and deduplicate by id
    # Input
    INVALID_INPUT = "INVALID_INPUT"  # A value given is not acceptable (empty, too long, out of range, malformed, wrong for the others); field names it
    NOT_FOUND = "NOT_FOUND"  # Nothing with the id (or key) given exists where the caller may see it (for `me`: the caller is no pegawai); field names the argument
    UNKNOWN_SETTING = "UNKNOWN_SETTING"  # The key is not an instansi setting
    STALE_VERSION = "STALE_VERSION"  # The record changed since the caller loaded it (expectedVersion): reload and try again
    INVALID_ROWS = "INVALID_ROWS"  # Rows of a bulk input or file are invalid (each named in the rows list); nothing was written
    TOO_MANY_ROWS = "TOO_MANY_ROWS"  # A bulk input or file has more rows than allowed
    INVALID_FILE = "INVALID_FILE"  # The file cannot be read as the expected kind (CSV or XLSX with the documented columns)
    BINARY_FILE = "BINARY_FILE"  # A CSV file that is binary (not text)
    IMPORT_TIMEOUT = "IMPORT_TIMEOUT"  # 422: reading the file took longer than allowed
    # Imports of pegawai and units
    NOT_A_DRY_RUN = "NOT_A_DRY_RUN"  # Only a dry run is applied; this import wrote already
    DRY_RUN_NOT_PASSED = "DRY_RUN_NOT_PASSED"  # The dry run did not succeed without errors, so it cannot be applied
    ALREADY_APPLIED = "ALREADY_APPLIED"  # The dry run was applied already
    FILE_EXPIRED = "FILE_EXPIRED"  # 410: the import's file is no longer kept; upload it again
    NOT_FINISHED = "NOT_FINISHED"  # 409: the import has not finished yet (its report is not ready)
    # SKP planning and its lifecycle
    INVALID_TRANSITION = "INVALID_TRANSITION"  # The act is not allowed in the record's current status (e.g. approving an SKP that is not submitted)
    SUPERSEDED = "SUPERSEDED"  # The SKP version was replaced by a newer one: act on the current version
    NOT_OWNER = "NOT_OWNER"  # The caller does not own what it would change: only the pegawai who owns the SKP may do this; an API client registered centrally (granted beyond this instansi) is managed by BKN, not the instansi
    NOT_PENILAI = "NOT_PENILAI"  # Only the SKP's pejabat penilai may do this
    OVERLAPPING_SKP = "OVERLAPPING_SKP"  # Another SKP covers part of the period (end it early with akhiriSkp first)
    REVISION_EXISTS = "REVISION_EXISTS"  # A revision of this SKP version is already under way
    REVISION_PENDING = "REVISION_PENDING"  # A revision of this SKP is waiting: approve or discard it first
    INTERVENTION_REQUIRED = "INTERVENTION_REQUIRED"  # An RHK must intervene an RHK of the pejabat penilai before the SKP is submitted
    INTERVENTION_INVALID = "INTERVENTION_INVALID"  # The indikator named as part of the intervened RHK is not one of its indikator
    INTERVENTION_ORPHANED = "INTERVENTION_ORPHANED"  # The intervened RHK no longer exists in the pejabat penilai's SKP: choose another
    INTERVENTION_SUPERSEDED = "INTERVENTION_SUPERSEDED"  # The intervened RHK belongs to a replaced version of the pejabat penilai's SKP: choose again
    INDIKATOR_HAS_REALISASI = "INDIKATOR_HAS_REALISASI"  # The indikator cannot be removed: realisasi is recorded for it
    RENCANA_AKSI_HAS_PROGRES = "RENCANA_AKSI_HAS_PROGRES"  # The rencana aksi cannot be removed: progres harian is logged against it
    RHK_HAS_REALISASI = "RHK_HAS_REALISASI"  # The RHK cannot be removed: realisasi is recorded for its indikator
    RHK_HAS_PROGRES = "RHK_HAS_PROGRES"  # The RHK cannot be removed: progres harian is logged against its rencana aksi
    RHK_HAS_UMPAN_BALIK = "RHK_HAS_UMPAN_BALIK"  # The RHK cannot be removed: the pejabat penilai gave umpan balik on it
    RHK_INTERVENED = "RHK_INTERVENED"  # The RHK cannot be removed: RHK of subordinates intervene it
    KADENSI_LOCKED = "KADENSI_LOCKED"  # The year's kadensi cannot change: rencana aksi are planned in its windows
    EVALUATION_AFTER_END = "EVALUATION_AFTER_END"  # The SKP cannot end on that day: an evaluation covers a period after it
    REALISASI_AFTER_END = "REALISASI_AFTER_END"  # The SKP cannot end on that day: realisasi was recorded for a period after it
    PROGRES_AFTER_END = "PROGRES_AFTER_END"  # The SKP cannot end on that day: progres harian was logged after it
    # Pelaksanaan: progres, realisasi, evidence
    SKP_NOT_APPROVED = "SKP_NOT_APPROVED"  # Progres and realisasi need an approved SKP
    WINDOW_CLOSED = "WINDOW_CLOSED"  # The period's evaluation was submitted: its records no longer change
    PERIOD_NOT_STARTED = "PERIOD_NOT_STARTED"  # The period has not started for this SKP yet
    PERIOD_OUTSIDE_SKP = "PERIOD_OUTSIDE_SKP"  # The period lies outside the SKP's own: record it under the SKP in force then
    ALREADY_CONFIRMED = "ALREADY_CONFIRMED"  # The evidence is confirmed already
    EXPIRED = "EXPIRED"  # The evidence upload expired: request a new one
    NOT_UPLOADED = "NOT_UPLOADED"  # No file was uploaded for this evidence yet
    KEY_OUTSIDE_TENANT = "KEY_OUTSIDE_TENANT"  # The object key lies outside this instansi's storage
    SIZE_MISMATCH = "SIZE_MISMATCH"  # The uploaded file's size is not the size declared; upload it again
    TYPE_MISMATCH = "TYPE_MISMATCH"  # The uploaded file's content type is not the one declared; upload it again
    CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"  # The uploaded file's SHA-256 is not the one declared; upload it again
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"  # The evidence store failed or did not answer; nothing was changed, retry later
    # Penilaian: evaluation, penetapan, keberatan, external penilai
    LOCKED = "LOCKED"  # The unit's results for the period are fixed (penetapan): they no longer change
    NOT_LEADER = "NOT_LEADER"  # Only the leader one level above the unit may do this
    NO_PREDIKAT_ORGANISASI = "NO_PREDIKAT_ORGANISASI"  # The unit's predikat organisasi for the period must be set first
    NOT_ALL_RATED = "NOT_ALL_RATED"  # Submitted evaluations of the unit are not rated yet
    CURVE_BLOCKED = "CURVE_BLOCKED"  # The distribution of predikat does not follow the curve the instansi requires
    NOT_FIXED = "NOT_FIXED"  # A keberatan is filed only against a result that is fixed (penetapan)
    ANNUAL_FROM_LAST_PERIOD = "ANNUAL_FROM_LAST_PERIOD"  # The annual result follows the last period's: file the keberatan against that period
    NO_ATASAN = "NO_ATASAN"  # The SKP has no atasan pejabat penilai to decide a keberatan
    KEBERATAN_CLOSED = "KEBERATAN_CLOSED"  # The time to file a keberatan has passed (or one was filed already)
    FINAL = "FINAL"  # The keberatan was decided: it is final and read-only
    NOT_REQUESTED = "NOT_REQUESTED"  # The atasan has not asked for explanations
    NOT_A_PARTY = "NOT_A_PARTY"  # Only the parties of the keberatan may do this (the atasan asks; the penilai and the pegawai explain)
    NOT_ATASAN_PENILAI = "NOT_ATASAN_PENILAI"  # Only the atasan pejabat penilai snapshotted on the SKP examines and decides
    PENILAI_INTERNAL = "PENILAI_INTERNAL"  # The SKP's pejabat penilai is a pegawai of this instansi: they act themself
    ATASAN_INTERNAL = "ATASAN_INTERNAL"  # The keberatan's atasan pejabat penilai is a pegawai of this instansi: they decide it themself
    # HTTP endpoints outside /graphql (decision 0031)
    RATE_LIMITED = "RATE_LIMITED"  # 429: too many requests from this address or client id (the token endpoint); retry after Retry-After seconds
    TOKEN_ISSUER_UNAVAILABLE = "TOKEN_ISSUER_UNAVAILABLE"  # 503: this deployment issues no tokens (no signing key is configured)
    SIGNATURE_INVALID = "SIGNATURE_INVALID"  # 403: the signed upload form or download link was altered (evidence store)
    ALREADY_USED = "ALREADY_USED"  # 403: the download link was used already; ask for a new one (evidence store)
    MALFORMED = "MALFORMED"  # 400: the upload form is not what was issued (not multipart, a field missing, repeated or unknown, the file not last in field `file`)
    INVALID_KEY = "INVALID_KEY"  # 400: the object key of a signed form or link is not one the store accepts
    # Global ids (decision 0028)
    ID_OF_OTHER_INSTANSI = "ID_OF_OTHER_INSTANSI"  # The id (field names it) belongs to another instansi than the one this request is bound to: ids are per instansi, it names nothing here
    # Live updates (decision 0042)
    TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS"  # 429 (SSE) or WebSocket close 4429: the principal holds as many live-update connections as allowed in this server process
    SLOW_SUBSCRIBER = "SLOW_SUBSCRIBER"  # A subscription fell further behind than the service keeps for it and was ended: subscribe again with its last event's cursor as `after`


# Members that no code path emits today, kept on purpose (each with its reason). A member never
# emitted and not listed here fails tests/test_error_codes.py.
RESERVED: dict[ErrorCode, str] = {}

# Codes emitted before contract 1.0 for a fault that has one code now (decision 0030): the old
# code and the one that replaced it. None of them is emitted any more (tests/test_error_codes.py).
RETIRED: dict[str, ErrorCode] = {
    "INVALID_ARGUMENT": ErrorCode.INVALID_INPUT,  # a page argument of daftarPegawai
    "PEGAWAI_NOT_FOUND": ErrorCode.FORBIDDEN,  # a person who is no pegawai of the instansi (403); `me` answers NOT_FOUND
    "NOT_OWNED": ErrorCode.NOT_OWNER,  # an API client registered centrally
    "UNSUPPORTED_MEDIA_TYPE": ErrorCode.UNSUPPORTED_TYPE,  # the evidence store, in a mutation
    "STORAGE_ERROR": ErrorCode.STORAGE_UNAVAILABLE,  # the evidence store, in a mutation
    "TENANT_NOT_BOUND": ErrorCode.NO_INSTANSI_SELECTED,  # instansi data reached without X-Instansi
}


@cache
def descriptions() -> dict[ErrorCode, str]:
    """Each member's trailing comment in this file: its description in the SDL."""
    source = Path(__file__).read_text(encoding="utf-8")
    found: dict[ErrorCode, str] = {}
    line_name: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        row = token.start[0]
        if token.type == tokenize.NAME and row not in line_name and token.start[1] == 4:
            line_name[row] = token.string
        elif token.type == tokenize.COMMENT and row in line_name:
            name = line_name[row]
            if name in ErrorCode.__members__:
                found[ErrorCode[name]] = token.string.lstrip("#").strip()
    return found
