"""Traffic-quality state in the Stats table, beside the rollups (whose keys all start with `ADV#`).

Key shapes (every item expires by TTL on `expires_at`):
- visitor window:  PK `UQ#<offer>#<affiliate>#<visitor hash>`, SK `UQ`; the click holding it and `until`.
- address counts:  PK `IPB#<advertiser>#<hour>`, SK `<epoch ms written>#<range token>`; `ips`, the
                   range's clicks per address in that hour (gzipped JSON): one put per range and
                   advertiser-hour, not one update per address (see AddressCounts).
- verdict:         PK `CQ#<click id>`, SK `CQ`; the flags of a bot's click.
- floods:          PK `CQF#<advertiser>#<hour>#<ip>`, SK `<range token>`; `clicks`, the range's flooding
                   clicks from that address (click id -> the address's clicks in the hour up to it):
                   one item per flooding address and range, where a verdict each cost a write each.
A click from a datacenter keeps no item: its network is found again from the ranges when read.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from partnerka.common import dynamo
from partnerka.common.clock import hour_bucket
from partnerka.stats.quality import ClickQuality, IpHourKey, VisitorClaim, VisitorKey, VisitWindow
from partnerka.tracking.models import Click

COUNT_TTL_SECONDS = 2 * 86400
# Conditional puts cannot be batched; a few in flight keep a batch of 100 clicks well under a second.
PARALLEL_WRITES = 8


def _in_parallel[T, R](work: Callable[[T], R], items: list[T]) -> list[R]:
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_WRITES, len(items))) as pool:
        return list(pool.map(work, items))


# A range's counts are read by other instances from the moment its put returns; an instance that has
# read an hour's ranges reads again from this long before the newest it saw, so a range whose put
# began before that one's and landed after it is still found (a put lands within seconds).
ADDRESS_LOOKBACK_MS = 60_000
# Hours of address counts a warm instance keeps besides those a batch asks for: the latest two.
KEPT_HOURS = 2


@dataclass(slots=True)
class _HourCounts:
    """One advertiser-hour's address counts as far as this instance has read its ranges."""

    counts: Counter[str] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)  # the ranges' sort keys already added
    newest: int = -1  # the newest range's epoch ms read (-1: none read yet)


def _flood_key(click: Click) -> tuple[str, str, str]:
    return click.advertiser_id, hour_bucket(click.created_at), click.ip or "-"


def _window_key(visitor: VisitorKey) -> tuple[str, str]:
    return f"UQ#{visitor.offer_id}#{visitor.affiliate_id}#{visitor.visitor}", "UQ"


def _attributes(key: tuple[str, str]) -> dict[str, Any]:
    return {"pk": {"S": key[0]}, "sk": {"S": key[1]}}


class QualityRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client
        self._hours: dict[tuple[str, str], _HourCounts] = {}

    @property
    def client(self) -> Any:
        return self._client or dynamo.client()

    def claim_visitors(self, claims: list[VisitorClaim], window: int) -> set[VisitorKey]:
        """Read the windows first (a read costs a tenth of a write) and put only where no other
        click holds an open one; the conditional put still decides races between shards."""
        client = self.client
        current = self._get_many({_window_key(c.visitor): c for c in claims}, ("click_id", "until"))
        held: set[VisitorKey] = set()
        asking: list[VisitorClaim] = []
        for claim in claims:
            found = current.get(claim)
            if found is None or int(found["until"]) <= claim.at:
                asking.append(claim)
            elif found["click_id"] == claim.click_id:
                held.add(claim.visitor)  # a redelivered click that already holds its window

        def put(request: VisitorClaim) -> VisitorKey | None:
            try:
                client.put_item(
                    TableName=self._table,
                    Item={
                        **_attributes(_window_key(request.visitor)),
                        "click_id": {"S": request.click_id},
                        "until": {"N": str(request.at + window)},
                        "expires_at": {"N": str(request.at + window + 3600)},
                    },
                    ConditionExpression="attribute_not_exists(pk) OR #until <= :at OR click_id = :click",
                    ExpressionAttributeNames={"#until": "until"},
                    ExpressionAttributeValues={
                        ":at": {"N": str(request.at)},
                        ":click": {"S": request.click_id},
                    },
                )
            except client.exceptions.ConditionalCheckFailedException:
                return None
            return request.visitor

        return held | {key for key in _in_parallel(put, asking) if key is not None}

    def ip_counts(self, keys: Iterable[IpHourKey]) -> dict[IpHourKey, int]:
        """The clicks each address sent the advertiser in the hour, as the ranges written so far
        tell; read incrementally (an hour's ranges already read stay in this instance)."""
        wanted = list(keys)
        asked = {(key.advertiser_id, key.hour) for key in wanted}
        for advertiser_id, hour in sorted(asked):
            self._refresh(advertiser_id, hour)
        found: dict[IpHourKey, int] = {}
        for key in wanted:
            count = self._hours[(key.advertiser_id, key.hour)].counts.get(key.ip or "-", 0)
            if count:
                found[key] = count
        newest = sorted({hour for _, hour in self._hours}, reverse=True)[:KEPT_HOURS]
        for stale in [held for held in self._hours if held not in asked and held[1] not in newest]:
            del self._hours[stale]
        return found

    def _refresh(self, advertiser_id: str, hour: str) -> None:
        known = self._hours.setdefault((advertiser_id, hour), _HourCounts())
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"IPB#{advertiser_id}#{hour}"}},
        }
        if known.newest >= 0:
            request["KeyConditionExpression"] += " AND sk >= :from"
            since = max(0, known.newest - ADDRESS_LOOKBACK_MS)
            request["ExpressionAttributeValues"][":from"] = {"S": f"{since:013d}"}
        for item in dynamo.query(self.client, request):
            sk = item["sk"]["S"]
            if sk in known.seen:
                continue
            known.seen.add(sk)
            known.newest = max(known.newest, int(sk.split("#", 1)[0]))
            known.counts.update(
                {ip: int(n) for ip, n in json.loads(gzip.decompress(item["ips"]["B"])).items()}
            )

    def add_ip_counts(self, counts: dict[IpHourKey, int], token: str) -> None:
        """One put per advertiser-hour of the range named by `token`: its clicks per address. The
        sort key leads with the moment of writing, so readers find new ranges incrementally."""
        hours: dict[tuple[str, str], dict[str, int]] = {}
        for key, amount in counts.items():
            row = hours.setdefault((key.advertiser_id, key.hour), {})
            row[key.ip or "-"] = row.get(key.ip or "-", 0) + amount
        written = f"{int(time.time() * 1000):013d}"
        expires = str(int(time.time()) + COUNT_TTL_SECONDS)
        items: list[dict[str, Any]] = [
            {
                "pk": {"S": f"IPB#{advertiser_id}#{hour}"},
                "sk": {"S": f"{written}#{token}"},
                "ips": {"B": gzip.compress(json.dumps(row, separators=(",", ":")).encode(), mtime=0)},
                "expires_at": {"N": expires},
            }
            for (advertiser_id, hour), row in sorted(hours.items())
        ]
        dynamo.batch_put(self.client, self._table, items)

    def _get_many[K](
        self, wanted: dict[tuple[str, str], K], attributes: tuple[str, ...]
    ) -> dict[K, dict[str, Any]]:
        """Items by key in BatchGetItem calls of 100 (eventually consistent), by what asked for them."""
        pending = [_attributes(key) for key in wanted]
        # Placeholders for every attribute read: `until` is a reserved word.
        names = {f"#p{i}": name for i, name in enumerate(("pk", "sk", *attributes))}
        found: dict[K, dict[str, Any]] = {}
        for raw in dynamo.batch_get(
            self.client,
            self._table,
            pending,
            ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names,
        ):
            item = dynamo.decode(raw)
            found[wanted[(item["pk"], item["sk"])]] = item
        return found

    def save_verdicts(self, verdicts: list[tuple[Click, ClickQuality]], token: str) -> None:
        items: list[dict[str, Any]] = []
        floods: dict[tuple[str, str, str], dict[str, int]] = {}
        expires: dict[tuple[str, str, str], int] = {}
        for click, verdict in verdicts:
            if verdict.bot:
                items.append(
                    dynamo.encode(
                        {
                            "pk": f"CQ#{click.click_id}",
                            "sk": "CQ",
                            "expires_at": click.expires_at,
                            **verdict.as_item(),
                        }
                    )
                )
            elif verdict.flood:
                key = _flood_key(click)
                floods.setdefault(key, {})[click.click_id] = verdict.address_clicks or 0
                expires[key] = max(expires.get(key, 0), click.expires_at)
        for key, clicks in sorted(floods.items()):
            items.append(
                dynamo.encode(
                    {"pk": "#".join(("CQF", *key)), "sk": token, "clicks": clicks, "expires_at": expires[key]}
                )
            )
        dynamo.batch_put(self.client, self._table, items)

    def verdict(self, click: Click) -> ClickQuality | None:
        response = self.client.get_item(
            TableName=self._table, Key={"pk": {"S": f"CQ#{click.click_id}"}, "sk": {"S": "CQ"}}
        )
        item = response.get("Item")
        if item:
            return ClickQuality.from_item(dynamo.decode(item))
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": "#".join(("CQF", *_flood_key(click)))}},
        }
        for found in map(dynamo.decode, dynamo.query(self.client, request)):
            clicks = found.get("clicks") or {}
            if click.click_id in clicks:
                return ClickQuality(
                    unique=None,
                    flood=True,
                    bot=False,
                    datacenter=None,
                    address_clicks=int(clicks[click.click_id]),
                )
        return None

    def visit_window(self, visitor: VisitorKey) -> VisitWindow | None:
        response = self.client.get_item(TableName=self._table, Key=_attributes(_window_key(visitor)))
        if "Item" not in response:
            return None
        item = dynamo.decode(response["Item"])
        return VisitWindow(str(item["click_id"]), int(item.get("until", 0)))
