"""Sharded cap counters under concurrency, in moto: many warm instances in threads on the same caps.

Each instance is its own CapCounterRepository (its own memory of full shards and its own random picks),
as the click function's instances are; sixteen threads share them. The requests are the real ones
(ReturnValuesOnConditionCheckFailure, cancellation reasons, the moving transaction), answered by moto
through botocore; partnerka_local.moto_fixes makes moto's writes atomic, as DynamoDB's are.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from partnerka.common import dynamo
from partnerka.tracking.caps import SHARDS, CapCounterRepository, CapSlot, shard_pk
from partnerka_local.template import Template

DAY = "clicks#day#2026-12-07"
OFFER_CAP = CapSlot("CAP#HOT", DAY, limit=400, expires_at=1_800_000_000, spread=True)
OWN_CAP = CapSlot("CAP#HOT#AFF#A", DAY, limit=260, expires_at=1_800_000_000, spread=True)


def total(slot: CapSlot) -> int:
    keys = [{"pk": {"S": shard_pk(slot.pk, i)}, "sk": {"S": slot.sk}} for i in range(SHARDS + 1)]
    items = dynamo.batch_get(dynamo.client(), os.environ["CAPS_TABLE"], keys)
    return sum(int(item["n"]["N"]) for item in items)


def in_threads(takes: list[list[CapSlot]], instances: int = 8) -> list[bool]:
    table = os.environ["CAPS_TABLE"]
    warm = [CapCounterRepository(table, rng=random.Random(seed)) for seed in range(instances)]
    jobs: list[Callable[[], bool]] = [
        (lambda slots=slots, repo=warm[i % instances]: repo.take(slots)) for i, slots in enumerate(takes)
    ]
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda job: job(), jobs))


def test_many_instances_in_threads_fill_a_sharded_cap_exactly_and_count_both_caps_or_neither(
    stack: Template,
) -> None:
    # Given 300 clicks counted into the offer's cap alone and 300 into it and the affiliate's own
    takes = [[OFFER_CAP] if i % 2 else [OFFER_CAP, OWN_CAP] for i in range(600)]
    # When they all race
    results = in_threads(takes)
    # Then the offer's cap is exactly full, and each click counted into both caps or neither
    assert results.count(True) == total(OFFER_CAP) == 400
    both = sum(ok for ok, slots in zip(results, takes, strict=True) if len(slots) == 2)
    assert total(OWN_CAP) == both <= 260


def test_counts_under_the_old_unsharded_key_keep_counting_after_the_deploy(stack: Template) -> None:
    # Given the day's counter as the unsharded code left it: one item, 390 of the 400
    client, table = dynamo.client(), os.environ["CAPS_TABLE"]
    old = {"pk": {"S": OFFER_CAP.pk}, "sk": {"S": OFFER_CAP.sk}, "n": {"N": "390"}}
    client.put_item(TableName=table, Item=old)
    # When freshly deployed instances take 100 clicks at once
    results = in_threads([[OFFER_CAP]] * 100)
    # Then exactly the ten slots left are taken, and the old counts now sit in the shards
    assert results.count(True) == 10
    assert total(OFFER_CAP) == 400
    key = {"pk": {"S": OFFER_CAP.pk}, "sk": {"S": OFFER_CAP.sk}}
    assert client.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]["n"] == {"N": "0"}
