"""An affiliate's tracker on loopback: the local platform's demo tracker, and the tests' receiver.

It records every request, and can fail the first N (or all) with 503 or answer with a redirect, so
tests can watch the postback sender retry, give up and refuse to follow.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    port: int = 0
    fail_first: int = 0
    always_fail: bool = False
    redirect_to: str = ""
    answer_body: bytes = b"OK"
    log_file: Path | None = None  # one line per request
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path_and_query: str = "/pb") -> str:
        return f"http://127.0.0.1:{self.port}{path_and_query}"

    def answer(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests.append(request)
            count = len(self.requests)
            if self.log_file is not None:
                with self.log_file.open("a") as log:
                    log.write(f"{request.method} {request.path} {request.query} {request.body[:500]}\n")
        if self.redirect_to:
            return 302, {"location": self.redirect_to}, b""
        if self.always_fail or count <= self.fail_first:
            return 503, {}, b"busy, try later"
        return 200, {}, self.answer_body


@contextmanager
def running_receiver(**options: object) -> Iterator[Receiver]:
    receiver = Receiver(**options)  # type: ignore[arg-type]

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            parts = urlsplit(self.path)
            request = Received(
                method=self.command,
                path=parts.path,
                query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            status, headers, payload = receiver.answer(request)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
