"""Tells an advertiser's team by e-mail where one of its domains now stands (domains.service's
DomainNotices): live, broken (its CNAME moved away) or failed, with the reason the check found."""

from __future__ import annotations

from partnerka.accounts.models import UserStatus
from partnerka.accounts.repository import AccountStore
from partnerka.accounts.service import Notifications
from partnerka.domains.models import Domain
from partnerka.notifications.email import ACCOUNT_EMAIL, DomainNotice, domain_email_payload


class TeamDomainNotices:
    def __init__(self, accounts: AccountStore, notifications: Notifications, dashboard_url: str) -> None:
        self._accounts = accounts
        self._notifications = notifications
        self._domains_url = f"{dashboard_url.rstrip('/')}/domains"

    def domain_moved(self, domain: Domain) -> None:
        """One e-mail to each of the advertiser's people who can act on it (active, confirmed)."""
        notice = DomainNotice(domain.name.unicode, domain.status.value, domain.status_reason)
        for user in self._accounts.team_of(domain.advertiser_id):
            if user.status is not UserStatus.ACTIVE or not user.email_verified:
                continue
            self._notifications.post(
                ACCOUNT_EMAIL,
                domain_email_payload(user.locale, user.email, self._domains_url, notice),
                subject=f"domain:{domain.domain_id}",
                advertiser_id=domain.advertiser_id,
            )
