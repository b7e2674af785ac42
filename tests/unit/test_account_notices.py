"""What the accounts tell people: a sign-in from a device the user never signed in from, 2FA turned off,
an application to an advertiser and its decision; and none of it ever fails the action that caused it."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.devices import MAX_DEVICES, device_of
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.accounts.service import MfaChallenge, Session
from partnerka.audit.service import Actor
from partnerka.common.clock import iso_millis
from partnerka.notifications.events import Audience, EventType, QueuedNotices
from partnerka.notifications.outbox import Outbox
from tests.unit.fakes import FakeOperations, FakeQueue
from tests.unit.test_account_service import PASSWORD, Accounts, enrolled, partnership, principal_of, world

__all__ = ["world"]  # the fixture, shared with the account service's tests

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
FIREFOX_LINUX_NEWER = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:134.0) Gecko/20100101 Firefox/134.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def visitor(user_agent: str, ip: str = "203.0.113.7") -> Actor:
    return Actor(user_id=None, email=None, request_id="req-1", ip=ip, user_agent=user_agent)


def sign_in(world: Accounts, user_agent: str, ip: str = "203.0.113.7") -> Session:
    session = world.service.login("boss@acme.example", PASSWORD, visitor(user_agent, ip))
    assert isinstance(session, Session)
    return session


def refusing_queue(world: Accounts) -> FakeOperations:
    """The service's notices go to a notify queue that refuses them; the operations log keeps them."""
    operations = FakeOperations()
    world.service.notices = QueuedNotices(Outbox(FakeQueue(refuses=True), operations))
    return operations


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
            "Chrome on iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 YaBrowser/24.10.4.123.00 Mobile Safari/537.36",
            "Yandex Browser on Android",
        ),
        ("", "an unknown browser on an unknown system"),
    ],
)
def test_a_device_is_its_browser_on_its_system(user_agent: str, label: str) -> None:
    assert device_of(user_agent).label == label


def test_a_browsers_update_is_the_same_device() -> None:
    assert device_of(FIREFOX_LINUX).fingerprint == device_of(FIREFOX_LINUX_NEWER).fingerprint
    assert device_of(FIREFOX_LINUX).fingerprint != device_of(CHROME_WINDOWS).fingerprint


def test_the_first_sign_in_and_a_known_device_tell_nothing_and_a_new_browser_tells_its_owner(
    world: Accounts,
) -> None:
    boss = world.person("boss@acme.example")
    sign_in(world, FIREFOX_LINUX)
    sign_in(world, FIREFOX_LINUX_NEWER, ip="198.51.100.9")  # updated, elsewhere: the same device
    assert world.notices.sent == []

    sign_in(world, CHROME_WINDOWS, ip="198.51.100.20")

    [event] = world.notices.sent
    fingerprint = device_of(CHROME_WINDOWS).fingerprint
    day = world.clock.now().date().isoformat()
    assert event.type is EventType.SIGN_IN_NEW_DEVICE
    assert event.event_id == f"{boss.user_id}.sign-in.{fingerprint[:16]}.{day}"
    assert (event.advertiser_id, event.audience) == ("", Audience(user_ids=(boss.user_id,)))
    assert event.data == {
        "ip": "198.51.100.20",
        "device": "Chrome on Windows",
        "at": iso_millis(world.clock.now()),
    }


def test_a_sign_in_with_2fa_tells_of_a_new_device_once_the_code_is_right(world: Accounts) -> None:
    _, secret, _ = enrolled(world, "boss@acme.example")
    challenge = world.service.login("boss@acme.example", PASSWORD, visitor(FIREFOX_LINUX))
    assert isinstance(challenge, MfaChallenge)
    world.service.login_mfa(
        challenge.mfa_token, pyotp.TOTP(secret).at(world.clock.now()), visitor(FIREFOX_LINUX)
    )
    assert world.notices.sent == []
    world.clock.at += timedelta(seconds=60)

    challenge = world.service.login("boss@acme.example", PASSWORD, visitor(CHROME_WINDOWS))
    assert world.notices.sent == []  # the password alone is not a sign-in
    assert isinstance(challenge, MfaChallenge)
    world.service.login_mfa(
        challenge.mfa_token, pyotp.TOTP(secret).at(world.clock.now()), visitor(CHROME_WINDOWS)
    )

    assert [e.data["device"] for e in world.notices.of_type(EventType.SIGN_IN_NEW_DEVICE)] == [
        "Chrome on Windows"
    ]


BROWSERS = ["Firefox/133.0", "Chrome/131.0 Safari/537.36", "Chrome/131.0 OPR/114.0", "Edg/131.0"]
SYSTEMS = [
    "X11; Linux x86_64",
    "Windows NT 10.0",
    "Macintosh; Intel Mac OS X 10_15_7",
    "CrOS x86_64",
    "Android 14",
]


def test_a_user_keeps_its_latest_twenty_devices(world: Accounts) -> None:
    boss = world.person("boss@acme.example")
    agents = [f"Mozilla/5.0 ({system}) {browser}" for system in SYSTEMS for browser in BROWSERS]
    assert len({device_of(agent).label for agent in agents}) == MAX_DEVICES
    sign_in(world, FIREFOX_LINUX)  # its first device, seen longest ago
    for agent in agents[1:]:  # agents[0] is Firefox on Linux again
        world.clock.at += timedelta(minutes=1)
        sign_in(world, agent)
    assert len(world.notices.sent) == MAX_DEVICES - 1
    world.clock.at += timedelta(minutes=1)

    sign_in(world, CHROME_WINDOWS.replace("Windows NT 10.0; Win64; x64", "iPhone"))  # the 21st device

    remembered = world.devices.devices[boss.user_id]
    assert len(remembered) == MAX_DEVICES
    assert device_of(FIREFOX_LINUX).fingerprint not in remembered
    sign_in(world, FIREFOX_LINUX)  # forgotten, so new again
    assert world.notices.sent[-1].data["device"] == "Firefox on Linux"
    assert len(world.notices.sent) == MAX_DEVICES + 1


