"""Pay-per-click: which clicks an offer's goal `click` pays, at what price, and the counters that hold
what was paid, exactly once.

A click is paid when it reached a landing (no refusal reason: blocked, capped and suspended clicks
never pay), was its visitor's first within the uniqueness window and is not a bot, by the
orchestrator's verdict (stats.quality). It is priced when the orchestrator takes it, from the offer's
route and the affiliate's access (its own price for the goal overrides the offer's), and paid unless
one of the click goal's caps (offers.routing.CapMetric.PAID_CLICKS, CLICK_BUDGET: the offer's, and the
affiliate's own) is reached.

What is paid goes into the statistics' cubes inside the range that takes the click (stats.projection),
so it is counted exactly once however the stream redelivers: the cubes' own `cpc_clicks`,
`cpc_payout_<CUR>` and `payout_<CUR>`, and the counters below. The caps read these counters when a
range begins, and a begun range is only ever finished from its stored plans, never decided again: a
redelivered batch cannot pay twice, and without a cap reached every paid click is counted. (Two shards
paying the same offer at once may each pass a cap's last slot: a cap is exact per shard, and overshot
by at most what other shards pay in one batch.)

Counters, in the Stats table (cube items of the dimension `cpc`, see stats.cube):

    PK `ADV#<advertiser>#cpc`  SK `<yyyy-mm-dd>#<offer>|<affiliate>`   the pair's day, with its hours
                                                                       per currency: the ledger posts
                                                                       these (finance.clicks)
                               SK `<yyyy-mm|all>#<offer>|<affiliate>`  the affiliate's caps
                               SK `<yyyy-mm-dd|yyyy-mm|all>#<offer>`   the offer's caps
    PK `ADV#*#cpc`             SK `<yyyy-mm-dd>#<advertiser>`          advertisers with paid clicks
                                                                       that day (the ledger's list)

Attributes: `cpc_clicks`, `cpc_payout_<CUR>`; the pair's day item also `cpc_clicks_<CUR>@<HH>` and
`cpc_payout_<CUR>@<HH>` (UTC hours).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from partnerka.common.clock import hour_bucket
from partnerka.offers.routing import AccessRoute, Cap, CapMetric, OfferRoute
from partnerka.stats.cube import CubeKey, Facts, cube_increments, hourly, merge_into
from partnerka.stats.cube_store import CubeItem
from partnerka.stats.models import Increments, money_attribute
from partnerka.stats.quality import ClickQuality
from partnerka.tracking.models import Click

CPC = "cpc"
EVERY_ADVERTISER = "*"
PAID_CLICKS = "cpc_clicks"
CPC_PAYOUT = "cpc_payout"
CAP_METRICS = (CapMetric.PAID_CLICKS, CapMetric.CLICK_BUDGET)

Pair = tuple[str, str]  # (offer, affiliate)


class ClickPrices(Protocol):
    def click_routes(self, pairs: Iterable[Pair]) -> dict[Pair, tuple[OfferRoute | None, AccessRoute]]:
        """The offer's route and the affiliate's access for each (offer, affiliate), read together."""
        ...


class CounterLevels(Protocol):
    def levels(self, keys: Sequence[CubeKey]) -> dict[CubeKey, Increments]:
        """The items' figures as they stand (read consistently); an item never written is absent."""
        ...


def pair_value(offer_id: str, affiliate_id: str) -> str:
    return f"{offer_id}|{affiliate_id}"


def pays(click: Click, quality: ClickQuality | None) -> bool:
    """Whether the click is one a CPC offer pays: it reached a landing, is unique and is not a bot."""
    return not click.reason and quality is not None and quality.unique is True and not quality.bot


@dataclass(frozen=True, slots=True)
class _Counter:
    """One cap's counter: its item and the figure the cap limits."""

    key: CubeKey
    attribute: str
    limit: int
    per_click: bool  # counts clicks (else money)


def _utc(click: Click) -> datetime:
    return click.created_at.astimezone(UTC)


def _counters(click: Click, offer: OfferRoute, access: AccessRoute, price_attribute: str) -> list[_Counter]:
    """The counters the click goal's caps (the offer's and the affiliate's own) hold for this click."""
    owners: list[tuple[str, tuple[Cap, ...]]] = [
        (click.offer_id, offer.caps),
        (pair_value(click.offer_id, click.affiliate_id), access.caps),
    ]
    counters = []
    for value, caps in owners:
        for cap in caps:
            if cap.metric in CAP_METRICS:
                per_click = cap.metric is CapMetric.PAID_CLICKS
                counters.append(
                    _Counter(
                        CubeKey(click.advertiser_id, CPC, cap.bucket(_utc(click)), value),
                        PAID_CLICKS if per_click else price_attribute,
                        cap.limit,
                        per_click,
                    )
                )
    return counters


