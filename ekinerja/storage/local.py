"""The embedded object store: files on disk, presigned with HMAC, served by this service.

It gives a fresh machine the same upload → confirm → download flow as S3 without another
service. The guarantees are those of a presigned POST, enforced by `local_routes`:

- the form and download URLs are HMAC-SHA256 signatures (over a JSON array, so no field can
  bleed into another) of every value they carry plus a purpose word, so an upload form cannot
  be replayed as a download link or edited (key, content type, size cap, SHA-256, expiry);
- the body is hashed while it is written and refused unless it matches the signed SHA-256, so
  `head` reports a SHA-256 this process computed itself (``sha256_verified=True``);
- an upload is written to a dot-named temporary file next to its target and renamed into place
  only when complete and verified, so no reader ever sees half a file;
- a download URL carries a random nonce under its signature and works once: `local_routes`
  records the nonce when the file is served (`used_links`), so a link that leaks afterwards
  (browser history, a forwarded message, a log) opens nothing (decision 0017).

Layout: ``directory/<key>`` holds the bytes and ``directory/<dir>/.<name>.meta.json`` the
content type and SHA-256. Keys cannot name dot-files (`validate_key`), so neither sidecars nor
temporary files can collide with an object. A key cannot be both an object and a "directory"
of other keys (``a`` and ``a/b``); S3 allows that, callers' key schemes never need it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets
import stat
import tempfile
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from anyio import to_thread

from ekinerja.storage.base import (
    ChecksumMismatch,
    InvalidKey,
    LinkExpired,
    ListedObject,
    MalformedUpload,
    SignatureInvalid,
    StorageError,
    StorageUnavailable,
    StoredObject,
    TooLarge,
    UploadForm,
    validate_key,
    validate_upload_request,
)

UPLOAD_FIELDS = ("key", "content_type", "max_bytes", "sha256", "expires", "signature")
FILE_FIELD = "file"  # the file's part: last in the form, after UPLOAD_FIELDS (as S3 wants it)
_META_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class UploadGrant:
    """What a verified upload form allows."""

    key: str
    content_type: str
    max_bytes: int
    sha256_hex: str


@dataclass(frozen=True)
class DownloadGrant:
    key: str
    filename: str
    nonce: str  # what makes the link single-use
    expires_at: datetime


class LinkUsed(StorageError):
    """A download link opened before: each works once."""

    code = "already_used"


class LocalStore:
    """Objects under ``directory``, links under ``base_url`` (this service, as browsers reach
    it), signed with ``secret``. ``now`` is the clock expiry is judged by (tests move it)."""

    def __init__(
        self,
        directory: Path,
        base_url: str,
        secret: bytes,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the local store's signing secret must be at least 16 bytes")
        self.directory = Path(directory)
        self.base_url = base_url.rstrip("/")
        self._secret = secret
        self._now = now

    # -- signing ---------------------------------------------------------------------------

    def _sign(self, purpose: str, *values: str | int) -> str:
        message = json.dumps([purpose, *values], separators=(",", ":")).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _check(self, signature: str, purpose: str, *values: str | int) -> None:
        if not hmac.compare_digest(signature.encode(), self._sign(purpose, *values).encode()):
            raise SignatureInvalid("signature does not match")

    def _expires(self, expires_in: int) -> int:
        return math.floor(self._now() + expires_in)

    def _check_not_expired(self, expires: int) -> None:
        if self._now() >= expires:
            raise LinkExpired("the link or form has expired")

    # -- the ObjectStore interface ---------------------------------------------------------

    async def presign_upload(
        self, key: str, *, content_type: str, max_bytes: int, sha256_hex: str, expires_in: int
    ) -> UploadForm:
        validate_upload_request(key, content_type, max_bytes, sha256_hex)
        expires = self._expires(expires_in)
        fields = {
            "key": key,
            "content_type": content_type,
            "max_bytes": str(max_bytes),
            "sha256": sha256_hex,
            "expires": str(expires),
            "signature": self._sign("upload", key, content_type, max_bytes, sha256_hex, expires),
        }
        return UploadForm(
            url=f"{self.base_url}/storage/upload",
            fields=fields,
            expires_at=datetime.fromtimestamp(expires, UTC),
        )

    async def head(self, key: str) -> StoredObject | None:
        path = self.path_for(key)
        return await to_thread.run_sync(_read_object, key, path, _meta_path(path))

    async def presign_download(self, key: str, *, filename: str, expires_in: int) -> str:
        validate_key(key)
        expires = self._expires(expires_in)
        nonce = secrets.token_hex(16)
        query = urlencode(
            {
                "key": key,
                "expires": expires,
                "filename": filename,
                "nonce": nonce,
                "signature": self._sign("download", key, expires, filename, nonce),
            }
        )
        return f"{self.base_url}/storage/object?{query}"

    async def delete(self, key: str) -> None:
        path = self.path_for(key)

        def remove() -> None:
            path.unlink(missing_ok=True)  # the object disappears with its bytes, meta after
            _meta_path(path).unlink(missing_ok=True)

        await to_thread.run_sync(remove)

    async def check(self) -> None:
        """Whether objects can be written (readiness): the directory, or the nearest of its
        parents that exists while it has not been made yet, is writable; StorageUnavailable
        if not."""
        place = self.directory
        while not place.exists() and place.parent != place:
            place = place.parent
        if not (place.is_dir() and os.access(place, os.W_OK | os.X_OK)):
            raise StorageUnavailable(
                f"the local store's directory {self.directory} is not writable"
            )

    async def close(self) -> None:
        """Nothing to release; present for the interface."""

    # -- used by the routes ----------------------------------------------------------------

    def path_for(self, key: str) -> Path:
        return self.directory.joinpath(*validate_key(key).split("/"))

    def check_upload(self, fields: Mapping[str, str]) -> UploadGrant:
        """The grant of a submitted upload form: its signature first (a tampered form is
        refused as such even when also expired), then its expiry."""
        missing = [name for name in UPLOAD_FIELDS if name not in fields]
        if missing:
            raise MalformedUpload(
                f"missing form fields: {', '.join(missing)} (every field of the upload form "
                f"comes before the file, which is the last part, named {FILE_FIELD!r})"
            )
        try:
            max_bytes, expires = int(fields["max_bytes"]), int(fields["expires"])
        except ValueError as error:
            raise MalformedUpload("max_bytes and expires must be integers") from error
        key, content_type, sha256_hex = fields["key"], fields["content_type"], fields["sha256"]
        self._check(
            fields["signature"], "upload", key, content_type, max_bytes, sha256_hex, expires
        )
        self._check_not_expired(expires)
        return UploadGrant(validate_key(key), content_type, max_bytes, sha256_hex)

    def check_download(self, query: Mapping[str, str]) -> DownloadGrant:
        """The grant of a download URL: signed, unexpired. Whether it was used before is the
        routes' question (it needs the database)."""
        try:
            key, filename, signature = query["key"], query["filename"], query["signature"]
            nonce, expires = query["nonce"], int(query["expires"])
        except (KeyError, ValueError) as error:
            raise MalformedUpload(
                "key, expires, filename, nonce and signature are required"
            ) from error
        self._check(signature, "download", key, expires, filename, nonce)
        self._check_not_expired(expires)
        expires_at = datetime.fromtimestamp(expires, UTC)
        return DownloadGrant(validate_key(key), filename, nonce, expires_at)

    async def receive(self, grant: UploadGrant, chunks: AsyncIterable[bytes]) -> StoredObject:
        """Write an upload atomically: hashed and counted while written, refused (and its
        temporary file removed) when over the cap, empty, or not the signed SHA-256."""
        path = self.path_for(grant.key)
        temp = await to_thread.run_sync(_TempFile, path)
        digest, size = hashlib.sha256(), 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > grant.max_bytes:
                    raise TooLarge(f"the file is larger than {grant.max_bytes} bytes")
                digest.update(chunk)
                await to_thread.run_sync(temp.write, chunk)
            if size == 0:
                raise MalformedUpload("the file is empty")
            if digest.hexdigest() != grant.sha256_hex:
                raise ChecksumMismatch("the file's SHA-256 differs from the declared one")
            await to_thread.run_sync(temp.commit, grant.content_type, grant.sha256_hex)
        except BaseException:
            temp.discard()  # synchronous: it must run even when the task is being cancelled
            raise
        return StoredObject(grant.key, size, grant.content_type, grant.sha256_hex, True)

    # `list` last: inside the class body it shadows the builtin.
    async def list(self, prefix: str) -> AsyncIterator[ListedObject]:
        for item in await to_thread.run_sync(self._scan, prefix):
            yield item

    def _scan(self, prefix: str) -> list[ListedObject]:
        """Objects under ``prefix`` (a string prefix, as in S3), in key order."""
        parent = prefix.rpartition("/")[0]
        root = self.path_for(parent) if parent else self.directory
        if not root.is_dir():
            return []
        found = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = Path(dirpath, name)
                key = path.relative_to(self.directory).as_posix()
                if key.startswith(prefix):
                    status = path.stat()
                    modified = datetime.fromtimestamp(status.st_mtime, UTC)
                    found.append(ListedObject(key, status.st_size, modified))
        return sorted(found, key=lambda item: item.key.encode())


