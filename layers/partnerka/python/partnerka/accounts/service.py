"""Creating accounts and connecting affiliates to advertisers."""

from __future__ import annotations

from partnerka.accounts.models import Advertiser, Affiliate, Membership, MembershipStatus, Role, User
from partnerka.accounts.repository import AccountRepository
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.common.ids import new_id


def _required(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(f"{what} is required")
    return value


def _email(value: str) -> str:
    value = value.strip().lower()
    if "@" not in value or value.startswith("@") or value.endswith("@"):
        raise ValidationFailed(f"'{value}' is not an e-mail address")
    return value


def create_advertiser(repo: AccountRepository, name: str) -> Advertiser:
    """A new tenant, active at once (plans and approval come with billing)."""
    advertiser = Advertiser(id=new_id(), name=_required(name, "name"), created_at=iso_millis(utc_now()))
    repo.add_advertiser(advertiser)
    return advertiser


def create_affiliate(repo: AccountRepository, name: str, email: str) -> Affiliate:
    affiliate = Affiliate(
        affiliate_id=new_id(),
        name=_required(name, "name"),
        email=_email(email),
        created_at=iso_millis(utc_now()),
    )
    repo.add_affiliate(affiliate)
    return affiliate


def set_membership(
    repo: AccountRepository, advertiser_id: str, affiliate_id: str, status: MembershipStatus
) -> Membership:
    """Enroll, approve or reject an affiliate with an advertiser; only approved ones may send clicks."""
    repo.get_advertiser(advertiser_id)
    membership = Membership(
        advertiser_id=advertiser_id,
        affiliate_id=affiliate_id,
        status=status.value,
        updated_at=iso_millis(utc_now()),
    )
    repo.save_membership(membership)
    return membership


def create_user(
    repo: AccountRepository,
    email: str,
    name: str,
    role: Role,
    advertiser_id: str | None = None,
    affiliate_id: str | None = None,
) -> User:
    if role is Role.ADVERTISER and not advertiser_id:
        raise ValidationFailed("an advertiser user needs an advertiser")
    if role is Role.AFFILIATE and not affiliate_id:
        raise ValidationFailed("an affiliate user needs an affiliate")
    user = User(
        user_id=new_id(),
        email=_email(email),
        name=_required(name, "name"),
        role=role.value,
        advertiser_id=advertiser_id,
        affiliate_id=affiliate_id,
        created_at=iso_millis(utc_now()),
    )
    repo.add_user(user)
    return user
