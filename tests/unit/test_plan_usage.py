"""The usage page's meters on fakes: every limit's usage against the plan, counted by the same
functions the services' checks count with, and the month's clicks read from the advertiser's total
cube in one range read."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.models import MembershipStatus, Role, User, UserStatus
from partnerka.billing.models import Limit
from partnerka.billing.usage import CountedUsage, Meter, UsageReport, month_of, percent_of
from partnerka.branding.models import Brand
from partnerka.common.clock import iso_millis
from partnerka.common.errors import ValidationFailed
from partnerka.domains.models import Domain, DomainKind, DomainStatus
from partnerka.domains.names import parse_domain
from partnerka.offers.routing import OfferStatus
from partnerka.offers.service import create_offer, set_offer_status
from partnerka.stats.cube import TOTAL, CubeKey
from partnerka.stats.cube_store import CubeItem
from partnerka.stats.month_clicks import MonthClicks
from tests.conftest import ROOT
from tests.unit.fakes import (
    PRO,
    FakeAccounts,
    FakeBrands,
    FakeCubes,
    FakeDomains,
    FakeEntitlements,
    FakeOffers,
)

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


class Counts:
    """UsageCounts as given."""

    def __init__(self, counts: dict[Limit, int]) -> None:
        self.counts = counts

    def usage(self, advertiser_id: str) -> dict[Limit, int]:
        return dict(self.counts)


class Clicks:
    """ClicksMeter as given; `asked` lists (advertiser, month)."""

    def __init__(self, clicks: int) -> None:
        self.count = clicks
        self.asked: list[tuple[str, str]] = []

    def clicks(self, advertiser_id: str, month: str) -> int:
        self.asked.append((advertiser_id, month))
        return self.count


def test_the_meters_show_every_limit_against_the_plan_in_the_current_month() -> None:
    plans = FakeEntitlements()
    plans.subscribe("adv-acme", PRO.code)
    counts = {
        Limit.ACTIVE_OFFERS: 20,
        Limit.APPROVED_AFFILIATES: 3,
        Limit.TEAM_SEATS: 5,
        Limit.CUSTOM_DOMAINS: 0,
        Limit.WHITE_LABEL: 1,
    }
    clicks = Clicks(812_345)
    report = UsageReport(plans, Counts(counts), clicks, now=lambda: NOW)

    usage = report.usage("adv-acme")

    assert (usage.month, usage.plan_code, clicks.asked) == ("2026-12", "pro", [("adv-acme", "2026-12")])
    assert usage.meters == (
        Meter(Limit.CLICKS_PER_MONTH, 812_345, 1_000_000, 81),
        Meter(Limit.ACTIVE_OFFERS, 20, 25, 80),
        Meter(Limit.APPROVED_AFFILIATES, 3, 500, 0),
        Meter(Limit.TEAM_SEATS, 5, 5, 100),
        Meter(Limit.CUSTOM_DOMAINS, 0, 1, 0),
        Meter(Limit.WHITE_LABEL, 1, 1, 100),
    )
    # another month's clicks, asked by name
    assert report.usage("adv-acme", "2026-11").month == "2026-11"
    with pytest.raises(ValidationFailed):
        report.usage("adv-acme", "2026-13")


@pytest.mark.parametrize(
    ("usage", "allowed", "percent"),
    [
        (79_999, 100_000, 79),  # 80 % is reached, not nearly reached
        (80_000, 100_000, 80),
        (150_000, 100_000, 150),  # over the limit it goes on
        (7, None, None),  # unlimited
        (0, 0, 0),
        (1, 0, 100),  # a plan that allows none, in use
    ],
)
def test_a_meters_percent(usage: int, allowed: int | None, percent: int | None) -> None:
    assert percent_of(usage, allowed) == percent


def test_the_month_of_an_instant_is_its_utc_month() -> None:
    assert month_of(datetime(2027, 1, 1, 0, 0, tzinfo=UTC)) == "2027-01"


# ---------------------------------------------------------------------- the month's clicks
class RangeReads(FakeCubes):
    """FakeCubes that lists the range reads made: (advertiser, dimension, first day, last day)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[str, str, str, str, tuple[str, ...]]] = []

    def days(
        self,
        advertiser_id: str,
        dimension: str,
        first_day: str,
        last_day: str,
        attributes: Sequence[str] = (),
    ) -> Iterator[CubeItem]:
        self.reads.append((advertiser_id, dimension, first_day, last_day, tuple(attributes)))
        return super().days(advertiser_id, dimension, first_day, last_day, attributes)


