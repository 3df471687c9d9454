"""What every file upload endpoint shares (the progres import, the pegawai and unit import jobs):
the file's type, the body received to a temporary file within the byte limit and a deadline,
the per-instansi limit's 429, and the JSON error shape `{"error", "message", ...}`.

A sender trickling its body would hold one of the instansi's places for as long as it likes, so
the body must arrive within the deadline (408 BODY_TIMEOUT); a body announced or sent larger
than the limit is refused (413 TOO_LARGE) without being kept.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse

from ekinerja.http.per_key_limit import LimitReached

RETRY_AFTER_SECONDS = 10  # a guess at when a place frees up; imports take seconds
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SUFFIX = {"text/csv": ".csv", "application/csv": ".csv", XLSX_TYPE: ".xlsx"}
UNSUPPORTED_TYPE = "send text/csv or an XLSX file (or ?format=csv|xlsx)"


def json_error(
    code: str, message: str, status: int, headers: dict[str, str] | None = None, **extra
) -> JSONResponse:
    body = {"error": code, "message": message, **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def upload_suffix(request: Request) -> str | None:
    """`.csv` or `.xlsx` from `?format=` or Content-Type; None for anything else."""
    named = request.query_params.get("format")
    if named in ("csv", "xlsx"):
        return f".{named}"
    return _SUFFIX.get(request.headers.get("content-type", "").split(";")[0].strip().lower())


def wants_dry_run(request: Request) -> bool:
    return request.query_params.get("dryRun", "").lower() in ("1", "true", "yes")


def declared_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None  # chunked or malformed: the streamed count still applies


def too_large(max_bytes: int) -> JSONResponse:
    return json_error("TOO_LARGE", f"at most {max_bytes} bytes", 413)


def announced_too_large(request: Request, max_bytes: int) -> JSONResponse | None:
    """413 when Content-Length already says the body is too large: before reading any of it."""
    declared = declared_length(request)
    return too_large(max_bytes) if declared is not None and declared > max_bytes else None


async def _body_to(path: Path, request: Request, max_bytes: int) -> bool:
    """Stream the body to ``path``; False as soon as it is larger than ``max_bytes``."""
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                return False
            out.write(chunk)
    return True


async def receive_body(
    request: Request, path: Path, max_bytes: int, seconds: float
) -> JSONResponse | None:
    """Write the body to ``path``; the refusal to answer with (408, 413), or None when the
    whole body arrived in time and within the limit."""
    try:
        async with asyncio.timeout(seconds):
            complete = await _body_to(path, request, max_bytes)
    except TimeoutError:
        return json_error("BODY_TIMEOUT", f"the file did not arrive within {seconds:g} s", 408)
    return None if complete else too_large(max_bytes)


def too_many_imports(busy: LimitReached, what: str = "imports are already running") -> JSONResponse:
    return json_error(
        "TOO_MANY_IMPORTS",
        f"{busy.limit} {what} for this instansi; retry later",
        429,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
