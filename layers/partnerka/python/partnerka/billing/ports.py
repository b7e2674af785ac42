"""What billing asks of the rest of the platform: what an advertiser uses, how many clicks it had in a
month, and what its plan allows."""

from __future__ import annotations

from typing import Protocol

from partnerka.billing.models import Entitlements, Limit


class UsageCounts(Protocol):
    def usage(self, advertiser_id: str) -> dict[Limit, int]: ...


class ClicksMeter(Protocol):
    def clicks(self, advertiser_id: str, month: str) -> int: ...  # month "YYYY-MM", UTC


class EntitlementsSource(Protocol):
    def entitlements(self, advertiser_id: str) -> Entitlements: ...
    # the lowest public plan code allowing `needed`, None if none
    def upgrade_for(self, limit: Limit, needed: int) -> str | None: ...
