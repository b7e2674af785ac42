"""Who hears of an event (notifications.fanout's Recipients): the active people of an affiliate
account, of an advertiser's team, or named; and which sides of a program a person is on, which decides
the events it may receive (notifications.preferences)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from partnerka.accounts.models import Role, User, UserStatus
from partnerka.accounts.repository import AccountStore
from partnerka.common.errors import NotFound
from partnerka.notifications.events import Side
from partnerka.notifications.fanout import Recipient


def sides_of(role: Role) -> frozenset[Side]:
    """An affiliate's people hear of the affiliate's events, an advertiser's team of the advertiser's,
    and everyone (staff too) of what concerns themselves (security notices)."""
    if role is Role.AFFILIATE:
        return frozenset({Side.AFFILIATE, Side.USER})
    if role is Role.ADVERTISER:
        return frozenset({Side.ADVERTISER, Side.USER})
    return frozenset({Side.USER})


def recipient_of(user: User) -> Recipient:
    """Mail goes only to an address its owner confirmed."""
    return Recipient(user.user_id, user.email if user.email_verified else "", user.locale)


def _active(users: Iterable[User]) -> list[Recipient]:
    return [recipient_of(user) for user in users if user.status is UserStatus.ACTIVE]


class AccountRecipients:
    def __init__(self, accounts: AccountStore) -> None:
        self._accounts = accounts

    def of_affiliate(self, affiliate_id: str) -> list[Recipient]:
        return _active(self._accounts.users_of_affiliate(affiliate_id))

    def of_team(self, advertiser_id: str) -> list[Recipient]:
        return _active(self._accounts.team_of(advertiser_id))

    def of_users(self, user_ids: Sequence[str]) -> list[Recipient]:
        """The named people who still exist (a security notice names one)."""
        found = []
        for user_id in dict.fromkeys(user_ids):
            try:
                found.append(self._accounts.get_user(user_id))
            except NotFound:
                continue
        return _active(found)
