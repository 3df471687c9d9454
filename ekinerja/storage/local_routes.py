"""HTTP routes of the local store: the browser's side of its presigned upload and download.

``POST /storage/upload`` takes the form `LocalStore.presign_upload` produced, as
``multipart/form-data`` with the file last in field ``file`` (as S3 wants it). The body is
parsed as a stream: the signed fields are checked before a single byte of the file is read,
and the file goes to disk chunk by chunk, so a request over the signed cap is cut off at the
cap (413) instead of being buffered. (Starlette's own form parser needs python-multipart and
spools the whole file before a handler could check anything.)

Refusals are the service's one error envelope (``ekinerja/http/envelope.py``, decision 0031),
the code the storage error's in capitals: 403 ``SIGNATURE_INVALID`` (tampered form or URL), 403
``EXPIRED`` (like S3's "Request has expired", so a browser treats both backends alike), 403
``ALREADY_USED`` (a download link is single-use: a second GET of it, decision 0017), 413
``TOO_LARGE``, 415 ``UNSUPPORTED_TYPE`` (the file part's Content-Type is not the signed one),
400 ``CHECKSUM_MISMATCH``, ``MALFORMED`` or ``INVALID_KEY``, 404 ``NOT_FOUND`` (download).
The signed form or link is the credential: these routes take no token and no instansi.
Success is 204 for an upload (as S3) and the file, as an attachment, for a download.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from email.message import Message
from email.utils import collapse_rfc2231_value

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ekinerja.http.envelope import error_response
from ekinerja.storage.base import (
    ChecksumMismatch,
    ContentTypeMismatch,
    InvalidArgument,
    InvalidKey,
    LinkExpired,
    MalformedUpload,
    SignatureInvalid,
    StorageError,
    TooLarge,
    content_disposition,
)
from ekinerja.storage.local import FILE_FIELD, UPLOAD_FIELDS, LinkUsed, LocalStore
from ekinerja.storage.used_links import use_once

_STATUS: dict[type[StorageError], int] = {
    SignatureInvalid: 403,
    LinkExpired: 403,
    LinkUsed: 403,
    TooLarge: 413,
    ContentTypeMismatch: 415,
    ChecksumMismatch: 400,
    MalformedUpload: 400,
    InvalidKey: 400,
}
# The service's code (ErrorCode) of each refusal.
_CODES: dict[type[StorageError], str] = {
    SignatureInvalid: "SIGNATURE_INVALID",
    LinkExpired: "EXPIRED",
    LinkUsed: "ALREADY_USED",
    TooLarge: "TOO_LARGE",
    ContentTypeMismatch: "UNSUPPORTED_TYPE",
    ChecksumMismatch: "CHECKSUM_MISMATCH",
    MalformedUpload: "MALFORMED",
    InvalidKey: "INVALID_KEY",
    InvalidArgument: "INVALID_INPUT",
}
_FILE_RULE = (
    f"send every field of the upload form as given, then the file last, in the field named "
    f"{FILE_FIELD!r}"
)
_NO_FILE = f"the form has no file field: {_FILE_RULE}"
_HEADER_LIMIT = 4096  # one part's headers
_FIELD_LIMIT = 4096  # one form value (a key is at most 1024 characters)
_DOWNLOAD_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    # The file is served from the API's own origin: never let it run as a page there.
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def local_storage_routes(store: LocalStore) -> list[Route]:
    async def upload(request: Request) -> Response:
        boundary = _boundary(request.headers.get("content-type", ""))
        body = _Body(request.stream())
        fields, part_type = await _read_fields(body, boundary)
        grant = store.check_upload(fields)
        if part_type != _params("content-type", grant.content_type)[0]:
            raise ContentTypeMismatch(
                f"the file is {part_type or 'untyped'}, the form was signed for "
                f"{grant.content_type}"
            )
        await store.receive(grant, body.until(b"\r\n--" + boundary))
        return Response(status_code=204)

    async def download(request: Request) -> Response:
        grant = store.check_download(request.query_params)
        if request.method == "GET":  # a HEAD (a link preview, say) sends no file: not a use
            await use_once(grant.nonce, grant.expires_at)
        found = await store.head(grant.key)
        if found is None:
            return error_response("NOT_FOUND", "no such object", 404)
        return FileResponse(
            store.path_for(grant.key),
            media_type=found.content_type,
            headers={
                **_DOWNLOAD_HEADERS,
                "Content-Disposition": content_disposition(grant.filename),
            },
        )

    return [
        Route("/storage/upload", _refusing(upload), methods=["POST"]),
        Route("/storage/object", _refusing(download), methods=["GET"]),
    ]


def _refusing(
    endpoint: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except StorageError as error:
            code = _CODES.get(type(error), "STORAGE_UNAVAILABLE")
            return error_response(code, str(error), _STATUS.get(type(error), 400))

    return wrapped


def _params(header: str, value: str) -> tuple[str, dict[str, str]]:
    """The main value (lowercased) and the parameters of a MIME header."""
    message = Message()
    message[header] = value
    params = message.get_params(header=header) or [("", "")]
    main = params[0][0].strip().lower()
    return main, {name.lower(): collapse_rfc2231_value(v) for name, v in params[1:]}


def _boundary(content_type: str) -> bytes:
    kind, params = _params("content-type", content_type)
    boundary = params.get("boundary", "")
    if kind != "multipart/form-data" or not 0 < len(boundary) <= 70 or not boundary.isascii():
        raise MalformedUpload("expected multipart/form-data with a boundary")
    return boundary.encode()


async def _read_fields(body: _Body, boundary: bytes) -> tuple[dict[str, str], str]:
    """The form fields before the file, and the file part's Content-Type. Stops at the start
    of the file's bytes."""
    await body.read_until(b"--" + boundary, limit=1024)  # preamble, normally empty
    fields: dict[str, str] = {}
    while True:
        if await body.read_exact(2) != b"\r\n":
            raise MalformedUpload(_NO_FILE)
        raw = await body.read_until(b"\r\n\r\n", limit=_HEADER_LIMIT)
        headers = _part_headers(raw)
        disposition, params = _params("content-disposition", headers.get("content-disposition", ""))
        name = params.get("name")
        if disposition != "form-data" or name is None:
            raise MalformedUpload("each part needs Content-Disposition: form-data; name=…")
        if name == FILE_FIELD:
            return fields, _params("content-type", headers.get("content-type", ""))[0]
        if name in fields:
            raise MalformedUpload(f"form field {name!r} is repeated")
        if name not in UPLOAD_FIELDS:
            # A file sent under another name lands here: say which name it needs.
            raise MalformedUpload(f"unexpected form field {name!r}: {_FILE_RULE}")
        value = await body.read_until(b"\r\n--" + boundary, limit=_FIELD_LIMIT)
        try:
            fields[name] = value.decode()
        except UnicodeDecodeError as error:
            raise MalformedUpload(f"form field {name!r} is not UTF-8") from error


