"""A warm worker process playing the part of one Lambda execution environment (a function runs
several of them at once: partnerka_local.pool)."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# How long a fresh worker may take to import its handler (Lambda's init phase has its own 10 s limit;
# locally imports are slower on a loaded machine, so be generous).
INIT_TIMEOUT = 30.0


class InvocationError(Exception):
    """The handler raised, timed out, or its worker died; the Lambda error document is in .error."""

    def __init__(self, error: dict[str, Any]):
        super().__init__(f"{error.get('errorType')}: {error.get('errorMessage')}")
        self.error = error


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs to import and run one handler (must pickle for spawn)."""

    logical_id: str
    function_name: str
    function_arn: str
    handler: str
    code_dir: str
    layer_dirs: tuple[str, ...]
    environment: tuple[tuple[str, str], ...]
    memory_mb: int
    timeout: float
    log_file: str | None


class LambdaContext:
    """The context object handed to handlers, with the attributes the Python runtime provides."""

    def __init__(self, spec: WorkerSpec, request_id: str, deadline: float):
        self.function_name = spec.function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = spec.function_arn
        self.memory_limit_in_mb = spec.memory_mb
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{spec.function_name}"
        self.log_stream_name = f"local/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _error_document(exc: BaseException) -> dict[str, Any]:
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


def _isolate_sys_path(spec: WorkerSpec) -> None:
    # Like /var/task and /opt/python on Lambda: the function's code and its layers come first, and
    # nothing of the parent's project tree leaks in, only the interpreter's own libraries.
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    runtime_paths = [
        p for p in sys.path if p and any(os.path.realpath(p).startswith(prefix) for prefix in prefixes)
    ]
    sys.path[:] = [spec.code_dir, *spec.layer_dirs, *runtime_paths]


def worker_main(conn: Connection, spec: WorkerSpec) -> None:
    """Entry point of the worker process: import the handler once, then serve invocations."""
    if spec.log_file:
        fd = os.open(spec.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)
    os.environ.clear()
    os.environ.update(dict(spec.environment))
    time.tzset()
    _isolate_sys_path(spec)
    os.chdir(spec.code_dir)
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s]\t%(asctime)s\t%(name)s\t%(message)s")
    module_name, _, attr = spec.handler.rpartition(".")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
        handler = getattr(module, attr)
    except Exception as exc:  # an import-time failure is an init error, reported to the caller
        traceback.print_exc()
        conn.send(("init_error", json.dumps(_error_document(exc))))
        return
    conn.send(("ready", ""))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the runtime went away; a Lambda sandbox would be frozen and reaped
        if message[0] != "invoke":
            return
        _, event_json, request_id, deadline = message
        context = LambdaContext(spec, request_id, deadline)
        print(f"START RequestId: {request_id} Version: $LATEST", flush=True)
        started = time.monotonic()
        try:
            result = handler(json.loads(event_json), context)
            reply = ("ok", json.dumps(result))
        except Exception as exc:
            traceback.print_exc()
            reply = ("error", json.dumps(_error_document(exc)))
        elapsed = (time.monotonic() - started) * 1000
        print(
            f"END RequestId: {request_id}\nREPORT RequestId: {request_id}\tDuration: {elapsed:.2f} ms",
            flush=True,
        )
        conn.send(reply)


