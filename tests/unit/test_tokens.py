"""Access tokens refuse everything but a fresh, untampered HS256 token of our issuer and audience."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import (
    AUDIENCE,
    ISSUER,
    Principal,
    issue_access_token,
    issue_mfa_challenge,
    verify_access_token,
    verify_mfa_challenge,
)
from partnerka.common.errors import Unauthenticated

KEY = "k" * 64
# Tokens of the parametrised cases are made at collection; the tests that expect a valid token make
# theirs when they run (a whole suite can take longer than a 2FA challenge lives).
NOW = datetime.now(UTC)


def claims(**changes: object) -> dict[str, object]:
    moment = int(datetime.now(UTC).timestamp())
    base: dict[str, object] = {
        "typ": "access",
        "sub": "U1",
        "role": "owner",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": moment,
        "nbf": moment,
        "exp": moment + 600,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["role"] = "owner"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_token_round_trips_its_principal_and_context() -> None:
    principal = Principal("U1", Role.AFFILIATE, advertiser_id="ADV", affiliate_id="AFF", chain_id="C1")
    assert verify_access_token(KEY, issue_access_token(KEY, principal, datetime.now(UTC))) == principal


def test_a_token_carries_the_session_version_it_was_issued_for() -> None:
    principal = Principal("U1", Role.ADVERTISER, advertiser_id="ADV", chain_id="C1", session_version=3)
    token = issue_access_token(KEY, principal, datetime.now(UTC))
    assert jwt.decode(token, options={"verify_signature": False})["sv"] == 3
    assert verify_access_token(KEY, token).session_version == 3


def test_a_token_from_before_session_versions_counts_as_version_zero() -> None:
    assert verify_access_token(KEY, jwt.encode(claims(), KEY, algorithm="HS256")).session_version == 0


def test_a_well_formed_token_of_ours_passes() -> None:
    assert verify_access_token(KEY, jwt.encode(claims(), KEY, algorithm="HS256")).role is Role.OWNER


@pytest.mark.parametrize(
    ("case", "token"),
    [
        ("alg none", jwt.encode(claims(), None, algorithm="none")),
        ("algorithm switched", jwt.encode(claims(), KEY, algorithm="HS512")),
        ("expired", issue_access_token(KEY, Principal("U1", Role.OWNER), NOW - timedelta(hours=1))),
        ("not yet valid", jwt.encode(claims(nbf=int(NOW.timestamp()) + 3600), KEY, algorithm="HS256")),
        ("wrong audience", jwt.encode(claims(aud="someone-else"), KEY, algorithm="HS256")),
        ("wrong issuer", jwt.encode(claims(iss="evil"), KEY, algorithm="HS256")),
        ("no audience", jwt.encode(claims(aud=None), KEY, algorithm="HS256")),
        ("no expiry", jwt.encode(claims(exp=None), KEY, algorithm="HS256")),
        ("forged key", issue_access_token("other-key" * 8, Principal("U1", Role.OWNER), NOW)),
        ("2FA challenge as access", issue_mfa_challenge(KEY, "U1", NOW)),
        ("refresh token as access", "kT3t0j2Xb8c9Yd6Wm1Q4rS5uV7xZa0BcDeFgHiJkLmN"),
        ("unknown role", jwt.encode(claims(role="king"), KEY, algorithm="HS256")),
        ("session version not a number", jwt.encode(claims(sv="one"), KEY, algorithm="HS256")),
        ("session version negative", jwt.encode(claims(sv=-1), KEY, algorithm="HS256")),
        ("tampered payload", tampered(issue_access_token(KEY, Principal("U1", Role.SUPPORT), NOW))),
        ("garbage", "not.a.token"),
    ],
)
def test_bad_tokens_are_refused(case: str, token: str) -> None:
    with pytest.raises(Unauthenticated):
        verify_access_token(KEY, token)


def test_an_access_token_cannot_stand_in_for_the_2fa_challenge() -> None:
    assert verify_mfa_challenge(KEY, issue_mfa_challenge(KEY, "U1", datetime.now(UTC))) == "U1"
    with pytest.raises(Unauthenticated):
        verify_mfa_challenge(KEY, issue_access_token(KEY, Principal("U1", Role.OWNER), datetime.now(UTC)))
