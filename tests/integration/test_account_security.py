"""Accounts under attack, on moto: links that a Host header cannot redirect, sign-in that takes as long
for unknown e-mails as for known ones, a lock-out that simultaneous guesses cannot outrun, sessions
that end when the password changes or the account is blocked, invitations that a block cancels."""

from __future__ import annotations

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest

from partnerka.accounts import passwords
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import UserStatus
from partnerka.accounts.repository import AccountRepository
from partnerka.audit.service import Actor
from partnerka.common.config import ConfigurationError, read_settings
from partnerka.common.errors import Conflict, DomainError
from partnerka_local.template import Template
from tests.integration.api_client import Api, Mailbox
from tests.integration.conftest import FunctionLoader
from tests.integration.test_accounts_api import ADVERTISER, signed_up_advertiser
from tests.integration.world import PASSWORD, World, build_world

BOSS = "boss@acme.example"
NEW_PASSWORD = "brand-new-passw0rd"
HOSTILE = {
    "host": "evil.example",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "http",
    "forwarded": "host=evil.example;proto=http",
}


@pytest.fixture
def api(load_function: FunctionLoader, mailbox: Mailbox) -> Api:
    return Api(load_function("api"), mailbox=mailbox)


def people(load_function: FunctionLoader, mailbox: Mailbox) -> tuple[World, Api, dict[str, str]]:
    world = build_world(with_people=True)
    api = Api(load_function("api"), mailbox=mailbox)
    tokens = {who: api.login(email, PASSWORD)["access_token"] for who, email in world.emails.items()}
    return world, api, tokens


def user_id_of(api: Api, owner: str, email: str) -> str:
    users = api.call("GET", "/api/users", token=owner).body["items"]
    return str(next(u["id"] for u in users if u["email"] == email))


# ---------------------------------------------------------------------- links in e-mails (item 8)
def test_emailed_links_point_at_the_configured_base_url_whatever_the_request_says(
    load_function: FunctionLoader,
    mailbox: Mailbox,
) -> None:
    _, api, tokens = people(load_function, mailbox)
    assert api.call("POST", "/api/auth/signup", ADVERTISER, headers=HOSTILE).status == 201
    assert api.call("POST", "/api/auth/password/forgot", {"email": BOSS}, headers=HOSTILE).status == 204
    invited = api.call(
        "POST",
        "/api/users/invite",
        {"email": "help@example.com", "role": "support"},
        token=tokens["owner"],
        headers=HOSTILE,
    )
    assert invited.status == 201, invited.body
    links = [
        *api.mailbox.links(BOSS, "verify-email"),
        *api.mailbox.links(BOSS, "reset-password"),
        *api.mailbox.links("help@example.com", "accept-invite"),
    ]
    assert len(links) == 3
    configured = os.environ["APP_BASE_URL"]
    assert configured.startswith("https://")
    assert all(link.startswith(f"{configured}/") for link in links), links


