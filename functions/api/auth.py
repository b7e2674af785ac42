"""Who is calling and from where: the bearer token (or API key) of the current request, verified,
and the wiring of the account services the routes share."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import caller_language

from partnerka.accounts.composition import account_services, offer_service
from partnerka.accounts.models import User
from partnerka.accounts.service import AccountService
from partnerka.accounts.tokens import Principal, verify_access_token
from partnerka.accounts.workspace import API_KEY_PREFIX, Workspace
from partnerka.audit.service import Actor
from partnerka.common.config import dashboard_base_url, get_settings
from partnerka.common.errors import Unauthenticated
from partnerka.common.secrets import secret_string
from partnerka.offers.service import OfferService

# Read at cold start: without the dashboard's URL the function refuses to start (see dashboard_base_url).
BASE_URL = dashboard_base_url(get_settings())


def signing_key() -> str:
    return secret_string(get_settings().jwt_secret_arn)


@cache
def services() -> tuple[AccountService, Workspace]:
    return account_services(get_settings())


@cache
def offers() -> OfferService:
    return offer_service(get_settings())


def accounts() -> AccountService:
    return services()[0]


def workspace() -> Workspace:
    return services()[1]


def current(headers: Mapping[str, str]) -> tuple[Principal, User]:
    """The caller, re-read from storage (blocks and role changes count at once)."""
    header = headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("sign in first: an Authorization: Bearer token is required")
    if token.startswith(API_KEY_PREFIX):
        principal = workspace().authenticate_api_key(token)
    else:
        principal = verify_access_token(signing_key(), token)
    resolved, user = accounts().resolve(principal)
    if not resolved.api_key_id:  # a person: answer in its stored language (an API key has none)
        caller_language.remember(user.locale)
    return resolved, user


def actor_of(event: Any, user: User | None = None) -> Actor:
    context = event.request_context
    return Actor(
        user_id=user.user_id if user else None,
        email=user.email if user else None,
        request_id=context.request_id or "",
        ip=context.http.source_ip or "",
    )


def base_url() -> str:
    """The dashboard's configured public URL, never a request's Host header."""
    return BASE_URL
