"""Short-lived access tokens (HS256 JWT) that carry who is asking and in which advertiser context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from partnerka.accounts.models import Role
from partnerka.common.errors import Unauthenticated

ISSUER = "partnerka"
ACCESS_TOKEN_TTL = timedelta(minutes=15)
_ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of the API. `advertiser_id` is the tenant context: an advertiser user's own
    advertiser, or the advertiser an affiliate has switched to."""

    user_id: str
    role: Role
    advertiser_id: str | None = None
    affiliate_id: str | None = None


def issue_access_token(
    key: str, principal: Principal, now: datetime, ttl: timedelta = ACCESS_TOKEN_TTL
) -> str:
    claims: dict[str, object] = {
        "iss": ISSUER,
        "typ": "access",
        "sub": principal.user_id,
        "role": principal.role.value,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if principal.advertiser_id:
        claims["adv"] = principal.advertiser_id
    if principal.affiliate_id:
        claims["aff"] = principal.affiliate_id
    return jwt.encode(claims, key, algorithm=_ALGORITHM)


def verify_access_token(key: str, token: str) -> Principal:
    """The token's principal, or `Unauthenticated` for anything expired, forged or malformed."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
        if claims.get("typ") != "access":
            raise Unauthenticated("not an access token")
        return Principal(
            user_id=str(claims["sub"]),
            role=Role(claims["role"]),
            advertiser_id=claims.get("adv"),
            affiliate_id=claims.get("aff"),
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the access token has expired") from None
    except (jwt.InvalidTokenError, KeyError, ValueError):
        raise Unauthenticated("the access token is not valid") from None
