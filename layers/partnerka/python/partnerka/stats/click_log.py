"""The click log: every click of a stream batch, kept compactly for the reports the cubes cannot answer
(two dimensions at once, an affiliate's own breakdowns, sub-ids, one click) and for the click log.

Key shape: Stats table, PK `LOG#<advertiser>#<yyyy-mm-dd>` (UTC day), SK `<affiliate>#<hour>#<chunk>`;
one item per (advertiser, day, affiliate) a stream batch touches, holding its clicks as gzipped JSON
lines. A day of one advertiser is one partition; one affiliate's clicks of a day are one key prefix.
The chunk name comes from the run of stream records the clicks were delivered in (its first record's
range token and its length, see stats.projection): the log is written at least once per delivery
of a click, so a batch delivered again puts the same items, and a delivery cut differently puts a
click into a second chunk of its hour, which the reader drops (a click's chunks share its key prefix,
so they are read one after the other). Items are kept LOG_RETENTION, a little longer than the
longest report range, so a raw report over any range it allows finds every click (compressed, a
click costs about 40 bytes).
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
        ]

    @classmethod
    def from_line(cls, advertiser_id: str, affiliate: str, line: list[Any]) -> LoggedClick:
        click_id, at, offer, country, device, os, browser, reason, flags, subs = line
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
        groups: dict[tuple[str, str, str, str], list[LoggedClick]] = {}
        for click in clicks:
            f = click.facts
            groups.setdefault((f.advertiser_id, f.hour[:10], f.affiliate, f.hour), []).append(click)
        requests = []
        for (advertiser, day, affiliate, hour), grouped in sorted(groups.items()):
            for n, blob in enumerate(_chunks(grouped)):
                requests.append(
                    {
                        "PutRequest": {
                            "Item": {
                                "pk": {"S": f"LOG#{advertiser}#{day}"},
                                "sk": {"S": f"{affiliate}#{hour}#{token}#{n}"},
                                "clicks": {"N": str(len(grouped))},
                                "data": {"B": blob},
                                "expires_at": {"N": str(expires_at)},
                            }
                        }
                    }
                )
        for start in range(0, len(requests), 25):
            pending: dict[str, Any] = {self._table: requests[start : start + 25]}
            while pending:
                pending = self._c().batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        return len(requests)

    def read(self, advertiser_id: str, day: str, affiliate: str | None = None) -> Iterator[LoggedClick]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"LOG#{advertiser_id}#{day}"}},
        }
        if affiliate is not None:
            request["KeyConditionExpression"] += " AND begins_with(sk, :aff)"
            request["ExpressionAttributeValues"][":aff"] = {"S": f"{affiliate}#"}
        # A click can be in two chunks of its hour (see the module's docstring): its chunks are
        # neighbours in key order, so the repeats are dropped with one hour's click ids in memory.
        hour: tuple[str, str] = ("", "")
        seen: set[str] = set()
        for raw in dynamo.query(self._c(), request):
            owner, at, _ = raw["sk"]["S"].split("#", 2)
            if (owner, at) != hour:
                hour, seen = (owner, at), set()
            for line in gzip.decompress(raw["data"]["B"]).decode().splitlines():
                click = LoggedClick.from_line(advertiser_id, owner, json.loads(line))
                if click.click_id not in seen:
                    seen.add(click.click_id)
                    yield click
