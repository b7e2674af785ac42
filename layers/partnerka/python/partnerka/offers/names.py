"""The names the dashboard shows beside the ids it lists: offers', affiliates' and advertisers'."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Protocol

from partnerka.accounts.repository import AccountRepository
from partnerka.common.errors import NotFound
from partnerka.offers.repository import OfferRepository


class NameBook(Protocol):
    def offers(self, advertisers: Iterable[str]) -> dict[str, str]:
        """offer id → name, for every offer of the advertisers."""
        ...

    def affiliates(self, affiliate_ids: Iterable[str]) -> dict[str, str]:
        """affiliate id → name, for the ids that name an affiliate (`-`, a link that named none,
        does not)."""
        ...

    def advertisers(self, advertiser_ids: Iterable[str]) -> dict[str, str]:
        """advertiser id → name, for the ids that name an advertiser."""
        ...


class StoredNames:
    """The names as stored: one read per advertiser's offers, per affiliate, or of the advertisers."""

    def __init__(
        self, offers: OfferRepository | None = None, accounts: AccountRepository | None = None
    ) -> None:
        self._offers = offers or OfferRepository()
        self._accounts = accounts or AccountRepository()

    def offers(self, advertisers: Iterable[str]) -> dict[str, str]:
        return {o.offer_id: o.name for a in advertisers for o in self._offers.list_offers(a)}

    def affiliates(self, affiliate_ids: Iterable[str]) -> dict[str, str]:
        names: dict[str, str] = {}
        for affiliate_id in affiliate_ids:
            with suppress(NotFound):
                names[affiliate_id] = self._accounts.get_affiliate(affiliate_id).name
        return names

    def advertisers(self, advertiser_ids: Iterable[str]) -> dict[str, str]:
        wanted = set(advertiser_ids)
        return {a.id: a.name for a in self._accounts.list_advertisers() if a.id in wanted}


class NoticeNames:
    """notifications.fanout.Names: one read of the offer or of the advertiser."""

    def __init__(
        self, offers: OfferRepository | None = None, accounts: AccountRepository | None = None
    ) -> None:
        self._offers = offers or OfferRepository()
        self._accounts = accounts or AccountRepository()

    def offer_name(self, advertiser_id: str, offer_id: str) -> str | None:
        with suppress(NotFound):
            return self._offers.get(advertiser_id, offer_id).name
        return None

    def advertiser_name(self, advertiser_id: str) -> str | None:
        with suppress(NotFound):
            return self._accounts.get_advertiser(advertiser_id).name
        return None
