"""A fake Telegram Bot API on loopback: the local platform's bot, and the tests'.

The functions are pointed at it by the template's TelegramApiBaseUrl. It answers the Bot API calls
the platform makes (`POST /bot<token>/sendMessage`, `getMe`, `setWebhook`) as Telegram does,
`{"ok": true, "result": {...}}`, and records every call: in memory, readable at `GET /_fake/messages`,
and, with a log file, one JSON line per call.

Test hooks:
- `POST /_fake/start?chat_id=&username=&code=` plays a person pressing Start on a deep link: an
  Update with `/start <code>` goes to the webhook (`webhook_url`, or the URL setWebhook gave) with
  the secret token header, and the webhook's status comes back as `{"status": <code>}`;
- `POST /_fake/fail?chat_id=&status=429&retry_after=5&times=1` makes sendMessage to that chat fail
  as Telegram would: 429 with `parameters.retry_after`, 403 "bot was blocked by the user", or
  400 "chat not found" (`times` 0: until told otherwise);
- `POST /_fake/reset` forgets the calls and the failures.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

_FAILURES = {
    429: "Too Many Requests: retry after {retry_after}",
    403: "Forbidden: bot was blocked by the user",
    400: "Bad Request: chat not found",
}


@dataclass
class BotCall:
    method: str
    token: str
    arguments: dict[str, Any]
    status: int
    at: float = field(default_factory=time.time)


@dataclass
class _Failure:
    status: int
    retry_after: int
    times: int  # 0: every call


class FakeBotApi:
    """The Bot API of one or more bots (any token is taken); started on a free loopback port."""

    def __init__(
        self,
        port: int = 0,
        log_file: Path | None = None,
        webhook_url: str = "",
        webhook_secret: str = "",
        username: str = "partnerka_local_bot",
    ) -> None:
        self.log_file = log_file
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.username = username
        self.calls: list[BotCall] = []
        self._failures: dict[int, _Failure] = {}
        self._lock = threading.Lock()
        self._next_message_id = 1
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The sendMessage calls answered ok (to `chat_id`, when given), oldest first."""
        with self._lock:
            return [
                c.arguments
                for c in self.calls
                if c.method == "sendMessage"
                and c.status == 200
                and (chat_id is None or c.arguments.get("chat_id") == chat_id)
            ]

    def fail(self, chat_id: int, status: int, retry_after: int = 1, times: int = 1) -> None:
        if status not in _FAILURES:
            raise ValueError(f"the fake fails with {sorted(_FAILURES)} only")
        with self._lock:
            self._failures[chat_id] = _Failure(status, retry_after, times)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._failures.clear()

    def press_start(self, chat_id: int, username: str, code: str) -> int:
        """Send the webhook the Update of a person pressing Start on `?start=<code>`; its status."""
        update = {
            "update_id": int(time.time() * 1000) % 2**31,
            "message": {
                "message_id": 1,
                "from": {"id": chat_id, "is_bot": False, "first_name": username, "username": username},
                "chat": {"id": chat_id, "type": "private", "username": username},
                "date": int(time.time()),
                "text": f"/start {code}" if code else "/start",
            },
        }
        request = urllib.request.Request(  # noqa: S310 - the webhook of the local platform
            self.webhook_url,
            data=json.dumps(update).encode(),
            headers={
                "content-type": "application/json",
                "x-telegram-bot-api-secret-token": self.webhook_secret,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeBotApi:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ the Bot API
    def _answer(self, token: str, method: str, arguments: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            status, body = self._result(method, arguments)
            call = BotCall(method, token, arguments, status)
            self.calls.append(call)
            if self.log_file is not None:
                with self.log_file.open("a") as log:
                    log.write(json.dumps(asdict(call), ensure_ascii=False) + "\n")
        return status, body

    def _result(self, method: str, arguments: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "username": self.username}}
        if method == "setWebhook":
            self.webhook_url = str(arguments.get("url") or self.webhook_url)
            self.webhook_secret = str(arguments.get("secret_token") or self.webhook_secret)
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        if method != "sendMessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        chat_id = arguments.get("chat_id")
        if not isinstance(chat_id, int) or not isinstance(arguments.get("text"), str):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        failure = self._failures.get(chat_id)
        if failure is not None:
            if failure.times == 1:
                del self._failures[chat_id]
            elif failure.times > 1:
                failure.times -= 1
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": _FAILURES[failure.status].format(retry_after=failure.retry_after),
            }
            if failure.status == 429:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, body
        message_id, self._next_message_id = self._next_message_id, self._next_message_id + 1
        result = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": arguments["text"],
        }
        return 200, {"ok": True, "result": result}

    def _hook(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        if path == "/_fake/start":
            try:
                chat_id = int(query.get("chat_id", ""))
            except ValueError:
                return 400, {"error": "chat_id is a whole number"}
            return 200, {
                "status": self.press_start(chat_id, query.get("username", ""), query.get("code", ""))
            }
        if path == "/_fake/fail":
            try:
                self.fail(
                    int(query.get("chat_id", "")),
                    int(query.get("status", "429")),
                    int(query.get("retry_after", "1")),
                    int(query.get("times", "1")),
                )
            except ValueError as error:
                return 400, {"error": str(error)}
            return 200, {"ok": True}
        if path == "/_fake/reset":
            self.reset()
            return 200, {"ok": True}
        return 404, {"error": f"no hook {path}"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: Any) -> None:
                payload = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/_fake/messages":
                    with fake._lock:
                        self._send(200, [asdict(c) for c in fake.calls])
                    return
                self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                if parts.path.startswith("/_fake/"):
                    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                    self._send(*fake._hook(parts.path, query))
                    return
                bot, _, method = parts.path.lstrip("/").partition("/")
                if not bot.startswith("bot") or not method:
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                try:
                    arguments = json.loads(raw) if raw else {}
                except ValueError:
                    arguments = None
                if not isinstance(arguments, dict):
                    self._send(
                        400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"}
                    )
                    return
                self._send(*fake._answer(bot.removeprefix("bot"), method, arguments))

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
