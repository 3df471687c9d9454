"""The object-store seam for evidence files ("bukti dukung").

Bytes never pass through the API process: a caller asks for a presigned upload form, the browser
posts the file straight to the store, and the caller then confirms the upload by reading the
object's facts back with `head` (size, content type, SHA-256) before it counts for anything.
Downloads are short-lived presigned GET URLs.

Two implementations share this interface: `S3Store` (any S3-compatible service) and
`LocalStore` (files on disk, the embedded default, served by routes of this very service).
Keys are validated the same way for both, so a key that works on a laptop works in production.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable
from urllib.parse import quote

MAX_KEY_LENGTH = 1024
MAX_SEGMENT_LENGTH = 200  # leaves room for the local store's sidecar name within NAME_MAX (255)
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# type/subtype with optional parameters; no control characters (the value ends up in headers).
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(;[ -~]*)?")


@dataclass(frozen=True)
class UploadForm:
    """An HTML-form-style POST: send every field, then the file as the last field, ``file``,
    as ``multipart/form-data``. The file part's own Content-Type should be the declared one."""

    url: str
    fields: dict[str, str]
    expires_at: datetime


@dataclass(frozen=True)
class StoredObject:
    """What the store says about an object. ``sha256_verified`` tells whether the store itself
    hashed the bytes (S3 additional checksum, the local store) or only repeats the SHA-256 the
    uploader declared (user metadata on a server without POST checksum support)."""

    key: str
    size: int
    content_type: str
    sha256_hex: str | None
    sha256_verified: bool = False


@dataclass(frozen=True)
class ListedObject:
    key: str
    size: int
    last_modified: datetime


class StorageError(Exception):
    """Base of every refusal of the storage layer. ``code`` is stable and machine-readable."""

    code = "storage_error"


class InvalidKey(StorageError):
    code = "invalid_key"


class InvalidArgument(StorageError):
    """A malformed SHA-256, content type or size limit given by the caller."""

    code = "invalid_argument"


class SignatureInvalid(StorageError):
    code = "signature_invalid"


class LinkExpired(StorageError):
    code = "expired"


class TooLarge(StorageError):
    code = "too_large"


class ContentTypeMismatch(StorageError):
    code = "unsupported_media_type"


class ChecksumMismatch(StorageError):
    code = "checksum_mismatch"


class MalformedUpload(StorageError):
    code = "malformed"


class StorageUnavailable(StorageError):
    """The backing service failed in a way the caller cannot fix (network, credentials)."""

    code = "storage_unavailable"


@runtime_checkable
class ObjectStore(Protocol):
    async def presign_upload(
        self, key: str, *, content_type: str, max_bytes: int, sha256_hex: str, expires_in: int
    ) -> UploadForm:
        """A form that accepts exactly this key and content type, 1..max_bytes bytes, until
        ``expires_in`` seconds from now, and carries the declared SHA-256 to the store."""
        ...

    async def head(self, key: str) -> StoredObject | None:
        """The object's facts, or None when there is no such object."""
        ...

    async def presign_download(self, key: str, *, filename: str, expires_in: int) -> str:
        """A GET URL valid for ``expires_in`` seconds that downloads as an attachment."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error."""
        ...

    def list(self, prefix: str) -> AsyncIterator[ListedObject]:
        """Every object whose key starts with ``prefix``, in key order."""
        ...

    async def close(self) -> None: ...


def validate_key(key: str) -> str:
    """Keys are ``/``-separated segments of ``[A-Za-z0-9._-]`` that do not start with a dot:
    no ``..``, no absolute paths, no backslashes, no hidden files (the local store keeps its
    sidecars and temporary files under dot-names, out of reach of any key)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"key must be 1..{MAX_KEY_LENGTH} characters")
    for segment in key.split("/"):
        if len(segment) > MAX_SEGMENT_LENGTH or not _SEGMENT.fullmatch(segment):
            raise InvalidKey(f"invalid key {key!r}: segments are [A-Za-z0-9._-], not dot-first")
    return key


def validate_upload_request(key: str, content_type: str, max_bytes: int, sha256_hex: str) -> None:
    validate_key(key)
    if not _CONTENT_TYPE.fullmatch(content_type):
        raise InvalidArgument(f"invalid content type {content_type!r}")
    if max_bytes < 1:
        raise InvalidArgument("max_bytes must be at least 1")
    if not _SHA256_HEX.fullmatch(sha256_hex):
        raise InvalidArgument("sha256_hex must be 64 lowercase hex digits")


def is_sha256_hex(value: str | None) -> bool:
    return value is not None and _SHA256_HEX.fullmatch(value) is not None


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` (quotes, backslashes and control characters
    replaced) and, for any other name, the exact one as RFC 6266 ``filename*``."""
    ascii_name = (
        "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename).strip()
        or "download"
    )
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
