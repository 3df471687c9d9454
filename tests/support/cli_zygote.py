"""The warm interpreter behind ``tests.support.cli.run`` (not a test module; run as a script).

It imports the command line once, then reads one request per line on stdin and forks a child
for each. The child becomes ``python -m ekinerja ARGS`` as a fresh interpreter would: the
request's environment (replacing this one's whole), working directory (first on sys.path, as
``-m`` puts it), stdin from /dev/null, stdout and stderr into the request's files, and
``ekinerja/__main__.py`` run by runpy as ``-m`` runs it. It ends as any interpreter ends
(SystemExit, atexit, flushed streams); its exit status is the answer. Only the imports are
shared, and nothing of the settings has been read when the child starts (checked below)."""

from __future__ import annotations

import gc
import json
import os
import runpy
import sys

# The package this test run imports (argv[1]), not whatever the environment would find first:
# the children run the code under test. (Replaces this script's own directory.)
sys.path[0] = sys.argv[1]

import ekinerja.cli  # noqa: E402, F401  (the seconds every cold start spends)
from ekinerja.settings import get_settings  # noqa: E402

if get_settings.cache_info().currsize:  # a child must read its own environment
    raise SystemExit("cli_zygote: importing ekinerja.cli read the settings; cannot share it")

_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


def _become(request: dict) -> None:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["stdout"], _WRITE),
        (2, request["stderr"], _WRITE),
    ):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.path.insert(0, os.getcwd())  # as `python -m` puts the working directory first
    sys.argv = ["-m", *request["argv"]]  # runpy puts __main__.py's path in argv[0]
    runpy.run_module("ekinerja", run_name="__main__", alter_sys=True)
    sys.exit(0)


def _answer(**fields) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main() -> None:
    # What the imports built is never garbage: left out of every collection, including the
    # one at each child's exit (0.8 s of CPU otherwise, touching every page copy-on-write).
    gc.freeze()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become(request)  # never returns: the child exits from inside
        _answer(pid=pid)
        _, status, usage = os.wait4(pid, 0)
        _answer(returncode=os.waitstatus_to_exitcode(status), cpu=usage.ru_utime + usage.ru_stime)


if __name__ == "__main__":
    main()
