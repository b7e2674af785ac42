"""The accounts repositories against moto's DynamoDB: items written as the PynamoDB models that were
the domain types wrote them (raw PutItem, the same attribute names and types) read into the frozen
dataclasses, and what the repositories write back keeps that shape; the conditions hold."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import pytest

from partnerka.accounts.models import (
    Affiliate,
    ApiKey,
    Membership,
    MembershipStatus,
    RefreshToken,
    Role,
    SessionChain,
    TokenState,
    User,
    UserStatus,
)
from partnerka.accounts.repository import AccountRepository, SessionRepository
from partnerka.accounts.routing import AccountStatus, AffiliateRoute
from partnerka.common import dynamo
from partnerka.common.errors import Conflict
from partnerka_local.template import Template

Raw = dict[str, dict[str, Any]]
ADVERTISER, AFFILIATE, USER = "adv-1", "aff-1", "usr-1"


def _put(item: Raw) -> None:
    dynamo.client().put_item(TableName=os.environ["CORE_TABLE"], Item=item)


def _raw(key: tuple[str, str]) -> Raw:
    found = dynamo.client().get_item(
        TableName=os.environ["CORE_TABLE"], Key={"pk": {"S": key[0]}, "sk": {"S": key[1]}}
    )
    return found["Item"]  # type: ignore[no-any-return]


def old_user(**changes: dict[str, Any]) -> Raw:
    """A user item as the PynamoDB User model stored it: two recovery codes, 2FA on, version 3."""
    item: Raw = {
        "pk": {"S": f"USER#{USER}"},
        "sk": {"S": "PROFILE"},
        "gsi1pk": {"S": "USERS"},
        "gsi1sk": {"S": f"2026-11-01T10:00:00.000Z#{USER}"},
        "user_id": {"S": USER},
        "email": {"S": "boss@acme.example"},
        "name": {"S": "Boss"},
        "role": {"S": "advertiser"},
        "status": {"S": "active"},
        "locale": {"S": "ru"},
        "password_hash": {"S": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"},
        "email_verified": {"BOOL": True},
        "mfa_secret": {"S": "JBSWY3DPEHPK3PXP"},
        "mfa_enabled": {"BOOL": True},
        "mfa_last_step": {"N": "59000000"},
        "recovery_codes": {"SS": ["$argon2id$code-1", "$argon2id$code-2"]},
        "advertiser_id": {"S": ADVERTISER},
        "created_at": {"S": "2026-11-01T10:00:00.000Z"},
        "session_version": {"N": "2"},
        "version": {"N": "3"},
    }
    item.update(changes)
    return item


def test_a_user_stored_by_the_old_model_reads_as_the_dataclass_and_saves_back_in_the_same_shape(
    stack: Template,
) -> None:
    # Given a user item written as the PynamoDB model wrote it (no affiliate_id: a null it left out)
    _put(old_user())
    _put({"pk": {"S": "EMAIL#boss@acme.example"}, "sk": {"S": "USER"}, "user_id": {"S": USER}})
    repo = AccountRepository()
    # When the repository reads it
    user = repo.get_user(USER)
    # Then every field is the domain type's
    assert user == User(
        user_id=USER,
        email="boss@acme.example",
        name="Boss",
        role=Role.ADVERTISER,
        created_at="2026-11-01T10:00:00.000Z",
        status=UserStatus.ACTIVE,
        locale="ru",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        email_verified=True,
        mfa_secret="JBSWY3DPEHPK3PXP",
        mfa_enabled=True,
        mfa_last_step=59000000,
        recovery_codes=frozenset({"$argon2id$code-1", "$argon2id$code-2"}),
        advertiser_id=ADVERTISER,
        affiliate_id=None,
        session_version=2,
        version=3,
    )
    assert repo.find_user_by_email("boss@acme.example") == user
    assert repo.list_users() == [user]
    # And a changed copy saved goes back with the same attributes, only the change and the version new
    saved = repo.save_user(
        replace(user, status=UserStatus.BLOCKED, recovery_codes=frozenset({"$argon2id$code-2"}))
    )
    assert saved.version == 4
    assert _raw(User.key(USER)) == old_user(
        status={"S": "blocked"}, recovery_codes={"SS": ["$argon2id$code-2"]}, version={"N": "4"}
    )
    # And the copy read before that save can no longer write
    with pytest.raises(Conflict):
        repo.save_user(replace(user, name="Stale"))


def test_a_totp_step_is_taken_once_and_answers_the_user_with_its_new_version(stack: Template) -> None:
    _put(old_user())
    repo = AccountRepository()
    user = repo.get_user(USER)

    stepped = repo.record_mfa_step(user, 59000001)

    assert stepped is not None
    assert (stepped.mfa_last_step, stepped.version) == (59000001, 4)
    assert repo.record_mfa_step(stepped, 59000001) is None  # the same step again
    assert repo.record_mfa_step(user, 59000002) is None  # a later step, but from a stale copy
    assert repo.record_mfa_step(stepped, 59000002) is not None


def test_a_new_user_takes_its_email_once_and_an_advertiser_user_joins_its_team(stack: Template) -> None:
    repo = AccountRepository()
    user = User(
        USER, "new@acme.example", "New", Role.ADVERTISER, "2026-11-02T00:00:00.000Z", advertiser_id=ADVERTISER
    )

    stored = repo.add_user(user)

    assert stored == replace(user, version=1)
    assert _raw(("EMAIL#new@acme.example", "USER"))["user_id"] == {"S": USER}
    assert _raw((f"ADV#{ADVERTISER}", f"USER#{USER}"))["user_id"] == {"S": USER}
    raw = _raw(User.key(USER))
    assert "recovery_codes" not in raw
    assert "affiliate_id" not in raw
    assert (raw["role"], raw["status"], raw["mfa_last_step"]) == (
        {"S": "advertiser"},
        {"S": "active"},
        {"N": "0"},
    )
    assert repo.team_of(ADVERTISER) == [stored]
    with pytest.raises(Conflict):
        repo.add_user(replace(user, user_id="usr-2"))


def test_a_membership_and_an_affiliate_stored_by_the_old_models_read_and_the_trackers_mirror_follows(
    stack: Template,
) -> None:
    # Given an advertiser, an affiliate approved by another advertiser, and an old pending membership
    # (written before memberships kept created_at)
    _put(
        {
            "pk": {"S": f"ADV#{ADVERTISER}"},
            "sk": {"S": "PROFILE"},
            "gsi1pk": {"S": "ADVERTISERS"},
            "gsi1sk": {"S": ADVERTISER},
            "id": {"S": ADVERTISER},
            "name": {"S": "Acme"},
            "status": {"S": "active"},
            "created_at": {"S": "2026-11-01T10:00:00.000Z"},
        }
    )
    _put(
        {
            "pk": {"S": f"AFF#{AFFILIATE}"},
            "sk": {"S": "PROFILE"},
            "affiliate_id": {"S": AFFILIATE},
            "name": {"S": "Traffic Pro"},
            "email": {"S": "pro@example.com"},
            "status": {"S": "active"},
            "approved_advertisers": {"SS": ["adv-0"]},
            "created_at": {"S": "2026-11-01T10:00:00.000Z"},
        }
    )
    _put(
        {
            "pk": {"S": f"ADV#{ADVERTISER}"},
            "sk": {"S": f"MEMBER#{AFFILIATE}"},
            "gsi1pk": {"S": f"AFF#{AFFILIATE}"},
            "gsi1sk": {"S": f"MEMBER#{ADVERTISER}"},
            "advertiser_id": {"S": ADVERTISER},
            "affiliate_id": {"S": AFFILIATE},
            "status": {"S": "pending"},
            "updated_at": {"S": "2026-11-01T10:00:00.000Z"},
        }
    )
    repo = AccountRepository()
    # When they are read
    (advertiser,) = repo.list_advertisers()
    affiliate = repo.get_affiliate(AFFILIATE)
    membership = repo.get_membership(ADVERTISER, AFFILIATE)
    # Then they are the domain types
    assert (advertiser.id, advertiser.name, advertiser.status) == (ADVERTISER, "Acme", AccountStatus.ACTIVE)
    assert affiliate == Affiliate(
        AFFILIATE,
        "Traffic Pro",
        "pro@example.com",
        "2026-11-01T10:00:00.000Z",
        AccountStatus.ACTIVE,
        frozenset({"adv-0"}),
    )
    assert membership == Membership(
        ADVERTISER, AFFILIATE, MembershipStatus.PENDING, "2026-11-01T10:00:00.000Z"
    )
    assert repo.memberships_of_affiliate(AFFILIATE) == [membership]
    assert repo.memberships_of_advertiser(ADVERTISER) == [membership]
    # And approving it writes the membership as before and adds the advertiser to the tracker's mirror
    approved = replace(membership, status=MembershipStatus.ACTIVE, updated_at="2026-11-03T00:00:00.000Z")
    repo.save_membership(approved)
    assert _raw(Membership.key(ADVERTISER, AFFILIATE))["status"] == {"S": "active"}
    route = AffiliateRoute.from_item(dynamo.decode(_raw(Affiliate.key(AFFILIATE))))
    assert route.may_send_traffic_to(ADVERTISER)
    assert route.may_send_traffic_to("adv-0")
    repo.save_membership(replace(approved, status=MembershipStatus.BLOCKED))
    assert repo.get_affiliate(AFFILIATE).approved_advertisers == {"adv-0"}


def test_an_api_key_stored_by_the_old_models_is_found_by_its_digest_and_revoked_with_its_lookup(
    stack: Template,
) -> None:
    digest = "ab" * 32
    _put(
        {
            "pk": {"S": f"ADV#{ADVERTISER}"},
            "sk": {"S": "APIKEY#key-1"},
            "gsi1pk": {"S": f"APIKEY#{digest}"},
            "gsi1sk": {"S": "KEY"},
            "key_id": {"S": "key-1"},
            "advertiser_id": {"S": ADVERTISER},
            "label": {"S": "Server"},
            "prefix": {"S": "pk_live_abcdef"},
            "created_at": {"S": "2026-11-01T10:00:00.000Z"},
            "revoked": {"BOOL": False},
        }
    )
    _put(
        {
            "pk": {"S": f"APIKEY#{digest}"},
            "sk": {"S": "KEY"},
            "key_id": {"S": "key-1"},
            "advertiser_id": {"S": ADVERTISER},
            "revoked": {"BOOL": False},
        }
    )
    repo = AccountRepository()

    (key,) = repo.api_keys_of(ADVERTISER)
    assert key == ApiKey("key-1", ADVERTISER, "Server", "pk_live_abcdef", "2026-11-01T10:00:00.000Z", digest)
    found = repo.find_api_key(digest)
    assert found is not None
    assert (found.key_id, found.advertiser_id, found.revoked) == (
        "key-1",
        ADVERTISER,
        False,
    )

    repo.touch_api_key(ADVERTISER, "key-1", "2026-11-05T00:00:00.000Z")
    repo.revoke_api_key(key)

    assert repo.get_api_key(ADVERTISER, "key-1").last_used_at == "2026-11-05T00:00:00.000Z"
    assert repo.get_api_key(ADVERTISER, "key-1").revoked
    assert (revoked := repo.find_api_key(digest)) is not None
    assert revoked.revoked


def test_session_items_stored_by_the_old_models_rotate_once_and_a_link_token_works_once(
    stack: Template,
) -> None:
    _put(
        {
            "pk": {"S": "REFRESH#" + "cd" * 32},
            "sk": {"S": "TOKEN"},
            "user_id": {"S": USER},
            "chain_id": {"S": "chain-1"},
            "state": {"S": "active"},
            "expires_at": {"N": "1893456000"},
        }
    )
    _put(
        {
            "pk": {"S": "CHAIN#chain-1"},
            "sk": {"S": "CHAIN"},
            "user_id": {"S": USER},
            "revoked": {"BOOL": False},
            "session_version": {"N": "2"},
            "expires_at": {"N": "1893456000"},
        }
    )
    _put(
        {
            "pk": {"S": "OTT#" + "ef" * 32},
            "sk": {"S": "TOKEN"},
            "purpose": {"S": "reset"},
            "user_id": {"S": USER},
            "expires_at": {"N": "1893456000"},
        }
    )
    sessions = SessionRepository()

    token = sessions.get_refresh_token("cd" * 32)
    assert token == RefreshToken("cd" * 32, USER, "chain-1", 1893456000, TokenState.ACTIVE, None)
    assert sessions.get_chain("chain-1") == SessionChain("chain-1", USER, 1893456000, 2, False)
    assert sessions.mark_refresh_token_used(token)
    assert not sessions.mark_refresh_token_used(token)  # presented again: reuse
    assert _raw(RefreshToken.key("cd" * 32))["state"] == {"S": "used"}
    sessions.revoke_chain("chain-1")
    assert (chain := sessions.get_chain("chain-1")) is not None
    assert chain.revoked

    assert sessions.consume_one_time_token("ef" * 32, "verify", 1700000000) is None  # another purpose
    link = sessions.consume_one_time_token("ef" * 32, "reset", 1700000000)
    assert link is not None
    assert (link.user_id, link.purpose) == (USER, "reset")
    assert sessions.consume_one_time_token("ef" * 32, "reset", 1700000000) is None


def test_settings_stored_by_the_old_model_read_and_an_emptied_list_is_left_out(stack: Template) -> None:
    _put(
        {
            "pk": {"S": f"ADV#{ADVERTISER}"},
            "sk": {"S": "SETTINGS"},
            "advertiser_id": {"S": ADVERTISER},
            "postback_ips": {"SS": ["203.0.113.0/24"]},
            "postback_domains": {"SS": ["shop.example"]},
            "updated_at": {"S": "2026-11-01T10:00:00.000Z"},
        }
    )
    repo = AccountRepository()
    settings = repo.get_settings(ADVERTISER)
    assert settings is not None
    assert settings.postback_ips == frozenset({"203.0.113.0/24"})
    assert settings.postback_domains == frozenset({"shop.example"})

    repo.save_settings(replace(settings, postback_domains=frozenset(), updated_at="2026-11-02T00:00:00.000Z"))

    raw = _raw((f"ADV#{ADVERTISER}", "SETTINGS"))
    assert "postback_domains" not in raw
    assert raw["postback_ips"] == {"SS": ["203.0.113.0/24"]}
