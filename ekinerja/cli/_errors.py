"""Every failure of a command as one line on stderr, ``ekinerja: error: …``, and an exit code:
2 for what the operator must change (a setting, an argument, a refused request), 1 for anything
else. A traceback only with ``ekinerja --debug …`` or EKINERJA_DEBUG=1: an operator reading a
cron mail needs the reason, not 400 lines of frames (issue 14, defect 16).

`ekinerja.cli.main` is the one place this is applied; commands raise, they do not print errors.
"""

from __future__ import annotations

import os
import socket
import sys
import traceback

import asyncpg
from pydantic import AliasChoices, ValidationError
from tortoise.exceptions import DBConnectionError

from ekinerja.db.config import DatabaseUrlError
from ekinerja.refusals import Refusal, RequestRefused
from ekinerja.settings import Settings
from ekinerja.startup import StartupRefused
from ekinerja.storage import StorageError

PREFIX = "ekinerja: error: "
DEBUG_VARIABLE = "EKINERJA_DEBUG"
_TRUE = {"1", "true", "yes", "on"}
_debug_flag = False


class CommandError(Exception):
    """A command refusing its arguments or its situation; the message is for people."""


def set_debug(on: bool) -> None:
    global _debug_flag
    _debug_flag = on


def debugging() -> bool:
    """`--debug` was given, or EKINERJA_DEBUG is set (read here, not through Settings: it must
    work when the settings themselves are what fails)."""
    return _debug_flag or os.environ.get(DEBUG_VARIABLE, "").strip().lower() in _TRUE


def _flat(text: str) -> str:
    return " ".join(text.split())


def _variable(field: str) -> str:
    """The environment variable of a Settings field."""
    info = Settings.model_fields.get(field)
    if info is None:  # already a variable's name (a validation alias)
        return field.upper()
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return str(alias or f"{Settings.model_config.get('env_prefix', '')}{field}").upper()


def _settings_problem(error: ValidationError) -> str:
    """``EKINERJA_MODE='prod': Input should be 'development' or 'production'`` for each bad one."""
    problems = []
    for item in error.errors(include_url=False):
        where = _variable(str(item["loc"][0])) if item["loc"] else "settings"
        given = item.get("input")
        shown = f"={given!r}" if isinstance(given, str | int | float) else ""
        problems.append(f"{where}{shown}: {item['msg']}")
    return "invalid setting " + "; ".join(problems)


# PostgreSQL not reached or refusing the session (a wrong password or user, a database that
# does not exist), and a network failure of any peer (PostgreSQL, S3, a receiver).
_DATABASE = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.InvalidCatalogNameError,
    DBConnectionError,
)
_NETWORK = (ConnectionError, socket.gaierror)


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and every exception it was raised from or while handling, outermost first."""
    chain = [error]
    while (below := error.__cause__ or error.__context__) is not None and below not in chain:
        chain.append(below)
        error = below
    return chain


def _coded(error: BaseException) -> str | None:
    """``CODE: message`` for errors that carry a code for machines and a message for people
    (refusals, tenant errors, unreadable files, the database failing)."""
    code = getattr(error, "code", None)
    if not (isinstance(code, str) and code.isupper()):
        return None
    message = getattr(error, "message", None) or str(error)
    root = _chain(error)[-1]
    if root is not error and isinstance(root, _DATABASE + _NETWORK):
        message = f"{message} ({_flat(str(root)) or type(root).__name__})"
    return f"{code}: {_flat(message)}"


def describe(error: BaseException) -> tuple[str, int]:
    """The one line (without the prefix) and the exit code for ``error``."""
    if isinstance(error, ValidationError) and error.title == Settings.__name__:
        return _settings_problem(error), 2
    if isinstance(error, StartupRefused):
        return f"STARTUP_REFUSED: {_flat(str(error))}", 2
    if isinstance(error, DatabaseUrlError | CommandError):
        return _flat(str(error)), 2
    if isinstance(error, StorageError):  # says what failed and why (``DELETE key failed: …``)
        return _flat(str(error)) or type(error).__name__, 1
    coded = _coded(error)
    if coded is not None:
        return coded, 2 if isinstance(error, Refusal | RequestRefused) else 1
    chain = _chain(error)
    reason = _flat(str(chain[-1])) or type(chain[-1]).__name__
    if any(isinstance(link, _DATABASE) for link in chain):
        return f"cannot use the database: {reason}", 1
    if isinstance(chain[-1], _NETWORK):
        return f"cannot connect: {reason}", 1
    text = _flat(str(error))
    kind = type(error).__name__
    return f"{kind}: {text} (run with --debug for details)" if text else kind, 1


def report(error: BaseException) -> int:
    """Print ``error`` for the operator (with its traceback when debugging); the exit code."""
    if debugging():
        traceback.print_exception(error, file=sys.stderr)
    line, code = describe(error)
    print(PREFIX + line, file=sys.stderr, flush=True)
    return code
