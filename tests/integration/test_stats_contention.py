"""Several orchestrator invocations on different stream shards writing the same statistics at once,
against the emulated Stats table: overlapping cube items (one advertiser, offer, affiliate and country
for every click), on days still journaled and on older days updated directly. No update is lost; a
transaction DynamoDB cancels for a conflict is tried again a bounded number of times, and past that
bound the range fails whole, for the stream to retry, without a partial count."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerka.common import dynamo
from partnerka.orchestrator.records import StreamRecord
from partnerka.stats import repository
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cube import TOTAL
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.projection import StatsStores, apply_stream_batch
from partnerka_local.template import Template
from tests.stream_records import stream_record

NOW = datetime(2026, 3, 29, 18, tzinfo=UTC)
SHARDS = 4
BATCHES = 5
BATCH = 12


class Conflicting:
    """The real client; the transactions it is told to cancel fail as DynamoDB cancels a transaction
    that met another one on the same item."""

    def __init__(self, conflicts: int) -> None:
        self.inner = dynamo.client()
        self.exceptions = self.inner.exceptions
        self.conflicts = conflicts  # how many transactions in a row to cancel
        self.cancelled = 0
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transact_write_items(self, **request: Any) -> Any:
        with self._lock:
            cancel = self.conflicts > 0
            if cancel:
                self.conflicts -= 1
                self.cancelled += 1
        if cancel:
            reasons = [{"Code": "None"}] * (len(request["TransactItems"]) - 1) + [
                {"Code": "TransactionConflict"}
            ]
            raise self.inner.exceptions.TransactionCanceledException(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
                    "CancellationReasons": reasons,
                },
                "TransactWriteItems",
            )
        return self.inner.transact_write_items(**request)


def clicks(advertiser: str, shard: int, batch: int) -> list[StreamRecord]:
    """A batch of one shard: the same offer, affiliate and country as every other shard's, half of
    them two days back (updated directly), half today (journaled)."""
    records = []
    for n in range(BATCH):
        at = NOW - timedelta(days=2 * (n % 2), minutes=n)
        image = {
            "click_id": f"{advertiser}-{shard}-{batch}-{n}",
            "advertiser_id": advertiser,
            "offer_id": "O1",
            "affiliate_id": "A1",
            "ip": f"95.24.{shard}.{batch * BATCH + n}",
            "country": "DE",
            "ua": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36",
            "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "expires_at": 1_900_000_000,
        }
        sequence = f"{shard}{batch:04d}{n:016d}"
        records.append(
            stream_record(sequence, f"{advertiser}-e{shard}-{batch}-{n}", "INSERT", "clicks", image)
        )
    return records


def stores(client: Any) -> StatsStores:
    table = os.environ["STATS_TABLE"]
    return StatsStores(CubeRepository(table, client, now=lambda: NOW), ClickLogRepository(table))


def counted(advertiser: str) -> int:
    store = CubeRepository(os.environ["STATS_TABLE"], now=lambda: NOW)
    days = [(NOW - timedelta(days=back)).date().isoformat() for back in (2, 1, 0)]
    return sum(item.values.get("clicks", 0) for item in store.exact(advertiser, TOTAL, "-", days))


def test_shards_writing_the_same_items_at_once_lose_no_update(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    client = Conflicting(conflicts=SHARDS * 2)  # the first transactions of the shards meet each other
    failed: list[str] = []

    def shard(number: int) -> None:
        own = stores(client)
        for batch in range(BATCHES):
            records = clicks(advertiser, number, batch)
            left = apply_stream_batch(records, own)
            while left:  # the stream hands what failed over again, from its first record
                failed.extend(left)
                left = apply_stream_batch(records[len(records) - len(left) :], own)

    threads = [threading.Thread(target=shard, args=(n,)) for n in range(SHARDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted(advertiser) == SHARDS * BATCHES * BATCH
    # Every cancelled transaction was tried again within the call: no batch had to be redelivered
    assert client.cancelled == SHARDS * 2
    assert failed == []


def test_conflicts_past_the_bound_fail_the_range_whole_and_its_retry_counts_it_once(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    client = Conflicting(conflicts=repository.CONFLICT_RETRIES + 1)
    records = clicks(advertiser, 0, 0)
    own = stores(client)
    assert apply_stream_batch(records, own) == [r.sequence_number for r in records]
    assert client.cancelled == repository.CONFLICT_RETRIES + 1
    assert counted(advertiser) == 0
    assert apply_stream_batch(records, own) == []
    assert counted(advertiser) == BATCH
