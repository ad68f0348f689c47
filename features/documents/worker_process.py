"""One parser process as the caller sees it: start it, hand it a file, read its reply, stop it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from multiprocessing.connection import wait
from pathlib import Path
from typing import IO, cast

from features.documents.evidence import ParseLimits
from features.documents.wire import READY, WireError, encode_job, max_reply, read_frame, write_frame

_HERE = Path(__file__).resolve().parent
_STOP_GRACE_S = 2.0
_WIDE_PIPE = 1 << 20
_DEFAULT_PIPE = 1 << 16
_START_TIMEOUT_S = 120.0  # a cold interpreter on a loaded machine; a file's deadline starts later
_PACKAGES = (("features", str(_HERE.parent)), ("features.documents", str(_HERE)))
# Start-up code of a worker. The `features` package's own import pulls in pandas and every
# feature module, which a parser never uses: registering both packages as bare namespaces
# first makes a worker start about four times faster and a fifth of the size.
_BOOTSTRAP = """
import sys, types
for name, folder in {packages!r}:
    package = types.ModuleType(name)
    package.__path__ = [folder]
    sys.modules[name] = package
from features.documents.worker import main
main()
"""


class WorkerProcess:
    """One parser process (running `features.documents.worker.main`) and the pipes to it."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(path for path in sys.path if path)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOTSTRAP.format(packages=_PACKAGES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env=env,
        )
        self.stdin = cast(IO[bytes], self.process.stdin)
        self.stdout = cast(IO[bytes], self.process.stdout)
        self.fileno = self.stdout.fileno()
        self.pipe_bytes = _widen_pipe(self.stdin.fileno())
        self.jobs = 0
        self.ready = False

    def wait_ready(self) -> bool:
        """Wait for the worker to finish starting, so its start-up never eats a file's deadline."""
        if self.ready:
            return True
        if not wait([self.fileno], _START_TIMEOUT_S):
            return False
        try:
            self.ready = read_frame(self.stdout, len(READY)) == READY
        except (OSError, WireError):
            self.ready = False
        return self.ready

    def submit(self, data: bytes, limits: ParseLimits) -> bool:
        """Send one file and its limits; False when the worker cannot take it."""
        if not self.wait_ready():
            return False
        try:
            write_frame(self.stdin, encode_job(limits))
            write_frame(self.stdin, data)
        except (OSError, ValueError):
            return False
        self.jobs += 1
        return True

    def receive(self) -> bytes | None:
        """The next reply, or None when the worker died or sent garbage."""
        try:
            return read_frame(self.stdout, max_reply())
        except (OSError, WireError):
            return None

    def stop(self) -> None:
        """Close the worker's input so it exits, killing it if it does not within the grace."""
        with contextlib.suppress(OSError):
            self.stdin.close()
        try:
            self.process.wait(_STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        """End the worker now (by its own pid) and release its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def _widen_pipe(fd: int) -> int:
    """Grow the pipe to the worker (Linux allows up to 1 MiB unprivileged) and return its size:
    files queued behind the one being parsed must fit in it, or writing them would block."""
    try:
        import fcntl

        set_size, get_size = 1031, 1032  # F_SETPIPE_SZ, F_GETPIPE_SZ
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, set_size, _WIDE_PIPE)
        return int(fcntl.fcntl(fd, get_size))
    except (ImportError, OSError):
        return _DEFAULT_PIPE
