"""The names finance shows beside ids (affiliates, offers, advertisers): a port the finance services
take, and its implementation on the platform's own tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from partnerka.accounts.repository import AccountRepository
from partnerka.stats.names import group_names


class Directory(Protocol):
    def affiliate_names(self, advertiser_id: str, affiliate_ids: Iterable[str]) -> dict[str, str]:
        """id → name of the affiliates named (an unknown id has none)."""
        ...

    def offer_names(self, advertiser_id: str) -> dict[str, str]:
        """id → name of every offer of the advertiser."""
        ...

    def advertisers(self) -> dict[str, str]:
        """id → name of every advertiser."""
        ...


class PlatformDirectory:
    def affiliate_names(self, advertiser_id: str, affiliate_ids: Iterable[str]) -> dict[str, str]:
        return group_names("affiliate", sorted(set(affiliate_ids)), [advertiser_id])

    def offer_names(self, advertiser_id: str) -> dict[str, str]:
        return group_names("offer", [], [advertiser_id])

    def advertisers(self) -> dict[str, str]:
        return {advertiser.id: advertiser.name for advertiser in AccountRepository().list_advertisers()}
