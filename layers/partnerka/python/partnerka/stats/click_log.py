"""The click log: every click of a stream batch, kept compactly for the reports the cubes cannot answer
(two dimensions at once, an affiliate's own breakdowns, sub-ids, one click) and for the click log.

Key shape: Stats table, PK `LOG#<advertiser>#<yyyy-mm-dd>` (UTC day), SK `<hour>#<chunk>#<n>`: one
item (or a few, past MAX_CHUNK_BYTES) per advertiser-hour a stream batch touches, holding its clicks
as gzipped JSON lines, the affiliate in each line. A day of one advertiser is one partition. Items are
written per advertiser-hour and not per affiliate because a write unit is a started kilobyte: a batch
of a hundred clicks over fifty affiliates was fifty items of a few hundred bytes each, and is now one
item of a few kilobytes (an affiliate's own report reads the day and keeps its lines; reads cost a
tenth of writes, and only when someone asks).

The chunk name comes from the run of stream records the clicks were delivered in (its first record's
range token and its length, see stats.projection): the log is written at least once per delivery of
a click, so a batch delivered again puts the same items, and a delivery cut differently puts a click
into a second chunk of its hour, which the reader drops (an hour's chunks are neighbours in key
order). Items are kept LOG_RETENTION, a little longer than the longest report range, so a raw report
over any range it allows finds every click.

Items written before this layout (SK `<affiliate>#<hour>#<chunk>#<n>`, lines without the affiliate)
are read too until they expire.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.stats.cube import Facts
from partnerka.stats.models import refused_attribute

LOG_RETENTION = timedelta(days=400)
MAX_CHUNK_BYTES = 300_000  # a compressed chunk stays well under DynamoDB's 400 KB per item


@dataclass(frozen=True, slots=True)
class LoggedClick:
    click_id: str
    facts: Facts
    reason: str = ""  # refused by a check: counts as blocked, and refused for this reason
    flags: frozenset[str] = frozenset()  # unique, bots, flood, datacenter

    def increments(self) -> dict[str, int]:
        if self.reason:
            return {"blocked": 1, refused_attribute(self.reason): 1}
        return {"clicks": 1, **dict.fromkeys(sorted(self.flags), 1)}

    def as_line(self) -> list[Any]:
        f = self.facts
        return [
            self.click_id,
            iso_millis(f.at),
            f.offer,
            f.country,
            f.device,
            f.os,
            f.browser,
            self.reason,
            sorted(self.flags),
            f.subs,
            f.affiliate,
        ]

    @classmethod
    def from_line(cls, advertiser_id: str, affiliate: str, line: list[Any]) -> LoggedClick:
        """A line as written; `affiliate` names the affiliate of a line from the old layout, whose
        lines lacked it."""
        click_id, at, offer, country, device, os, browser, reason, flags, subs = line[:10]
        affiliate = line[10] if len(line) > 10 else affiliate
        facts = Facts(advertiser_id, parse_iso(at), offer, affiliate, country, device, os, browser, subs)
        return cls(click_id, facts, reason, frozenset(flags))


class ClickLogStore(Protocol):
    def write(self, clicks: Iterable[LoggedClick], token: str, expires_at: int) -> int:
        """Store the clicks in chunks named by `token`; the number of items written."""
        ...

    def read(self, advertiser_id: str, day: str, affiliate: str | None = None) -> Iterator[LoggedClick]: ...


def _chunks(clicks: list[LoggedClick]) -> Iterator[bytes]:
    lines: list[str] = []
    size = 0
    for click in clicks:
        line = json.dumps(click.as_line(), separators=(",", ":"), ensure_ascii=False)
        if lines and size + len(line) > MAX_CHUNK_BYTES * 4:  # JSON lines compress about 4:1 at worst
            yield gzip.compress("\n".join(lines).encode())
            lines, size = [], 0
        lines.append(line)
        size += len(line) + 1
    if lines:
        yield gzip.compress("\n".join(lines).encode())


class ClickLogRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def write(self, clicks: Iterable[LoggedClick], token: str, expires_at: int) -> int:
        groups: dict[tuple[str, str, str], list[LoggedClick]] = {}
        for click in clicks:
            f = click.facts
            groups.setdefault((f.advertiser_id, f.hour[:10], f.hour), []).append(click)
        items: list[dict[str, Any]] = [
            {
                "pk": {"S": f"LOG#{advertiser}#{day}"},
                "sk": {"S": f"{hour}#{token}#{n}"},
                "clicks": {"N": str(len(grouped))},
                "data": {"B": blob},
                "expires_at": {"N": str(expires_at)},
            }
            for (advertiser, day, hour), grouped in sorted(groups.items())
            for n, blob in enumerate(_chunks(grouped))
        ]
        dynamo.batch_put(self._c(), self._table, items)
        return len(items)

    def read(self, advertiser_id: str, day: str, affiliate: str | None = None) -> Iterator[LoggedClick]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"LOG#{advertiser_id}#{day}"}},
        }
        # A click can be in two chunks of its hour (see the module's docstring): an hour's chunks
        # are neighbours in key order, so the repeats are dropped with one hour's click ids in memory.
        group: tuple[str, str] = ("", "")
        seen: set[str] = set()
        for raw in dynamo.query(self._c(), request):
            owner, hour = _owner_and_hour(raw["sk"]["S"])
            if (owner, hour) != group:
                group, seen = (owner, hour), set()
            for line in gzip.decompress(raw["data"]["B"]).decode().splitlines():
                click = LoggedClick.from_line(advertiser_id, owner, json.loads(line))
                if click.click_id not in seen and affiliate in (None, click.facts.affiliate):
                    seen.add(click.click_id)
                    yield click


def _owner_and_hour(sk: str) -> tuple[str, str]:
    """(affiliate, hour) of an item of the old layout, ("", hour) of the current one. An hour
    (`2026-11-27T16`) is told from an affiliate id (a ULID, or "-") by its length and dashes."""
    first, second, _ = sk.split("#", 2)
    if len(first) == 13 and first[4] == "-" and first[10] == "T":
        return "", first
    return first, second