class Worker:
    """Parent-side handle of one instance's worker process: serialises invocations and enforces Timeout."""

    def __init__(self, spec: WorkerSpec, instance: int = 1):
        self.spec = spec
        self.instance = instance  # its number in the function's pool, 1 for the first
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready = False
        self._stopped = False
        self.invocations = 0
        self.errors = 0

    @property
    def pid(self) -> int | None:
        """The worker process's id (None before it starts): a test may kill it, as a sandbox dies."""
        return self._process.pid if self._process is not None else None

    @property
    def busy(self) -> bool:
        """An invocation is running (or waiting for the worker to be ready)."""
        return self._lock.locked()

    def start(self) -> None:
        """Spawn the process (non-blocking: the handler import happens while other workers start)."""
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main,
            args=(child_conn, self.spec),
            name=f"lambda-{self.spec.logical_id}-{self.instance}",
            daemon=True,
        )
        process.start()
        child_conn.close()
        self._process, self._conn, self._ready = process, parent_conn, False

    def prestart(self) -> None:
        """Start the process now unless it runs (a lazy worker before its first invocation), so that
        several import their handlers at once; `wait_ready` then waits for it."""
        with self._lock:
            if self._process is None and not self._stopped:
                self.start()

    def wait_ready(self, timeout: float = INIT_TIMEOUT) -> None:
        """Block until the handler is imported; raise InvocationError on an init failure."""
        with self._lock:
            self._ensure_ready(timeout)

    def _ensure_ready(self, timeout: float) -> Connection:
        if self._stopped:
            raise InvocationError(
                {"errorType": "Runtime.Stopped", "errorMessage": "the local runtime is stopping"}
            )
        if self._process is None:
            self.start()
        assert self._conn is not None
        if not self._ready:
            if not self._conn.poll(timeout):
                self._discard()
                raise InvocationError({"errorType": "Runtime.InitTimeout", "errorMessage": "init timed out"})
            try:
                kind, payload = self._conn.recv()
            except (EOFError, OSError):
                self._discard()
                raise InvocationError(
                    {"errorType": "Runtime.ExitError", "errorMessage": "worker died during init"}
                ) from None
            if kind != "ready":
                self._discard()
                raise InvocationError(json.loads(payload))
            self._ready = True
        return self._conn

    def _discard(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn, self._ready = None, None, False

    def invoke(self, event: Any) -> Any:
        """Run the handler once; returns its JSON result or raises InvocationError."""
        with self._lock:
            self.invocations += 1
            try:
                return self._invoke_locked(event)
            except InvocationError:
                self.errors += 1
                raise

    def _invoke_locked(self, event: Any) -> Any:
        # A worker that died while idle is replaced before the invocation, like a recycled sandbox.
        if self._process is not None and self._ready and not self._process.is_alive():
            self._discard()
        conn = self._ensure_ready(INIT_TIMEOUT)
        request_id = str(uuid.uuid4())
        deadline = time.time() + self.spec.timeout
        try:
            conn.send(("invoke", json.dumps(event), request_id, deadline))
            if not conn.poll(self.spec.timeout):
                log.warning(
                    "%s: request %s timed out after %.1f s",
                    self.spec.logical_id,
                    request_id,
                    self.spec.timeout,
                )
                self._discard()
                self._respawn()
                raise InvocationError(
                    {
                        "errorType": "Sandbox.Timedout",
                        "errorMessage": f"Task timed out after {self.spec.timeout:.2f} seconds",
                    }
                )
            kind, payload = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            log.warning("%s: worker died during request %s", self.spec.logical_id, request_id)
            self._discard()
            self._respawn()
            raise InvocationError(
                {"errorType": "Runtime.ExitError", "errorMessage": "worker process exited"}
            ) from None
        if kind == "ok":
            return json.loads(payload)
        raise InvocationError(json.loads(payload))

    def _respawn(self) -> None:
        if not self._stopped:
            self.start()

    def request_stop(self) -> None:
        """Ask the worker to exit without waiting: the runtime asks them all, then waits for each."""
        if self._stopped:
            return
        self._stopped = True
        if self._conn is not None:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(("stop",))

    def stop(self, deadline: float | None = None) -> None:
        """Ask the worker to exit, kill it if it has not by `deadline` (time.monotonic(); a second
        from now by default); interrupts a running invocation."""
        self.request_stop()
        process = self._process
        if process is None:
            return
        process.join(1.0 if deadline is None else max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(5)
        with self._lock:
            self._discard()


def worker_log_file(log_dir: Path | None, logical_id: str) -> str | None:
    if log_dir is None:
        return None
    log_dir.mkdir(parents=True, exist_ok=True)
    return str((log_dir / f"{logical_id}.log").resolve())