def _part_headers(raw: bytes) -> dict[str, str]:
    headers = {}
    for line in raw.decode("utf-8", errors="replace").split("\r\n"):
        name, colon, value = line.partition(":")
        if not colon:
            raise MalformedUpload("malformed part header")
        headers[name.strip().lower()] = value.strip()
    return headers


class _Body:
    """A buffered reader over the request stream, holding at most one chunk plus a delimiter."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()

    async def _fill(self) -> None:
        while (chunk := await anext(self._chunks, None)) is not None:
            if chunk:
                self._buffer += chunk
                return
        raise MalformedUpload("the request body ended early")

    async def read_exact(self, size: int) -> bytes:
        while len(self._buffer) < size:
            await self._fill()
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    async def read_until(self, delimiter: bytes, *, limit: int) -> bytes:
        """The bytes before ``delimiter`` (which is consumed), refused past ``limit``."""
        start = 0
        while (found := self._buffer.find(delimiter, start)) < 0:
            if len(self._buffer) > limit + len(delimiter):
                raise MalformedUpload("a form part is too long")
            start = max(0, len(self._buffer) - len(delimiter) + 1)
            await self._fill()
        if found > limit:
            raise MalformedUpload("a form part is too long")
        data = bytes(self._buffer[:found])
        del self._buffer[: found + len(delimiter)]
        return data

    async def until(self, delimiter: bytes) -> AsyncIterator[bytes]:
        """Stream the bytes before ``delimiter``; a body that ends first is malformed, so a cut
        connection never looks like a complete file."""
        keep = len(delimiter) - 1  # a delimiter may straddle two chunks
        while (found := self._buffer.find(delimiter)) < 0:
            if len(self._buffer) > keep:
                data = bytes(self._buffer[:-keep])
                del self._buffer[:-keep]
                yield data
            await self._fill()
        if found:
            yield bytes(self._buffer[:found])
        del self._buffer[: found + len(delimiter)]
