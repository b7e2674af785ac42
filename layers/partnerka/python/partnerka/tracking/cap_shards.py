"""Taking a slot from a cap's shards (tracking.caps): which shard to write, and what a refusal teaches.

An instance remembers the level it last saw of each shard (a failed condition returns the item, a
success the new count): counters only grow within their bucket, so a level seen is a floor, and a
shard seen full stays full. A shard seen full is skipped until the memory is `memo_seconds` old; then
one event probes it again (one write) rather than trust it for good. An event is refused only when
every shard of one of its caps is known full for its amount: no slot is left unused while an event is
refused, whatever the shards' shares.

Before an instance first counts into a count cap (in a period, under a limit) it reads the cap's
counters once, in one BatchGetItem. Counts a shard holds above its share are moved into the others'
room then (one transaction): counts made under the old unsharded key (shard 0) the day sharding was
deployed, or under another limit, which may split the cap over other shards. So counts made before
still count against the cap, and a changed limit is never overshot. The only other read: when a shard
refuses, the cap's shards are read again (at most once a second a cap), since shards fill together.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from partnerka.common import dynamo
from partnerka.common.observability import logger

if TYPE_CHECKING:
    from partnerka.tracking.caps import CapSlot

Layout = list[tuple[str, int]]  # each shard's partition key and share
REMEMBERED = 10_000  # shard levels an instance keeps before it forgets them all (a new bucket is new keys)
REBALANCE_ATTEMPTS = 3
REFRESH_SECONDS = 1.0  # a split cap's shards are read again, once a shard refuses, at most this often
_THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


class ShardedCounters:
    def __init__(
        self, table: str, monotonic: Callable[[], float], rng: random.Random, memo_seconds: float
    ) -> None:
        self._table = table
        self._monotonic = monotonic
        self._rng = rng
        self._memo_seconds = memo_seconds
        self._seen: dict[tuple[str, str], tuple[int, float]] = {}  # (shard pk, sk) → (level, when)
        self._opened: set[tuple[str, str, int]] = set()  # (pk, sk, limit) of caps read and settled
        self._refreshed: dict[tuple[str, str], float] = {}  # (pk, sk) → when its shards were last read

    def take(self, client: Any, wanted: list[tuple[CapSlot, Layout]]) -> bool:
        """Count into one shard of every slot in one write, trying others while shards refuse.
        False when a slot has no shard with room; a throttle that left no shard to try is raised."""
        skipped: list[set[int]] = [set() for _ in wanted]  # throttled shards, not tried again now
        probed = [False] * len(wanted)  # a shard remembered full long ago was tried again (once a call)
        throttle: Exception | None = None
        for slot, layout in wanted:
            if len(layout) > 1 and (slot.pk, slot.sk, slot.limit) not in self._opened:
                self._settle(client, slot, layout)
        for _ in range(sum(len(layout) for _, layout in wanted) + 4):
            picks = []
            for n, ((slot, layout), skip) in enumerate(zip(wanted, skipped, strict=True)):
                index, stale = self._pick(slot, layout, skip, probe=not probed[n])
                if index is None:
                    if throttle is not None and skip:
                        raise throttle
                    return False
                probed[n] = probed[n] or stale
                picks.append(index)
            writes = [(slot, layout[i]) for (slot, layout), i in zip(wanted, picks, strict=True)]
            try:
                if len(writes) == 1:
                    self._update(client, *writes[0])
                else:
                    client.transact_write_items(TransactItems=[{"Update": self._request(*w)} for w in writes])
                return True
            except Exception as error:
                code = _code(error)
                if code in _THROTTLED:
                    throttle = error
                    for skip, i in zip(skipped, picks, strict=True):
                        skip.add(i)
                elif code == "ConditionalCheckFailedException":
                    self._refused(client, wanted[0], picks[0], getattr(error, "response", {}).get("Item"))
                elif code == "TransactionCanceledException":
                    throttle = self._cancelled(client, wanted, picks, skipped, error) or throttle
                elif code != "TransactionConflictException":
                    raise
        if throttle is not None:
            raise throttle
        return False  # write conflicts all the way: refused, as a conflicted transaction always was

    def _pick(self, slot: CapSlot, layout: Layout, skip: set[int], probe: bool) -> tuple[int | None, bool]:
        """A shard with room as far as this instance knows, at random; else (when `probe`) one
        remembered full long enough ago to try again; else None. Whether it is a stale one comes too."""
        now = self._monotonic()
        fresh, stale = [], []
        for i, (pk, share) in enumerate(layout):
            if i in skip or share < slot.amount:
                continue
            level, when = self._seen.get((pk, slot.sk), (0, now))
            if level + slot.amount <= share:
                fresh.append(i)
            elif now - when >= self._memo_seconds:
                stale.append(i)
        if fresh:
            return self._rng.choice(fresh), False
        if stale and probe:
            return self._rng.choice(stale), True
        return None, False

    def _request(self, slot: CapSlot, shard: tuple[str, int]) -> dict[str, Any]:
        pk, share = shard
        values: dict[str, Any] = {
            ":amount": {"N": str(slot.amount)},
            ":room": {"N": str(share - slot.amount)},
        }
        update = "ADD n :amount"
        if slot.expires_at is not None:
            update += " SET expires_at = :expires"
            values[":expires"] = {"N": str(slot.expires_at)}
        return {
            "TableName": self._table,
            "Key": {"pk": {"S": pk}, "sk": {"S": slot.sk}},
            "UpdateExpression": update,
            "ConditionExpression": "attribute_not_exists(n) OR n <= :room",
            "ExpressionAttributeValues": values,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def _update(self, client: Any, slot: CapSlot, shard: tuple[str, int]) -> None:
        response = client.update_item(**self._request(slot, shard), ReturnValues="UPDATED_NEW")
        self._remember(shard[0], slot.sk, _level(response.get("Attributes")))

    def _cancelled(
        self,
        client: Any,
        wanted: list[tuple[CapSlot, Layout]],
        picks: list[int],
        skipped: list[set[int]],
        error: Exception,
    ) -> Exception | None:
        """Learn from a cancelled transaction's reasons, one per slot: a full shard is remembered, a
        throttled one skipped (and the error returned), a conflicted one simply tried again."""
        reasons = getattr(error, "response", {}).get("CancellationReasons") or []
        throttled = None
        for (entry, i, skip), reason in zip(zip(wanted, picks, skipped, strict=True), reasons, strict=False):
            if reason.get("Code") == "ConditionalCheckFailed":
                self._refused(client, entry, i, reason.get("Item"))
            elif reason.get("Code") == "ThrottlingError":
                skip.add(i)
                throttled = error
        return throttled

    def _refused(self, client: Any, entry: tuple[CapSlot, Layout], index: int, item: Any) -> None:
        """A shard refused: remember its level; for a split cap, read all its shards (at most once a
        `REFRESH_SECONDS` a cap): shards fill together, so one full means the others are close, and
        learning them by read spares a failed write on each (in a transaction, on every cap in it)."""
        slot, layout = entry
        pk, share = layout[index]
        level = _level(item)
        self._remember(pk, slot.sk, level)
        if len(layout) == 1:
            return
        over = level > share
        now = self._monotonic()
        if now - self._refreshed.get((slot.pk, slot.sk), -REFRESH_SECONDS) >= REFRESH_SECONDS:
            self._refreshed[(slot.pk, slot.sk)] = now
            try:
                levels = self.read(client, [(pk, slot.sk) for pk, _ in layout])
            except Exception as error:
                if _code(error) not in _THROTTLED:
                    raise
            else:
                for shard, shard_share in layout:
                    self._remember(shard, slot.sk, levels[(shard, slot.sk)])
                    # Counts that came after the first read (the old code, mid-deploy) are moved too.
                    over = over or levels[(shard, slot.sk)] > shard_share
        if over:
            self._rebalance(client, slot, layout)

    def _remember(self, pk: str, sk: str, level: int) -> None:
        if len(self._seen) > REMEMBERED:
            self._seen.clear()
            self._opened.clear()
            self._refreshed.clear()
        self._seen[(pk, sk)] = (level, self._monotonic())

    def _settle(self, client: Any, slot: CapSlot, layout: Layout) -> None:
        """Read every counter of the cap once (strongly: a move just made must show), remember their
        levels, and move what any holds above its share into the others' room. A throttled read is
        tried again by the next event."""
        try:
            levels = self.read(client, [(pk, slot.sk) for pk, _ in layout])
        except Exception as error:
            if _code(error) in _THROTTLED:
                return
            raise
        for pk, _ in layout:
            self._remember(pk, slot.sk, levels[(pk, slot.sk)])
        for attempt in range(REBALANCE_ATTEMPTS):
            if self._rebalanced(client, slot, layout, levels if attempt == 0 else None):
                break
        self._opened.add((slot.pk, slot.sk, slot.limit))

    def _rebalance(self, client: Any, slot: CapSlot, layout: Layout) -> None:
        for _ in range(REBALANCE_ATTEMPTS):
            if self._rebalanced(client, slot, layout):
                return

    def _rebalanced(
        self, client: Any, slot: CapSlot, layout: Layout, levels: dict[tuple[str, str], int] | None = None
    ) -> bool:
        """Move the counts a shard holds above its share (counted under a smaller or larger limit, or
        before the cap was sharded) into the other shards' room, in one transaction whose conditions
        make it safe against the events counting meanwhile. False when the transaction was refused."""
        if levels is None:
            levels = self.read(client, [(pk, slot.sk) for pk, _ in layout])
        shards = [(pk, share, levels.get((pk, slot.sk), 0)) for pk, share in layout]
        excess = sum(max(0, level - share) for _, share, level in shards)
        room = sum(max(0, share - level) for _, share, level in shards)
        moved = min(excess, room)
        items, give, get = [], moved, moved
        for pk, share, level in shards:
            change = -min(give, level - share) if level > share else min(get, share - level)
            if change < 0:
                give += change
            elif change > 0:
                get -= change
            if change:
                items.append(self._move(slot, pk, share, level, change))
        if not items:
            return True
        try:
            client.transact_write_items(TransactItems=items)
        except Exception as error:
            # Events counted meanwhile took the room, or another instance moved it first: read again.
            logger.info("cap shards not rebalanced", pk=slot.pk, sk=slot.sk, reason=_code(error))
            return False
        for pk, share, level in shards:
            self._remember(pk, slot.sk, share if level > share else level)
        return True

    def _move(self, slot: CapSlot, pk: str, share: int, level: int, change: int) -> dict[str, Any]:
        values: dict[str, Any] = {":change": {"N": str(change)}}
        if change < 0:  # the shard giving: exactly as read, so two instances never both give it
            condition, values[":seen"] = "n = :seen", {"N": str(level)}
        else:
            condition, values[":room"] = "attribute_not_exists(n) OR n <= :room", {"N": str(share - change)}
        update = "ADD n :change"
        if slot.expires_at is not None:
            update += " SET expires_at = :expires"
            values[":expires"] = {"N": str(slot.expires_at)}
        key = {"pk": {"S": pk}, "sk": {"S": slot.sk}}
        return {
            "Update": {
                "TableName": self._table,
                "Key": key,
                "UpdateExpression": update,
                "ConditionExpression": condition,
                "ExpressionAttributeValues": values,
            }
        }

    def read(self, client: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The counters' levels (0 for one never counted into), in one BatchGetItem up to 100 keys,
        strongly consistent."""
        found = dict.fromkeys(keys, 0)
        encoded = [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in keys]
        for item in dynamo.batch_get(client, self._table, encoded, ConsistentRead=True):
            found[(item["pk"]["S"], item["sk"]["S"])] = _level(item)
        return found


def _level(item: Any) -> int:
    return int((item or {}).get("n", {}).get("N", "0"))


def _code(error: Exception) -> str:
    """A botocore ClientError's code; '' for anything else."""
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
