"""The names a report shows beside the ids it groups by (offers, affiliates, advertisers)."""

from __future__ import annotations

from partnerka.offers.names import NameBook, StoredNames

NAMED_GROUPS = ("offer", "affiliate", "advertiser")


def group_names(
    group_by: str, keys: list[str], advertisers: list[str], book: NameBook | None = None
) -> dict[str, str]:
    """Names for the keys of one page of rows: one read per advertiser's offers, per affiliate shown,
    or of the advertisers; other groupings have no names."""
    book = book or StoredNames()
    if group_by == "offer":
        return book.offers(advertisers)
    if group_by == "advertiser":
        return book.advertisers(keys)
    if group_by == "affiliate":
        return book.affiliates(keys)
    return {}
