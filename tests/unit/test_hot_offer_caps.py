"""A hot offer: 5,000 clicks a second on one offer with a daily click cap and a daily conversion cap,
against the real cap counters in fifty warm instances over a store that throttles any partition key
past 1,000 write units a second (tests/unit/hot_offer.py), on a simulated clock: three seconds of
traffic take about a second of CPU."""

from __future__ import annotations

from partnerka.tracking.caps import SHARDS
from tests.conftest import Figures
from tests.unit.hot_offer import PAYOUT, HotOffer, drive, total

HOT = HotOffer()


def test_five_thousand_clicks_a_second_fill_the_caps_exactly_without_a_throttle(figures: Figures) -> None:
    # Given 5,000 clicks a second for three seconds: the caps are full after about two
    run = drive(HOT, seconds=3)
    figures(
        f"hot offer, {HOT.instances} instances, {HOT.rate}/s for 3 s: {run.taken} taken, "
        f"{run.refused} refused, {run.writes} writes, {run.reads} reads, {run.store.throttled} "
        f"throttled, busiest key-second {run.store.busiest_second()} units; writes by half second "
        f"{run.writes_at}"
    )
    # Then no key was throttled
    assert run.store.throttled == 0
    assert run.errors == 0
    assert run.store.busiest_second() <= 1000
    # And the traffic overran every count cap: each ends exactly full, never above (counters only grow)
    levels = {name: total(run.store, slot) for name, slot in HOT.caps().items()}
    assert levels == {
        "clicks": HOT.click_cap,
        "own_clicks": HOT.own_click_cap,
        "conversions": HOT.conversion_cap,
        "payout": HOT.conversion_cap * PAYOUT,
    }
    # And each counted event cost one write, plus at most one refused write per shard, cap and
    # instance; reads: one per cap and instance, and one a second while a cap's shards refuse
    assert run.writes <= run.taken + HOT.instances * SHARDS * 3
    assert run.reads <= HOT.instances * 3 * (1 + 3)
    # And in the last half second, every cap full, events were refused from memory: not one write
    assert run.writes == run.writes_at[2.5]


def test_the_same_traffic_on_one_counter_per_cap_is_throttled() -> None:
    """The store throttles as DynamoDB does: the unsharded layout cannot take this offer's traffic."""
    run = drive(HOT, seconds=0.5, shards=1)
    assert run.store.throttled > 0
    assert run.errors > 0
