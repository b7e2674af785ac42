"""The addresses' hourly click counts (the flood check's state) against the emulated Stats table:
one put per range and advertiser-hour, read back incrementally by every orchestrator instance, so
an address's clicks add up across ranges, shards and instances without a write per address."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from partnerka.common import dynamo
from partnerka.stats import quality_store
from partnerka.stats.quality import IpHourKey
from partnerka.stats.quality_store import QualityRepository
from partnerka_local.template import Template

HOUR = "2026-11-27T16"


def key(advertiser: str, ip: str, hour: str = HOUR) -> IpHourKey:
    return IpHourKey(advertiser, hour, ip)


class CountingClient:
    """The real client, counting the items each kind of request writes or reads."""

    def __init__(self) -> None:
        self.inner = dynamo.client()
        self.written = 0
        self.queries = 0

    def batch_write_item(self, **request: Any) -> Any:
        self.written += sum(len(items) for items in request["RequestItems"].values())
        return self.inner.batch_write_item(**request)

    def query(self, **request: Any) -> Any:
        self.queries += 1
        return self.inner.query(**request)


def test_a_range_writes_one_item_per_advertiser_hour_and_every_instance_adds_them_up(stack: Template) -> None:
    advertiser, other = uuid.uuid4().hex, uuid.uuid4().hex
    writer_client = CountingClient()
    writer = QualityRepository(os.environ["STATS_TABLE"], writer_client)
    # Given a range with 40 addresses of one advertiser in one hour, 2 of another, and 1 the hour after
    counts = {key(advertiser, f"95.24.0.{n}"): 1 + n % 3 for n in range(40)}
    counts[key(other, "95.24.9.9")] = 2
    counts[key(other, "2001:db8::1")] = 1
    counts[key(advertiser, "95.24.0.1", "2026-11-27T17")] = 5
    writer.add_ip_counts(counts, "range-1")
    # Then it wrote one item per advertiser-hour, not one per address
    assert writer_client.written == 3
    # And a second instance reads every address's count, and none for an address it never saw
    reader = QualityRepository(os.environ["STATS_TABLE"])
    asked = [*counts, key(advertiser, "203.0.113.7")]
    assert reader.ip_counts(asked) == counts


def test_later_ranges_are_read_incrementally_and_add_to_what_an_instance_already_holds(
    stack: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    advertiser = uuid.uuid4().hex
    address = key(advertiser, "198.51.100.7")
    reader_client = CountingClient()
    reader = QualityRepository(os.environ["STATS_TABLE"], reader_client)
    writer = QualityRepository(os.environ["STATS_TABLE"])
    clock = [1_800_000_000.0]
    monkeypatch.setattr(quality_store.time, "time", lambda: clock[0])
    writer.add_ip_counts({address: 3}, "range-1")
    assert reader.ip_counts([address]) == {address: 3}
    # When two more shards' ranges land, one written before the reader's last read but landing after
    clock[0] += 120
    writer.add_ip_counts({address: 4}, "range-2")
    clock[0] -= 30  # its put began 30 s before range-2's (within the look-back)
    writer.add_ip_counts({address: 2}, "range-3")
    # Then the warm reader adds both to what it held, once each, however often it asks
    assert reader.ip_counts([address]) == {address: 9}
    assert reader.ip_counts([address]) == {address: 9}
    # And each later read asks only from the look-back before the newest range it has seen
    assert reader_client.queries == 3


def test_a_warm_instance_keeps_only_the_latest_hours(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    repository = QualityRepository(os.environ["STATS_TABLE"])
    hours = [f"2026-11-27T{h:02d}" for h in range(10, 14)]
    for hour in hours:
        repository.add_ip_counts({key(advertiser, "95.24.1.1", hour): 1}, f"r-{hour}")
        assert repository.ip_counts([key(advertiser, "95.24.1.1", hour)]) == {
            key(advertiser, "95.24.1.1", hour): 1
        }
    assert sorted(h for _, h in repository._hours) == hours[-quality_store.KEPT_HOURS :]


def test_a_batch_over_more_hours_than_an_instance_keeps_reads_each(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    repository = QualityRepository(os.environ["STATS_TABLE"])
    keys = [key(advertiser, "95.24.1.1", f"2026-11-27T{h:02d}") for h in range(8, 13)]
    repository.add_ip_counts(dict.fromkeys(keys, 2), "r-1")
    assert repository.ip_counts(keys) == dict.fromkeys(keys, 2)
