"""Inspecting one click: who may, what each viewer sees of it, and how its quality reads while the
orchestrator has not judged it yet (stats.inspection, on fakes)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, NotFound
from partnerka.conversions.models import Conversion
from partnerka.operations.models import DeliveryRequest, OperationStatus
from partnerka.postbacks.models import Delivery
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.stats.inspection import QUALITY_SETTLE, ClickInspector, quality_of
from partnerka.stats.quality import ClickQuality
from partnerka.tracking.models import Click
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeClicks,
    FakeConversionLog,
    FakeNames,
    FakeOperationsLog,
    stored_conversion,
)

RIVAL = "01JAD0000000000000000000BB"
CLICKED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CLICK = Click(
    click_id="5d0c7f4e-0000-4000-8000-000000000001",
    offer_id=OFFER,
    affiliate_id=AFFILIATE,
    advertiser_id=ADVERTISER,
    ip="95.24.1.1",
    country="DE",
    user_agent=FIREFOX,
    created_at=CLICKED,
    expires_at=2_000_000_000,
    subs={"sub1": "blog"},
)
ADVERTISER_USER = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER)
AFFILIATE_USER = Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE)
SUPPORT = Principal("u-support", Role.SUPPORT)


def conversion(conversion_id: str, advertiser: str = ADVERTISER) -> Conversion:
    return stored_conversion(
        conversion_id=conversion_id,
        dedupe_key=f"key-{conversion_id}",
        click_id=CLICK.click_id,
        advertiser_id=advertiser,
        created_at=CLICKED + timedelta(minutes=5),
    )


def delivery(delivery_id: str, minutes: int, advertiser: str = ADVERTISER) -> Delivery:
    at = CLICKED + timedelta(minutes=minutes)
    event = delivery_id.rsplit(".", 1)[-1]
    request = DeliveryRequest(event, "GET", "https://t.example/pb", "get", click_id=CLICK.click_id)
    return Delivery(delivery_id, OperationStatus.SUCCESS, request, at, at, advertiser, AFFILIATE)


@dataclass(frozen=True)
class OneAdvertiser:
    """A delivery rule for the tests: staff see none, everyone else its advertiser's."""

    advertiser_id: str

    def admits(self, delivery: Delivery) -> bool:
        return delivery.advertiser_id == self.advertiser_id


def delivery_rule(principal: Principal, advertiser_id: str | None) -> OneAdvertiser:
    if principal.advertiser_id is None:
        raise Forbidden("you may not do this")
    return OneAdvertiser(principal.advertiser_id)


def inspector(verdicts: dict[str, ClickQuality] | None = None, click: Click = CLICK) -> ClickInspector:
    clicks, conversions = FakeClicks(), FakeConversionLog()
    deliveries = DeliveryRepository(FakeOperationsLog())
    clicks.put(click)
    # The click's conversion, and one of another advertiser's that names the same click id
    conversions.insert(conversion("conv-1"))
    conversions.insert(conversion("conv-forged", advertiser=RIVAL))
    for sent in (
        delivery("conv-1.sale", minutes=6),
        delivery(f"{click.click_id}.click", minutes=1),
        delivery("conv-forged.sale", minutes=7, advertiser=RIVAL),
        delivery("unrelated.click", minutes=0),
    ):
        deliveries.create(sent)
    names = FakeNames(offers={ADVERTISER: {OFFER: "Shoes"}}, affiliates={AFFILIATE: "Blogger"})
    found = verdicts or {}
    return ClickInspector(
        clicks, conversions, deliveries, names, lambda c: found.get(c.click_id), delivery_rule
    )


def test_a_click_of_another_tenant_or_affiliate_reads_as_missing() -> None:
    clicks = inspector()
    later = CLICKED + timedelta(hours=1)
    for stranger in (
        Principal("u-rival", Role.ADVERTISER, advertiser_id=RIVAL),
        Principal(
            "u-other", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id="01JAFF0000000000000000000B"
        ),
        Principal("u-lost", Role.AFFILIATE, affiliate_id=AFFILIATE),  # no advertiser selected
    ):
        with pytest.raises(NotFound, match="no such click"):
            clicks.inspect(stranger, CLICK.click_id, later)
    with pytest.raises(NotFound, match="no such click"):
        clicks.inspect(ADVERTISER_USER, "no-such-click", later)


def test_the_advertiser_sees_the_click_named_with_its_conversions_revenue_and_deliveries_oldest_first() -> (
    None
):
    found = inspector().inspect(ADVERTISER_USER, CLICK.click_id, CLICKED + timedelta(hours=1))
    assert (found.offer_name, found.affiliate_name) == ("Shoes", "Blogger")
    assert (found.agent.device, found.agent.browser) == ("desktop", "Firefox")
    # Only the conversions and deliveries of the click's own advertiser
    assert [c.conversion_id for c in found.conversions.items] == ["conv-1"]
    assert found.conversions.sees_revenue
    assert [d.delivery_id for d in found.deliveries] == [f"{CLICK.click_id}.click", "conv-1.sale"]


def test_the_affiliate_sees_its_click_and_conversions_without_the_advertisers_revenue() -> None:
    found = inspector().inspect(AFFILIATE_USER, CLICK.click_id, CLICKED + timedelta(hours=1))
    assert [c.conversion_id for c in found.conversions.items] == ["conv-1"]
    assert not found.conversions.sees_revenue
    assert len(found.deliveries) == 2


def test_a_viewer_the_delivery_rule_refuses_sees_the_click_without_deliveries() -> None:
    found = inspector().inspect(SUPPORT, CLICK.click_id, CLICKED + timedelta(hours=1))
    assert (found.deliveries, found.conversions.sees_revenue) == ([], True)


def test_a_link_that_named_no_affiliate_shows_the_id_as_it_is() -> None:
    anonymous = replace(CLICK, affiliate_id="-")
    owner = Principal("u-owner", Role.OWNER)
    found = inspector(click=anonymous).inspect(owner, CLICK.click_id, CLICKED + timedelta(hours=1))
    assert found.affiliate_name == "-"


def test_a_landed_click_reads_pending_until_the_orchestrator_could_have_judged_it_then_clean() -> None:
    assert quality_of(CLICK, None, CLICKED + QUALITY_SETTLE - timedelta(seconds=1)).status == "pending"
    settled = quality_of(CLICK, None, CLICKED + QUALITY_SETTLE)
    assert (settled.status, settled.unique, settled.flood, settled.bot, settled.datacenter) == (
        "clean",
        None,
        False,
        False,
        None,
    )
    # A refused click is never judged: it is not pending, even at once
    assert quality_of(replace(CLICK, reason="geo_blocked"), None, CLICKED).status == "clean"


def test_a_verdict_shows_what_the_orchestrator_found() -> None:
    repeated = ClickQuality(unique=False, flood=False, bot=False, datacenter="Amazon AWS")
    found = inspector({CLICK.click_id: repeated}).inspect(AFFILIATE_USER, CLICK.click_id, CLICKED)
    q = found.quality
    assert (q.status, q.unique, q.flood, q.bot, q.datacenter) == (
        "flagged",
        False,
        False,
        False,
        "Amazon AWS",
    )
    first = ClickQuality(unique=True, flood=False, bot=False, datacenter=None)
    assert quality_of(CLICK, first, CLICKED).status == "clean"
