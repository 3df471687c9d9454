"""What every file upload endpoint shares (the progres import, the pegawai and unit import jobs):
the file's type, and the body received to a temporary file within the byte limit and a
deadline. Refusals are raised and answered by the pipeline (bound_request.py) in the one error
envelope.

A sender trickling its body would hold one of the instansi's places for as long as it likes, so
the body must arrive within the deadline (408 BODY_TIMEOUT); a body announced or sent larger
than the limit is refused (413 TOO_LARGE) without being kept (bounded_body.py).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request

from ekinerja.http.bound_request import RETRY_AFTER_SECONDS  # noqa: F401  (the tests read it)
from ekinerja.http.bounded_body import write_bounded
from ekinerja.http.envelope import HttpRefusal

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SUFFIX = {"text/csv": ".csv", "application/csv": ".csv", XLSX_TYPE: ".xlsx"}
UNSUPPORTED_TYPE = "send text/csv or an XLSX file (or ?format=csv|xlsx)"


def upload_suffix(request: Request) -> str | None:
    """`.csv` or `.xlsx` from `?format=` or Content-Type; None for anything else."""
    named = request.query_params.get("format")
    if named in ("csv", "xlsx"):
        return f".{named}"
    return _SUFFIX.get(request.headers.get("content-type", "").split(";")[0].strip().lower())


def accepts_table(request: Request) -> None:
    """The pipeline's type check for the imports: 415 unless the body is a CSV or XLSX file."""
    if upload_suffix(request) is None:
        raise HttpRefusal("UNSUPPORTED_TYPE", UNSUPPORTED_TYPE, 415)


def wants_dry_run(request: Request) -> bool:
    return request.query_params.get("uji", "").lower() in ("1", "true", "yes")


async def receive_body(request: Request, path: Path, max_bytes: int, seconds: float) -> None:
    """Write the body to ``path``: BodyTooLarge past ``max_bytes``, BodyTimeout when it has not
    all arrived within ``seconds``."""
    await write_bounded(request.headers, request.stream(), path, max_bytes, seconds)
