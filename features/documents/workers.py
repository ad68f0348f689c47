"""Long-lived parser processes with a hard per-file deadline and a memory cap.

A hostile PDF can spin PDFium's C++ parser forever or allocate without bound, which no
in-process timeout can stop. Each file therefore goes to a worker process; a worker that misses
its deadline is killed and replaced, and one that dies takes only its own file down. Workers
are reused across calls, since starting one costs far more than parsing a file. They are
fresh interpreters (`python -m features.documents.worker`), not forks: the caller may run
threads, and its main module is never re-imported.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import cast

from features.documents.evidence import DocumentEvidence, ParseLimits
from features.documents.parse import blank_evidence
from features.documents.wire import WireError, decode_evidence
from features.documents.worker_process import WorkerProcess

# Files a worker holds: the one it parses and those queued behind it (as many as its pipe takes).
# A few milliseconds of queued work each is not enough on a busy machine, where this process may
# wait tens of milliseconds to be scheduled; a worker that runs dry meanwhile gives its core away.
_PIPELINE_DEPTH = 8
_FRAME_OVERHEAD = 4096  # job header and length prefixes, generously
_MAX_JOBS_PER_WORKER = 5000  # recycle now and then, so slow leaks in native code stay bounded


class WorkerStartError(RuntimeError):
    """A parser process could not be started: the environment is broken, not the file."""


class ParsersBusy(RuntimeError):
    """Every parser process stayed busy for as long as the caller would wait; nothing was
    parsed, so the caller may try again later."""


class WorkerPool:
    """Up to `size` worker processes shared by every caller (and thread) of this pool."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._idle: list[WorkerProcess] = []
        self._live = 0
        self._cond = threading.Condition()

    def grow(self, size: int) -> None:
        """Allow at least `size` workers (existing workers are kept)."""
        with self._cond:
            self.size = max(self.size, size)
            self._cond.notify_all()

    def map(
        self,
        blobs: Sequence[bytes],
        limits: ParseLimits,
        parallel: int,
        *,
        wait_s: float | None = None,
    ) -> list[DocumentEvidence]:
        """Parse `blobs` on up to `parallel` workers; results keep the input order.

        Small files are queued up to `_PIPELINE_DEPTH` deep per worker, so a worker never waits
        for this process to be scheduled between files; each file's deadline starts when its
        worker takes it up. With `wait_s`, ParsersBusy if no worker is free for the first file
        within that many seconds (each file's deadline bounds its parse, not its wait).
        """
        wait_until = None if wait_s is None else time.monotonic() + wait_s
        batch = _Batch(self, blobs, limits, max(1, parallel), wait_until)
        try:
            while batch.pending or batch.lanes:
                batch.fill()
                batch.step()
        finally:
            for lane in batch.lanes.values():
                self._discard(lane.worker)
        return [evidence for evidence in batch.results if evidence is not None]

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their caller is done with them."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._live -= len(idle)
        for worker in idle:
            worker.stop()

    def _checkout(self, *, block: bool, until: float | None = None) -> WorkerProcess | None:
        """An idle or new worker; None if none is free (`block=False`) or none freed up by
        `until` (a monotonic time)."""
        with self._cond:
            while True:
                if self._idle:
                    return self._idle.pop()
                if self._live < self.size:
                    self._live += 1
                    break
                if not block:
                    return None
                timeout = None if until is None else until - time.monotonic()
                if timeout is not None and timeout <= 0:
                    return None
                self._cond.wait(timeout)
        try:
            return WorkerProcess()
        except BaseException:
            with self._cond:
                self._live -= 1
                self._cond.notify()
            raise

    def _checkin(self, worker: WorkerProcess) -> None:
        if worker.jobs >= _MAX_JOBS_PER_WORKER:
            self._discard(worker, graceful=True)
            return
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def _discard(self, worker: WorkerProcess, *, graceful: bool = False) -> None:
        if graceful:
            worker.stop()
        else:
            worker.kill()
        with self._cond:
            self._live -= 1
            self._cond.notify()


@dataclass
class _Lane:
    """A worker and the files queued on it, the first of which it is parsing since `started`."""

    worker: WorkerProcess
    queue: deque[int] = field(default_factory=deque)
    started: float = 0.0
    queued_bytes: int = 0


