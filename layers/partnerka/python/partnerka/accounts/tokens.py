"""Access tokens (HS256 JWT, 15 minutes) and the short sign-in challenge token of the 2FA step.

One pinned algorithm; `exp`, `iat`, `nbf`, `aud`, `iss`, `sub` required; `typ` tells an access token
from an MFA challenge so neither can stand in for the other. Refresh tokens are opaque (sessions).
`sv` is the user's session version when the token was issued: a password change or reset, or a
block, raises the user's version, and the API refuses every token of an older one.

A "view as" token (`va`: the staff member who views, `vsv`: that member's session version) stands
for the person viewed, read-only, for a few minutes: no refresh token goes with it, and the API
refuses it every change (accounts.callers) and every secret (accounts.permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from partnerka.accounts.models import Role
from partnerka.common.errors import Unauthenticated

ISSUER = "partnerka"
AUDIENCE = "partnerka-api"
ACCESS_TOKEN_TTL = timedelta(minutes=15)
MFA_CHALLENGE_TTL = timedelta(minutes=5)
VIEW_AS_TTL = timedelta(minutes=10)
_ALGORITHM = "HS256"
_REQUIRED = ["exp", "iat", "nbf", "aud", "iss", "sub"]


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of the API. `advertiser_id` is the tenant context: an advertiser user's own
    advertiser, or the advertiser an affiliate has switched to. `chain_id` names the sign-in;
    `session_version` is the user's session version the token was issued for. `viewed_by`: the
    staff member viewing this person's dashboard read-only ("view as"), and its session version."""

    user_id: str
    role: Role
    advertiser_id: str | None = None
    affiliate_id: str | None = None
    chain_id: str | None = None
    api_key_id: str | None = None
    session_version: int = 0
    viewed_by: str | None = None
    viewer_session_version: int = 0


def _encode(key: str, claims: dict[str, object], now: datetime, ttl: timedelta) -> str:
    moment = int(now.timestamp())
    claims.update(
        {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": moment,
            "nbf": moment,
            "exp": moment + int(ttl.total_seconds()),
        }
    )
    return jwt.encode(claims, key, algorithm=_ALGORITHM)


def _decode(key: str, token: str, kind: str) -> dict[str, object]:
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": _REQUIRED},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the token has expired") from None
    except jwt.InvalidTokenError:
        raise Unauthenticated("the token is not valid") from None
    if claims.get("typ") != kind:
        raise Unauthenticated("the token is not valid here")
    return claims


def issue_access_token(
    key: str, principal: Principal, now: datetime, ttl: timedelta = ACCESS_TOKEN_TTL
) -> str:
    claims: dict[str, object] = {
        "typ": "access",
        "sub": principal.user_id,
        "role": principal.role.value,
        "sv": principal.session_version,
    }
    for claim, value in (
        ("adv", principal.advertiser_id),
        ("aff", principal.affiliate_id),
        ("sid", principal.chain_id),
    ):
        if value:
            claims[claim] = value
    if principal.viewed_by:
        claims["va"] = principal.viewed_by
        claims["vsv"] = principal.viewer_session_version
    return _encode(key, claims, now, ttl)


def verify_access_token(key: str, token: str) -> Principal:
    """The token's principal, or `Unauthenticated` for anything expired, forged or malformed."""
    claims = _decode(key, token, "access")
    version = _version(claims.get("sv", 0))  # tokens issued before session versions existed: 0
    viewer_version = _version(claims.get("vsv", 0))
    try:
        return Principal(
            user_id=str(claims["sub"]),
            role=Role(str(claims["role"])),
            advertiser_id=_optional(claims.get("adv")),
            affiliate_id=_optional(claims.get("aff")),
            chain_id=_optional(claims.get("sid")),
            session_version=version,
            viewed_by=_optional(claims.get("va")),
            viewer_session_version=viewer_version,
        )
    except (KeyError, ValueError):
        raise Unauthenticated("the token is not valid") from None


def issue_mfa_challenge(key: str, user_id: str, now: datetime) -> str:
    return _encode(key, {"typ": "mfa", "sub": user_id}, now, MFA_CHALLENGE_TTL)


def verify_mfa_challenge(key: str, token: str) -> str:
    return str(_decode(key, token, "mfa")["sub"])


def _version(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Unauthenticated("the token is not valid")
    return value


def _optional(value: object) -> str | None:
    return str(value) if value else None
