"""API Gateway HTTP API (payload 2.0) events in and responses out, for the lean hot-path handlers.

The dashboard API uses Powertools' resolver instead; the click and postback paths stay on the stdlib.
"""

from __future__ import annotations

import base64
import json
import string
from typing import Any
from urllib.parse import parse_qsl, quote

from partnerka.common.errors import ErrorCode, error_envelope

Event = dict[str, Any]
Response = dict[str, Any]

_NO_STORE = {"cache-control": "no-store"}
_URL_PUNCTUATION = string.punctuation  # every printable ASCII character but letters, digits and space


def query_params(event: Event) -> dict[str, str]:
    """The query string, first value winning (API Gateway would comma-join repeats)."""
    params: dict[str, str] = {}
    for key, value in parse_qsl(event.get("rawQueryString") or "", keep_blank_values=True):
        params.setdefault(key, value)
    return params


def form_params(event: Event) -> dict[str, str]:
    """A POST body as form fields or a flat JSON object; anything else gives no fields."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")
    content_type = header(event, "content-type").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items() if isinstance(v, (str, int, float))}
    params: dict[str, str] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        params.setdefault(key, value)
    return params


def header(event: Event, name: str) -> str:
    headers = event.get("headers") or {}
    return str(headers.get(name, ""))


def source_ip(event: Event) -> str:
    return str(event.get("requestContext", {}).get("http", {}).get("sourceIp", ""))


def method(event: Event) -> str:
    return str(event.get("requestContext", {}).get("http", {}).get("method", "GET")).upper()


def redirect(location: str) -> Response:
    """A 302 whose `Location` is printable ASCII whatever it was given: control characters (a CR/LF
    would inject headers), spaces and non-ASCII letters are percent-encoded, the rest is kept."""
    safe_location = quote(location, safe=_URL_PUNCTUATION)
    return {"statusCode": 302, "headers": {"location": safe_location, **_NO_STORE}, "body": ""}


def html(status: int, page: str) -> Response:
    return {
        "statusCode": status,
        "headers": {"content-type": "text/html; charset=utf-8", **_NO_STORE},
        "body": page,
    }


def json_body(status: int, payload: dict[str, Any]) -> Response:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json", **_NO_STORE},
        "body": json.dumps(payload, separators=(",", ":")),
    }


def error(status: int, code: ErrorCode, message: str) -> Response:
    return json_body(status, error_envelope(code, message))


def gif(image: bytes, outcome: str) -> Response:
    """A tracking pixel: always the image, never an error page in somebody's thank-you page."""
    return {
        "statusCode": 200,
        "headers": {"content-type": "image/gif", "x-partnerka-result": outcome, **_NO_STORE},
        "body": base64.b64encode(image).decode(),
        "isBase64Encoded": True,
    }
