"""Traffic quality, judged after the redirect: unique clicks, IP floods, datacenter addresses, bots.

The click path only refuses what it can tell in microseconds (a compact bot pattern). Everything that
needs state or big tables runs here, in the orchestrator, as part of the statistics' projection of the
clicks stream (stats.projection), and ends up in two places: counters in the hourly rollups, and what
a user sees when inspecting a click: a verdict item per suspect click (flood, bot, datacenter) and,
for uniqueness, the visitor's window itself.

Costs, in DynamoDB writes (tests/bench/orchestrator_bench.py measures them on skewed traffic):
- uniqueness: the visitors' windows (offer, affiliate, IP and User-Agent) are read in one BatchGetItem
  per 100, then one conditional put per visitor whose window is closed; repeats cost only the read.
- floods: one put per range and advertiser-hour, holding the range's clicks per address (a batch
  aggregate: one write for a hundred addresses, where a counter per address cost one each); read
  back incrementally, each instance keeping the hours it has read (stats.quality_store).
- verdicts: one put per bot's click, one per flooding address and range (its flooding clicks of the
  range together), none for a datacenter address (its network is named again from the ranges when
  the click is read). A repeat visit is not suspect: whether a click was its visitor's first is read
  back from the visitor's window while that lives (a day after it closes).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from partnerka.common.clock import hour_bucket
from partnerka.stats.models import Increments
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.models import Click

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
    # What explains a flag to whoever inspects the click: the hosting network's AS number, the
    # address's clicks to the advertiser in the hour up to this one (a flood), and the visitor's
    # first click (a repeat), when known.
    asn: int | None = None
    address_clicks: int | None = None
    first_click_id: str | None = None

    @property
    def suspect(self) -> bool:
        """Worth a verdict item of its own (uniqueness is kept in the visitor's window)."""
        return self.flood or self.bot or self.datacenter is not None

    @property
    def flagged(self) -> bool:
        return self.unique is False or self.suspect

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
        if self.asn is not None:
            item["asn"] = self.asn
        if self.address_clicks is not None:
            item["address_clicks"] = self.address_clicks
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> ClickQuality:
        return cls(
            unique=item.get("unique"),
            flood=bool(item.get("flood")),
            bot=bool(item.get("bot")),
            datacenter=item.get("datacenter"),
            asn=int(item["asn"]) if "asn" in item else None,
            address_clicks=int(item["address_clicks"]) if "address_clicks" in item else None,
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


@dataclass(frozen=True, slots=True)
class VisitorClaim:
    """A click asking to be its visitor's first within the window starting at `at` (epoch second)."""

    visitor: VisitorKey
    click_id: str
    at: int


class QualityStore(Protocol):
    def claim_visitors(self, claims: list[VisitorClaim], window: int) -> set[VisitorKey]:
        """The visitors whose claim held, each decided atomically: no other click of the visitor holds
        a window still open at the claim's moment (a click that holds it already, after a redelivery,
        holds it again)."""
        ...

    def ip_counts(self, keys: Iterable[IpHourKey]) -> dict[IpHourKey, int]: ...

    def add_ip_counts(self, counts: dict[IpHourKey, int], token: str) -> None:
        """Add the clicks of the range named by `token` to their addresses' hourly counts (called
        once per range, by the call that began it)."""
        ...

    def save_verdicts(self, verdicts: list[tuple[Click, ClickQuality]], token: str) -> None:
        """Keep the verdicts of a range's (`token`'s) suspect clicks as long as the clicks."""
        ...

    def verdict(self, click: Click) -> ClickQuality | None:
        """What `save_verdicts` kept of the click's verdict, None when nothing."""
        ...

    def visit_window(self, visitor: VisitorKey) -> VisitWindow | None:
        """The visitor's window as stored now (None once it expired)."""
        ...


@dataclass(frozen=True, slots=True)
class VisitWindow:
    """The click that holds a visitor's window, and the epoch second the window closes."""

    click_id: str
    until: int

    def first_visit(self, click_id: str, at: int, window: int) -> bool | None:
        """True when `click_id` holds the window, False when another click's open window covered the
        moment `at`, None when that is no longer known (the window was claimed again since)."""
        if self.click_id == click_id:
            return True
        return False if self.until - window <= at < self.until else None


def visitor_key(click: Click) -> VisitorKey:
    digest = hashlib.blake2b(f"{click.ip}\n{click.user_agent}".encode(), digest_size=12)
    return VisitorKey(click.offer_id, click.affiliate_id, digest.hexdigest())


def ip_hour_key(click: Click) -> IpHourKey:
    return IpHourKey(click.advertiser_id, hour_bucket(click.created_at), click.ip)


def _epoch(click: Click) -> int:
    return int(click.created_at.timestamp())


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

    def judge(self, clicks: list[Click]) -> dict[str, ClickQuality]:
        """Verdicts for new clicks, in the order they happened.

        Flood counts are read before and added only after the batch's rollups commit (see
        `commit_counts`), so a retried batch reads the same counts and reaches the same verdicts.
        Clicks of one address handled by two shards at once may cross the threshold a batch late.
        """
        # Only judging classifies User-Agents: the postback function reads recorded verdicts through
        # this module and must not load ua-parser (tests/unit/test_hot_path_imports.py).
        from partnerka.tracking.user_agent import describe_user_agent

        ordered = sorted(clicks, key=lambda click: click.created_at)
        seen = dict(self.store.ip_counts({ip_hour_key(click) for click in ordered}))
        # Only a visitor's earliest click in the batch asks; its later ones are repeats either way.
        visitors = {click.click_id: visitor_key(click) for click in ordered if not click.reason}
        first_of: dict[VisitorKey, Click] = {}
        for click in ordered:
            if click.click_id in visitors:
                first_of.setdefault(visitors[click.click_id], click)
        claims = [VisitorClaim(visitor, click.click_id, _epoch(click)) for visitor, click in first_of.items()]
        held = self.store.claim_visitors(claims, UNIQUE_WINDOW_SECONDS) if claims else set()
        verdicts: dict[str, ClickQuality] = {}
        for click in ordered:
            ip_key = ip_hour_key(click)
            seen[ip_key] = seen.get(ip_key, 0) + 1
            unique: bool | None = None
            visitor = visitors.get(click.click_id)
            if visitor is not None:
                unique = first_of[visitor] is click and visitor in held
            flood = seen[ip_key] > self._flood_threshold
            network = self._datacenters.announcer(click.ip)
            verdicts[click.click_id] = ClickQuality(
                unique=unique,
                flood=flood,
                bot=describe_user_agent(click.user_agent).is_bot,
                datacenter=network.name if network is not None else None,
                asn=network.asn if network is not None else None,
                address_clicks=seen[ip_key] if flood else None,
            )
        return verdicts

    def commit_counts(self, clicks: Iterable[Click], token: str) -> None:
        """Add the clicks of the range `token` to their addresses' hourly counts (once its rollups
        are in)."""
        counts = Counter(ip_hour_key(click) for click in clicks)
        if counts:
            self.store.add_ip_counts(dict(counts), token)

    def save(self, clicks: Iterable[Click], verdicts: dict[str, ClickQuality], token: str) -> None:
        """Keep the verdicts of the range's (`token`'s) flooding and bot clicks for as long as the
        clicks themselves. A datacenter address is not kept: its network is a fixed fact of the
        address, found again from the ranges when the click is read (`recorded_quality`)."""
        kept = [
            (click, verdicts[click.click_id])
            for click in clicks
            if click.click_id in verdicts and (verdicts[click.click_id].flood or verdicts[click.click_id].bot)
        ]
        if kept:
            self.store.save_verdicts(kept, token)


def recorded_quality(
    store: QualityStore, click: Click, datacenters: DatacenterRanges | None = None
) -> ClickQuality | None:
    """What the orchestrator found about a stored click, as far as it is still known; None when
    nothing is recorded: not judged yet, or clean with its window expired. A repeat names its
    visitor's first click while the window that made it a repeat is still stored. A datacenter
    address is named from `datacenters` (the orchestrator keeps no verdict for it)."""
    verdict = store.verdict(click)
    network = datacenters.announcer(click.ip) if datacenters is not None else None
    if network is not None:
        base = verdict or ClickQuality(unique=None, flood=False, bot=False, datacenter=None)
        verdict = replace(base, datacenter=network.name, asn=network.asn)
    unique: bool | None = None
    first_click_id: str | None = None
    if not click.reason:
        unique = verdict.unique if verdict is not None else None
        if unique is not True:
            window = store.visit_window(visitor_key(click))
            seen = (
                window.first_visit(click.click_id, _epoch(click), UNIQUE_WINDOW_SECONDS) if window else None
            )
            if unique is None:
                unique = seen
            if window is not None and unique is False and seen is False:
                first_click_id = window.click_id
    if verdict is None and unique is None:
        return None
    base = verdict or ClickQuality(unique=None, flood=False, bot=False, datacenter=None)
    return replace(base, unique=unique, first_click_id=first_click_id)