def test_a_sign_in_stands_when_its_device_cannot_be_checked_or_told(world: Accounts) -> None:
    world.person("boss@acme.example")
    sign_in(world, FIREFOX_LINUX)
    operations = refusing_queue(world)

    assert sign_in(world, CHROME_WINDOWS).user.email == "boss@acme.example"
    [refused] = operations.items.values()
    assert refused.subject_id.startswith("security.new_sign_in:")
    world.devices.fail = True
    assert sign_in(world, FIREFOX_LINUX).user.email == "boss@acme.example"


def test_turning_2fa_off_tells_its_owner_even_when_the_queue_refuses(world: Accounts) -> None:
    user, secret, _ = enrolled(world, "boss@acme.example")
    code = pyotp.TOTP(secret).at(world.clock.now())
    world.service.mfa_disable(user, PASSWORD, code, visitor(FIREFOX_LINUX, ip="198.51.100.4"))

    [event] = world.notices.of_type(EventType.MFA_DISABLED)
    at = iso_millis(world.clock.now())
    assert event.event_id == f"{user.user_id}.mfa-off.{at}"
    assert (event.advertiser_id, event.audience) == ("", Audience(user_ids=(user.user_id,)))
    assert event.data == {"ip": "198.51.100.4", "at": at}

    again, secret, _ = enrolled(world, "mate@acme.example")
    operations = refusing_queue(world)
    world.service.mfa_disable(again, PASSWORD, pyotp.TOTP(secret).at(world.clock.now()), visitor(""))
    assert not world.accounts.get_user(again.user_id).mfa_enabled
    assert [op.subject_id.split(":", 1)[0] for op in operations.items.values()] == ["security.mfa_disabled"]


def test_an_application_tells_the_advertisers_team_and_its_decision_the_affiliate(world: Accounts) -> None:
    deal = partnership(world)
    affiliate_id = deal.affiliate.affiliate_id or ""
    [applied] = world.notices.sent
    membership = world.accounts.get_membership(deal.advertiser_id, affiliate_id)
    assert membership is not None
    assert applied.type is EventType.APPLICATION_RECEIVED
    assert applied.event_id == f"{deal.advertiser_id}.{affiliate_id}.applied.{membership.created_at}"
    assert (applied.advertiser_id, applied.audience) == (deal.advertiser_id, Audience(advertiser_team=True))
    assert applied.data == {"affiliate_id": affiliate_id, "affiliate_name": "Traffic Pro"}

    world.clock.at += timedelta(minutes=5)
    world.workspace.decide_membership(
        deal.advertiser_id, affiliate_id, MembershipStatus.ACTIVE, world_actor()
    )
    world.workspace.decide_membership(
        deal.advertiser_id, affiliate_id, MembershipStatus.ACTIVE, world_actor()
    )

    [decided] = world.notices.of_type(EventType.MEMBERSHIP_DECIDED)  # deciding the same again tells nothing
    at = iso_millis(world.clock.now())
    assert decided.event_id == f"{deal.advertiser_id}.{affiliate_id}.active.{at}"
    assert (decided.advertiser_id, decided.audience) == (
        deal.advertiser_id,
        Audience(affiliate_id=affiliate_id),
    )
    assert decided.data == {"status": "active", "advertiser_name": "Acme"}


def test_a_signed_in_affiliate_joining_another_advertiser_tells_that_team(world: Accounts) -> None:
    deal = partnership(world)
    other = provisioning.create_advertiser(world.accounts, "Globex")
    link = world.workspace.create_link(other.id, "Autumn", world_actor())
    session = world.service.login("pro@example.com", PASSWORD, world_actor())
    assert isinstance(session, Session)
    world.workspace.join(principal_of(session), session.user, link.code, world_actor())

    assert [
        (e.advertiser_id, e.data["affiliate_id"])
        for e in world.notices.of_type(EventType.APPLICATION_RECEIVED)
    ] == [
        (deal.advertiser_id, deal.affiliate.affiliate_id),
        (other.id, deal.affiliate.affiliate_id),
    ]


def test_memberships_are_decided_and_applied_for_when_the_queue_refuses(world: Accounts) -> None:
    operations = refusing_queue(world)
    deal = partnership(world)
    affiliate_id = deal.affiliate.affiliate_id or ""

    view = world.workspace.decide_membership(
        deal.advertiser_id, affiliate_id, MembershipStatus.REJECTED, world_actor()
    )

    assert view.membership.status is MembershipStatus.REJECTED
    kinds = sorted(op.subject_id.split(":", 1)[0] for op in operations.items.values())
    assert kinds == ["membership.applied", "membership.decided"]


def world_actor() -> Actor:
    return visitor(FIREFOX_LINUX)


def test_an_owner_signs_in_like_anyone(world: Accounts) -> None:
    owner = world.person("boss@acme.example", Role.OWNER)
    sign_in(world, FIREFOX_LINUX)
    sign_in(world, CHROME_WINDOWS)
    assert [e.audience.user_ids for e in world.notices.sent] == [(owner.user_id,)]
