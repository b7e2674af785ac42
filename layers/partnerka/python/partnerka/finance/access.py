"""Whose books a caller may read, and whose money it may move: the finance rules of tenancy, decided
here once from the permission matrix (accounts.permissions) for every finance endpoint.

An affiliate reads its own accounts in the advertiser context it switched to, and asks to be paid;
an advertiser reads its whole books and pays its own affiliates; platform staff read the books of the
advertiser they name; Owner and Platform Admin also move its money and alone record or decide the
money an advertiser sends. Support moves no money. Naming another advertiser is refused, never
silently narrowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.permissions import Permission, allows, require, tenant_for
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden


@dataclass(frozen=True, slots=True)
class BooksScope:
    """An advertiser's whole books, or one affiliate's accounts in them."""

    advertiser_id: str
    affiliate_id: str | None = None


def advertiser_books(principal: Principal, advertiser_id: str | None) -> str:
    """The advertiser whose whole books the caller reads: its own, or (platform staff) the one named."""
    return tenant_for(principal, advertiser_id, Permission.FINANCE_READ_OWN, Permission.FINANCE_READ_ANY)


def books_scope(principal: Principal, advertiser_id: str | None) -> BooksScope:
    """What a balance or history call reads: an affiliate its own accounts in its current advertiser,
    anyone else the advertiser's whole books (`advertiser_books`)."""
    if allows(principal, Permission.FINANCE_READ_AFFILIATE):
        if not principal.advertiser_id or not principal.affiliate_id:
            raise Forbidden("select an advertiser first")
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("this belongs to another advertiser")
        return BooksScope(principal.advertiser_id, principal.affiliate_id)
    return BooksScope(advertiser_books(principal, advertiser_id))


def invoice_tenant(principal: Principal, advertiser_id: str | None) -> str:
    """Invoices are the advertiser's (and platform staff's); an affiliate has none."""
    if not (allows(principal, Permission.FINANCE_READ_OWN) or allows(principal, Permission.FINANCE_READ_ANY)):
        raise Forbidden("invoices are the advertiser's")
    return advertiser_books(principal, advertiser_id)


def paying_tenant(principal: Principal, advertiser_id: str | None) -> str:
    """The advertiser whose money the caller moves (payouts, thresholds, submitted top-ups): its own,
    or, for the Owner, the one named."""
    return tenant_for(principal, advertiser_id, Permission.FINANCE_MANAGE_OWN, Permission.FINANCE_MANAGE_ANY)


def deposit_tenant(principal: Principal, advertiser_id: str | None) -> str:
    """The advertiser whose top-up the Owner records or decides: never the advertiser
    itself, whose word that money arrived is what the review checks."""
    require(principal, Permission.FINANCE_MANAGE_ANY)
    return paying_tenant(principal, advertiser_id)


def payout_requester(principal: Principal) -> tuple[str, str]:
    """(advertiser, affiliate) of an affiliate asking its current advertiser to pay it."""
    if not allows(principal, Permission.FINANCE_REQUEST_PAYOUT):
        raise Forbidden("payout requests are an affiliate's")
    scope = books_scope(principal, None)
    if scope.affiliate_id is None:
        raise Forbidden("payout requests are an affiliate's")
    return scope.advertiser_id, scope.affiliate_id


def overview_reader(principal: Principal) -> None:
    """The platform's overview of every advertiser's books is platform staff's."""
    require(principal, Permission.FINANCE_READ_ANY)
