"""Plan limits on fakes: the gate refuses at a plan's limit naming the limit, what is in use, what the
plan allows and the lowest plan that allows more; the offers, workspace, domain and brand services ask
it before they add what a plan limits, and what they count is what frees a slot (a paused offer, a
rejected affiliate, a blocked teammate, a domain being removed, a brand's look taken away)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.models import MembershipStatus, Role, UserStatus
from partnerka.accounts.service import AccountService
from partnerka.accounts.tokens import Principal
from partnerka.accounts.workspace import Workspace
from partnerka.audit.service import Actor, AuditLog
from partnerka.billing.limits import UNLIMITED, PlanGate, PlanLimitExceeded, change_refused, excess_of
from partnerka.billing.models import Limit
from partnerka.branding.models import AssetKind, BrandDraft
from partnerka.branding.service import BrandService
from partnerka.common.errors import HTTP_STATUS, ErrorCode, error_envelope
from partnerka.domains.models import DomainKind, DomainStatus
from partnerka.domains.service import DomainService, DomainSettings
from partnerka.offers.routing import OfferStatus
from partnerka.offers.service import GoalInput, OfferDraft, OfferService
from tests.unit.fakes import (
    BUSINESS,
    PRO,
    STARTER,
    FakeAccounts,
    FakeAudit,
    FakeAuditStore,
    FakeBrandFiles,
    FakeBrands,
    FakeClock,
    FakeDns,
    FakeDomains,
    FakeEntitlements,
    FakeKnownDevices,
    FakeNotices,
    FakeNotifications,
    FakeOffers,
    FakeOperations,
    FakePortalHosts,
    FakeSessions,
)

ACME = "adv-acme"
BOSS = Actor(user_id="u-boss", email="boss@acme.example", request_id="req-1", ip="203.0.113.7")
OWNER = Principal(user_id="u-owner", role=Role.OWNER)
DRAFT = OfferDraft(
    name="Sneakers",
    model="CPA",
    currency="USD",
    goals=[GoalInput("sale", "Sale", "fixed", "12.50", "fixed", "20.00")],
    landings=[("https://shop.example/land?cid={click_id}", 1)],
)


def refusal(error: pytest.ExceptionInfo[PlanLimitExceeded]) -> tuple[str, int, int, str, str | None]:
    found = error.value.details()
    return found["limit"], found["usage"], found["allowed"], found["plan"], found["upgrade_to"]


def never_counted() -> int:
    raise AssertionError("a plan without this limit has nothing to count")


# ---------------------------------------------------------------------- the gate
def test_the_gate_refuses_at_the_limit_naming_it_what_is_used_and_the_plan_that_lifts_it() -> None:
    gate = PlanGate(FakeEntitlements())
    # Given a Starter advertiser (5 active offers): with 4 running, a fifth is allowed
    gate.ensure(ACME, Limit.ACTIVE_OFFERS, lambda: 4)
    # When it has 5 and asks for one more: refused, in plain words, as a 403 plan_limit
    with pytest.raises(PlanLimitExceeded) as refused:
        gate.ensure(ACME, Limit.ACTIVE_OFFERS, lambda: 5)
    assert refusal(refused) == ("active_offers", 5, 5, "starter", "pro")
    assert refused.value.message == (
        "Your plan Starter allows 5 active offers and 5 are active: upgrade to the pro plan or pause an offer."
    )
    assert (refused.value.code, HTTP_STATUS[refused.value.code]) == (ErrorCode.PLAN_LIMIT, 403)


def test_the_plan_that_lifts_a_limit_is_the_lowest_that_allows_everything_asked_for() -> None:
    source = FakeEntitlements()
    gate = PlanGate(source)
    # Starter allows 50 affiliates; approving 460 more at once needs Business, not Pro (500)
    with pytest.raises(PlanLimitExceeded) as refused:
        gate.ensure(ACME, Limit.APPROVED_AFFILIATES, lambda: 50, adding=460)
    assert refusal(refused) == ("approved_affiliates", 50, 50, "starter", "business")
    # on Business at its 5,000, only Enterprise (no public price, no limit) lifts it
    source.subscribe(ACME, BUSINESS.code)
    with pytest.raises(PlanLimitExceeded) as refused:
        gate.ensure(ACME, Limit.APPROVED_AFFILIATES, lambda: 5000)
    assert refusal(refused) == ("approved_affiliates", 5000, 5000, "business", "enterprise")


def test_no_plan_counts_what_it_does_not_limit() -> None:
    source = FakeEntitlements()
    source.subscribe(ACME, "enterprise")
    for limit in (Limit.ACTIVE_OFFERS, Limit.TEAM_SEATS, Limit.CUSTOM_DOMAINS):
        PlanGate(source).ensure(ACME, limit, never_counted)
        UNLIMITED.ensure(ACME, limit, never_counted, adding=1000)
    UNLIMITED.ensure_white_label(ACME)


def test_a_refusal_no_public_plan_lifts_says_what_is_left_to_do() -> None:
    gate = PlanGate(FakeEntitlements(plans=(STARTER,)))
    with pytest.raises(PlanLimitExceeded) as offers:
        gate.ensure(ACME, Limit.ACTIVE_OFFERS, lambda: 5)
    assert offers.value.upgrade_to is None
    assert offers.value.message.endswith(": pause an offer.")
    with pytest.raises(PlanLimitExceeded) as seats:
        gate.ensure(ACME, Limit.TEAM_SEATS, lambda: 2)
    assert seats.value.message == (
        "Your plan Starter allows 2 team seats and 2 are taken, invitations included:"
        " contact us for terms of your own."
    )


@pytest.mark.parametrize(
    ("plan_code", "limit", "usage", "message"),
    [
        (
            "starter",
            Limit.CUSTOM_DOMAINS,
            0,
            "Your plan Starter includes no custom domains: upgrade to the pro plan.",
        ),
        (
            "pro",
            Limit.CUSTOM_DOMAINS,
            1,
            "Your plan Pro allows 1 custom domain and 1 is added: upgrade to the business plan or"
            " remove a domain.",
        ),
        (
            "starter",
            Limit.APPROVED_AFFILIATES,
            50,
            "Your plan Starter allows 50 approved affiliates and 50 are approved: upgrade to the pro"
            " plan or block an affiliate you no longer work with.",
        ),
        (
            "starter",
            Limit.WHITE_LABEL,
            0,
            "Your plan Starter does not include white-label (your own portal name, colours, images and"
            " e-mail sender, and a portal domain): upgrade to the pro plan.",
        ),
    ],
)
def test_each_refusal_says_in_plain_words_what_the_plan_allows_and_what_to_do(
    plan_code: str, limit: Limit, usage: int, message: str
) -> None:
    source = FakeEntitlements()
    source.subscribe(ACME, plan_code)
    with pytest.raises(PlanLimitExceeded) as refused:
        PlanGate(source).ensure(ACME, limit, lambda: usage)
    assert refused.value.message == message


def test_white_label_is_refused_by_a_plan_without_it_and_passes_with_one() -> None:
    source = FakeEntitlements()
    with pytest.raises(PlanLimitExceeded) as refused:
        PlanGate(source).ensure_white_label(ACME)
    assert refusal(refused) == ("white_label", 0, 0, "starter", "pro")
    source.subscribe(ACME, PRO.code)
    PlanGate(source).ensure_white_label(ACME)


def test_clicks_are_metered_never_refused_by_the_gate() -> None:
    with pytest.raises(ValueError, match="never refused"):
        PlanGate(FakeEntitlements()).ensure(ACME, Limit.CLICKS_PER_MONTH, lambda: 10**9)


def test_a_change_to_a_lower_plan_is_refused_with_every_excess_and_the_envelope_carries_them() -> None:
    # Given what a Pro advertiser uses: 7 active offers, 40 affiliates, 1 domain, white-label
    usage = {
        Limit.CLICKS_PER_MONTH: 900_000,
        Limit.ACTIVE_OFFERS: 7,
        Limit.APPROVED_AFFILIATES: 40,
        Limit.TEAM_SEATS: 2,
        Limit.CUSTOM_DOMAINS: 1,
        Limit.WHITE_LABEL: 1,
    }
    # When it asks for Starter: clicks are not an excess (they are metered), the others over it are
    excess = excess_of(STARTER.limits, usage)
    assert [(e.limit, e.usage, e.allowed) for e in excess] == [
        (Limit.ACTIVE_OFFERS, 7, 5),
        (Limit.CUSTOM_DOMAINS, 1, 0),
        (Limit.WHITE_LABEL, 1, 0),
    ]
    refused = change_refused(STARTER, excess)
    assert refused.message == (
        "The plan Starter allows less than you use now: 7 active offers where it allows 5;"
        " 1 custom domain where it allows 0; white-label is in use. Reduce these first."
    )
    assert error_envelope(refused.code, "Тариф не позволяет.", refused.message, refused.details()) == {
        "error": {
            "code": "plan_limit",
            "message": "Тариф не позволяет.",
            "detail": refused.message,
            "limit": "active_offers",
            "usage": 7,
            "allowed": 5,
            "plan": "starter",
            "upgrade_to": None,
            "excess": [
                {"limit": "active_offers", "usage": 7, "allowed": 5},
                {"limit": "custom_domains", "usage": 1, "allowed": 0},
                {"limit": "white_label", "usage": 1, "allowed": 0},
            ],
        }
    }
    assert excess_of(BUSINESS.limits, usage) == []


def test_errors_of_other_kinds_carry_nothing_besides_their_code_and_message() -> None:
    from partnerka.common.errors import Conflict

    error = Conflict("it exists already")
    assert error.details() == {}
    assert error_envelope(error.code, "x", error.message, error.details()) == {
        "error": {"code": "conflict", "message": "x", "detail": "it exists already"}
    }


# ---------------------------------------------------------------------- offers
@dataclass
class Offers:
    service: OfferService
    offers: FakeOffers
    audit: FakeAudit
    plans: FakeEntitlements
    advertiser_id: str

    def create(self, name: str = "Sneakers") -> str:
        return self.service.create(self.advertiser_id, replace(DRAFT, name=name), BOSS).offer_id

    def set_status(self, offer_id: str, status: OfferStatus) -> None:
        self.service.update(self.advertiser_id, offer_id, {}, status, BOSS)

    def running(self) -> int:
        return sum(1 for o in self.offers.list_offers(self.advertiser_id) if o.status is OfferStatus.ACTIVE)


@pytest.fixture
def shop() -> Offers:
    accounts, offers, audit, plans = FakeAccounts(), FakeOffers(), FakeAudit(), FakeEntitlements()
    advertiser = provisioning.create_advertiser(accounts, "Acme Shoes")
    service = OfferService(offers, accounts, audit, "https://app.partnerka.test", limits=PlanGate(plans))
    return Offers(service, offers, audit, plans, advertiser.id)


def test_a_starter_advertiser_running_five_offers_cannot_create_a_sixth(shop: Offers) -> None:
    for number in range(5):
        shop.create(f"Offer {number}")
    with pytest.raises(PlanLimitExceeded) as refused:
        shop.create("Offer 6")
    assert refusal(refused) == ("active_offers", 5, 5, "starter", "pro")
    # nothing of the refused offer is stored or audited
    assert (len(shop.offers.offers), shop.audit.actions().count("offer.created")) == (5, 5)


def test_pausing_an_offer_frees_its_slot_and_starting_it_again_needs_one(shop: Offers) -> None:
    first, *_ = [shop.create(f"Offer {number}") for number in range(5)]
    # Given one of the five paused: a new offer runs in its place
    shop.set_status(first, OfferStatus.PAUSED)
    shop.create("Offer 6")
    assert shop.running() == 5
    # When the paused one is to run again: refused, and it stays paused
    with pytest.raises(PlanLimitExceeded) as refused:
        shop.set_status(first, OfferStatus.ACTIVE)
    assert refusal(refused) == ("active_offers", 5, 5, "starter", "pro")
    assert shop.offers.get(shop.advertiser_id, first).status is OfferStatus.PAUSED
    # an archived offer does not count either
    running = [
        o.offer_id for o in shop.offers.list_offers(shop.advertiser_id) if o.status is OfferStatus.ACTIVE
    ]
    shop.set_status(running[0], OfferStatus.ARCHIVED)
    shop.create("Offer 7")
    # and at the limit a running offer is changed as freely as ever
    shop.service.update(shop.advertiser_id, running[1], {"name": "Renamed"}, OfferStatus.ACTIVE, BOSS)
    assert shop.offers.get(shop.advertiser_id, running[1]).name == "Renamed"


def test_a_higher_plan_runs_more_offers(shop: Offers) -> None:
    shop.plans.subscribe(shop.advertiser_id, PRO.code)
    for number in range(6):
        shop.create(f"Offer {number}")
    assert shop.running() == 6


# ---------------------------------------------------------------------- affiliates and teammates
@dataclass
class Team:
    workspace: Workspace
    accounts: FakeAccounts
    plans: FakeEntitlements
    advertiser_id: str

    def applicants(self, count: int) -> list[str]:
        """`count` affiliates that applied to the program (pending)."""
        ids = []
        for number in range(count):
            affiliate = provisioning.create_affiliate(self.accounts, f"Partner {number}", f"p{number}@ex.com")
            provisioning.set_membership(
                self.accounts, self.advertiser_id, affiliate.affiliate_id, MembershipStatus.PENDING
            )
            ids.append(affiliate.affiliate_id)
        return ids

    def decide(self, affiliate_id: str, status: MembershipStatus) -> None:
        self.workspace.decide_membership(self.advertiser_id, affiliate_id, status, BOSS)

    def invite(self, email: str) -> str:
        return self.workspace.invite_teammate(self.advertiser_id, email, None, BOSS).user_id


@pytest.fixture
def team() -> Team:
    accounts, plans = FakeAccounts(), FakeEntitlements()
    service = AccountService(
        accounts,
        FakeSessions(),
        AuditLog(FakeAuditStore()),
        FakeNotifications(),
        lambda: "unit-test-signing-key-of-enough-length",
        "https://app.partnerka.test/",
        FakeClock(datetime(2026, 12, 7, 10, 0, tzinfo=UTC)).now,
        notices=FakeNotices(),
        devices=FakeKnownDevices(),
    )
    advertiser = provisioning.create_advertiser(accounts, "Acme Shoes")
    return Team(Workspace(service, limits=PlanGate(plans)), accounts, plans, advertiser.id)


def test_approving_affiliates_stops_at_the_plans_limit_and_the_rejected_do_not_count(team: Team) -> None:
    # Given a Starter program (50 approved affiliates) with 52 applicants
    *fifty, last, rejected = team.applicants(52)
    team.decide(rejected, MembershipStatus.REJECTED)
    for affiliate_id in fifty[:49]:
        team.decide(affiliate_id, MembershipStatus.ACTIVE)
    # the 50th is approved: the rejected and the pending ones took no slot
    team.decide(fifty[49], MembershipStatus.ACTIVE)
    # When the 51st is to be approved: refused, and it stays pending
    with pytest.raises(PlanLimitExceeded) as refused:
        team.decide(last, MembershipStatus.ACTIVE)
    assert refusal(refused) == ("approved_affiliates", 50, 50, "starter", "pro")
    assert team.accounts.get_membership(team.advertiser_id, last).status is MembershipStatus.PENDING  # type: ignore[union-attr]
    # rejecting, blocking and approving again an approved one are never refused
    team.decide(fifty[0], MembershipStatus.ACTIVE)
    team.decide(last, MembershipStatus.REJECTED)
    # blocking one frees its slot
    team.decide(fifty[1], MembershipStatus.BLOCKED)
    team.decide(last, MembershipStatus.ACTIVE)


def test_seats_count_invitations_and_a_blocked_teammate_frees_one_until_unblocked(team: Team) -> None:
    # Given a Starter advertiser (2 seats): its boss, and one teammate invited (not yet joined)
    boss = provisioning.create_verified_user(
        team.workspace.service,
        "boss@acme.example",
        "pw-correct-horse",
        "Boss",
        Role.ADVERTISER,
        team.advertiser_id,
    )
    invited = team.invite("first@acme.example")
    # When a third is invited: refused, and no account is made
    with pytest.raises(PlanLimitExceeded) as refused:
        team.invite("second@acme.example")
    assert refusal(refused) == ("team_seats", 2, 2, "starter", "pro")
    assert team.accounts.find_user_by_email("second@acme.example") is None
    # staff inviting for the advertiser is held to the same seats
    with pytest.raises(PlanLimitExceeded):
        team.workspace.invite_user(OWNER, "third@acme.example", Role.ADVERTISER, team.advertiser_id, BOSS)
    # Given the invited one blocked by staff: its seat is free again
    team.workspace.update_user(OWNER, invited, None, UserStatus.BLOCKED, BOSS)
    team.invite("second@acme.example")
    # and unblocking it would take a third seat
    with pytest.raises(PlanLimitExceeded):
        team.workspace.update_user(OWNER, invited, None, UserStatus.ACTIVE, BOSS)
    assert team.accounts.get_user(invited).status is UserStatus.BLOCKED
    assert team.accounts.get_user(boss.user_id).status is UserStatus.ACTIVE


# ---------------------------------------------------------------------- custom domains
@dataclass
class Domains:
    service: DomainService
    store: FakeDomains
    plans: FakeEntitlements

    def add(self, name: str, kind: DomainKind = DomainKind.TRACKING) -> str:
        return self.service.add(ACME, name, kind, BOSS).domain_id


@pytest.fixture
def domains() -> Domains:
    store, plans = FakeDomains(), FakeEntitlements()
    service = DomainService(
        store,
        FakeDns(),
        None,
        FakeAudit(),
        FakeOperations(),
        DomainSettings(platform_domains=("app.platform.example",), cname_target="edge.example.net"),
        limits=PlanGate(plans),
    )
    return Domains(service, store, plans)


def test_a_plan_without_custom_domains_refuses_the_first(domains: Domains) -> None:
    with pytest.raises(PlanLimitExceeded) as refused:
        domains.add("go.acme.example")
    assert refusal(refused) == ("custom_domains", 0, 0, "starter", "pro")
    assert domains.store.domains == {}


def test_a_domain_being_removed_frees_its_slot(domains: Domains) -> None:
    # Given a Pro advertiser (1 custom domain) that holds one
    domains.plans.subscribe(ACME, PRO.code)
    first = domains.add("go.acme.example")
    with pytest.raises(PlanLimitExceeded) as refused:
        domains.add("track.acme.example")
    assert refusal(refused) == ("custom_domains", 1, 1, "pro", "business")
    # When the first is being taken down at the edge (removing): another may be added
    held = domains.store.get(ACME, first)
    domains.store.domains[(ACME, first)] = replace(held, status=DomainStatus.REMOVING)
    domains.add("track.acme.example")


def test_a_portal_domain_needs_white_label_whatever_room_the_plan_has(domains: Domains) -> None:
    # Given custom terms with three domains but no white-label
    domains.plans.subscribe(ACME, BUSINESS.code)
    domains.plans.set_terms(ACME, replace(BUSINESS.limits, custom_domains=3, white_label=False))
    with pytest.raises(PlanLimitExceeded) as refused:
        domains.add("partners.acme.example", DomainKind.PORTAL)
    assert refusal(refused) == ("white_label", 0, 0, "business", "pro")
    domains.add("go.acme.example", DomainKind.TRACKING)


# ---------------------------------------------------------------------- white-label
@dataclass
class Brands:
    service: BrandService
    brands: FakeBrands
    files: FakeBrandFiles
    plans: FakeEntitlements
    advertiser_id: str


@pytest.fixture
def brands() -> Brands:
    accounts, brands, files, plans = FakeAccounts(), FakeBrands(), FakeBrandFiles(), FakeEntitlements()
    advertiser = provisioning.create_advertiser(accounts, "Acme Shoes")
    service = BrandService(
        brands, FakePortalHosts(), accounts, files, FakeAudit(), "Partnerka", limits=PlanGate(plans)
    )
    return Brands(service, brands, files, plans, advertiser.id)


PROGRAM_INFO = BrandDraft(
    portal_name="Acme Shoes",
    support_email="partners@acme.example",
    terms_url="https://acme.example/terms",
    privacy_url="https://acme.example/privacy",
)


@pytest.mark.parametrize(
    "look",
    [
        {"portal_name": "Acme Partners"},
        {"primary_color": "#0b5fff", "primary_text_color": "#ffffff"},
        {"accent_color": "#ffcc00", "accent_text_color": "#000000"},
        {"sender_name": "Acme Partner Team"},
    ],
)
def test_a_plan_without_white_label_keeps_the_program_information_but_not_an_own_look(
    brands: Brands, look: dict[str, str]
) -> None:
    # A Starter advertiser saves its support address and legal links under its own name
    saved = brands.service.save(brands.advertiser_id, PROGRAM_INFO, BOSS)
    assert (saved.support_email, saved.updated_at is not None) == ("partners@acme.example", True)
    # but not a look of its own
    with pytest.raises(PlanLimitExceeded) as refused:
        brands.service.save(brands.advertiser_id, replace(PROGRAM_INFO, **look), BOSS)
    assert refusal(refused) == ("white_label", 0, 0, "starter", "pro")
    assert brands.brands.get(brands.advertiser_id) == saved


def test_images_need_white_label_from_the_upload_to_the_attaching(brands: Brands) -> None:
    # A Starter advertiser is refused the upload form
    with pytest.raises(PlanLimitExceeded):
        brands.service.start_upload(brands.advertiser_id, AssetKind.LOGO_LIGHT, "image/png", 1000, BOSS)
    assert brands.files.forms == []
    # Given one uploaded on Pro, and the plan changed to Starter before it was attached
    brands.plans.subscribe(brands.advertiser_id, PRO.code)
    form = brands.service.start_upload(brands.advertiser_id, AssetKind.LOGO_LIGHT, "image/png", 1000, BOSS)
    brands.files.post(form, b"\x89PNG not looked at")
    brands.plans.subscribe(brands.advertiser_id, STARTER.code)
    # When it is attached: refused, nothing published
    with pytest.raises(PlanLimitExceeded):
        brands.service.attach(brands.advertiser_id, AssetKind.LOGO_LIGHT, form.key, BOSS)
    assert (brands.files.published, brands.brands.get(brands.advertiser_id)) == ({}, None)
    # removing an image is never refused
    brands.service.remove_asset(brands.advertiser_id, AssetKind.LOGO_LIGHT, BOSS)


def test_an_own_look_kept_after_the_plan_lost_white_label_can_be_taken_away_but_not_changed(
    brands: Brands,
) -> None:
    # Given a brand saved on Pro with its own name and colours, and an advertiser now on Starter
    brands.plans.subscribe(brands.advertiser_id, PRO.code)
    own = replace(
        PROGRAM_INFO, portal_name="Acme Partners", primary_color="#0b5fff", primary_text_color="#fff"
    )
    brands.service.save(brands.advertiser_id, own, BOSS)
    brands.plans.subscribe(brands.advertiser_id, STARTER.code)
    # When it changes a colour: refused
    with pytest.raises(PlanLimitExceeded):
        brands.service.save(brands.advertiser_id, replace(own, primary_color="#000000"), BOSS)
    # saving it as it is, or taking the colours away, is not
    brands.service.save(brands.advertiser_id, replace(own, terms_url=None), BOSS)
    plain = brands.service.save(
        brands.advertiser_id, replace(own, primary_color=None, primary_text_color=None), BOSS
    )
    assert (plain.portal_name, plain.primary_color) == ("Acme Partners", None)
    # and with the name back to the advertiser's own, nothing of white-label is left
    back = brands.service.save(
        brands.advertiser_id,
        replace(own, portal_name="Acme Shoes", primary_color=None, primary_text_color=None),
        BOSS,
    )
    assert back.own_look("Acme Shoes") == {}


def test_a_plan_with_white_label_saves_every_look(brands: Brands) -> None:
    brands.plans.subscribe(brands.advertiser_id, PRO.code)
    look = replace(
        PROGRAM_INFO,
        portal_name="Acme Partners",
        sender_name="Acme Team",
        accent_color="#ffcc00",
        accent_text_color="#000",
    )
    saved = brands.service.save(brands.advertiser_id, look, BOSS)
    assert saved.own_look("Acme Shoes") == {
        "portal_name": "Acme Partners",
        "accent_color": "#ffcc00",
        "accent_text_color": "#000000",
        "sender_name": "Acme Team",
    }
    brands.service.start_upload(brands.advertiser_id, AssetKind.FAVICON, "image/png", 1000, BOSS)
