from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal, issue_access_token, verify_access_token
from partnerka.common.errors import Unauthenticated

KEY = "k" * 64


def test_a_token_round_trips_its_principal_and_context() -> None:
    principal = Principal("U1", Role.AFFILIATE, advertiser_id="ADV", affiliate_id="AFF")
    assert verify_access_token(KEY, issue_access_token(KEY, principal, datetime.now(UTC))) == principal


@pytest.mark.parametrize(
    "token",
    [
        issue_access_token(
            KEY, Principal("U1", Role.OWNER), datetime.now(UTC) - timedelta(hours=1)
        ),  # expired
        issue_access_token("other-key" * 8, Principal("U1", Role.OWNER), datetime.now(UTC)),  # forged
        jwt.encode(
            {
                "sub": "U1",
                "role": "owner",
                "iss": "partnerka",
                "typ": "refresh",
                "iat": 1,
                "exp": 4_000_000_000,
            },
            KEY,
            algorithm="HS256",
        ),
        jwt.encode(
            {
                "sub": "U1",
                "role": "king",
                "iss": "partnerka",
                "typ": "access",
                "iat": 1,
                "exp": 4_000_000_000,
            },
            KEY,
            algorithm="HS256",
        ),
        "not.a.token",
    ],
)
def test_bad_tokens_are_unauthenticated(token: str) -> None:
    with pytest.raises(Unauthenticated):
        verify_access_token(KEY, token)