class _Batch:
    """One `map` call: which files wait, which worker holds which, and the results so far."""

    def __init__(
        self,
        pool: WorkerPool,
        blobs: Sequence[bytes],
        limits: ParseLimits,
        parallel: int,
        wait_until: float | None = None,
    ) -> None:
        self.pool, self.blobs, self.limits, self.parallel = pool, blobs, limits, parallel
        self.wait_until = wait_until  # for the first worker only: later files never give up
        self.results: list[DocumentEvidence | None] = [None] * len(blobs)
        self.pending = deque(range(len(blobs)))
        self.lanes: dict[int, _Lane] = {}

    def fill(self) -> None:
        """Hand waiting files to free workers, then queue small ones behind busy workers."""
        while self.pending:
            lane = None
            if len(self.lanes) < self.parallel:
                block = not self.lanes
                worker = self.pool._checkout(block=block, until=self.wait_until)
                if worker is not None:
                    lane = _Lane(worker)
                    self.wait_until = None
                elif block:
                    raise ParsersBusy("every document parser stayed busy")
            if lane is None:
                lane = self._lane_with_room()
                if lane is None:
                    return
            index = self.pending.popleft()
            if not lane.worker.submit(self.blobs[index], self.limits):
                self._lost(lane, index)
                continue
            if not lane.queue:
                lane.started = time.monotonic()
            lane.queue.append(index)
            lane.queued_bytes += len(self.blobs[index]) + _FRAME_OVERHEAD
            self.lanes[lane.worker.fileno] = lane

    def step(self) -> None:
        """Wait for a reply or the nearest deadline, and act on whichever comes."""
        if not self.lanes:
            return
        nearest = min(lane.started for lane in self.lanes.values()) + self.limits.timeout_s
        for ready in wait(list(self.lanes), max(0.0, nearest - time.monotonic())):
            self._reply(self.lanes[cast(int, ready)])
        now = time.monotonic()
        for lane in list(self.lanes.values()):
            if lane.started + self.limits.timeout_s <= now:
                head = self._drop(lane)
                self.results[head] = blank_evidence(self.blobs[head], "timeout")

    def _lane_with_room(self) -> _Lane | None:
        """A busy worker whose pipe can take the next file without the write blocking."""
        size = len(self.blobs[self.pending[0]]) + _FRAME_OVERHEAD
        open_lanes = [
            lane
            for lane in self.lanes.values()
            if len(lane.queue) < _PIPELINE_DEPTH
            and lane.queued_bytes + size <= lane.worker.pipe_bytes
        ]
        return min(open_lanes, key=lambda lane: len(lane.queue), default=None)

    def _reply(self, lane: _Lane) -> None:
        reply = lane.worker.receive()
        if reply is None:  # the worker died on its current file
            head = self._drop(lane)
            self.results[head] = blank_evidence(self.blobs[head], "corrupt")
            return
        head = lane.queue.popleft()
        lane.queued_bytes -= len(self.blobs[head]) + _FRAME_OVERHEAD
        lane.started = time.monotonic()
        identity = blank_evidence(self.blobs[head])
        try:
            self.results[head] = decode_evidence(reply, identity.sha256, identity.size_bytes)
        except WireError:
            self.results[head] = blank_evidence(self.blobs[head], "corrupt")
        if not lane.queue:
            del self.lanes[lane.worker.fileno]
            self.pool._checkin(lane.worker)

    def _drop(self, lane: _Lane) -> int:
        """Kill a lane's worker; its queued files wait again. Returns the file it was on."""
        del self.lanes[lane.worker.fileno]
        self.pool._discard(lane.worker)
        head = lane.queue.popleft()
        self.pending.extendleft(reversed(lane.queue))
        return head

    def _lost(self, lane: _Lane, index: int) -> None:
        """A worker that cannot take a file: a fresh one means a broken environment."""
        self.pending.appendleft(index)
        if lane.queue:  # it died on the file it holds
            head = self._drop(lane)
            self.results[head] = blank_evidence(self.blobs[head], "corrupt")
            return
        self.pool._discard(lane.worker)
        if lane.worker.jobs == 0:
            raise WorkerStartError("a document parser process failed to start")


_shared: tuple[int, WorkerPool] | None = None
_shared_lock = threading.Lock()


def shared_pool(size: int) -> WorkerPool:
    """The process-wide pool, created on first use and grown to at least `size` workers.

    A process forked from the pool's owner gets a pool of its own: the inherited workers'
    pipes belong to the parent, and sharing them would interleave two conversations.
    """
    global _shared
    with _shared_lock:
        if _shared is None or _shared[0] != os.getpid():
            _shared = (os.getpid(), WorkerPool(size))
            atexit.register(_shared[1].close)
        else:
            _shared[1].grow(size)
        return _shared[1]


def default_workers() -> int:
    """How many cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
