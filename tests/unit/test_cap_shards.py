"""Sharded cap counters (tracking.caps) against a DynamoDB stand-in that throttles and answers as
botocore does: shares, the bounds on over- and undershoot, the memory of full shards, old counters."""

from __future__ import annotations

import random

import pytest

from partnerka.tracking.caps import (
    ONE_COUNTER_UP_TO,
    SHARDS,
    CapCounterRepository,
    CapSlot,
    shard_limits,
    shard_pk,
)
from tests.unit.throttling_dynamodb import ThrottlingDynamoDB

DAY = "clicks#day#2026-12-07"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def counter(limit: int, pk: str = "CAP#OFFER", spread: bool = True) -> CapSlot:
    return CapSlot(pk, DAY, limit, expires_at=1_800_000_000, spread=spread)


def instances(store: ThrottlingDynamoDB, clock: Clock, count: int = 1) -> list[CapCounterRepository]:
    """Warm instances of a function, each with its own memory and its own random shard picks."""
    return [
        CapCounterRepository("caps", store, monotonic=clock, rng=random.Random(seed)) for seed in range(count)
    ]


def total(store: ThrottlingDynamoDB, slot: CapSlot) -> int:
    return sum(store.level(shard_pk(slot.pk, i), slot.sk) for i in range(SHARDS + 1))


def writes(store: ThrottlingDynamoDB) -> int:
    return store.calls["UpdateItem"] + store.calls["TransactWriteItems"]


