"""The names a report shows beside the ids it groups by (offers, affiliates, advertisers)."""

from __future__ import annotations

from contextlib import suppress

from partnerka.accounts.repository import AccountRepository
from partnerka.common.errors import NotFound
from partnerka.offers.repository import OfferRepository

NAMED_GROUPS = ("offer", "affiliate", "advertiser")


def group_names(group_by: str, keys: list[str], advertisers: list[str]) -> dict[str, str]:
    """Names for the keys of one page of rows: one read per advertiser's offers, per affiliate shown,
    or of the advertisers; other groupings have no names."""
    if group_by == "offer":
        return {o.offer_id: o.name for a in advertisers for o in OfferRepository().list_offers(a)}
    if group_by == "advertiser":
        return {a.id: a.name for a in AccountRepository().list_advertisers() if a.id in keys}
    names: dict[str, str] = {}
    if group_by == "affiliate":
        for key in keys:
            with suppress(NotFound):  # "-": a link that named no affiliate
                names[key] = AccountRepository().get_affiliate(key).name
    return names
