"""A URL's attempts counted per window in the Operations table, as DynamoDB answers the ADD: each
attempt sees the counts with itself in them, and each window counts on its own."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from partnerka.common import dynamo
from partnerka.postbacks.failing import AttemptCounter, AttemptCounterRepository

WINDOW = datetime(2026, 12, 7, 10, 15, tzinfo=UTC)


def test_each_attempt_answers_its_windows_counts(stack: object) -> None:
    table = os.environ["OPERATIONS_TABLE"]
    counters = AttemptCounterRepository(table)

    assert counters.add("aff-1", "h1", WINDOW, failed=True) == (1, 1)
    assert counters.add("aff-1", "h1", WINDOW, failed=False) == (2, 1)
    assert counters.add("aff-1", "h1", WINDOW, failed=True) == (3, 2)
    assert counters.add("aff-1", "h1", WINDOW + timedelta(minutes=15), failed=False) == (1, 0)
    assert counters.add("aff-2", "h1", WINDOW, failed=True) == (1, 1)

    item = dynamo.client().get_item(TableName=table, Key=AttemptCounter("aff-1", "h1", WINDOW).key())["Item"]
    assert int(item["expires_at"]["N"]) == int((WINDOW + timedelta(minutes=15, days=2)).timestamp())
