"""Why a file cannot be read as a table at all (as opposed to a bad row in it). Each kind
carries the code and HTTP status an upload endpoint answers with; the CLI prints the message
as its one line."""

from __future__ import annotations


class ReadError(ValueError):
    """A file that cannot be read as a table: not CSV or XLSX, empty, malformed."""

    code = "INVALID_FILE"
    http_status = 400


class NotText(ReadError):
    """A "CSV" holding NUL or other control bytes, or bytes no supported encoding reads: a
    binary file (an XLSX or a picture sent as CSV, a UTF-16 export, garbage)."""

    code = "BINARY_FILE"


class TooLarge(ReadError):
    """More bytes than allowed, sent or (for an XLSX) once unpacked."""

    code = "TOO_LARGE"
    http_status = 413


class TooManyRows(ReadError):
    code = "TOO_MANY_ROWS"
    http_status = 413


class TooSlow(ReadError):
    """Reading and checking the cells took longer than the deadline allows."""

    code = "IMPORT_TIMEOUT"
    http_status = 422
