"""Structured logs: one JSON object per line, every line tagged with the request id."""

from __future__ import annotations

import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

import orjson

from ekinerja.settings import LogFormat

request_id_var: ContextVar[str | None] = ContextVar("ekinerja_request_id", default=None)

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged too.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


def _install_request_id_on_records() -> None:
    """Stamp the request id on every LogRecord when it is created, whoever logs and whichever
    handler (ours, pytest's, a library's) receives it. Idempotent."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_ekinerja", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    factory._ekinerja = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_install_request_id_on_records()


class _WithoutTraceback(logging.Formatter):
    """For commands: an exception logged with its traceback shows as its one-line summary
    (``--debug`` shows the traceback)."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return "".join(traceback.format_exception_only(ei[0], ei[1])).strip()

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return ""


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure_logging(
    log_format: LogFormat, level: str = "INFO", *, tracebacks: bool = True
) -> None:
    """Log to stderr; ``tracebacks=False`` (text, for commands) prints an exception's summary."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        text = logging.Formatter if tracebacks else _WithoutTraceback
        handler.setFormatter(
            text("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
