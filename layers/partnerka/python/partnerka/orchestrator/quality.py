"""Traffic quality, judged after the redirect: unique clicks, IP floods, datacenter addresses, bots.

The click path only refuses what it can tell in microseconds (a compact bot pattern). Everything that
needs state or big tables runs here, on the clicks stream, and ends up in two places: counters in the
hourly rollups (statistics), and a verdict item per flagged click (what a user sees when inspecting it).

Costs, in DynamoDB writes (see tests/bench/quality_bench.py for measured figures):
- uniqueness: one conditional put per distinct visitor (offer, affiliate, IP and User-Agent) in a
  batch; a visitor's further clicks in the same batch cost nothing.
- floods: one counter ADD per distinct (advertiser, IP, hour) in a batch, read beforehand in one
  BatchGetItem per 100 addresses (reads cost a tenth of writes).
- verdicts: one put per flagged click only; a click with no verdict item was unique and clean.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from partnerka.common.clock import hour_bucket, parse_iso
from partnerka.stats.models import Increments
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.user_agent import describe_user_agent

UNIQUE_WINDOW_SECONDS = 24 * 3600
# More clicks than this from one address to one advertiser within a clock hour is a flood: no person
# clicks an affiliate link thirty times an hour; scripts and click farms do.
FLOOD_CLICKS_PER_IP_HOUR = 30


@dataclass(frozen=True, slots=True)
class ClickQuality:
    """The orchestrator's verdict on one click."""

    unique: bool | None  # None: a refused click, which never counts as a visit
    flood: bool
    bot: bool
    datacenter: str | None  # the hosting network, when the address belongs to one

    @property
    def flagged(self) -> bool:
        return self.unique is False or self.flood or self.bot or self.datacenter is not None

    def counters(self) -> Increments:
        """What the click adds to the rollups besides `clicks` (only clicks that reached a landing)."""
        flags = {
            "unique": self.unique is True,
            "flood": self.flood,
            "bots": self.bot,
            "datacenter": self.datacenter is not None,
        }
        return {name: 1 for name, on in flags.items() if on}

    def as_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {"flood": self.flood, "bot": self.bot}
        if self.unique is not None:
            item["unique"] = self.unique
        if self.datacenter is not None:
            item["datacenter"] = self.datacenter
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> ClickQuality:
        return cls(
            unique=item.get("unique"),
            flood=bool(item.get("flood")),
            bot=bool(item.get("bot")),
            datacenter=item.get("datacenter"),
        )


CLEAN = ClickQuality(unique=True, flood=False, bot=False, datacenter=None)


@dataclass(frozen=True, slots=True)
class VisitorKey:
    """One visitor of one affiliate's link to one offer: the address and browser, hashed."""

    offer_id: str
    affiliate_id: str
    visitor: str


@dataclass(frozen=True, slots=True)
class IpHourKey:
    advertiser_id: str
    hour: str
    ip: str


class QualityStore(Protocol):
    def claim_visitor(self, key: VisitorKey, click_id: str, at: int, window: int) -> bool:
        """Atomically: True when no other click of this visitor claimed the window ending after `at`
        (or when `click_id` itself holds it, which makes a redelivered click unique again)."""
        ...

    def ip_counts(self, keys: Iterable[IpHourKey]) -> dict[IpHourKey, int]: ...

    def add_ip_counts(self, counts: dict[IpHourKey, int]) -> None: ...

    def save_verdicts(self, verdicts: dict[str, tuple[ClickQuality, int]]) -> None:
        """click id → (verdict, epoch second it expires with the click)."""
        ...

    def verdict(self, click_id: str) -> ClickQuality | None: ...


def visitor_key(image: dict[str, Any]) -> VisitorKey:
    digest = hashlib.blake2b(f"{image.get('ip', '')}\n{image.get('ua', '')}".encode(), digest_size=12)
    return VisitorKey(image["offer_id"], image.get("affiliate_id", "-"), digest.hexdigest())


def ip_hour_key(image: dict[str, Any]) -> IpHourKey:
    return IpHourKey(image["advertiser_id"], hour_bucket(parse_iso(image["created_at"])), image.get("ip", ""))


def _epoch(image: dict[str, Any]) -> int:
    return int(parse_iso(image["created_at"]).timestamp())


class QualityJudge:
    def __init__(
        self,
        store: QualityStore,
        datacenters: DatacenterRanges,
        flood_threshold: int = FLOOD_CLICKS_PER_IP_HOUR,
    ) -> None:
        self.store = store
        self._datacenters = datacenters
        self._flood_threshold = flood_threshold

    def judge(self, clicks: list[dict[str, Any]]) -> dict[str, ClickQuality]:
        """Verdicts for new clicks (stream images), in the order they happened.

        Flood counts are read before and added only after the batch's rollups commit (see
        `commit_counts`), so a retried batch reads the same counts and reaches the same verdicts.
        Clicks of one address handled by two shards at once may cross the threshold a batch late.
        """
        ordered = sorted(clicks, key=lambda image: image["created_at"])
        seen = dict(self.store.ip_counts({ip_hour_key(image) for image in ordered}))
        claimed: dict[VisitorKey, bool] = {}
        verdicts: dict[str, ClickQuality] = {}
        for image in ordered:
            ip_key = ip_hour_key(image)
            seen[ip_key] = seen.get(ip_key, 0) + 1
            unique: bool | None = None
            if not image.get("reason"):
                visitor = visitor_key(image)
                if visitor in claimed:
                    unique = False  # the visitor's earlier click in this batch holds the window
                else:
                    unique = self.store.claim_visitor(
                        visitor, image["click_id"], _epoch(image), UNIQUE_WINDOW_SECONDS
                    )
                    claimed[visitor] = unique
            verdicts[image["click_id"]] = ClickQuality(
                unique=unique,
                flood=seen[ip_key] > self._flood_threshold,
                bot=describe_user_agent(image.get("ua", "")).is_bot,
                datacenter=self._datacenters.network(image.get("ip", "")),
            )
        return verdicts

    def commit_counts(self, clicks: Iterable[dict[str, Any]]) -> None:
        """Add the clicks to their addresses' hourly counts (once their rollups are in)."""
        counts = Counter(ip_hour_key(image) for image in clicks)
        if counts:
            self.store.add_ip_counts(dict(counts))

    def save(self, clicks: Iterable[dict[str, Any]], verdicts: dict[str, ClickQuality]) -> None:
        """Keep the verdicts of flagged clicks for as long as the clicks themselves."""
        flagged = {
            image["click_id"]: (verdicts[image["click_id"]], int(image.get("expires_at", 0)))
            for image in clicks
            if image["click_id"] in verdicts and verdicts[image["click_id"]].flagged
        }
        if flagged:
            self.store.save_verdicts(flagged)
