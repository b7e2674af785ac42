"""Cap counters: a cap's counter split over shards, so one hot offer never throttles its own key.

DynamoDB takes about 1,000 write units a second on one partition key. An offer with a click cap taking
5,000 clicks a second would write its one counter 5,000 times a second (twice that in a transaction,
which costs two units an item, when the affiliate's own cap applies too). So a count cap larger than
`ONE_COUNTER_UP_TO` is split over up to `SHARDS` counters with their own partition keys, each holding a
share of the limit; the shares add up to the limit, and each share is guarded by the same conditional
ADD as before, so the cap can never be overshot. A shard's share is at most `ONE_COUNTER_UP_TO` (its
whole period's writes fit in one second's budget) until the cap is split sixteen ways; then at 5,000
clicks a second each shard takes about 310 writes (620 units in transactions), under 1,000.

A small cap stays one counter: it stays exact and cheap (fewer shards to find full), and a payout
budget always stays one counter, since amounts differ and a shard's share could refuse a payout the
budget as a whole still has room for.

Key shape: CapsTable, PK `CAP#<offer>` (or `CAP#<offer>#AFF#<affiliate>` for an affiliate's own cap)
for shard 0, `<that>#<i>` for shard i (1 to 16); SK `<metric>#<period>#<bucket>`; attribute `n`. Shard 0
is the key every counter had before sharding: a small cap's and a payout budget's only counter, and
what a large cap counted there before it was sharded is moved into its shards, so a period's counts
made before still count.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.tracking.cap_shards import REMEMBERED, ShardedCounters

SHARDS = 16
ONE_COUNTER_UP_TO = 250


@dataclass(frozen=True, slots=True)
class CapSlot:
    """One cap an event counts into: the counter's logical key (shard 0's), its limit and the amount.
    `spread`: a count cap (clicks, conversions) that may be split over shards; a payout budget is not.
    Day and month buckets expire by TTL (`expires_at`)."""

    pk: str
    sk: str
    limit: int
    expires_at: int | None
    amount: int = 1
    spread: bool = False


def shard_limits(limit: int, spread: bool, shards: int = SHARDS) -> tuple[int, ...]:
    """Each counter's share of `limit`, shard 0 first; they add up to it. A count cap (`spread`) always
    has `shards` + 1 counters, most with no share, so that counts its shards took under another limit
    are seen and moved (tracking.cap_shards). Up to `ONE_COUNTER_UP_TO` shard 0, the key every counter
    had before sharding, holds the whole cap; above it, shard 0 holds none (it shares its partition key
    with the offer's payout budgets and small caps) and the cap is split over one shard per
    `ONE_COUNTER_UP_TO` of limit, at most `shards`. A shard's share then fits a second's write budget
    whole, or takes a sixteenth of the offer's traffic."""
    if not spread or shards <= 1:
        return (limit,)
    if limit <= ONE_COUNTER_UP_TO:
        return (limit, *(0,) * shards)
    used = min(shards, -(-limit // ONE_COUNTER_UP_TO))
    each, extra = divmod(limit, used)
    return (0, *(each + (1 if i < extra else 0) for i in range(used)), *(0,) * (shards - used))


def shard_pk(pk: str, index: int) -> str:
    return pk if index == 0 else f"{pk}#{index}"


class CapCounter(Protocol):
    def take(self, slots: list[CapSlot]) -> bool:
        """Count into every slot at once, or into none when any is full."""
        ...


class CapLevels(Protocol):
    def levels(self, slots: list[CapSlot]) -> dict[tuple[str, str], int]:
        """How far each slot's counter has got, by (pk, sk); a counter never counted into is 0."""
        ...


class CapCounterRepository:
    """Caps are counted by a condition on a counter itself (`n + amount <= share`), never by reading
    first: fifty simultaneous clicks on the last slot give exactly one success.

    One write per event (a transaction when several caps apply): a shard is picked at random among
    those not known to be full, and a full one makes the event try another. The bounds:
    - overshoot 0: the shares add up to the limit and each is a condition;
    - undershoot 0: an event is refused only when every shard of one of its caps is known full (seen
      full by a failed condition, a success's new count, or the read below);
    - a full cap costs no write: the instance remembers full shards for `memo_seconds`, then probes
      one again (one write); filling a cap costs each instance at most one failed write per shard,
      in practice about one a second while the cap's last shards fill;
    - reads: one BatchGetItem of a count cap's counters per instance, cap, period and limit (its
      first event), where counts held above a share are moved (tracking.cap_shards); then one at most
      once a second a cap, only when a shard refuses. A warm click on a cap with room reads nothing.
    A throttled shard sends the event to another; a throttle with no shard left to try is raised."""

    def __init__(
        self,
        table: str,
        client: Any = None,
        shards: int = SHARDS,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        memo_seconds: float = 60.0,
    ) -> None:
        self._table = table
        self._client = client
        self._shards = shards
        self._layouts: dict[tuple[str, int, bool], list[tuple[str, int]]] = {}
        self._counters = ShardedCounters(table, monotonic, rng or random.Random(), memo_seconds)

    def _layout(self, slot: CapSlot) -> list[tuple[str, int]]:
        """(partition key, share) of each of the slot's shards, kept: a warm click builds none."""
        key = (slot.pk, slot.limit, slot.spread)
        layout = self._layouts.get(key)
        if layout is None:
            if len(self._layouts) > REMEMBERED:
                self._layouts.clear()
            shares = shard_limits(slot.limit, slot.spread, self._shards)
            layout = self._layouts[key] = [(shard_pk(slot.pk, i), share) for i, share in enumerate(shares)]
        return layout

    def take(self, slots: list[CapSlot]) -> bool:
        if not slots:
            return True
        if any(slot.amount > slot.limit for slot in slots):
            return False
        return self._counters.take(
            self._client or dynamo.client(), [(slot, self._layout(slot)) for slot in slots]
        )

    def levels(self, slots: list[CapSlot]) -> dict[tuple[str, str], int]:
        """Every shard summed, all read in one BatchGetItem (a spread cap's every possible shard: a
        cap lowered to a small one keeps the counts its shards took before)."""
        keys = list(dict.fromkeys((slot.pk, slot.sk, slot.spread) for slot in slots))
        found = {(pk, sk): 0 for pk, sk, _ in keys}
        shard_of: dict[tuple[str, str], tuple[str, str]] = {}
        for pk, sk, spread in keys:
            for i in range(len(shard_limits(0, spread, self._shards))):
                shard_of[(shard_pk(pk, i), sk)] = (pk, sk)
        client = self._client or dynamo.client()
        for (pk, sk), level in self._counters.read(client, list(shard_of)).items():
            found[shard_of[(pk, sk)]] += level
        return found
