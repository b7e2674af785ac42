"""Several instances of one function at once, as Lambda scales a function out under concurrent load.

Lambda runs one request per execution environment and starts another environment (a cold start)
when every warm one is busy, up to the function's concurrency limit; past it, requests wait. One
warm worker per function hid every bug that needs two invocations at once (two clicks racing for
the last unit of a cap, two batches of one queue posting the same journal): a pool of worker
processes, each with its own cold start, brings them to a laptop. Instances start only when load
needs them, so an idle function costs one process at most.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from .workers import INIT_TIMEOUT, InvocationError, Worker, WorkerSpec

CONCURRENCY_ENV = "PARTNERKA_LOCAL_CONCURRENCY"
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
    most recently used, so warm ones stay warm), else to a new one while fewer than `size` run,
    else it waits for one to finish, first come first served."""

    def __init__(
        self, spec: WorkerSpec, size: int, new_instance: Callable[[WorkerSpec, int], Worker] = Worker
    ):
        if size < 1:
            raise ValueError("a function needs at least one instance")
        self.spec = spec
        self.size = size
        self._new_instance = new_instance
        self.instances: list[Worker] = []
        self._idle: list[Worker] = []
        self._cond = threading.Condition()
        self._waiting: list[object] = []  # tickets of the invocations queued for an instance, in order
        self._busy = 0
        self._stopped = False
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
            self._waiting.append(ticket)
            try:
                while True:
                    if self._stopped:
                        raise InvocationError(
                            {"errorType": "Runtime.Stopped", "errorMessage": "the local runtime is stopping"}
                        )
                    if self._waiting[0] is ticket:
                        if self._idle:
                            instance = self._idle.pop()
                            break
                        if len(self.instances) < self.size:
                            instance = self._new_instance(self.spec, len(self.instances) + 1)
                            self.instances.append(instance)
                            break
                    self._cond.wait()
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next in line may take another idle instance
            self._busy += 1
            self.peak_busy = max(self.peak_busy, self._busy)
            return instance

    def _release(self, instance: Worker) -> None:
        with self._cond:
            self._busy -= 1
            self._idle.append(instance)
            self._cond.notify_all()

    # ------------------------------------------------------------------ lifecycle
    def _first(self) -> Worker:
        with self._cond:
            if not self.instances:
                instance = self._new_instance(self.spec, 1)
                self.instances.append(instance)
                self._idle.append(instance)
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

    def stop(self) -> None:
        """Stop every instance (interrupting invocations in flight)."""
        self.request_stop()
        for instance in list(self.instances):
            instance.stop()