def _meta_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{_META_SUFFIX}")


def _read_object(key: str, path: Path, meta_path: Path) -> StoredObject | None:
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not stat.S_ISREG(status.st_mode):
        return None  # a "directory" of other keys, not an object
    try:
        meta = json.loads(meta_path.read_text())
    except (FileNotFoundError, ValueError):
        meta = {}
    return StoredObject(
        key=key,
        size=status.st_size,
        content_type=meta.get("content_type", "application/octet-stream"),
        sha256_hex=meta.get("sha256"),
        sha256_verified="sha256" in meta,
    )


class _TempFile:
    """A dot-named file next to the target, renamed over it only when complete."""

    def __init__(self, target: Path) -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as error:
            raise InvalidKey("a parent of this key is an object already") from error
        if target.is_dir():
            raise InvalidKey("this key is a prefix of other objects already")
        descriptor, name = tempfile.mkstemp(prefix=".upload-", suffix=".tmp", dir=target.parent)
        self.target = target
        self.path = Path(name)
        self.file = os.fdopen(descriptor, "wb")

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)

    def commit(self, content_type: str, sha256_hex: str) -> None:
        """Sidecar first, bytes last: whenever an object's bytes exist, so does its metadata."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        meta = json.dumps({"content_type": content_type, "sha256": sha256_hex}).encode()
        parent = self.target.parent
        descriptor, meta_temp = tempfile.mkstemp(prefix=".meta-", suffix=".tmp", dir=parent)
        with os.fdopen(descriptor, "wb") as out:
            out.write(meta)
        os.replace(meta_temp, _meta_path(self.target))
        os.replace(self.path, self.target)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)
