"""One click's whole story as a user inspects it: what the visitor sent, what the tracker decided,
the orchestrator's quality verdict, the conversions attributed to it, and the postback deliveries
the affiliate was sent about them. Who may inspect a click is the statistics' rule (`may_inspect`); someone else's
click reads as missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from partnerka.accounts.permissions import Permission, allows
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.conversions.models import Conversion
from partnerka.conversions.review import NamedConversions, named
from partnerka.offers.names import NameBook
from partnerka.postbacks.models import Delivery, PostbackEvent, event_id
from partnerka.stats.service import may_inspect
from partnerka.tracking.models import Click

if TYPE_CHECKING:
    from partnerka.tracking.user_agent import UserAgentInfo

# The orchestrator judges a click within seconds; a click younger than this with nothing recorded may
# simply not have been judged yet, an older one was judged clean (only suspect clicks keep a verdict).
QUALITY_SETTLE = timedelta(seconds=60)


class StoredClicks(Protocol):
    def get(self, click_id: str) -> Click | None: ...


class ClickConversions(Protocol):
    def of_click(self, click_id: str) -> list[Conversion]:
        """The conversions attributed to the click, oldest first (any advertiser's)."""
        ...


class Deliveries(Protocol):
    def get_many(self, delivery_ids: list[str]) -> list[Delivery]:
        """The deliveries that exist among `delivery_ids`, in no set order."""
        ...


class Verdict(Protocol):
    """The orchestrator's verdict on a click (stats.quality.ClickQuality)."""

    @property
    def unique(self) -> bool | None: ...
    @property
    def flood(self) -> bool: ...
    @property
    def bot(self) -> bool: ...
    @property
    def datacenter(self) -> str | None: ...
    @property
    def asn(self) -> int | None: ...
    @property
    def address_clicks(self) -> int | None: ...
    @property
    def first_click_id(self) -> str | None: ...
    @property
    def flagged(self) -> bool: ...


class DeliveryScope(Protocol):
    def admits(self, delivery: Delivery) -> bool: ...


DeliveryRule = Callable[[Principal, str | None], DeliveryScope]
"""(principal, advertiser named or None) → the deliveries it may see; raises Forbidden or
ValidationFailed for a principal that may see none (the postbacks' rule)."""


@dataclass(frozen=True, slots=True)
class Quality:
    status: Literal["pending", "clean", "flagged"]  # pending: not judged yet
    unique: bool | None
    flood: bool
    bot: bool
    datacenter: str | None
    # What explains the flags, as far as it is known (stats.quality.ClickQuality)
    asn: int | None = None
    address_clicks: int | None = None
    first_click_id: str | None = None


@dataclass(frozen=True, slots=True)
class ClickInspection:
    click: Click
    offer_name: str
    affiliate_name: str
    agent: UserAgentInfo
    quality: Quality
    conversions: NamedConversions
    deliveries: list[Delivery]  # oldest first; empty for a viewer who may not see deliveries


def quality_of(click: Click, verdict: Verdict | None, now: datetime) -> Quality:
    """The verdict as shown: `pending` while a landed click may not have been judged yet, `clean`
    when nothing was found (then or since), else what was found."""
    if verdict is None:
        if not click.reason and now - click.created_at < QUALITY_SETTLE:
            return Quality("pending", None, flood=False, bot=False, datacenter=None)
        return Quality("clean", None, flood=False, bot=False, datacenter=None)
    return Quality(
        "flagged" if verdict.flagged else "clean",
        verdict.unique,
        verdict.flood,
        verdict.bot,
        verdict.datacenter,
        verdict.asn,
        verdict.address_clicks,
        verdict.first_click_id,
    )


class ClickInspector:
    def __init__(
        self,
        clicks: StoredClicks,
        conversions: ClickConversions,
        deliveries: Deliveries,
        names: NameBook,
        verdict: Callable[[Click], Verdict | None],
        delivery_scope: DeliveryRule,
    ) -> None:
        """`verdict(click)`: what the orchestrator recorded about the click, None when nothing is."""
        self._clicks = clicks
        self._conversions = conversions
        self._deliveries = deliveries
        self._names = names
        self._verdict = verdict
        self._delivery_scope = delivery_scope

    def inspect(self, principal: Principal, click_id: str, now: datetime) -> ClickInspection:
        """The click as the principal may see it (revenue only for who sees the advertiser's)."""
        click = self._clicks.get(click_id)
        # Someone else's click reads as missing: existence is not disclosed across tenants.
        if click is None or not may_inspect(principal, click.advertiser_id, click.affiliate_id):
            raise NotFound("no such click")
        conversions = [
            c for c in self._conversions.of_click(click.click_id) if c.advertiser_id == click.advertiser_id
        ]
        shown = named(
            conversions,
            self._names,
            allows(principal, Permission.REVENUE_READ),
            advertisers=[click.advertiser_id],
            affiliates=[click.affiliate_id],
        )
        # Imported here: ua-parser and the crawler lists cost the stats API's cold start some 40 ms
        # of CPU, and inspecting a click is one of its rarer calls.
        from partnerka.tracking.user_agent import describe_user_agent

        return ClickInspection(
            click=click,
            offer_name=shown.offer_names.get(click.offer_id, click.offer_id),
            # "-" (a link that named no affiliate) has no name and shows as it is
            affiliate_name=shown.affiliate_names.get(click.affiliate_id, click.affiliate_id),
            agent=describe_user_agent(click.user_agent),
            quality=quality_of(click, self._verdict(click), now),
            conversions=shown,
            deliveries=self._visible_deliveries(principal, click, conversions),
        )

    def _visible_deliveries(
        self, principal: Principal, click: Click, conversions: list[Conversion]
    ) -> list[Delivery]:
        """Every delivery the affiliate could have been sent about the click: delivery ids are event
        ids, so this is one batch read, no search."""
        try:
            scope = self._delivery_scope(principal, None)
        except (Forbidden, ValidationFailed):
            return []
        ids = [event_id(click.click_id, PostbackEvent.CLICK)] + [
            event_id(c.conversion_id, event)
            for c in conversions
            for event in PostbackEvent
            if event is not PostbackEvent.CLICK
        ]
        found = [d for d in self._deliveries.get_many(ids) if scope.admits(d)]
        return sorted(found, key=lambda d: (d.created_at, d.delivery_id))