@pytest.mark.parametrize("value", ["", "app.partnerka.test", "ftp://app.partnerka.test", "https://"])
def test_the_api_refuses_to_start_without_a_usable_base_url(
    load_function: FunctionLoader, stack: Template, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setitem(stack.parameters, "AppBaseUrl", value)
    sending_links = [
        route.function
        for route in load_function("api").routes
        if "APP_BASE_URL" in load_function.spec(route.function).environment
    ]
    assert sending_links
    for logical_id in dict.fromkeys(sending_links):
        with pytest.raises(ConfigurationError, match="APP_BASE_URL"):
            load_function.load(logical_id)


# ---------------------------------------------------------------------- sign-in guesses (item 9)
class CountingHasher:
    """Stands in for the argon2 hasher of `passwords` and counts verifications, the slow step of a
    sign-in, so a test sees which path a login took without timing it."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.verified = 0

    def verify(self, stored: str, password: str) -> bool:
        self.verified += 1
        return bool(self.real.verify(stored, password))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def failed_login(service: Any, email: str, password: str, ip: str) -> str:
    try:
        service.login(email, password, Actor(user_id=None, email=None, ip=ip))
    except DomainError as error:
        return error.code.value
    return "signed_in"


def test_an_unknown_email_costs_a_password_check_like_a_known_one(
    load_function: FunctionLoader, monkeypatch: pytest.MonkeyPatch, owasp_passwords: None
) -> None:
    world = build_world(with_people=True)
    service, _ = account_services(read_settings(AccountSettings))
    hasher = CountingHasher(passwords._HASHER)
    monkeypatch.setattr(passwords, "_HASHER", hasher)
    known = list(world.emails.values())
    unknown = [f"nobody{i}@example.com" for i in range(len(known))]
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    checks: dict[str, list[int]] = {"known": [], "unknown": []}
    for round_number, (a, b) in enumerate(zip(known, unknown, strict=True)):
        for kind, email in (("known", a), ("unknown", b)):
            # CPU time of this thread, where the sign-in runs (moto too, in process): what the
            # account lookup and the argon2 check cost, whatever else the machine is busy with
            before, started = hasher.verified, time.thread_time()
            outcome = failed_login(service, email, "not-the-passw0rd", f"198.51.100.{round_number}")
            timings[kind].append(time.thread_time() - started)
            checks[kind].append(hasher.verified - before)
            assert outcome == "invalid_credentials"
    # The same path: one argon2 verification whether or not the account exists ...
    assert checks == {"known": [1] * len(known), "unknown": [1] * len(unknown)}
    # ... and so about the same CPU time (a generous bound); without the check an unknown address
    # would cost a fraction of a known one's.
    assert statistics.median(timings["unknown"]) > 0.5 * statistics.median(timings["known"]), timings
    # Not even an address without '@' answers faster.
    before = hasher.verified
    assert failed_login(service, "no-at-sign", "whatever-passw0rd", "198.51.100.99") == "invalid_credentials"
    assert hasher.verified == before + 1


def test_simultaneous_wrong_passwords_never_get_more_guesses_than_the_limit(
    load_function: FunctionLoader,
) -> None:
    world = build_world(with_people=True)
    service, _ = account_services(read_settings(AccountSettings))
    email = world.emails["advertiser"]
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(
            # A different address each: only the account's limit (5 in 15 minutes) applies.
            pool.map(lambda i: failed_login(service, email, f"guess-{i:04}-pw", f"198.51.100.{i}"), range(24))
        )
    assert outcomes.count("invalid_credentials") <= 5, outcomes
    assert outcomes.count("rate_limited") >= 19, outcomes
    # The right password is refused too until the window ends.
    assert failed_login(service, email, PASSWORD, "198.51.100.200") == "rate_limited"


def test_a_right_password_does_not_use_up_the_accounts_guesses(
    load_function: FunctionLoader, mailbox: Mailbox
) -> None:
    world, api, _ = people(load_function, mailbox)
    email = world.emails["advertiser"]
    for _ in range(10):
        api.login(email, PASSWORD)
    for _ in range(4):
        wrong = api.call("POST", "/api/auth/login", {"email": email, "password": "wrong-passw0rd"})
        assert wrong.code == "invalid_credentials"
    assert api.login(email, PASSWORD)["access_token"]


def test_changing_the_password_needs_the_current_one_and_wrong_guesses_lock_out(api: Api) -> None:
    session = signed_up_advertiser(api)
    token = session["access_token"]
    missing = api.call("POST", "/api/me/password", {"new_password": NEW_PASSWORD}, token=token)
    assert missing.code == "validation_error"
    for i in range(5):
        wrong = {"current_password": f"wrong-passw0rd-{i}", "new_password": NEW_PASSWORD}
        assert api.call("POST", "/api/me/password", wrong, token=token).code == "invalid_credentials"
    right = {"current_password": ADVERTISER["password"], "new_password": NEW_PASSWORD}
    locked = api.call("POST", "/api/me/password", right, token=token)
    assert locked.code == "rate_limited"
    assert int(locked.headers["Retry-After"]) > 0


def test_turning_on_two_factor_needs_the_password(api: Api) -> None:
    import pyotp

    token = signed_up_advertiser(api)["access_token"]
    secret = api.call("POST", "/api/me/mfa/setup", token=token).body["secret"]
    code = pyotp.TOTP(secret).now()
    assert api.call("POST", "/api/me/mfa/enable", {"code": code}, token=token).code == "validation_error"
    wrong = api.call("POST", "/api/me/mfa/enable", {"code": code, "password": "wrong-passw0rd"}, token=token)
    assert wrong.code == "invalid_credentials"
    assert api.call("GET", "/api/me", token=token).body["user"]["mfa_enabled"] is False
    enabled = api.call(
        "POST", "/api/me/mfa/enable", {"code": code, "password": ADVERTISER["password"]}, token=token
    )
    assert enabled.status == 200, enabled.body
    assert len(enabled.body["recovery_codes"]) == 10


# ---------------------------------------------------------------------- sessions (item 7)
def refused(api: Api, session: dict[str, Any]) -> bool:
    """Both halves of a session are dead: its access token and its refresh token."""
    me = api.call("GET", "/api/me", token=session["access_token"])
    again = api.refresh(session["cookies"])
    return me.code == "unauthenticated" and again.code == "unauthenticated"


def test_changing_the_password_ends_every_other_session_and_renews_this_one(api: Api) -> None:
    here = signed_up_advertiser(api)
    elsewhere = api.login(BOSS, ADVERTISER["password"])
    changed = api.call(
        "POST",
        "/api/me/password",
        {"current_password": ADVERTISER["password"], "new_password": NEW_PASSWORD},
        token=here["access_token"],
    )
    assert changed.status == 200, changed.body
    renewed = {**changed.body, "cookies": changed.cookies}
    assert renewed["user"]["email"] == BOSS
    assert refused(api, here)
    assert refused(api, elsewhere)
    assert api.call("GET", "/api/me", token=renewed["access_token"]).status == 200
    rotated = api.refresh(renewed["cookies"])
    assert rotated.status == 200
    assert api.call("GET", "/api/me", token=rotated.body["access_token"]).status == 200


def test_resetting_the_password_ends_every_session(api: Api) -> None:
    first = signed_up_advertiser(api)
    second = api.login(BOSS, ADVERTISER["password"])
    assert api.call("POST", "/api/auth/password/forgot", {"email": BOSS}).status == 204
    (token,) = api.mailbox.tokens(BOSS, "reset-password")
    reset = api.call("POST", "/api/auth/password/reset", {"token": token, "password": NEW_PASSWORD})
    assert reset.status == 204
    assert refused(api, first)
    assert refused(api, second)
    assert api.login(BOSS, NEW_PASSWORD)["access_token"]


def test_blocking_a_user_ends_its_sessions_even_once_it_is_unblocked(
    load_function: FunctionLoader, mailbox: Mailbox
) -> None:
    world, api, tokens = people(load_function, mailbox)
    owner = tokens["owner"]
    session = api.login(world.emails["advertiser"], PASSWORD)
    target = user_id_of(api, owner, world.emails["advertiser"])
    assert api.call("PATCH", f"/api/users/{target}", {"status": "blocked"}, token=owner).status == 200
    assert api.call("PATCH", f"/api/users/{target}", {"status": "active"}, token=owner).status == 200
    assert refused(api, session)
    assert api.login(world.emails["advertiser"], PASSWORD)["access_token"]


def test_a_stale_copy_of_a_user_cannot_overwrite_a_newer_one(load_function: FunctionLoader) -> None:
    world = build_world(with_people=True)
    repo = AccountRepository()
    first = repo.find_user_by_email(world.emails["advertiser"])
    stale = repo.find_user_by_email(world.emails["advertiser"])
    assert first is not None
    assert stale is not None
    repo.save_user(replace(first, status=UserStatus.BLOCKED))
    with pytest.raises(Conflict):
        repo.save_user(replace(stale, name="Renamed"))
    fresh = repo.get_user(first.user_id)
    assert (fresh.status, fresh.name) == ("blocked", first.name)


# ---------------------------------------------------------------------- invitations (item 6)
def invite(api: Api, owner: str, email: str) -> str:
    invited = api.call("POST", "/api/users/invite", {"email": email, "role": "support"}, token=owner)
    assert invited.status == 201, invited.body
    return str(invited.body["user"]["id"])


def accept(api: Api, email: str) -> Any:
    (token,) = api.mailbox.tokens(email, "accept-invite")
    return api.call(
        "POST", "/api/auth/invite/accept", {"token": token, "name": "Helper", "password": "helper-passw0rd"}
    )


def test_blocking_an_invited_user_cancels_its_invitation(
    load_function: FunctionLoader, mailbox: Mailbox
) -> None:
    _, api, tokens = people(load_function, mailbox)
    owner = tokens["owner"]
    target = invite(api, owner, "help@example.com")
    assert api.call("PATCH", f"/api/users/{target}", {"status": "blocked"}, token=owner).status == 200
    accepted = accept(api, "help@example.com")
    assert accepted.code == "validation_error", accepted.body
    user = next(u for u in api.call("GET", "/api/users", token=owner).body["items"] if u["id"] == target)
    assert user["status"] == "blocked"
    login = {"email": "help@example.com", "password": "helper-passw0rd"}
    assert api.call("POST", "/api/auth/login", login).status != 200


def test_an_invitation_cancelled_by_a_block_stays_cancelled_after_unblocking(
    load_function: FunctionLoader,
    mailbox: Mailbox,
) -> None:
    _, api, tokens = people(load_function, mailbox)
    owner = tokens["owner"]
    target = invite(api, owner, "help@example.com")
    assert api.call("PATCH", f"/api/users/{target}", {"status": "blocked"}, token=owner).status == 200
    assert api.call("PATCH", f"/api/users/{target}", {"status": "active"}, token=owner).status == 200
    assert accept(api, "help@example.com").code == "validation_error"