def counted(click: Click, currency: str, price: int) -> dict[CubeKey, Increments]:
    """What one paid click adds to the CPC counters (without the cubes' own figures)."""
    payout = money_attribute(CPC_PAYOUT, currency)
    both = {PAID_CLICKS: 1, payout: price}
    hour = hour_bucket(click.created_at)
    day, month = hour[:10], hour[:7]
    pair = pair_value(click.offer_id, click.affiliate_id)
    adds: dict[CubeKey, Increments] = {
        CubeKey(click.advertiser_id, CPC, day, pair): {
            **both,
            hourly(f"{PAID_CLICKS}_{currency}", hour): 1,
            hourly(payout, hour): price,
        },
        CubeKey(EVERY_ADVERTISER, CPC, day, click.advertiser_id): {PAID_CLICKS: 1},
    }
    for bucket in (month, "all"):
        adds[CubeKey(click.advertiser_id, CPC, bucket, pair)] = dict(both)
    for bucket in (day, month, "all"):
        adds[CubeKey(click.advertiser_id, CPC, bucket, click.offer_id)] = dict(both)
    return adds


def paid_click_increments(currency: str, price: int, clicks: int = 1) -> Increments:
    """What paid clicks add to the reports: counted apart, and into the payout as well."""
    return {
        PAID_CLICKS: clicks,
        money_attribute(CPC_PAYOUT, currency): price,
        money_attribute("payout", currency): price,
    }


@dataclass(frozen=True, slots=True)
class PaidHour:
    """One offer's clicks paid to one affiliate in one UTC hour (`yyyy-mm-ddTHH`), in one currency."""

    offer_id: str
    affiliate_id: str
    hour: str
    currency: str
    clicks: int
    payout: int  # minor units

    @property
    def at(self) -> datetime:
        return datetime.strptime(self.hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)

    def facts(self, advertiser_id: str) -> Facts:
        """Where the hour's paid clicks belong in a report (their other dimensions are not kept)."""
        return Facts(advertiser_id, self.at, self.offer_id, self.affiliate_id, "", "", "", "")

    def increments(self) -> Increments:
        return paid_click_increments(self.currency, self.payout, self.clicks)


def paid_hours(items: Iterable[CubeItem]) -> Iterator[PaidHour]:
    """The paid hours a day's CPC counters hold (the offers' own counters, for caps, are skipped)."""
    for item in items:
        offer_id, separator, affiliate_id = item.value.partition("|")
        if not separator:
            continue
        for name, amount in sorted(item.values.items()):
            base, at, hh = name.partition("@")
            if not at or not base.startswith(f"{CPC_PAYOUT}_") or amount <= 0:
                continue
            currency = base.removeprefix(f"{CPC_PAYOUT}_")
            clicks = item.values.get(f"{PAID_CLICKS}_{currency}@{hh}", 0)
            yield PaidHour(offer_id, affiliate_id, f"{item.day}T{hh}", currency, clicks, amount)


class ClickPayer:
    """Decides which of a range's clicks are paid and what that adds to the cubes (see the module)."""

    def __init__(self, prices: ClickPrices, levels: CounterLevels) -> None:
        self._prices = prices
        self._levels = levels

    def pay(
        self, clicks: Sequence[Click], verdicts: dict[str, ClickQuality], facts_of: dict[str, Facts]
    ) -> dict[CubeKey, Increments]:
        """The increments of the paid clicks among `clicks` (in the order they happened), given the
        caps' counters as they stand: one read of the routes, one of the counters, for the range."""
        candidates = sorted(
            (click for click in clicks if pays(click, verdicts.get(click.click_id))),
            key=lambda click: (click.created_at, click.click_id),
        )
        if not candidates:
            return {}
        routes = self._prices.click_routes({(c.offer_id, c.affiliate_id) for c in candidates})
        priced: list[tuple[Click, OfferRoute, int, list[_Counter]]] = []
        for click in candidates:
            offer, access = routes.get((click.offer_id, click.affiliate_id), (None, None))
            if offer is None or access is None or offer.advertiser_id != click.advertiser_id:
                continue
            price = offer.click_payout(access)
            if price <= 0:
                continue
            attribute = money_attribute(CPC_PAYOUT, offer.currency)
            priced.append((click, offer, price, _counters(click, offer, access, attribute)))
        keys = sorted({counter.key for *_, counters in priced for counter in counters})
        levels = {key: dict(values) for key, values in self._levels.levels(keys).items()} if keys else {}
        adds: dict[CubeKey, Increments] = {}
        for click, offer, price, counters in priced:
            if any(
                levels.get(c.key, {}).get(c.attribute, 0) + (1 if c.per_click else price) > c.limit
                for c in counters
            ):
                continue
            for c in counters:
                row = levels.setdefault(c.key, {})
                row[c.attribute] = row.get(c.attribute, 0) + (1 if c.per_click else price)
            merge_into(adds, counted(click, offer.currency, price))
            merge_into(
                adds, cube_increments(facts_of[click.click_id], paid_click_increments(offer.currency, price))
            )
        return adds
