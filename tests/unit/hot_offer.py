"""A hot offer driven through the real cap counters on a simulated clock (tests/unit/test_hot_offer_caps.py
runs it for three seconds, tests/bench/hot_cap_bench.py for longer, with larger caps).

Clicks come at `rate` a second to one offer with a daily click cap, a daily conversion cap and a
monthly payout budget; one affiliate sends 60 % of them under its own daily click cap (its clicks are
transactions over both caps), the other has no cap of its own; one click in `converting` converts.
Each event goes to one of `instances` warm CapCounterRepository instances (each with its own memory
and random picks), all writing to a ThrottlingDynamoDB that refuses a partition key past 1,000 write
units a second. The slots come from the click path's and the postback path's own `cap_slots`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from partnerka.offers.routing import AccessRoute, Cap, CapMetric, CapPeriod, OfferRoute
from partnerka.tracking.caps import SHARDS, CapCounterRepository, CapSlot, shard_pk
from partnerka.tracking.service import cap_slots, click_cap_slots
from tests.unit.fakes import OFFER, offer_route
from tests.unit.throttling_dynamodb import ThrottlingDynamoDB

DAY = datetime(2026, 12, 7, 12, tzinfo=UTC)
PAYOUT = 100  # minor units a conversion pays
HEAVY_AFFILIATE = "01JAFF0000000000000000HEAV"
LIGHT_AFFILIATE = "01JAFF0000000000000000LITE"


@dataclass(frozen=True)
class HotOffer:
    click_cap: int = 6_000
    own_click_cap: int = 2_400  # the heavy affiliate's own
    conversion_cap: int = 300
    payout_budget: int = 100_000
    rate: int = 5000  # clicks a second
    converting: int = 25  # one click in this many converts
    instances: int = 50

    @property
    def offer(self) -> OfferRoute:
        return offer_route(
            caps=(
                Cap(CapMetric.CLICKS, CapPeriod.DAY, self.click_cap),
                Cap(CapMetric.CONVERSIONS, CapPeriod.DAY, self.conversion_cap),
                Cap(CapMetric.PAYOUT, CapPeriod.MONTH, self.payout_budget),
            )
        )

    @property
    def heavy(self) -> AccessRoute:
        return AccessRoute(
            OFFER, HEAVY_AFFILIATE, caps=(Cap(CapMetric.CLICKS, CapPeriod.DAY, self.own_click_cap),)
        )

    @property
    def light(self) -> AccessRoute:
        return AccessRoute(OFFER, LIGHT_AFFILIATE)

    def caps(self) -> dict[str, CapSlot]:
        """The four counters by name, as the click and postback paths name them."""
        offer = self.offer
        [clicks] = click_cap_slots(offer, self.light, DAY)
        [own] = [slot for slot in click_cap_slots(offer, self.heavy, DAY) if "#AFF#" in slot.pk]
        [conversions] = cap_slots(offer, self.light, CapMetric.CONVERSIONS, DAY)
        [budget] = cap_slots(offer, self.light, CapMetric.PAYOUT, DAY, amount=PAYOUT)
        return {"clicks": clicks, "own_clicks": own, "conversions": conversions, "payout": budget}


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
    errors: int = 0  # events whose take raised (throttled with no shard left to try)
    writes_at: dict[float, int] = field(default_factory=dict)  # every half second: writes so far

    @property
    def writes(self) -> int:
        return self.store.calls["UpdateItem"] + self.store.calls["TransactWriteItems"]

    @property
    def reads(self) -> int:
        return self.store.calls["BatchGetItem"] + self.store.calls["GetItem"]


def total(store: ThrottlingDynamoDB, slot: CapSlot) -> int:
    return sum(store.level(shard_pk(slot.pk, i), slot.sk) for i in range(SHARDS + 1))


def drive(hot: HotOffer, seconds: float, shards: int = SHARDS) -> Run:
    """Drive the offer for `seconds` of simulated time. A refused event must have found one of its
    caps full at that moment (an AssertionError otherwise): no slot is left unused while an event
    is refused."""
    clock = Clock()
    run = Run(ThrottlingDynamoDB(clock))
    warm = [
        CapCounterRepository("caps", run.store, shards=shards, monotonic=clock, rng=random.Random(seed))
        for seed in range(hot.instances)
    ]
    traffic = random.Random(2026)
    offer, heavy, light = hot.offer, hot.heavy, hot.light
    for i in range(int(seconds * hot.rate)):
        clock.now = i / hot.rate
        if i % (hot.rate // 2) == 0:
            run.writes_at[clock.now] = run.writes
        access = heavy if traffic.random() < 0.6 else light
        events = [click_cap_slots(offer, access, DAY)]
        if i % hot.converting == 0:
            conversion = cap_slots(offer, access, CapMetric.CONVERSIONS, DAY)
            events.append(conversion + cap_slots(offer, access, CapMetric.PAYOUT, DAY, amount=PAYOUT))
        for slots in events:
            try:
                taken = warm[traffic.randrange(hot.instances)].take(slots)
            except ClientError:
                run.errors += 1
                continue
            if taken:
                run.taken += 1
            else:
                run.refused += 1
                assert any(total(run.store, slot) + slot.amount > slot.limit for slot in slots)
    return run
