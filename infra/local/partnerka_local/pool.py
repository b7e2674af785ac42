"""Several instances of one function at once, as Lambda scales a function out under concurrent load.

Lambda runs one request per execution environment and starts another environment (a cold start)
when every warm one is busy, up to the function's concurrency limit; past it, requests wait. One
warm worker per function hid every bug that needs two invocations at once (two clicks racing for
the last unit of a cap, two batches of one queue posting the same journal): a pool of worker
processes, each with its own cold start, brings them to a laptop. Instances start only when load
needs them, and an extra instance idle for a while is stopped (`reap_idle`), as Lambda reclaims
idle environments: a function costs one process once its burst is over.

One difference from Lambda, for a 2-core laptop: an instance boots in the background, one at a
time per function, and a waiting request goes to whichever instance is free first. Lambda hands
the request that caused a cold start to the new environment; here four cold starts at once (a
dashboard's parallel requests) would take the cores from the warm instance that could have served
them all in the meantime, and each boot would take four times as long.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .workers import INIT_TIMEOUT, InvocationError, Worker, WorkerSpec

log = logging.getLogger(__name__)

CONCURRENCY_ENV = "PARTNERKA_LOCAL_CONCURRENCY"
# After an extra instance failed to boot (while others serve), the pool waits this long before it
# tries to grow again, instead of spawning failing processes back to back.
BOOT_RETRY_PAUSE = 5.0
DEFAULT_CONCURRENCY = 4


def concurrency_from_env(environ: Mapping[str, str] = os.environ) -> int:
    """The instances each function may run at once: PARTNERKA_LOCAL_CONCURRENCY, else 4."""
    raw = environ.get(CONCURRENCY_ENV, "").strip()
    if not raw:
        return DEFAULT_CONCURRENCY
    value = int(raw)
    if value < 1:
        raise ValueError(f"{CONCURRENCY_ENV} must be at least 1, not {raw}")
    return value


class FunctionPool:
    """Up to `size` worker processes of one function: an invocation goes to an idle instance (the
    most recently used, so warm ones stay warm); when none is idle it waits, first come first
    served, and while fewer than `size` instances run one more boots for it in the background."""

    def __init__(
        self, spec: WorkerSpec, size: int, new_instance: Callable[[WorkerSpec, int], Worker] = Worker
    ):
        if size < 1:
            raise ValueError("a function needs at least one instance")
        self.spec = spec
        self.size = size
        self._new_instance = new_instance
        self.instances: list[Worker] = []
        self._idle: list[Worker] = []  # a stack: the most recently used on top
        self._idle_since: dict[Worker, float] = {}
        self._cond = threading.Condition()
        self._waiting: list[object] = []  # tickets of the invocations queued for an instance, in order
        self._busy = 0
        self._booting = False  # an instance is importing its handler in the background
        self._grow_after = 0.0  # monotonic time before which no instance boots (after a failed one)
        self._boot_failures = 0
        self._boot_error: dict[str, Any] = {}
        self._stopped = False
        self._numbered = 0  # instances created so far (each gets the next number)
        self.peak_busy = 0  # the most invocations ever running at once

    # ------------------------------------------------------------------ figures
    @property
    def invocations(self) -> int:
        return sum(instance.invocations for instance in self.instances)

    @property
    def errors(self) -> int:
        return sum(instance.errors for instance in self.instances)

    @property
    def busy(self) -> bool:
        """An invocation is running on some instance (or waiting for one to be ready)."""
        return self._busy > 0

    @property
    def pid(self) -> int | None:
        """The process id of an instance serving an invocation now, else of the first instance (None
        before any starts): a test may kill it, as a sandbox dies."""
        running = [i for i in self.instances if i.busy and i.pid is not None]
        if running:
            return running[0].pid
        return self.instances[0].pid if self.instances else None

    @property
    def waiting(self) -> int:
        """Invocations queued for an instance."""
        return len(self._waiting)

    def served(self) -> list[int]:
        """How many invocations each instance has served, in the order they started."""
        return [instance.invocations for instance in self.instances]

    # ------------------------------------------------------------------ dispatch
    def invoke(self, event: Any) -> Any:
        """Run the handler on one instance; returns its JSON result or raises InvocationError."""
        instance = self._acquire()
        try:
            return instance.invoke(event)
        finally:
            self._release(instance)

    def _acquire(self) -> Worker:
        ticket = object()
        with self._cond:
            failures_seen = self._boot_failures
            self._waiting.append(ticket)
            try:
                while True:
                    if self._stopped:
                        raise InvocationError(
                            {"errorType": "Runtime.Stopped", "errorMessage": "the local runtime is stopping"}
                        )
                    if self._boot_failures != failures_seen and not self.instances:
                        # The function cannot start at all: every invocation waiting for it fails
                        # with the init error, as on Lambda; the next one tries again.
                        raise InvocationError(self._boot_error)
                    if self._waiting[0] is ticket and self._idle:
                        instance = self._idle.pop()
                        break
                    self._grow()
                    self._cond.wait()
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next in line may take another idle instance
            self._busy += 1
            self.peak_busy = max(self.peak_busy, self._busy)
            return instance

    def _grow(self) -> None:
        """Boot one more instance in the background if every one is busy and the pool may grow
        (called with the lock held)."""
        if self._idle or self._booting or len(self.instances) >= self.size:
            return
        if self.instances and time.monotonic() < self._grow_after:
            return
        self._numbered += 1
        instance = self._new_instance(self.spec, self._numbered)
        self.instances.append(instance)
        self._booting = True
        threading.Thread(
            target=self._boot, args=(instance,), name=f"boot-{self.spec.logical_id}", daemon=True
        ).start()

    def _boot(self, instance: Worker) -> None:
        try:
            instance.wait_ready(INIT_TIMEOUT)
        except InvocationError as error:
            log.warning("%s: instance %d failed to start: %s", self.spec.logical_id, instance.instance, error)
            with self._cond:
                self.instances.remove(instance)
                self._booting = False
                self._boot_failures += 1
                self._boot_error = error.error
                self._grow_after = time.monotonic() + BOOT_RETRY_PAUSE
                self._cond.notify_all()
            instance.stop()
            return
        with self._cond:
            self._booting = False
            self._park(instance)

    def _release(self, instance: Worker) -> None:
        with self._cond:
            self._busy -= 1
            self._park(instance)

    def _park(self, instance: Worker) -> None:
        """The instance is free (called with the lock held)."""
        self._idle.append(instance)
        self._idle_since[instance] = time.monotonic()
        self._cond.notify_all()

    def reap_idle(self, older_than: float) -> int:
        """Stop the instances idle for `older_than` seconds or more, the longest idle first, but
        keep one; returns how many were stopped."""
        now = time.monotonic()
        with self._cond:
            if self._stopped:
                return 0
            stale = [i for i in self._idle if now - self._idle_since[i] >= older_than]
            stale = stale[: max(0, len(self.instances) - 1)]  # the stack's bottom is the longest idle
            for instance in stale:
                self._idle.remove(instance)
                self.instances.remove(instance)
                del self._idle_since[instance]
        for instance in stale:
            instance.stop()
        return len(stale)

    # ------------------------------------------------------------------ lifecycle
    def _first(self) -> Worker:
        with self._cond:
            if not self.instances:
                self._numbered += 1
                instance = self._new_instance(self.spec, self._numbered)
                self.instances.append(instance)
                self._park(instance)
            return self.instances[0]

    def start(self) -> None:
        """Spawn the first instance (non-blocking), as an eager runtime does for every function."""
        self._first().prestart()

    def prestart(self) -> None:
        """Start the first instance's process now unless it runs, so several functions import at once."""
        self._first().prestart()

    def wait_ready(self, timeout: float = INIT_TIMEOUT) -> None:
        """Block until the first instance has imported its handler; raise InvocationError on failure."""
        self._first().wait_ready(timeout)

    def request_stop(self) -> None:
        """Refuse new invocations and ask every instance to exit without waiting."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
            instances = list(self.instances)
        for instance in instances:
            instance.request_stop()

    def stop(self, deadline: float | None = None) -> None:
        """Stop every instance (interrupting invocations in flight), killing those still running at
        `deadline` (time.monotonic(); a second from now by default): they were all asked at once,
        so their exits overlap instead of taking a second each."""
        self.request_stop()
        deadline = time.monotonic() + 1.0 if deadline is None else deadline
        for instance in list(self.instances):
            instance.stop(deadline)
