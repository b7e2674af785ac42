"""Operator actions that skip the self-service flows: the first owner, demo data, test worlds.

Used by scripts/create-owner and scripts/seed_demo.py; the API never calls these.
"""

from __future__ import annotations

from dataclasses import replace

from partnerka.accounts.models import Advertiser, Affiliate, Membership, MembershipStatus, Role, User
from partnerka.accounts.repository import AccountStore
from partnerka.accounts.service import AccountService, normalise_email, required_name
from partnerka.audit.service import Actor
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.ids import new_id

OPERATOR = Actor(user_id=None, email="operator@console")


def create_advertiser(repo: AccountStore, name: str) -> Advertiser:
    advertiser = Advertiser(id=new_id(), name=required_name(name), created_at=iso_millis(utc_now()))
    repo.add_advertiser(advertiser)
    return advertiser


def create_affiliate(repo: AccountStore, name: str, email: str) -> Affiliate:
    affiliate = Affiliate(
        affiliate_id=new_id(),
        name=required_name(name),
        email=normalise_email(email),
        created_at=iso_millis(utc_now()),
    )
    repo.add_affiliate(affiliate)
    return affiliate


def set_membership(
    repo: AccountStore, advertiser_id: str, affiliate_id: str, status: MembershipStatus
) -> Membership:
    repo.get_advertiser(advertiser_id)
    now = iso_millis(utc_now())
    membership = Membership(
        advertiser_id=advertiser_id,
        affiliate_id=affiliate_id,
        status=status,
        created_at=now,
        updated_at=now,
    )
    repo.save_membership(membership)
    return membership


def create_verified_user(
    service: AccountService,
    email: str,
    password: str,
    name: str,
    role: Role,
    advertiser_id: str | None = None,
    affiliate_id: str | None = None,
    locale: str = "en",
) -> User:
    """An active user whose e-mail counts as verified (the operator vouches for it)."""
    user = service.new_user(
        email, name, role, password, locale, advertiser_id=advertiser_id, affiliate_id=affiliate_id
    )
    user = service.accounts.save_user(replace(user, email_verified=True))
    service.audit.record(
        OPERATOR,
        advertiser_id,
        "user.provisioned",
        f"user:{user.user_id}",
        after={"email": user.email, "role": user.role.value},
    )
    return user


def create_owner(service: AccountService, email: str, password: str, name: str) -> User:
    """The platform's first owner (or another one), from the operator's console."""
    return create_verified_user(service, email, password, name, Role.OWNER)
