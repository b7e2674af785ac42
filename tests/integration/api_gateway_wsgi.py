"""The API functions behind API Gateway, as a WSGI application, so that HTTP tools that call WSGI apps
in-process (schemathesis, werkzeug's client) reach it as a browser would through API Gateway: each
request becomes an HTTP API payload-2.0 event built by the local runtime's gateway (lower-case
headers, repeated ones joined by commas, cookies apart, base64 bodies for anything but text), and the
handler's answer is mapped back to HTTP the way API Gateway maps it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from partnerka_local.http import build_event, map_result
from tests.integration.conftest import CONTEXT
from tests.integration.functions import ApiGateway

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _header_pairs(environ: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = [
        (name[5:].replace("_", "-").lower(), value)
        for name, value in environ.items()
        if name.startswith("HTTP_")
    ]
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            pairs.append((name.replace("_", "-").lower(), environ[name]))
    return pairs


def api_gateway_app(gateway: ApiGateway, source_ip: str = "203.0.113.7") -> WsgiApp:
    """The template's API routes, each served by its function, as API Gateway serves them."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"].upper()
        raw_path = environ.get("RAW_URI", environ["PATH_INFO"]).partition("?")[0]
        raw_query = environ.get("QUERY_STRING", "")
        found = gateway.route(method, raw_path)
        if found is None:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"message":"Not Found"}']
        route, matched = found
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        event = build_event(
            route, matched, method, raw_path, raw_query, _header_pairs(environ), body, source_ip, 443
        )
        answer = map_result(gateway.function(route.function).handler(event, CONTEXT))
        start_response(f"{answer.status} {_reason(answer.status)}", answer.headers)
        return [answer.body]

    return app


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
