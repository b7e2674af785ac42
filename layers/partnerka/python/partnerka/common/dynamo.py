"""A lean low-level DynamoDB client and value codec, for the repositories on the hot paths.

The click and postback paths avoid PynamoDB's model layer: botocore alone keeps the cold import small
and makes every call visible (one write per click is a Must). Only repositories, and the events that
decode stream images, import this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config

from partnerka.common.timeouts import read_timeout

AttributeMap = dict[str, dict[str, Any]]

_HOT_PATH_CONFIG = Config(
    connect_timeout=1,
    read_timeout=read_timeout(2),
    retries={"mode": "standard", "max_attempts": 3},
    tcp_keepalive=True,
)


@cache
def client() -> Any:
    """One botocore DynamoDB client per process (region and endpoint come from the environment)."""
    return botocore.session.get_session().create_client("dynamodb", config=_HOT_PATH_CONFIG)


def encode(item: dict[str, Any]) -> AttributeMap:
    """Plain values → DynamoDB attribute values; None and empty strings are left out."""
    out: AttributeMap = {}
    for name, value in item.items():
        if value is None or value == "":
            continue
        out[name] = encode_value(value)
    return out


def encode_value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (set, frozenset)):
        return {"SS": sorted(value)}
    if isinstance(value, dict):
        return {"M": encode(value)}
    if isinstance(value, list):
        return {"L": [encode_value(v) for v in value]}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def decode(item: AttributeMap) -> dict[str, Any]:
    return {name: decode_value(value) for name, value in item.items()}


def decode_value(value: dict[str, Any]) -> Any:
    ((kind, raw),) = value.items()
    if kind == "S":
        return raw
    if kind == "N":
        return int(raw) if "." not in raw and "e" not in raw.lower() else raw
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "SS":
        return set(raw)
    if kind == "M":
        return decode(raw)
    if kind == "L":
        return [decode_value(v) for v in raw]
    raise TypeError(f"unsupported DynamoDB type {kind}")


def require_text(item: dict[str, Any], names: Iterable[str]) -> None:
    """Raise TypeError naming the attributes among `names` that `item` holds as something other than
    text. A stream image has no schema: a number or a set where a model reads text is refused where
    the image is decoded, not by whichever reader of the model trips over it later."""
    wrong = [name for name in names if item.get(name) is not None and not isinstance(item[name], str)]
    if wrong:
        raise TypeError(f"not text: {', '.join(wrong)}")


def is_condition_failure(error: Exception) -> bool:
    response = getattr(error, "response", None)
    return bool(response) and response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"  # type: ignore[union-attr]
