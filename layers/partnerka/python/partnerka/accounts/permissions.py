"""The one permission matrix: which role may do what (grows with every context)."""

from __future__ import annotations

from enum import StrEnum

from partnerka.accounts.models import Role


class Permission(StrEnum):
    STATS_READ_ANY_ADVERTISER = "stats:read:any"
    STATS_READ_OWN_ADVERTISER = "stats:read:own"
    STATS_READ_OWN_AFFILIATE = "stats:read:affiliate"


MATRIX: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset({Permission.STATS_READ_ANY_ADVERTISER}),
    Role.PLATFORM_ADMIN: frozenset({Permission.STATS_READ_ANY_ADVERTISER}),
    Role.SUPPORT: frozenset({Permission.STATS_READ_ANY_ADVERTISER}),
    Role.ADVERTISER: frozenset({Permission.STATS_READ_OWN_ADVERTISER}),
    Role.AFFILIATE: frozenset({Permission.STATS_READ_OWN_AFFILIATE}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in MATRIX[role]
