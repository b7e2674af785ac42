"""Whether an advertiser's dashboard is limited to its billing pages: while its subscription is
suspended (unpaid past DUNNING_DAYS) or canceled, its people and its API key reach only what lets
them pay and come back. Tracking, postbacks and the affiliates' portal go on, and nothing stored is
touched: only the advertiser's own dashboard waits."""

from __future__ import annotations

from typing import Protocol

from partnerka.billing.models import LOCKED_STATES, Subscription
from partnerka.common.errors import DomainError, ErrorCode


class SubscriptionInactive(DomainError):
    code = ErrorCode.SUBSCRIPTION_INACTIVE


class StoredSubscriptions(Protocol):
    def subscription(self, advertiser_id: str) -> Subscription | None: ...


class SubscriptionLocks:
    def __init__(self, store: StoredSubscriptions) -> None:
        self._store = store

    def ensure_open(self, advertiser_id: str) -> None:
        """One read of the stored subscription; one not stored yet is a trial, never locked."""
        sub = self._store.subscription(advertiser_id)
        if sub is not None and sub.state in LOCKED_STATES:
            raise SubscriptionInactive(
                f"the subscription is {sub.state.value}: only the billing pages open until it is paid"
            )