def test_shares_add_up_to_the_limit_each_fitting_a_seconds_budget_or_a_sixteenth() -> None:
    for limit in range(1, 6000):
        shares = shard_limits(limit, spread=True)
        assert sum(shares) == limit
        assert len(shares) == SHARDS + 1
        used = [share for share in shares if share]
        if limit <= ONE_COUNTER_UP_TO:
            assert shares[0] == limit  # a small cap: the old key alone
            continue
        assert shares[0] == 0
        assert len(used) == min(SHARDS, -(-limit // ONE_COUNTER_UP_TO))
        assert max(used) <= max(ONE_COUNTER_UP_TO, -(-limit // SHARDS))
        assert max(used) - min(used) <= 1
    assert shard_limits(100_000, spread=False) == (100_000,)  # a payout budget is one counter
    assert shard_limits(16_005, spread=True) == (0, *(1001,) * 5, *(1000,) * (SHARDS - 5))


def shards_of(limit: int) -> int:
    return sum(1 for share in shard_limits(limit, spread=True) if share)


@pytest.mark.parametrize("limit", [7, 251, 1000, 4321])
def test_a_refused_click_leaves_no_slot_of_the_cap_unused(limit: int) -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    warm = instances(store, clock, count=5)
    slot = counter(limit)
    results = []
    for i in range(limit + 200):
        clock.now = i / 2000
        ok = warm[i % 5].take([slot])
        results.append(ok)
        if not ok:  # refused only when the cap as a whole is full
            assert total(store, slot) == limit
    assert results.count(True) == limit
    assert results[:limit] == [True] * limit
    assert total(store, slot) == limit


def test_a_full_cap_costs_no_write_until_its_memory_is_stale_and_then_one_and_a_read() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    [repo] = instances(store, clock)
    slot = counter(1000)
    while repo.take([slot]):
        pass
    before = writes(store)
    assert not any(repo.take([slot]) for _ in range(500))
    assert writes(store) == before  # every shard known full: refused from memory
    clock.now += 61
    reads = store.calls["BatchGetItem"]
    assert not repo.take([slot])
    assert writes(store) == before + 1  # one stale shard probed again, still full
    assert store.calls["BatchGetItem"] == reads + 1  # so the cap's shards are read again
    assert not any(repo.take([slot]) for _ in range(50))
    assert writes(store) == before + 1


def test_filling_a_cap_costs_at_most_one_failed_write_per_shard_per_instance() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    warm = instances(store, clock, count=10)
    slot = counter(2000)
    taken = sum(warm[i % 10].take([slot]) for i in range(5000))
    assert taken == 2000
    assert writes(store) <= taken + 10 * SHARDS


def test_counts_made_under_the_old_unsharded_key_still_count_after_sharding() -> None:
    """Before sharding the day's counter was one item, `CAP#<offer>` (now shard 0), allowed up to the
    whole limit: 900 of 1,000 counted there. After the deploy exactly 100 more are admitted."""
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    slot = counter(1000)
    store.items[(slot.pk, slot.sk)] = {"pk": {"S": slot.pk}, "sk": {"S": slot.sk}, "n": {"N": "900"}}
    warm = instances(store, clock, count=8)
    admitted = sum(warm[i % 8].take([slot]) for i in range(400))
    assert admitted == 100
    # each instance read the cap's counters once, and once more when a shard first refused it
    assert 8 < store.calls["BatchGetItem"] <= 16
    assert total(store, slot) == 1000
    assert store.level(slot.pk, slot.sk) == 0  # moved into the shards
    assert warm[3].levels([slot]) == {(slot.pk, slot.sk): 1000}


def test_counts_the_old_code_adds_mid_deploy_are_moved_when_a_shard_first_refuses() -> None:
    # Given new instances that read the cap once (300 on the old key, moved into the shards)
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    slot = counter(1000)
    store.items[(slot.pk, slot.sk)] = {"pk": {"S": slot.pk}, "sk": {"S": slot.sk}, "n": {"N": "300"}}
    warm = instances(store, clock, count=4)
    assert sum(warm[i % 4].take([slot]) for i in range(4)) == 4
    # When an instance still running the old code counts 20 more on the old key
    old = store.items[(slot.pk, slot.sk)]
    store.items[(slot.pk, slot.sk)] = {**old, "n": {"N": str(int(old["n"]["N"]) + 20)}}
    # Then the cap still ends exactly full: the 20 were moved when the shards began to refuse
    assert sum(warm[i % 4].take([slot]) for i in range(2000)) == 1000 - 324
    assert total(store, slot) == 1000


def test_an_old_counter_already_full_admits_nothing_more() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    slot = counter(1000)
    store.items[(slot.pk, slot.sk)] = {"pk": {"S": slot.pk}, "sk": {"S": slot.sk}, "n": {"N": "1000"}}
    warm = instances(store, clock, count=4)
    assert not any(warm[i % 4].take([slot]) for i in range(100))
    assert total(store, slot) == 1000


@pytest.mark.parametrize(
    ("before", "counted", "after"),
    [
        (200, 200, 300),
        (600, 600, 1100),
        (1000, 600, 400),
        (1000, 300, 400),
        (5000, 2000, 300),
        (300, 300, 5000),
    ],
)
def test_a_cap_changed_mid_day_ends_at_its_new_limit_or_where_it_already_was(
    before: int, counted: int, after: int
) -> None:
    """A changed limit splits the cap anew; each instance reads the cap's counters once under the new
    limit and moves what a shard holds above its new share, so the cap ends at the new limit (or at
    what was already counted, when that is more), whatever the shards did before."""
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    warm = instances(store, clock, count=3)
    assert sum(warm[i % 3].take([counter(before)]) for i in range(counted)) == counted
    changed = counter(after)
    admitted = sum(warm[i % 3].take([changed]) for i in range(after + 100))
    assert admitted == max(0, after - counted)
    assert total(store, changed) == max(counted, after)


def test_a_click_counts_into_the_offer_cap_and_the_affiliates_or_into_neither() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    [repo] = instances(store, clock)
    offer, own = counter(1000), counter(300, pk="CAP#OFFER#AFF#A")
    assert sum(repo.take([offer, own]) for _ in range(400)) == 300
    assert total(store, offer) == 300
    assert total(store, own) == 300
    other = counter(300, pk="CAP#OFFER#AFF#B")
    assert sum(repo.take([offer, other]) for _ in range(1000)) == 300
    assert sum(repo.take([offer]) for _ in range(1000)) == 400
    assert total(store, offer) == 1000


def test_a_throttled_shard_sends_the_click_to_another_and_a_throttled_single_counter_raises() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    [repo] = instances(store, clock)
    slot, last = counter(4000), shards_of(4000)
    for i in range(1, last):  # every shard's key but the last has spent this second's budget
        store.units[(shard_pk(slot.pk, i), 0)] = 1000
    assert repo.take([slot])
    assert store.throttled >= 1
    assert store.level(shard_pk(slot.pk, last), slot.sk) == total(store, slot) == 1
    small = counter(10, pk="CAP#SMALL")
    store.units[(small.pk, 0)] = 1000
    with pytest.raises(store.exceptions.ProvisionedThroughputExceededException):
        repo.take([small])


def test_a_throttled_transaction_tries_other_shards() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    [repo] = instances(store, clock)
    offer, own, last = counter(4000), counter(1000, pk="CAP#OFFER#AFF#A"), shards_of(4000)
    for i in range(1, last):  # a transaction costs two units an item: one left is not enough
        store.units[(shard_pk(offer.pk, i), 0)] = 999
    assert repo.take([offer, own])
    assert store.throttled >= 1
    assert store.level(shard_pk(offer.pk, last), offer.sk) == total(store, offer) == 1
    assert total(store, own) == 1


def test_levels_sum_every_shard_in_one_read() -> None:
    clock = Clock()
    store = ThrottlingDynamoDB(clock)
    warm = instances(store, clock, count=4)
    slots = [counter(5000), counter(100, pk="CAP#OFFER#AFF#A"), counter(9000, spread=False, pk="CAP#BUDGET")]
    for i in range(777):
        warm[i % 4].take(slots)
    store.calls.clear()
    assert warm[0].levels(slots) == {(slot.pk, slot.sk): 100 for slot in slots}
    assert store.calls == {"BatchGetItem": 1}
