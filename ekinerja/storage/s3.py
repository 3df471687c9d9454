"""`S3Store`: evidence files in any S3-compatible service (AWS S3, MinIO), through aiobotocore.

Where each guarantee of an upload comes from:

- Key, content type, size range 1..max_bytes and expiry are conditions of a SigV4-signed POST
  policy (``generate_presigned_post``). The server refuses a form whose fields or body break
  them, or whose policy was edited. Real S3 and MinIO enforce this; moto (the test double)
  does not check signatures, expiry, conditions or sizes at all, so tests check the policy
  document instead.
- SHA-256, two ways, both bound by the policy:
  1. S3 additional checksums: form fields ``x-amz-checksum-algorithm: SHA256`` and
     ``x-amz-checksum-sha256`` (base64). A server that supports checksums on POST uploads
     hashes the body, refuses a mismatch and keeps the checksum, which `head` reads back with
     ``ChecksumMode=ENABLED``; then ``sha256_verified`` is True, the store computed it. MinIO
     does this (see its PostPolicyBucketHandler); for AWS S3 or another provider, check it
     before relying on it: the fields are in the signed policy either way.
  2. User metadata ``x-amz-meta-sha256`` (hex). Every server stores it, moto included, but it
     is only the uploader's declaration: on a server that ignores the checksum fields (moto
     5.2 accepts and drops them), `head` repeats it with ``sha256_verified=False``. A caller
     that needs proof there must read the object and hash it itself.
  A full-object checksum is used only when it is one: a multipart "composite" checksum
  (``…-N``) is not the SHA-256 of the file and falls back to the metadata.
- Every call to the server has a connect timeout, a read timeout and a small number of
  attempts (standard retry mode, with backoff): a frozen endpoint costs a caller at most
  ``max_attempts × (connect + read timeout)``, then `StorageUnavailable`. Callers never hold a
  database transaction across a call (decision 0018).
- Presigned URLs are signed for the host they name. When browsers reach the service at another
  address than this process does (``minio:9000`` inside compose, ``localhost:9000`` outside),
  ``public_endpoint_url`` gives a second client, used only to presign.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore.exceptions import BotoCoreError, ClientError

from ekinerja.observability import tracing
from ekinerja.storage.base import (
    ListedObject,
    StorageUnavailable,
    StoredObject,
    UploadForm,
    content_disposition,
    is_sha256_hex,
    validate_key,
    validate_upload_request,
)

_MISSING = {"404", "NoSuchKey", "NotFound"}
_NO_BUCKET = {"404", "NoSuchBucket", "NotFound"}
# What a network failure can surface as: botocore wraps most (connect and read timeouts,
# refused or dropped connections), aiohttp and the socket layer the rest.
_NETWORK = (BotoCoreError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


class S3Store:
    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        public_endpoint_url: str | None = None,
        session: AioSession | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_attempts: int = 2,
    ) -> None:
        self.bucket = bucket
        self._endpoint_url = endpoint_url
        self._public_endpoint_url = public_endpoint_url
        self._region = region
        self._credentials = {
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
        }
        self._session = session or get_session()
        self._config = AioConfig(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"mode": "standard", "total_max_attempts": max_attempts},
        )
        self._stack: AsyncExitStack | None = None
        self._clients: dict[str | None, Any] = {}
        self._lock = asyncio.Lock()

    async def _client_for(self, endpoint_url: str | None) -> Any:
        """One client per endpoint, opened on first use and kept until `close`."""
        async with self._lock:
            if endpoint_url not in self._clients:
                if self._stack is None:
                    self._stack = AsyncExitStack()
                creating = self._session.create_client(
                    "s3",
                    endpoint_url=endpoint_url,
                    region_name=self._region,
                    config=self._config,
                    **self._credentials,
                )
                self._clients[endpoint_url] = await self._stack.enter_async_context(creating)
            return self._clients[endpoint_url]

    async def _client(self) -> Any:
        return await self._client_for(self._endpoint_url)

    async def _presigner(self) -> Any:
        return await self._client_for(self._public_endpoint_url or self._endpoint_url)

    async def presign_upload(
        self, key: str, *, content_type: str, max_bytes: int, sha256_hex: str, expires_in: int
    ) -> UploadForm:
        validate_upload_request(key, content_type, max_bytes, sha256_hex)
        checksum = base64.b64encode(bytes.fromhex(sha256_hex)).decode()
        fields = {
            "Content-Type": content_type,
            "x-amz-checksum-algorithm": "SHA256",
            "x-amz-checksum-sha256": checksum,
            "x-amz-meta-sha256": sha256_hex,
        }
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        conditions.append(["content-length-range", 1, max_bytes])
        expires_at = datetime.now(UTC) + timedelta(seconds=expires_in)
        client = await self._presigner()
        post = await client.generate_presigned_post(
            self.bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
        )
        return UploadForm(url=post["url"], fields=post["fields"], expires_at=expires_at)

    async def head(self, key: str) -> StoredObject | None:
        validate_key(key)
        client = await self._client()
        try:
            with _unavailable(f"HEAD {key}"):
                found = await client.head_object(
                    Bucket=self.bucket, Key=key, ChecksumMode="ENABLED"
                )
        except StorageUnavailable as error:
            if _error_code(error.__cause__) in _MISSING:
                return None
            raise
        verified = _checksum_hex(found)
        declared = found.get("Metadata", {}).get("sha256")
        return StoredObject(
            key=key,
            size=found["ContentLength"],
            content_type=found.get("ContentType") or "application/octet-stream",
            sha256_hex=verified or (declared if is_sha256_hex(declared) else None),
            sha256_verified=verified is not None,
        )

    async def presign_download(self, key: str, *, filename: str, expires_in: int) -> str:
        validate_key(key)
        client = await self._presigner()
        params = {
            "Bucket": self.bucket,
            "Key": key,
            "ResponseContentDisposition": content_disposition(filename),
        }
        return await client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_in
        )

    async def delete(self, key: str) -> None:
        validate_key(key)
        client = await self._client()
        try:
            with _unavailable(f"DELETE {key}"):
                await client.delete_object(Bucket=self.bucket, Key=key)
        except StorageUnavailable as error:
            if _error_code(error.__cause__) not in _MISSING:
                raise

    async def ensure_bucket(self) -> None:
        """Create the bucket when it is missing (tests, development start-up)."""
        client = await self._client()
        try:
            with _unavailable(f"bucket {self.bucket}"):
                await client.head_bucket(Bucket=self.bucket)
            return
        except StorageUnavailable as error:
            if _error_code(error.__cause__) not in _NO_BUCKET:
                raise
        create: dict[str, Any] = {"Bucket": self.bucket}
        if self._region != "us-east-1":  # the one region that refuses an explicit constraint
            create["CreateBucketConfiguration"] = {"LocationConstraint": self._region}
        try:
            with _unavailable(f"bucket {self.bucket}"):
                await client.create_bucket(**create)
        except StorageUnavailable as error:
            if _error_code(error.__cause__) != "BucketAlreadyOwnedByYou":
                raise

    async def check(self) -> None:
        """Whether the bucket answers (readiness): one HEAD of it; StorageUnavailable if not.
        The caller bounds the wait (the client's own timeouts and attempts may be longer)."""
        client = await self._client()
        with _unavailable(f"HEAD bucket {self.bucket}"):
            await client.head_bucket(Bucket=self.bucket)

    async def close(self) -> None:
        async with self._lock:
            stack, self._stack, self._clients = self._stack, None, {}
        if stack is not None:
            await stack.aclose()

    # `list` last: inside the class body it shadows the builtin.
    async def list(self, prefix: str, *, page_size: int = 1000) -> AsyncIterator[ListedObject]:
        client = await self._client()
        paginator = client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket, Prefix=prefix, PaginationConfig={"PageSize": page_size}
        ).__aiter__()
        while True:
            with _unavailable(f"LIST {prefix}"):
                try:
                    page = await pages.__anext__()
                except StopAsyncIteration:
                    return
            for item in page.get("Contents", []):
                yield ListedObject(item["Key"], item["Size"], item["LastModified"])


@contextmanager
def _unavailable(action: str) -> Iterator[None]:
    """Any failure of the call as `StorageUnavailable` naming it, in one line; the original
    (a ClientError carries the server's code) stays as ``__cause__``. Every call to the server
    passes here: with tracing on, each is a span (ekinerja/observability/tracing.py)."""
    try:
        with tracing.span(f"S3 {action.split(' ', 1)[0]}", **{"ekinerja.s3.action": action}):
            yield
    except (ClientError, *_NETWORK) as error:
        detail = " ".join(str(error).split()) or type(error).__name__
        raise StorageUnavailable(f"{action} failed: {detail}") from error


def _error_code(error: BaseException | None) -> str:
    if not isinstance(error, ClientError):
        return ""
    return str(error.response.get("Error", {}).get("Code", ""))


def _checksum_hex(head: dict[str, Any]) -> str | None:
    """The object's full-object SHA-256 as hex, when the server keeps one."""
    value = head.get("ChecksumSHA256")
    if not value or "-" in value or head.get("ChecksumType") == "COMPOSITE":
        return None
    try:
        digest = base64.b64decode(value, validate=True)
    except ValueError:
        return None
    return digest.hex() if len(digest) == 32 else None
