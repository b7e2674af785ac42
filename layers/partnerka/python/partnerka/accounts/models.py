"""Accounts: advertisers (tenants), affiliates (global accounts), memberships and users."""

from __future__ import annotations

from enum import StrEnum

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute

from partnerka.accounts.routing import PROFILE_SK, AccountStatus
from partnerka.common.pynamo import CoreItem


class Role(StrEnum):
    OWNER = "owner"
    PLATFORM_ADMIN = "platform_admin"
    ADVERTISER = "advertiser"
    AFFILIATE = "affiliate"
    SUPPORT = "support"


class MembershipStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Advertiser(CoreItem):
    """A tenant. PK `ADV#<id>`, SK `PROFILE`; GSI1 `ADVERTISERS` / `<id>` lists them for the platform."""

    id = UnicodeAttribute()
    name = UnicodeAttribute()
    status = UnicodeAttribute(default=AccountStatus.ACTIVE.value)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", PROFILE_SK


class Affiliate(CoreItem):
    """A global affiliate account. PK `AFF#<id>`, SK `PROFILE`.

    `approved_advertisers` mirrors the approved memberships for the tracker (see accounts.routing).
    """

    affiliate_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    status = UnicodeAttribute(default=AccountStatus.ACTIVE.value)
    approved_advertisers = UnicodeSetAttribute(null=True)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(affiliate_id: str) -> tuple[str, str]:
        return f"AFF#{affiliate_id}", PROFILE_SK


class Membership(CoreItem):
    """An affiliate's enrollment with an advertiser. PK `ADV#<advertiser>`, SK `MEMBER#<affiliate>`;
    GSI1 `AFF#<affiliate>` / `MEMBER#<advertiser>` lists an affiliate's advertisers."""

    advertiser_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    status = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, affiliate_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"MEMBER#{affiliate_id}"


class User(CoreItem):
    """A person who signs in. PK `USER#<id>`, SK `PROFILE`; GSI1 `EMAIL#<email>` / `USER` finds by e-mail.

    `advertiser_id` / `affiliate_id` link the user to the account it acts for, by role.
    """

    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    advertiser_id = UnicodeAttribute(null=True)
    affiliate_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(user_id: str) -> tuple[str, str]:
        return f"USER#{user_id}", PROFILE_SK
