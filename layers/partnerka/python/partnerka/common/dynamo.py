"""A lean low-level DynamoDB client and value codec, for the repositories on the hot paths.

The click and postback paths avoid PynamoDB's model layer: botocore alone keeps the cold import small
and makes every call visible (one write per click is a Must). Only repositories, and the events that
decode stream images, import this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from botocore.config import Config

from partnerka.common import aws
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
    return aws.session().create_client("dynamodb", config=_HOT_PATH_CONFIG)


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


def query(using: Any, request: dict[str, Any], limit: int | None = None) -> Iterator[AttributeMap]:
    """The raw items a Query answers, following `LastEvaluatedKey` page after page, at most `limit`
    of them. `using` is the repository's client; `request` is the Query's parameters with its table."""
    request = dict(request)
    count = 0
    while True:
        page = using.query(**request)
        for raw in page.get("Items", []):
            yield raw
            count += 1
            if limit is not None and count >= limit:
                return
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


# A filtered Query reads whole pages and keeps what matches: reading fewer items than this per
# request would cost a round trip for every few matches.
_FILTERED_READ = 25


def query_page(
    using: Any,
    request: dict[str, Any],
    limit: int,
    start: AttributeMap | None,
    key_names: Sequence[str],
) -> tuple[list[AttributeMap], AttributeMap | None]:
    """One page of at most `limit` raw items from `start` on, and the key to resume from: the key of
    the last item returned (its `key_names`: the table's and the index's key attributes), or None
    when nothing is left. Resuming after the last item returned, not after the last item read,
    loses nothing when a request reads past the page's end (a filtered Query reads ahead)."""
    found: list[AttributeMap] = []
    key = start
    filtered = "FilterExpression" in request
    while len(found) < limit:
        wanted = limit - len(found)
        page_request = {**request, "Limit": max(wanted, _FILTERED_READ) if filtered else wanted}
        if key:
            page_request["ExclusiveStartKey"] = key
        page = using.query(**page_request)
        items = page.get("Items", [])
        for index, raw in enumerate(items):
            found.append(raw)
            if len(found) >= limit:
                if index < len(items) - 1 or "LastEvaluatedKey" in page:
                    return found, {name: raw[name] for name in key_names}
                return found, None
        key = page.get("LastEvaluatedKey")
        if not key:
            return found, None
    return found, key


BATCH_GET_LIMIT = 100


def batch_get(using: Any, table: str, keys: Sequence[AttributeMap], **read: Any) -> Iterator[AttributeMap]:
    """The raw items of `keys` that exist, in no particular order: BatchGetItem by hundreds (its
    limit), asking again for the keys DynamoDB left unprocessed. `read`: the table's other request
    parameters (`ProjectionExpression`, `ExpressionAttributeNames`)."""
    for first in range(0, len(keys), BATCH_GET_LIMIT):
        request: dict[str, Any] = {table: {"Keys": list(keys[first : first + BATCH_GET_LIMIT]), **read}}
        while request:
            response = using.batch_get_item(RequestItems=request)
            yield from response.get("Responses", {}).get(table, [])
            request = response.get("UnprocessedKeys") or {}


BATCH_WRITE_LIMIT = 25


def batch_put(using: Any, table: str, items: Sequence[AttributeMap]) -> None:
    """Put raw `items` (unconditionally): BatchWriteItem by twenty-fives (its limit), sending again
    what DynamoDB left unprocessed."""
    for first in range(0, len(items), BATCH_WRITE_LIMIT):
        request: dict[str, Any] = {
            table: [{"PutRequest": {"Item": item}} for item in items[first : first + BATCH_WRITE_LIMIT]]
        }
        while request:
            request = using.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}


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
