"""API Gateway HTTP API (payload 2.0) events in and responses out, for the lean hot-path handlers.

The dashboard API uses Powertools' resolver instead; the click and postback paths stay on the stdlib.
"""

from __future__ import annotations

import base64
import json
import string
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from partnerka.common.charsets import codec_for, decode_text
from partnerka.common.errors import ErrorCode, error_envelope
from partnerka.common.multipart import MalformedBody, form_parts, header_parameters

Event = dict[str, Any]
Response = dict[str, Any]

_NO_STORE = {"cache-control": "no-store"}
_URL_PUNCTUATION = string.punctuation  # every printable ASCII character but letters, digits and space


# Parameters that declare the charset of the others (`_charset_` is what HTML forms send).
CHARSET_PARAMETERS = (b"charset", b"_charset_")

_Field = tuple[bytes, bytes, str | None]  # name, value, a charset its multipart part declared


def query_params(event: Event) -> dict[str, str]:
    """The query string, first value winning (API Gateway would comma-join repeats); percent-encoded
    bytes that are not UTF-8 are read by `charsets.decode_text`, honouring a `charset` parameter."""
    fields = _urlencoded(_query_bytes(event))
    return _decoded(fields, codec_for(_declared_charset(fields)))


def request_params(event: Event) -> dict[str, str]:
    """A postback's parameters: a POST body's fields (form, multipart/form-data, or a flat JSON
    object, also when sent as text/plain), then the query string's, which win. A `charset`
    parameter anywhere declares the charset of all of them; else the body's Content-Type charset
    declares the body's. Raises `MalformedBody` for a body that cannot be read as it claims."""
    query = _urlencoded(_query_bytes(event))
    body: list[_Field] = []
    json_text: bytes | None = None
    options: dict[str, str] = {}
    raw = _body_bytes(event) if method(event) == "POST" else b""
    if raw.strip():  # an empty body adds nothing, whatever its Content-Type says
        media, options = header_parameters(header(event, "content-type"))
        if media == "multipart/form-data":
            body = [(p.name, p.value, p.charset) for p in form_parts(raw, options.get("boundary", ""))]
        elif media.endswith("json") or raw.lstrip()[:1] in (b"{", b"["):
            json_text = raw
        else:
            body = _urlencoded(raw)
    declared = codec_for(_declared_charset(query + body))
    body_codec = declared or codec_for(options.get("charset", ""))
    params = _json_fields(json_text, body_codec) if json_text is not None else _decoded(body, body_codec)
    params.update(_decoded(query, declared))
    return params


def _query_bytes(event: Event) -> bytes:
    return str(event.get("rawQueryString") or "").encode("utf-8")


def _body_bytes(event: Event) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=False)
        except ValueError:
            raise MalformedBody("the body is not valid base64") from None
    return str(body).encode("utf-8")


def _urlencoded(raw: bytes) -> list[_Field]:
    """`a=1&b=%C7` → [(b"a", b"1", None), (b"b", b"\xc7", None)]: percent-decoded, not yet text."""
    fields: list[_Field] = []
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        fields.append(
            (unquote_to_bytes(name.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" ")), None)
        )
    return fields


def _declared_charset(fields: list[_Field]) -> str:
    for name, value, _ in fields:
        if name.lower() in CHARSET_PARAMETERS and value.isascii():
            return value.decode("ascii")
    return ""


def _decoded(fields: list[_Field], codec: str | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value, own_charset in fields:
        value_codec = (codec_for(own_charset) if own_charset else None) or codec
        params.setdefault(decode_text(name, codec), decode_text(value, value_codec))
    return params


def _json_fields(raw: bytes, codec: str | None) -> dict[str, str]:
    """A flat JSON object's strings and numbers (numbers as written: `12.50` stays `12.50`)."""
    try:
        data = json.loads(decode_text(raw, codec), parse_float=str, parse_constant=str)
    except ValueError:
        raise MalformedBody("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise MalformedBody("the JSON body is not an object of fields")
    return {str(k): str(v) for k, v in data.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}


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
