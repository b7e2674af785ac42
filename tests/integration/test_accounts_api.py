"""The accounts API under moto: sign-up, e-mail links, sessions, 2FA, lock-out, joining, keys, audit."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pyotp
import pytest

from tests.integration.api_client import Api, Mailbox
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, build_world

ADVERTISER = {
    "email": "Boss@Acme.example",
    "password": "s3cure-passw0rd",
    "name": "Boss",
    "company_name": "Acme",
}
TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
def api(load_function: FunctionLoader, mailbox: Mailbox) -> Api:
    return Api(load_function("api"), mailbox=mailbox)


def signed_up_advertiser(api: Api) -> dict[str, object]:
    assert api.call("POST", "/api/auth/signup", ADVERTISER).status == 201
    (token,) = api.mailbox.tokens("boss@acme.example", "verify-email")
    assert api.call("POST", "/api/auth/verify-email", {"token": token}).status == 200
    return api.login("boss@acme.example", ADVERTISER["password"])


def test_sign_up_needs_the_emailed_link_before_sign_in(api: Api) -> None:
    created = api.call("POST", "/api/auth/signup", ADVERTISER | {"locale": "ru"})
    assert created.status == 201
    assert created.body["user"]["email"] == "boss@acme.example"
    assert (
        api.call(
            "POST", "/api/auth/login", {"email": "boss@acme.example", "password": ADVERTISER["password"]}
        ).code
        == "email_not_verified"
    )
    assert api.call("POST", "/api/auth/signup", ADVERTISER).code == "conflict"
    (token,) = api.mailbox.tokens("boss@acme.example", "verify-email")
    assert api.call("POST", "/api/auth/verify-email", {"token": token}).body["user"]["email_verified"] is True
    assert (
        api.call("POST", "/api/auth/verify-email", {"token": token}).code == "validation_error"
    )  # used once
    session = api.login("boss@acme.example", ADVERTISER["password"])
    assert session["context"]["advertiser_name"] == "Acme"
    assert api.call("GET", "/api/me", token=session["access_token"]).body["user"]["locale"] == "ru"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({**ADVERTISER, "password": "short"}, "validation_error"),
        ({**ADVERTISER, "email": "not-an-email"}, "validation_error"),
        ({**ADVERTISER, "company_name": "  "}, "validation_error"),
        ({"email": "x@y.example"}, "validation_error"),
    ],
)
def test_bad_sign_ups_are_refused_clearly(api: Api, body: dict[str, str], code: str) -> None:
    assert api.call("POST", "/api/auth/signup", body).code == code


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(api: Api) -> None:
    first = signed_up_advertiser(api)
    assert "refresh_token" not in first  # the body carries the access token only
    second = api.refresh(first["cookies"])
    assert second.status == 200
    assert second.cookies["pk_refresh"] not in ("", first["cookies"]["pk_refresh"])
    # The old token again: a thief or a replay; the whole chain dies, the legitimate one too
    assert api.refresh(first["cookies"]).code == "unauthenticated"
    assert api.refresh(second.cookies).code == "unauthenticated"


def test_the_refresh_token_lives_in_an_httponly_strict_cookie_scoped_to_the_auth_calls(api: Api) -> None:
    reply = api.call("POST", "/api/auth/login", {"email": "boss@acme.example", "password": "x"})
    assert reply.set_cookies == []  # a refused sign-in sets nothing
    signed_up_advertiser(api)
    reply = api.call(
        "POST", "/api/auth/login", {"email": "boss@acme.example", "password": ADVERTISER["password"]}
    )
    attributes = {
        c.split("=", 1)[0]: {a.strip().lower() for a in c.split(";")[1:]} for c in reply.set_cookies
    }
    assert attributes["pk_refresh"] >= {
        "path=/api/auth",
        "httponly",
        "secure",
        "samesite=strict",
        "max-age=2592000",
    }
    assert attributes["pk_csrf"] >= {"path=/", "secure", "samesite=strict", "max-age=2592000"}
    assert "httponly" not in attributes["pk_csrf"]  # the page's script reads it
    assert "refresh_token" not in reply.body


@pytest.mark.parametrize("csrf", ["", "forged", None])
def test_refresh_and_sign_out_need_the_csrf_header_matching_the_cookie(api: Api, csrf: str | None) -> None:
    session = signed_up_advertiser(api)
    cookies = dict(session["cookies"])
    if csrf is None:  # a cross-site request that could not read pk_csrf: no cookie value to copy
        cookies.pop("pk_csrf")
    assert api.refresh(cookies, csrf="" if csrf is None else csrf).code == "forbidden"
    assert api.logout(cookies, csrf="" if csrf is None else csrf).code == "forbidden"
    # Nothing was refreshed or ended: the real page goes on
    assert api.refresh(session["cookies"]).status == 200


def test_of_two_refresh_cookies_the_one_sent_first_counts(api: Api) -> None:
    """A browser sends the cookie of the longest path first: ours, on /api/auth, before one of the
    same name someone set on a shorter path."""
    session = signed_up_advertiser(api)
    cookies = session["cookies"]
    header = f"pk_refresh={cookies['pk_refresh']}; pk_refresh=planted; pk_csrf={cookies['pk_csrf']}"
    reply = api.call(
        "POST", "/api/auth/refresh", headers={"cookie": header, "x-csrf-token": cookies["pk_csrf"]}
    )
    assert reply.status == 200


def test_refresh_without_a_session_cookie_is_unauthenticated(api: Api) -> None:
    assert api.refresh({}).code == "unauthenticated"
    assert api.call("POST", "/api/auth/refresh", {"refresh_token": "from-the-body"}).code == "unauthenticated"


def test_logout_revokes_the_refresh_chain_and_removes_the_cookies(api: Api) -> None:
    session = signed_up_advertiser(api)
    out = api.logout(session["cookies"])
    assert out.status == 204
    assert out.cookies == {"pk_refresh": "", "pk_csrf": ""}
    assert all("max-age=0" in c.lower() for c in out.set_cookies)
    assert api.refresh(session["cookies"]).status == 401
    assert api.logout({}).status == 204  # signing out twice is fine


def test_password_reset_by_emailed_link(api: Api) -> None:
    signed_up_advertiser(api)
    assert api.call("POST", "/api/auth/password/forgot", {"email": "boss@acme.example"}).status == 204
    assert api.call("POST", "/api/auth/password/forgot", {"email": "nobody@acme.example"}).status == 204
    (token,) = api.mailbox.tokens("boss@acme.example", "reset-password")
    assert (
        api.call(
            "POST", "/api/auth/password/reset", {"token": token, "password": "brand-new-passw0rd"}
        ).status
        == 204
    )
    assert (
        api.call(
            "POST", "/api/auth/login", {"email": "boss@acme.example", "password": ADVERTISER["password"]}
        ).code
        == "invalid_credentials"
    )
    assert api.login("boss@acme.example", "brand-new-passw0rd")["access_token"]


def test_two_factor_codes_work_once_and_recovery_codes_once(api: Api) -> None:
    token = signed_up_advertiser(api)["access_token"]
    secret = api.call("POST", "/api/me/mfa/setup", token=token).body["secret"]
    totp = pyotp.TOTP(secret)
    now_code = totp.now()
    enabled = api.call(
        "POST", "/api/me/mfa/enable", {"password": ADVERTISER["password"], "code": now_code}, token=token
    )
    assert len(enabled.body["recovery_codes"]) == 10
    # Signing in now asks for the second factor
    challenge = api.call(
        "POST", "/api/auth/login", {"email": "boss@acme.example", "password": ADVERTISER["password"]}
    ).body
    assert challenge["mfa_required"] is True
    # The code that enabled 2FA was spent in its time step: replaying it is refused
    replay = api.call("POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": now_code})
    assert replay.code == "invalid_credentials"
    next_code = totp.at(time.time() + 30)
    assert (
        api.call(
            "POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": next_code}
        ).status
        == 200
    )
    assert (
        api.call(
            "POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": next_code}
        ).status
        == 401
    )
    recovery = enabled.body["recovery_codes"][0]
    assert (
        api.call(
            "POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": recovery}
        ).status
        == 200
    )
    assert (
        api.call(
            "POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": recovery}
        ).status
        == 401
    )


def test_wrong_passwords_lock_the_account_out_even_for_the_right_one(api: Api) -> None:
    signed_up_advertiser(api)
    for _ in range(5):
        assert (
            api.call(
                "POST", "/api/auth/login", {"email": "boss@acme.example", "password": "wrong-password!"}
            ).status
            == 401
        )
    locked = api.call(
        "POST", "/api/auth/login", {"email": "boss@acme.example", "password": ADVERTISER["password"]}
    )
    assert locked.code == "rate_limited"
    assert int(locked.headers["Retry-After"]) > 0


def test_wrong_second_factor_codes_lock_out(api: Api) -> None:
    token = signed_up_advertiser(api)["access_token"]
    secret = api.call("POST", "/api/me/mfa/setup", token=token).body["secret"]
    enable = {"password": ADVERTISER["password"], "code": pyotp.TOTP(secret).now()}
    assert api.call("POST", "/api/me/mfa/enable", enable, token=token).status == 200
    challenge = api.call(
        "POST", "/api/auth/login", {"email": "boss@acme.example", "password": ADVERTISER["password"]}
    ).body
    for _ in range(5):
        assert (
            api.call(
                "POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": "000000"}
            ).status
            == 401
        )
    good = pyotp.TOTP(secret).at(time.time() + 30)
    assert (
        api.call("POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": good}).code
        == "rate_limited"
    )


def test_affiliate_joins_by_link_is_approved_and_switches_context(api: Api) -> None:
    boss = signed_up_advertiser(api)["access_token"]
    link = api.call("POST", "/api/registration-links", {"label": "Spring"}, token=boss).body
    assert api.call("GET", f"/api/join/{link['code']}").body == {"advertiser_name": "Acme", "label": "Spring"}
    joined = api.call(
        "POST",
        f"/api/join/{link['code']}/signup",
        {"email": "aff@x.example", "password": "aff-passw0rd!", "name": "Aff"},
    )
    assert joined.status == 201
    (verify,) = api.mailbox.tokens("aff@x.example", "verify-email")
    api.call("POST", "/api/auth/verify-email", {"token": verify})
    affiliate = api.login("aff@x.example", "aff-passw0rd!")
    (pending,) = api.call("GET", "/api/me", token=affiliate["access_token"]).body["memberships"]
    assert pending["status"] == "pending"
    refused = api.call(
        "POST",
        "/api/me/context",
        {"advertiser_id": pending["advertiser_id"]},
        token=affiliate["access_token"],
    )
    assert refused.code == "forbidden"
    decided = api.call(
        "PATCH", f"/api/memberships/{pending['affiliate_id']}", {"status": "active"}, token=boss
    )
    assert decided.body["status"] == "active"
    switched = api.call(
        "POST",
        "/api/me/context",
        {"advertiser_id": pending["advertiser_id"]},
        token=affiliate["access_token"],
    )
    assert switched.body["context"] == {"advertiser_id": pending["advertiser_id"], "advertiser_name": "Acme"}
    stats = api.call("GET", "/api/stats", token=switched.body["access_token"], **{"from": TODAY, "to": TODAY})
    assert stats.status == 200
    # Blocking the affiliate takes its context away at once
    api.call("PATCH", f"/api/memberships/{pending['affiliate_id']}", {"status": "blocked"}, token=boss)
    assert (
        api.call(
            "GET", "/api/stats", token=switched.body["access_token"], **{"from": TODAY, "to": TODAY}
        ).code
        == "forbidden"
    )
    # A deactivated link no longer admits anybody
    assert api.call("DELETE", f"/api/registration-links/{link['code']}", token=boss).status == 204
    assert api.call("GET", f"/api/join/{link['code']}").code == "not_found"


def test_api_keys_authenticate_until_revoked_and_cannot_mint_keys(api: Api) -> None:
    boss = signed_up_advertiser(api)["access_token"]
    created = api.call("POST", "/api/api-keys", {"label": "server"}, token=boss).body
    secret = created["secret"]
    assert secret.startswith("pk_live_")
    assert "secret" not in api.call("GET", "/api/api-keys", token=boss).body["items"][0]
    assert api.call("GET", "/api/registration-links", token=secret).status == 200
    assert api.call("POST", "/api/api-keys", {"label": "more"}, token=secret).code == "forbidden"
    assert api.call("DELETE", f"/api/api-keys/{created['key']['id']}", token=boss).status == 204
    assert api.call("GET", "/api/registration-links", token=secret).code == "unauthenticated"


def test_owner_invites_support_who_reads_but_never_changes(
    load_function: FunctionLoader, mailbox: Mailbox
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"), mailbox=mailbox)
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    invited = api.call(
        "POST", "/api/users/invite", {"email": "help@example.com", "role": "support"}, token=owner
    )
    assert invited.body["user"]["status"] == "invited"
    (token,) = api.mailbox.tokens("help@example.com", "accept-invite")
    support = api.call(
        "POST", "/api/auth/invite/accept", {"token": token, "name": "Helper", "password": "helper-passw0rd"}
    ).body
    support_token = support["access_token"]
    assert api.call("GET", "/api/users", token=support_token).status == 200
    target = invited.body["user"]["id"]
    assert (
        api.call("PATCH", f"/api/users/{target}", {"status": "blocked"}, token=support_token).code
        == "forbidden"
    )
    assert (
        api.call(
            "POST", "/api/users/invite", {"email": "x@example.com", "role": "support"}, token=support_token
        ).code
        == "forbidden"
    )
    # The owner blocks the support user: its next call is refused at once
    assert (
        api.call("PATCH", f"/api/users/{target}", {"status": "blocked"}, token=owner).body["user"]["status"]
        == "blocked"
    )
    assert api.call("GET", "/api/users", token=support_token).code == "account_blocked"


def test_audit_log_records_mutations_and_shows_each_reader_its_scope(load_function: FunctionLoader) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    api.call("POST", "/api/registration-links", {"label": "Audit me"}, token=boss)
    mine = api.call("GET", "/api/audit", token=boss, **{"from": TODAY, "to": TODAY}).body["items"]
    created = next(e for e in mine if e["action"] == "link.created")
    assert created["after"] == {"label": "Audit me"}
    assert created["actor_email"] == world.emails["advertiser"]
    assert created["request_id"] == "req-1"
    assert all(e["tenant_id"] == world.advertiser_id for e in mine)
    everything = api.call("GET", "/api/audit", token=owner, **{"from": TODAY, "to": TODAY}).body["items"]
    assert {e["id"] for e in mine} <= {e["id"] for e in everything}
    other = api.call(
        "GET",
        "/api/audit",
        token=boss,
        advertiser_id="01JZZ000000000000000000000",
        **{"from": TODAY, "to": TODAY},
    )
    assert other.code == "forbidden"
