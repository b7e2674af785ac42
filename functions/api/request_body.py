"""What the API accepts as a request body: a JSON object, as UTF-8 text, nested no deeper than
any of its models need, and nothing else. Anything else is a 400 `validation_error` before a route
sees it (left to Powertools, undecodable bytes, a multipart body without a boundary or JSON nested
100,000 deep were each a 500, and `[{...}]` was read as the object inside)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerka.common.errors import ValidationFailed

MAX_DEPTH = 16  # the deepest request model (an offer's goals: body → list → goal → field) is 4
JSON_MEDIA_TYPE = "application/json"


def check_json_body(event: APIGatewayProxyEventV2) -> None:
    """Refuse a body that is not UTF-8 JSON by its content type and bytes (its text is then parsed by
    `parse_json`, Powertools' deserializer). API Gateway joins a repeated header with commas, so a
    content type sent twice is refused too."""
    media_type, _, parameters = event.headers.get("content-type", JSON_MEDIA_TYPE).partition(";")
    if media_type.strip().lower() != JSON_MEDIA_TYPE:
        raise ValidationFailed("the body must be JSON, sent as Content-Type: application/json")
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ValidationFailed("the body must be JSON in UTF-8")
    body = event.body
    if body is None:
        return
    try:
        raw = base64.b64decode(body, validate=True) if event.is_base64_encoded else body.encode()
        raw.decode()
    except (binascii.Error, UnicodeError):
        raise ValidationFailed("the body must be JSON in UTF-8") from None


def parse_json(text: str) -> dict[str, Any]:
    """The body's JSON object (every request body of this API is one): well-formed, no deeper than
    MAX_DEPTH, every string valid Unicode."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValidationFailed(f"the body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:
        raise ValidationFailed(f"the body is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise ValidationFailed("the body must be a JSON object")
    _check_nesting(value)
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _check_nesting(value: Any) -> None:
    """Walks the value without recursion (its depth is what is being checked)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise ValidationFailed(f"the body nests deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            for key in item:
                _check_text(key)
            pending.extend((child, depth + 1) for child in item.values())
        else:
            pending.extend((child, depth + 1) for child in item)


def _check_text(text: str) -> None:
    # JSON may spell a lone surrogate ("\ud800"), which no UTF-8 store or page can hold.
    try:
        text.encode()
    except UnicodeEncodeError:
        raise ValidationFailed("the body holds text that is not valid Unicode") from None
