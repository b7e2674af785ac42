"""DynamoDB's size and unit rules (tests/bench/cost/units.py) on items small enough to count by hand."""

from __future__ import annotations

import pytest

from tests.bench.cost.purposes import purpose_of
from tests.bench.cost.units import item_size, number_size, read_units, write_units


@pytest.mark.parametrize(
    ("item", "size"),
    [
        ({"pk": {"S": "ADV#a1"}}, 2 + 6),
        ({"pk": {"S": "é"}}, 2 + 2),  # UTF-8 bytes, not characters
        ({"n": {"N": "12345"}}, 1 + 3 + 1),  # five significant digits: three bytes, plus one
        ({"n": {"N": "-0.00120"}}, 1 + 1 + 1),  # sign, point and the zeroes around 12 do not count
        ({"n": {"N": "1000"}}, 1 + 1 + 1),
        ({"ok": {"BOOL": True}, "x": {"NULL": True}}, (2 + 1) + (1 + 1)),
        ({"b": {"B": b"\x00\x01\x02"}}, 1 + 3),
        ({"m": {"M": {}}}, 1 + 3),
        # a map: 3, and per element 1 + its key + its value
        ({"m": {"M": {"a": {"S": "xy"}, "b": {"N": "7"}}}}, 1 + 3 + (1 + 1 + 2) + (1 + 1 + 2)),
        ({"l": {"L": [{"S": "é"}, {"BOOL": False}]}}, 1 + 3 + (1 + 2) + (1 + 1)),
        ({"ss": {"SS": ["a", "bc"]}, "ns": {"NS": ["1", "22", "333"]}}, (2 + 3) + (2 + 2 + 2 + 3)),
        (None, 0),
    ],
)
def test_item_size_follows_dynamodbs_rules(item: dict[str, dict[str, object]] | None, size: int) -> None:
    assert item_size(item) == size  # type: ignore[arg-type]


def test_a_number_of_thirty_eight_digits_takes_twenty_bytes() -> None:
    assert number_size("9" * 38) == 19 + 1
    assert number_size("0") == 2


def test_writes_cost_a_unit_per_started_kilobyte_and_double_in_a_transaction() -> None:
    assert write_units(0) == 1
    assert write_units(1024) == 1
    assert write_units(1025) == 2
    assert write_units(1025, transactional=True) == 4
    assert write_units(10, transactional=True) == 2


def test_reads_cost_a_unit_per_started_four_kilobytes_half_when_eventually_consistent() -> None:
    assert read_units(100) == 0.5
    assert read_units(4096, consistent=True) == 1
    assert read_units(4097, consistent=True) == 2
    assert read_units(4097) == 1
    assert read_units(5000, transactional=True) == 4


def test_an_item_is_reported_under_the_purpose_of_its_key_prefix_or_under_the_prefix_itself() -> None:
    assert purpose_of("StatsTable", "ADV#a1#2026-12-07") == "statistics cubes"
    assert purpose_of("ClicksTable", "0f8c9a2e-1111-4c2a-9d43-2b1f0e6a7c55") == "click items"
    assert purpose_of("StatsTable", "NEW#x") == "StatsTable NEW#"
    assert purpose_of("StatsTable", "plain") == "StatsTable (no prefix)"
