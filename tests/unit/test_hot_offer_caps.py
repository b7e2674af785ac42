"""A hot offer: 5,000 clicks a second on one offer with a daily click cap and a daily conversion cap.

The real cap counters (tracking.caps, with the click path's and the postback path's own `cap_slots`)
run in fifty warm instances against a store that throttles any partition key past 1,000 write units a
second, on a simulated clock: three seconds of traffic take about three seconds of CPU. One affiliate sends
60 % of the clicks under its own daily click cap (so its clicks are transactions over both caps), and
one click in twenty-five converts, counted into the conversion cap and a monthly payout budget.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from partnerka.offers.routing import AccessRoute, Cap, CapMetric, CapPeriod
from partnerka.tracking.caps import SHARDS, CapCounterRepository, CapSlot, shard_pk
from partnerka.tracking.service import cap_slots, click_cap_slots
from tests.unit.fakes import OFFER, offer_route
from tests.unit.throttling_dynamodb import ThrottlingDynamoDB

RATE = 5000  # clicks a second
INSTANCES = 50
DAY = datetime(2026, 12, 7, 12, tzinfo=UTC)
PAYOUT = 100
CONVERTING = 25  # one click in twenty-five converts: 200 conversions a second
OFFER_CAPS = (
    Cap(CapMetric.CLICKS, CapPeriod.DAY, 6_000),
    Cap(CapMetric.CONVERSIONS, CapPeriod.DAY, 300),
    Cap(CapMetric.PAYOUT, CapPeriod.MONTH, 100_000),
)
HEAVY = AccessRoute(OFFER, "01JAFF0000000000000000HEAV", caps=(Cap(CapMetric.CLICKS, CapPeriod.DAY, 2_400),))
LIGHT = AccessRoute(OFFER, "01JAFF0000000000000000LITE")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Run:
    store: ThrottlingDynamoDB
    taken: int = 0
    refused: int = 0
    errors: int = 0
    writes_at: dict[float, int] = field(default_factory=dict)  # every half second: writes so far

    @property
    def writes(self) -> int:
        return self.store.calls["UpdateItem"] + self.store.calls["TransactWriteItems"]


def total(store: ThrottlingDynamoDB, slot: CapSlot) -> int:
    return sum(store.level(shard_pk(slot.pk, i), slot.sk) for i in range(SHARDS + 1))


def drive(seconds: float, shards: int = SHARDS) -> Run:
    """Every click (and every twenty-fifth, converting) goes to a random warm instance. A refused
    event must have found one of its caps full: no slot is left unused while an event is refused."""
    clock = Clock()
    run = Run(ThrottlingDynamoDB(clock))
    warm = [
        CapCounterRepository("caps", run.store, shards=shards, monotonic=clock, rng=random.Random(seed))
        for seed in range(INSTANCES)
    ]
    traffic = random.Random(2026)
    offer = offer_route(caps=OFFER_CAPS)
    for i in range(int(seconds * RATE)):
        clock.now = i / RATE
        if i % (RATE // 2) == 0:
            run.writes_at[clock.now] = run.writes
        access = HEAVY if traffic.random() < 0.6 else LIGHT
        events = [click_cap_slots(offer, access, DAY)]
        if i % CONVERTING == 0:
            conversion = cap_slots(offer, access, CapMetric.CONVERSIONS, DAY)
            events.append(conversion + cap_slots(offer, access, CapMetric.PAYOUT, DAY, amount=PAYOUT))
        for slots in events:
            try:
                taken = warm[traffic.randrange(INSTANCES)].take(slots)
            except ClientError:
                run.errors += 1
                continue
            if taken:
                run.taken += 1
            else:
                run.refused += 1
                assert any(total(run.store, slot) + slot.amount > slot.limit for slot in slots)
    return run


def test_five_thousand_clicks_a_second_fill_the_caps_exactly_without_a_throttle() -> None:
    run = drive(seconds=3)
    offer = offer_route(caps=OFFER_CAPS)
    [clicks] = click_cap_slots(offer, LIGHT, DAY)
    [own] = [slot for slot in click_cap_slots(offer, HEAVY, DAY) if "#AFF#" in slot.pk]
    [conversions] = cap_slots(offer, LIGHT, CapMetric.CONVERSIONS, DAY)
    [budget] = cap_slots(offer, LIGHT, CapMetric.PAYOUT, DAY, amount=PAYOUT)
    print(
        f"\nhot offer, {INSTANCES} instances, {RATE}/s for 3 s: {run.taken} taken, {run.refused} refused, "
        f"{run.writes} writes, {run.store.calls['BatchGetItem']} reads, {run.store.throttled} throttled, "
        f"busiest key-second {run.store.busiest_second()} units; writes by half second {run.writes_at}"
    )
    assert run.store.throttled == 0
    assert run.errors == 0
    assert run.store.busiest_second() <= 1000
    # The traffic overran every count cap: each ends exactly full, never above (counters only grow).
    assert total(run.store, clicks) == 6_000
    assert total(run.store, own) == 2_400
    assert total(run.store, conversions) == 300
    assert total(run.store, budget) == 300 * PAYOUT
    # One write per counted event, plus at most one refused write per shard, cap and instance; one
    # read per cap and instance.
    assert run.writes <= run.taken + INSTANCES * SHARDS * 3
    assert run.store.calls["BatchGetItem"] <= INSTANCES * 3
    # The last half second, every cap full: refused from memory, not one write.
    assert run.writes == run.writes_at[2.5]


def test_the_same_traffic_on_one_counter_per_cap_is_throttled() -> None:
    """The store throttles as DynamoDB does: the unsharded layout cannot take this offer's traffic."""
    run = drive(seconds=0.5, shards=1)
    assert run.store.throttled > 0
    assert run.errors > 0
