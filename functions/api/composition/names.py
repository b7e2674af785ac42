"""Names as stored (offers, affiliates, advertisers), for the services that show them."""

from __future__ import annotations

from partnerka.accounts.repository import AccountRepository
from partnerka.common.pynamo import use_core_table
from partnerka.offers.names import StoredNames


def stored_names(core_table: str) -> StoredNames:
    use_core_table(core_table)
    return StoredNames()


def every_advertiser() -> list[str]:
    return [advertiser.id for advertiser in AccountRepository().list_advertisers()]
