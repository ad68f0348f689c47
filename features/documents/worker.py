"""A parser process: reads jobs from stdin, writes evidence to stdout, until stdin closes.

Started in a fresh interpreter by `features.documents.worker_process`; never imported by the
caller's process for parsing, so nothing it does can reach the caller's state.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import IO

from features.documents.parse import parse_in_process
from features.documents.wire import READY, decode_job, encode_evidence, read_frame, write_frame

_MAX_HEADER = 1 << 16


def serve(jobs: IO[bytes], replies: IO[bytes]) -> None:
    """Say ready, then answer every job on `jobs` with one evidence frame on `replies`."""
    baseline = _address_space()
    write_frame(replies, READY)
    while True:
        header = read_frame(jobs, _MAX_HEADER)
        if header is None:
            return
        limits = decode_job(header)
        data = read_frame(jobs, limits.max_bytes)
        if data is None:
            return
        _cap_address_space(baseline, limits.max_memory_bytes)
        evidence = parse_in_process(data, limits)
        _cap_address_space(None, 0)  # reading the next file must not fail under this file's cap
        write_frame(replies, encode_evidence(evidence))


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _cap_address_space(baseline: int | None, allowance: int) -> None:
    """Bound the worker's virtual memory, so an allocation bomb fails here, not on the host;
    without a baseline, lift the bound again."""
    try:
        import resource
    except ImportError:  # not POSIX: the caller's deadline still bounds the worker
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if baseline is None:
        soft = hard
    else:
        soft = baseline + allowance
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def main() -> None:
    """Serve on the process's own stdin/stdout; stray writes to fd 1 go to stderr instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller decides when workers stop
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