def test_the_months_clicks_are_its_days_in_the_advertisers_total_cube_read_at_once() -> None:
    cubes = RangeReads()
    figures = {
        ("adv-acme", TOTAL, "2026-01-31"): 1000,  # the month before
        ("adv-acme", TOTAL, "2026-02-01"): 5,
        ("adv-acme", TOTAL, "2026-02-28"): 7,
        ("adv-acme", TOTAL, "2026-03-01"): 2000,  # the month after
        ("adv-acme", "offer", "2026-02-10"): 300,  # the same clicks again, by offer
        ("adv-other", TOTAL, "2026-02-10"): 400,
    }
    for (advertiser_id, dimension, day), clicks in figures.items():
        value = "-" if dimension == TOTAL else "offer-1"
        key = CubeKey(advertiser_id, dimension, day, value)
        cubes.rows[key] = {"clicks": clicks, "clicks@05": clicks, "blocked": 9, "sales": 1}

    assert MonthClicks(cubes).clicks("adv-acme", "2026-02") == 12
    assert cubes.reads == [("adv-acme", TOTAL, "2026-02-01", "2026-02-28", ("clicks",))]
    assert MonthClicks(cubes).clicks("adv-acme", "2028-02") == 0
    assert cubes.reads[-1][2:4] == ("2028-02-01", "2028-02-29")  # a leap year's February


# ---------------------------------------------------------------------- the counts
@pytest.fixture
def api_on_path() -> Iterator[None]:
    sys.path.insert(0, str(ROOT / "functions" / "api"))
    yield
    sys.path.remove(str(ROOT / "functions" / "api"))


def domain(advertiser_id: str, name: str, kind: DomainKind, status: DomainStatus) -> Domain:
    return Domain(
        domain_id=f"dom-{name}",
        advertiser_id=advertiser_id,
        name=parse_domain(name, ()),
        kind=kind,
        status=status,
        token="t",
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.usefixtures("api_on_path")
def test_the_counts_are_what_the_services_checks_count() -> None:
    from composition.billing import counted_usage

    accounts, offers, domains, brands = FakeAccounts(), FakeOffers(), FakeDomains(), FakeBrands()
    acme = provisioning.create_advertiser(accounts, "Acme Shoes").id
    other = provisioning.create_advertiser(accounts, "Globex").id
    # offers: two running, one paused, one archived; another advertiser's running
    running = [
        create_offer(offers, acme, f"O{n}", "CPA", "https://shop.example/", "1", "2", "USD") for n in range(4)
    ]
    set_offer_status(offers, acme, running[2].offer_id, OfferStatus.PAUSED)
    set_offer_status(offers, acme, running[3].offer_id, OfferStatus.ARCHIVED)
    create_offer(offers, other, "Theirs", "CPA", "https://shop.example/", "1", "2", "USD")
    # affiliates: one of each status
    for number, decided in enumerate(MembershipStatus):
        affiliate = provisioning.create_affiliate(accounts, f"P{number}", f"p{number}@example.com")
        provisioning.set_membership(accounts, acme, affiliate.affiliate_id, decided)
    # people: active, invited, blocked
    for email, status in (
        ("a@acme.ex", UserStatus.ACTIVE),
        ("b@acme.ex", UserStatus.INVITED),
        ("c@acme.ex", UserStatus.BLOCKED),
    ):
        person = User(email, email, "N", Role.ADVERTISER, iso_millis(NOW), status, advertiser_id=acme)
        accounts.add_user(person)
    # domains: a tracking domain pending, one being removed
    domains.add(domain(acme, "go.acme.example", DomainKind.TRACKING, DomainStatus.PENDING_DNS))
    domains.add(domain(acme, "old.acme.example", DomainKind.TRACKING, DomainStatus.REMOVING))
    counts = counted_usage(offers, accounts, domains, brands)

    # a brand with the program's information only: no white-label
    brands.save_form(Brand(acme, "Acme Shoes", support_email="p@acme.example", updated_at=iso_millis(NOW)))
    assert counts.usage(acme) == {
        Limit.ACTIVE_OFFERS: 2,
        Limit.APPROVED_AFFILIATES: 1,
        Limit.TEAM_SEATS: 2,
        Limit.CUSTOM_DOMAINS: 1,
        Limit.WHITE_LABEL: 0,
    }
    # a colour is white-label; so is a portal domain, without any brand
    brands.save_form(
        Brand(acme, "Acme Shoes", primary_color="#000000", primary_text_color="#ffffff", updated_at="x")
    )
    assert counts.usage(acme)[Limit.WHITE_LABEL] == 1
    domains.add(domain(other, "partners.globex.example", DomainKind.PORTAL, DomainStatus.ACTIVE))
    assert counts.usage(other)[Limit.WHITE_LABEL] == 1
    assert counts.usage(other)[Limit.ACTIVE_OFFERS] == 1


def test_counted_usage_counts_each_limit_it_has_a_counter_for() -> None:
    asked: list[str] = []

    def seats(advertiser_id: str) -> int:
        asked.append(advertiser_id)
        return 3

    counts = CountedUsage({Limit.TEAM_SEATS: seats})
    assert (counts.usage("adv-acme"), asked) == ({Limit.TEAM_SEATS: 3}, ["adv-acme"])
