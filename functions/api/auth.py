"""Who is calling and from where: the bearer token (or API key) of the current request, verified by
the callers service (composition.callers).

Every route is protected but the few in `PUBLIC_OPERATIONS`: the resolver (app.py) authenticates the
caller of a protected route before it looks at anything the caller sent, and the route reads that
caller with `current`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import caller_language
from composition import callers, edge, portals

from partnerka.accounts.models import User
from partnerka.accounts.permissions import require_portal
from partnerka.accounts.service import PLATFORM, Site
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor
from partnerka.common.errors import Forbidden, Unauthenticated
from partnerka.common.http import header

# (method, OpenAPI path) of the operations anyone may call: signing up, in and out, the links of
# e-mails, what a registration link joins, the brand of the portal a page is on, liveness, the API's
# own document, the plans on sale, and the webhooks of Telegram and Stripe (which prove themselves by
# the bot's secret token and by Stripe's signature instead).
PUBLIC_OPERATIONS = frozenset(
    {
        ("POST", "/api/auth/signup"),
        ("POST", "/api/auth/verify-email"),
        ("POST", "/api/auth/resend-verification"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/auth/login/mfa"),
        ("POST", "/api/auth/refresh"),
        ("POST", "/api/auth/logout"),
        ("POST", "/api/auth/password/forgot"),
        ("POST", "/api/auth/password/reset"),
        ("POST", "/api/auth/invite/accept"),
        ("GET", "/api/join/{code}"),
        ("POST", "/api/join/{code}/signup"),
        ("GET", "/api/portal"),
        ("GET", "/api/health"),
        ("GET", "/api/openapi.json"),
        ("POST", "/telegram/webhook"),
        ("POST", "/api/notifications/unsubscribe"),
        ("GET", "/api/plans"),
        ("POST", "/api/billing/stripe/webhook"),
    }
)

# What only a person may do: an API key has no profile, password, second factor or context to change,
# and no notices.
PERSONAL_OPERATIONS = frozenset(
    {
        ("PATCH", "/api/me"),
        ("POST", "/api/me/password"),
        ("POST", "/api/me/context"),
        ("POST", "/api/me/mfa/setup"),
        ("POST", "/api/me/mfa/enable"),
        ("POST", "/api/me/mfa/disable"),
        # An API key has no inbox and no notification settings: they are a person's.
        ("GET", "/api/notifications"),
        ("GET", "/api/notifications/unread"),
        ("POST", "/api/notifications/{notice_id}/read"),
        ("POST", "/api/notifications/read-all"),
        ("GET", "/api/notifications/preferences"),
        ("PUT", "/api/notifications/preferences"),
    }
)

# What an advertiser whose subscription is suspended or canceled may still call: its billing and the
# plans (to pay and come back), its own account and sign-in, and its notices.
OPEN_WHILE_LOCKED = re.compile(r"^/api/(billing/.+|plans|me(/.+)?|auth/.+|notifications(/.+)?|portal)$")

# What the people of an account the platform's staff suspended may still change (accounts.suspension;
# every read stays open): their own sign-in, profile and notices, exports of what they read, and
# (an advertiser) its subscription, so that a debt to the platform can be settled meanwhile.
OPEN_WHILE_SUSPENDED = re.compile(r"^/api/(billing/.+|me(/.+)?|auth/.+|notifications(/.+)?|exports)$")
READS = frozenset({"GET", "HEAD", "OPTIONS"})

Caller = tuple[Principal, User]
_caller: ContextVar[Caller | None] = ContextVar("caller", default=None)


def authenticate(
    headers: Mapping[str, str], operation: tuple[str, str] | None = None, portal: str | None = None
) -> Caller:
    """The caller, re-read from storage (blocks and role changes count at once), allowed to call
    `operation` (method, OpenAPI path) as what it is: a person or an API key, and, on an
    advertiser's portal (`portal`: its id), as one the portal serves."""
    header = headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("sign in first: an Authorization: Bearer token is required")
    principal = callers().identify(token)
    if principal.api_key_id and operation in PERSONAL_OPERATIONS:
        raise Forbidden("an API key cannot change an account: sign in as a person")
    resolved, user = callers().resolve(principal)
    require_portal(resolved, portal)
    if operation is not None and not OPEN_WHILE_LOCKED.match(operation[1]):
        callers().ensure_open(resolved)
    if operation is not None and operation[0] not in READS and not OPEN_WHILE_SUSPENDED.match(operation[1]):
        callers().ensure_not_suspended(resolved)
    if operation is None or operation[0] not in ("GET", "HEAD"):
        callers().ensure_may_change(resolved)
    if not resolved.api_key_id:  # a person: answer in its stored language (an API key has none)
        caller_language.remember(user.locale)
    return resolved, user


@contextmanager
def signed_in(caller: Caller | None) -> Iterator[None]:
    """Within: the request's caller, as the resolver authenticated it (None on a public route)."""
    token = _caller.set(caller)
    try:
        yield
    finally:
        _caller.reset(token)


def current(headers: Mapping[str, str]) -> Caller:
    """The caller of this request: the one the resolver authenticated before validating the request,
    else (outside the resolver, or on a public route) authenticated from `headers` now."""
    return _caller.get() or authenticate(headers)


def site_of(event: Any) -> Site:
    """The site the request came in by: an advertiser's portal domain, or the platform's own host."""
    host = edge().viewer(event.raw_event).host
    portal = portals().owner(host)
    return Site(portal, host) if portal else PLATFORM


def actor_of(event: Any, user: User | None = None) -> Actor:
    context = event.request_context
    return Actor(
        user_id=user.user_id if user else None,
        email=user.email if user else None,
        request_id=context.request_id or "",
        ip=edge().viewer(event.raw_event).ip,
        user_agent=header(event.raw_event, "user-agent"),
    )
