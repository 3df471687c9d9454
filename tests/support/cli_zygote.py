"""The warm interpreter behind ``tests.support.cli.run`` (not a test module; run as a script).

It imports the command line once, then reads one request per line on stdin and forks a child
for each: waited for before the next request, or left running (a request with a ``status``
file, ``_start``). The child becomes ``python -m ekinerja ARGS`` as a fresh interpreter would: the
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
        if fd == 2 and path == request["stdout"]:  # one file for both: one offset, as 2>&1
            os.dup2(1, 2)
            continue
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


def _start(request: dict) -> None:
    """A command left running (``tests.support.cli.start``): a waiter process forks it, waits
    for it and writes its exit status to ``request["status"]`` (whole, by a rename) before
    exiting itself; the command's pid and the waiter's are the answer at once. The command
    leads a session of its own if asked (as Popen's start_new_session)."""
    read_end, write_end = os.pipe()
    waiter = os.fork()
    if waiter == 0:
        os.close(read_end)
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):  # not this interpreter's request and answer pipes
            os.dup2(quiet, fd)
        os.close(quiet)
        child = os.fork()
        if child == 0:
            os.close(write_end)
            if request.get("new_session"):
                os.setsid()
            _become(request)  # never returns: the child exits from inside
        os.write(write_end, f"{child}\n".encode())
        os.close(write_end)
        _, status, _ = os.wait4(child, 0)
        written = request["status"] + ".part"
        with open(written, "w") as out:
            json.dump({"returncode": os.waitstatus_to_exitcode(status)}, out)
        os.rename(written, request["status"])
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        child = int(pipe.readline())
    _answer(pid=child, waiter=waiter)


def _reap_waiters() -> None:
    """Reap the waiters that have exited (between requests, the only other children are
    waiters still running)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> None:
    # What the imports built is never garbage: left out of every collection, including the
    # one at each child's exit (0.8 s of CPU otherwise, touching every page copy-on-write).
    gc.freeze()
    for line in sys.stdin:
        request = json.loads(line)
        _reap_waiters()
        if request.get("status"):
            _start(request)
            continue
        pid = os.fork()
        if pid == 0:
            _become(request)  # never returns: the child exits from inside
        _answer(pid=pid)
        _, status, usage = os.wait4(pid, 0)
        _answer(returncode=os.waitstatus_to_exitcode(status), cpu=usage.ru_utime + usage.ru_stime)


if __name__ == "__main__":
    main()
