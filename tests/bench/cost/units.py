"""DynamoDB item sizes and request units, by DynamoDB's documented rules.

Sizes (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html,
read 2026-12-07): an item is the sum of its attributes' name bytes (UTF-8) and value sizes. A string
is its UTF-8 bytes, a binary its raw bytes, a number about one byte per two significant digits plus
one, a boolean or null one byte; a list or map 3 bytes plus, for each element, 1 byte and the
element's size (a map element's size includes its key's bytes); a set the sum of its elements.

Units (https://aws.amazon.com/dynamodb/pricing/on-demand/): a write costs one write request unit per
started 1 KB of the item, two for an item in a transaction; a read one read request unit per started
4 KB, half of that when eventually consistent, twice when transactional. A Query is charged on the
total size of the items it reads, rounded up to 4 KB once; BatchGetItem item by item.
"""

from __future__ import annotations

import math
from typing import Any

WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096

AttributeValue = dict[str, Any]  # the low-level shape: {"S": "x"}, {"N": "1"}, {"M": {...}}
Item = dict[str, AttributeValue]


def number_size(text: str) -> int:
    """Bytes of a number: one per two significant digits (leading and trailing zeroes and the sign
    and point do not count), plus one. Zero is stored as one digit."""
    mantissa = text.strip().lstrip("+-").lower().split("e")[0]
    significant = len(mantissa.replace(".", "").strip("0")) or 1
    return math.ceil(significant / 2) + 1


def value_size(value: AttributeValue) -> int:
    """Bytes of one attribute value, without its name."""
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return number_size(content)
    if kind == "B":
        return len(_raw(content))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(element) for element in content)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + value_size(element) for name, element in content.items())
    if kind == "SS":
        return sum(len(element.encode()) for element in content)
    if kind == "NS":
        return sum(number_size(element) for element in content)
    if kind == "BS":
        return sum(len(_raw(element)) for element in content)
    raise ValueError(f"not a DynamoDB attribute value: {value!r}")


def _raw(content: Any) -> bytes:
    # botocore takes bytes (it encodes them as base64 on the wire); the size is the raw length
    return content if isinstance(content, bytes) else str(content).encode()


def item_size(item: Item | None) -> int:
    """Bytes of an item (0 for none): its attributes' names and values."""
    return sum(len(name.encode()) + value_size(value) for name, value in (item or {}).items())


def write_units(size: int, transactional: bool = False) -> int:
    """Write request units for writing (or deleting) an item of `size` bytes: per started 1 KB, at
    least one, twice in a transaction."""
    units = max(1, math.ceil(size / WRITE_UNIT_BYTES))
    return 2 * units if transactional else units


def read_units(size: int, consistent: bool = False, transactional: bool = False) -> float:
    """Read request units for reading `size` bytes (one item, or a Query's whole answer): per started
    4 KB, at least one; half when eventually consistent, twice when transactional."""
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    if transactional:
        return 2.0 * units
    return float(units) if consistent else units / 2
