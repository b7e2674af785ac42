"""Finance in the one permission matrix: each finance permission goes to the roles that held the same
power before it existed (through the workspace permissions and role tests), an API key keeps exactly
what it could do, and whose books each caller reads or moves money in is decided as before."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.permissions import API_KEY_PERMISSIONS, Permission, allows, require, workspace_tenant
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import DomainError, Forbidden, ValidationFailed
from partnerka.finance.access import (
    BooksScope,
    advertiser_books,
    books_scope,
    deposit_tenant,
    invoice_tenant,
    overview_reader,
    paying_tenant,
    payout_requester,
)
from tests.unit.fakes import ADVERTISER, AFFILIATE

OTHER = "01JAD0000000000000000000BB"

GRANTED = {
    Permission.FINANCE_READ_OWN: {Role.ADVERTISER},
    Permission.FINANCE_READ_ANY: {Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT},
    Permission.FINANCE_MANAGE_OWN: {Role.ADVERTISER},
    Permission.FINANCE_MANAGE_ANY: {Role.OWNER},
    Permission.FINANCE_READ_AFFILIATE: {Role.AFFILIATE},
    Permission.FINANCE_REQUEST_PAYOUT: {Role.AFFILIATE},
}

PRINCIPALS = {
    "owner": Principal("u-owner", Role.OWNER),
    "admin": Principal("u-admin", Role.PLATFORM_ADMIN),
    "support": Principal("u-support", Role.SUPPORT),
    "advertiser": Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER),
    "api key": Principal("api_key:k1", Role.ADVERTISER, advertiser_id=ADVERTISER, api_key_id="k1"),
    "affiliate": Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE),
    "affiliate without a context": Principal("u-aff", Role.AFFILIATE, affiliate_id=AFFILIATE),
}


def outcome(decide: Callable[[], object]) -> object:
    """What a rule decides: its answer, or the refusal it raises (kind and words)."""
    try:
        return decide()
    except DomainError as error:
        return type(error).__name__, error.message


def test_each_finance_permission_goes_only_to_the_roles_that_held_it() -> None:
    finance = {p for p in Permission if p.value.startswith("finance:")}
    assert finance == set(GRANTED)
    for permission, roles in GRANTED.items():
        assert {role for role in Role if allows(role, permission)} == roles, permission


def test_an_api_key_reads_and_pays_its_own_books_and_can_do_nothing_more_than_before() -> None:
    key = PRINCIPALS["api key"]
    assert {p for p in GRANTED if allows(key, p)} == {
        Permission.FINANCE_READ_OWN,
        Permission.FINANCE_MANAGE_OWN,
    }
    before = {
        Permission.WORKSPACE_READ_OWN,
        Permission.WORKSPACE_MANAGE_OWN,
        Permission.AUDIT_READ_OWN,
        Permission.STATS_READ_OWN_ADVERTISER,
        Permission.DELIVERIES_READ_OWN_ADVERTISER,
        Permission.OFFER_SECRETS_READ,
    }
    # revenue:read names what API keys always had (the advertiser's own revenue in its reports)
    assert set(API_KEY_PERMISSIONS) == before | {
        Permission.FINANCE_READ_OWN,
        Permission.FINANCE_MANAGE_OWN,
        Permission.REVENUE_READ,
        Permission.BILLING_READ_OWN,  # its subscription and the platform's invoices, read only
    }


def _before_books_scope(principal: Principal, advertiser_id: str | None) -> BooksScope:
    """How balances and histories were scoped before the matrix knew finance (a role test)."""
    if principal.role is Role.AFFILIATE:
        if not principal.advertiser_id or not principal.affiliate_id:
            raise Forbidden("select an advertiser first")
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("this belongs to another advertiser")
        return BooksScope(principal.advertiser_id, principal.affiliate_id)
    return BooksScope(workspace_tenant(principal, advertiser_id, manage=False))


def _before_deposit_tenant(principal: Principal, advertiser_id: str | None) -> str:
    require(principal, Permission.WORKSPACE_MANAGE_ANY)
    return workspace_tenant(principal, advertiser_id, manage=True)


def _before_invoice_tenant(principal: Principal, advertiser_id: str | None) -> str:
    if principal.role is Role.AFFILIATE:
        raise Forbidden("invoices are the advertiser's")
    return workspace_tenant(principal, advertiser_id, manage=False)


def _before_overview(principal: Principal) -> None:
    require(principal, Permission.WORKSPACE_READ_ANY)


@pytest.mark.parametrize("who", sorted(PRINCIPALS))
@pytest.mark.parametrize("named", [None, ADVERTISER, OTHER])
def test_whose_books_each_caller_reads_and_moves_money_in_is_decided_as_before(
    who: str, named: str | None
) -> None:
    principal = PRINCIPALS[who]
    pairs: list[tuple[Callable[[], object], Callable[[], object]]] = [
        (lambda: books_scope(principal, named), lambda: _before_books_scope(principal, named)),
        (
            lambda: advertiser_books(principal, named),
            lambda: workspace_tenant(principal, named, manage=False),
        ),
        (lambda: invoice_tenant(principal, named), lambda: _before_invoice_tenant(principal, named)),
        (lambda: overview_reader(principal), lambda: _before_overview(principal)),
    ]
    if who != "admin":  # the seed's platform admin moves no money any more (see the test below)
        pairs += [
            (
                lambda: paying_tenant(principal, named),
                lambda: workspace_tenant(principal, named, manage=True),
            ),
            (lambda: deposit_tenant(principal, named), lambda: _before_deposit_tenant(principal, named)),
        ]
    for now, before in pairs:
        assert outcome(now) == outcome(before)


@pytest.mark.parametrize(
    ("who", "named", "expected"),
    [
        ("affiliate", None, BooksScope(ADVERTISER, AFFILIATE)),
        ("affiliate", OTHER, ("Forbidden", "this belongs to another advertiser")),
        ("affiliate without a context", None, ("Forbidden", "select an advertiser first")),
        ("advertiser", None, BooksScope(ADVERTISER)),
        ("advertiser", OTHER, ("Forbidden", "this belongs to another advertiser")),
        ("api key", None, BooksScope(ADVERTISER)),
        ("support", OTHER, BooksScope(OTHER)),
        ("owner", None, ("ValidationFailed", "advertiser_id is required")),
    ],
)
def test_books_scope_per_role(who: str, named: str | None, expected: object) -> None:
    assert outcome(lambda: books_scope(PRINCIPALS[who], named)) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("affiliate", (ADVERTISER, AFFILIATE)),
        ("affiliate without a context", ("Forbidden", "select an advertiser first")),
        ("advertiser", ("Forbidden", "payout requests are an affiliate's")),
        ("api key", ("Forbidden", "payout requests are an affiliate's")),
        ("owner", ("Forbidden", "payout requests are an affiliate's")),
    ],
)
def test_only_an_affiliate_in_an_advertiser_context_asks_to_be_paid(who: str, expected: object) -> None:
    assert outcome(lambda: payout_requester(PRINCIPALS[who])) == expected


def test_support_reads_any_books_and_moves_no_money() -> None:
    support = PRINCIPALS["support"]
    assert advertiser_books(support, OTHER) == OTHER
    for moves_money in (paying_tenant, deposit_tenant):
        with pytest.raises(Forbidden):
            moves_money(support, OTHER)
    with pytest.raises(ValidationFailed):
        paying_tenant(PRINCIPALS["owner"], None)


def test_the_platform_admin_reads_any_books_and_only_the_owner_moves_their_money() -> None:
    admin, owner = PRINCIPALS["admin"], PRINCIPALS["owner"]
    assert advertiser_books(admin, OTHER) == OTHER
    for moves_money in (paying_tenant, deposit_tenant):
        with pytest.raises(Forbidden):
            moves_money(admin, OTHER)
        assert moves_money(owner, OTHER) == OTHER
