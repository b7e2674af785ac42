"""The HTTP API: API Gateway HTTP API (payload 2.0) routing, event building and response mapping."""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import mimetypes
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .edge import BucketBehaviour, cache_control, dashboard_key, with_headers
from .template import ACCOUNT_ID, FunctionSpec

log = logging.getLogger(__name__)

Invoker = Callable[[str, Any], Any]


@dataclass(frozen=True, slots=True)
class StoredObject:
    """An object of a bucket as the edge serves it: its bytes and the headers its metadata gives."""

    body: bytes
    headers: list[tuple[str, str]]


ObjectReader = Callable[[str, str], StoredObject | None]  # (bucket, key) → the object, or None

_PARAM = re.compile(r"^\{([^}+]+)(\+?)\}$")
# S3's answer for a key its reader may not list (a missing object read through the edge's OAC).
_ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
)
_TEXT_TYPES = re.compile(
    r"^(text/.*|application/(json|.*\+json|xml|.*\+xml|javascript|x-www-form-urlencoded|graphql))$"
)


@dataclass
class Route:
    """One HttpApi event: a method (or ANY) and a path template, bound to a function."""

    method: str
    path: str
    function: str
    api_id: str
    regex: re.Pattern[str] = field(init=False)
    params: list[str] = field(init=False)
    sort_key: tuple[int, int, int, int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        parts: list[str] = []
        self.params = []
        literal_segments = 0
        greedy = 0
        segments = [s for s in self.path.split("/") if s] if self.path != "$default" else []
        for segment in segments:
            match = _PARAM.match(segment)
            if match is None:
                parts.append(re.escape(segment))
                literal_segments += 1
                continue
            self.params.append(match.group(1))
            if match.group(2):
                greedy = 1
                parts.append(f"(?P<p{len(self.params) - 1}>.+)")
            else:
                parts.append(f"(?P<p{len(self.params) - 1}>[^/]+)")
        self.regex = re.compile("^/" + "/".join(parts) + "/?$" if parts else "^/$")
        is_default = int(self.path == "$default")
        # API Gateway picks the most specific route: no greedy variable beats greedy, then more literal
        # segments, then longer paths; an explicit method beats ANY at equal paths; $default is last.
        self.sort_key = (is_default, greedy, -literal_segments, -len(segments), int(self.method == "ANY"))

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if self.method not in ("ANY", method):
            return None
        if self.path == "$default":
            return {}
        m = self.regex.match(path)
        if m is None:
            return None
        return {name: unquote(m.group(f"p{i}")) for i, name in enumerate(self.params)}


def sort_routes(routes: list[Route]) -> list[Route]:
    return sorted(routes, key=lambda r: r.sort_key)


def find_route(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route API Gateway picks for a request among `routes` (sorted, see `sort_routes`), with its
    path parameters; None when none matches (API Gateway answers 404 itself)."""
    for route in routes:
        params = route.match(method, path)
        if params is not None:
            return route, params
    return None


def function_routes(functions: Mapping[str, FunctionSpec]) -> list[Route]:
    """The HttpApi routes of `functions` (logical id → its FunctionSpec), sorted."""
    routes: list[Route] = []
    for logical_id, spec in functions.items():
        for event in spec.events.values():
            if event.get("Type") != "HttpApi":
                continue
            props = event.get("Properties") or {}
            path = str(props.get("Path") or "$default")
            method = str(props.get("Method") or "ANY")
            api_id = str(props.get("ApiId") or "serverlesshttpapi")
            routes.append(Route(method, path, logical_id, api_id))
    return sort_routes(routes)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _request_id() -> str:
    return base64.b64encode(secrets.token_bytes(12)).decode().rstrip("=")[:16] + "="


def build_event(
    route: Route,
    path_params: dict[str, str],
    method: str,
    raw_path: str,
    raw_query: str,
    header_pairs: list[tuple[str, str]],
    body: bytes,
    source_ip: str,
    local_port: int,
) -> dict[str, Any]:
    """An API Gateway HTTP API payload-2.0 event, as Lambda receives it."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in header_pairs:
        key = name.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    forwarded = headers.get("x-forwarded-for")
    if forwarded and _is_loopback(source_ip):
        # Tests and local tools simulate visitors through X-Forwarded-For on loopback connections only.
        source_ip = forwarded.split(",")[0].strip()
    else:
        headers["x-forwarded-for"] = f"{forwarded}, {source_ip}" if forwarded else source_ip
    headers.setdefault("x-forwarded-proto", "http")
    headers.setdefault("x-forwarded-port", str(local_port))
    now = time.time()
    request_id = _request_id()
    headers["x-amzn-trace-id"] = f"Root=1-{int(now):08x}-{secrets.token_hex(12)}"
    host = headers.get("host", "localhost")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query: dict[str, str] = {}
    for pair in raw_query.split("&") if raw_query else []:
        if not pair:
            continue
        key, _, value = pair.partition("=")
        key, value = unquote(key.replace("+", " ")), unquote(value.replace("+", " "))
        query[key] = f"{query[key]},{value}" if key in query else value
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": ACCOUNT_ID,
        "apiId": route.api_id,
        "domainName": host,
        "domainPrefix": host.split(".")[0].split(":")[0],
        "http": {
            "method": method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request_id,
        "routeKey": route.route_key,
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }
    if path_params:
        event["pathParameters"] = path_params
    if body:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if _TEXT_TYPES.match(content_type):
            try:
                event["body"] = body.decode("utf-8")
                event["isBase64Encoded"] = False
            except UnicodeDecodeError:
                event["body"] = base64.b64encode(body).decode()
                event["isBase64Encoded"] = True
        else:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


@dataclass
class HttpResponse:
    """A response ready to be written: status, header pairs (may repeat) and body bytes."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def json_response(status: int, document: Any) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "application/json")], json.dumps(document).encode())


def map_result(result: Any) -> HttpResponse:
    """Payload 2.0 response mapping: a structured response when statusCode is present, else 200 JSON."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return HttpResponse(200, [("Content-Type", "application/json")], json.dumps(result).encode())
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), "true" if value is True else "false" if value is False else str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.append((str(name), ",".join(str(v) for v in values)))
    for cookie in result.get("cookies") or []:
        headers.append(("Set-Cookie", str(cookie)))
    body = result.get("body")
    if body is None:
        payload = b""
    elif result.get("isBase64Encoded"):
        payload = base64.b64decode(str(body))
    else:
        payload = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    return HttpResponse(int(result["statusCode"]), headers, payload)


class _Server(ThreadingHTTPServer):
    """A thread per connection; a backlog for a hundred clients connecting at once (the default of
    5 drops SYNs past it, and each dropped one waits a second for the client to send it again)."""

    daemon_threads = True
    request_queue_size = 128


class HttpGateway:
    """Serves the template's HttpApi routes (and optionally the built SPA) on one host:port."""

    def __init__(
        self,
        routes: list[Route],
        invoke: Invoker,
        host: str,
        port: int,
        frontend_dist: Path | None = None,
        edge_headers: list[tuple[str, str]] | None = None,
        bucket_behaviours: list[BucketBehaviour] | None = None,
        read_object: ObjectReader | None = None,
    ):
        self.routes = sort_routes(routes)
        self.invoke = invoke
        self.frontend_dist = frontend_dist.resolve() if frontend_dist and frontend_dist.is_dir() else None
        # What the edge adds to every answer (the template's response headers policy).
        self.edge_headers = list(edge_headers or [])
        # Paths the edge serves from a bucket (the brand's images), read through `read_object`.
        self.bucket_behaviours = list(bucket_behaviours or [])
        self.read_object = read_object
        gateway = self

        class Handler(_RequestHandler):
            pass

        Handler.gateway = gateway
        self.server = _Server((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, name="http-gateway", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(5)
        self.server.server_close()

    def handle(
        self, method: str, target: str, header_pairs: list[tuple[str, str]], body: bytes, client_ip: str
    ) -> HttpResponse:
        response = self._answer(method, target, header_pairs, body, client_ip)
        response.headers = with_headers(response.headers, self.edge_headers)
        return response

    def _answer(
        self, method: str, target: str, header_pairs: list[tuple[str, str]], body: bytes, client_ip: str
    ) -> HttpResponse:
        raw_path, _, raw_query = target.partition("?")
        behaviour = next((b for b in self.bucket_behaviours if b.matches(raw_path)), None)
        if behaviour is not None:
            return self.bucket_file(behaviour, method, raw_path)
        found = find_route(self.routes, method, raw_path)
        if found is None:
            if method in ("GET", "HEAD"):
                spa = self.spa_file(raw_path)
                if spa is not None:
                    path, key = spa
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    headers = [("Content-Type", content_type), ("Cache-Control", cache_control(key))]
                    return HttpResponse(200, headers, path.read_bytes())
            return json_response(404, {"message": "Not Found"})
        route, params = found
        event = build_event(
            route, params, method, raw_path, raw_query, header_pairs, body, client_ip, self.port
        )
        try:
            result = self.invoke(route.function, event)
            response = map_result(result)
        except Exception as exc:
            log.warning("%s %s -> %s failed: %s", method, raw_path, route.function, exc)
            response = json_response(500, {"message": "Internal Server Error"})
        response.headers.append(("Apigw-Requestid", event["requestContext"]["requestId"]))
        return response

    def bucket_file(self, behaviour: BucketBehaviour, method: str, raw_path: str) -> HttpResponse:
        """An object of the behaviour's bucket, its key the path (as CloudFront asks S3 for it), with
        the object's own Content-Type and Cache-Control. A missing object is S3's 403 (the edge's
        access may read objects, not list them), and a method the behaviour does not allow is
        CloudFront's 403."""
        denied = HttpResponse(403, [("Content-Type", "application/xml")], _ACCESS_DENIED)
        if method not in ("GET", "HEAD") or self.read_object is None:
            return denied
        found = self.read_object(behaviour.bucket, unquote(raw_path).lstrip("/"))
        if found is None:
            return denied
        return HttpResponse(200, list(found.headers), found.body)

    def spa_file(self, raw_path: str) -> tuple[Path, str] | None:
        """The dashboard's file for a path and its key, routed as the edge routes it: a route of the
        page gets index.html, any other path its own file or nothing."""
        dist = self.frontend_dist
        if dist is None:
            return None
        path = unquote(raw_path)
        if path == "/api" or path.startswith("/api/"):
            return None
        key = dashboard_key(path)
        candidate = (dist / key).resolve()
        if candidate.is_relative_to(dist) and candidate.is_file():
            return candidate, key
        return None


class _RequestHandler(BaseHTTPRequestHandler):
    gateway: HttpGateway
    protocol_version = "HTTP/1.1"
    server_version = "partnerka-local"

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        response = self.gateway.handle(
            self.command, self.path, list(self.headers.items()), body, self.client_address[0]
        )
        self.send_response(response.status)
        names = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            self.send_header(name, value)
        if "date" not in names:
            self.send_header("Date", formatdate(usegmt=True))
        self.send_header("Content-Length", str(len(response.body)))
        try:
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The browser went on to another page before this answer arrived, as API Gateway's
            # clients do: nobody is left to tell.
            log.info("%s %s: the client left before the answer", self.command, self.path)
            self.close_connection = True

    # BaseHTTPRequestHandler dispatches on these names.
    do_GET = _serve  # noqa: N815
    do_POST = _serve  # noqa: N815
    do_PUT = _serve  # noqa: N815
    do_PATCH = _serve  # noqa: N815
    do_DELETE = _serve  # noqa: N815
    do_HEAD = _serve  # noqa: N815
    do_OPTIONS = _serve  # noqa: N815

    def send_response(self, code: int, message: str | None = None) -> None:
        # BaseHTTPRequestHandler adds its own Date and Server headers; Date is written once in _serve.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Server", self.server_version)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)
