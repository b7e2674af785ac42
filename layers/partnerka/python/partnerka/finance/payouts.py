"""Paying affiliates: a payout moves an affiliate's Approved to Paid (finance.ledger), and answers
the payout requests the affiliate made in that currency. A payout can never exceed the approved
balance: the ledger posts it on that condition, so two payouts racing for one balance pay it once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from partnerka.accounts.suspension import AccountSuspended
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.clock import utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.money import Money, currency_code, parse_amount
from partnerka.finance.access import BooksScope
from partnerka.finance.directory import Directory
from partnerka.finance.ledger import Journal, affiliate_owner, payout, payouts_index
from partnerka.finance.repository import InsufficientBalance, LedgerStore
from partnerka.finance.requests import MoneyRequest, MoneyRequestStore, RequestKind, answer_payouts
from partnerka.finance.service import payouts_due, post_journal, read_books
from partnerka.finance.settings import FinanceSettingsStore
from partnerka.notifications.events import Audience, Event, EventType, Notices

HISTORY_SHOWN = 200


@dataclass(frozen=True, slots=True)
class PayoutOrder:
    """What an advertiser pays, as the API or a script gives it."""

    method: str  # how it was paid: wire, PayPal, USDT, …
    reference: str = ""
    affiliate_id: str | None = None  # None: every affiliate with an approved balance (a bulk payout)
    currency: str | None = None  # None: every currency
    amount: str | None = None  # decimal, one affiliate in one currency; None: the whole approved balance


@dataclass(frozen=True, slots=True)
class PayoutRequests:
    """Payout requests as people read them, with the names of the affiliates who made them."""

    advertiser_id: str
    items: list[MoneyRequest]
    affiliate_names: dict[str, str]


class Standings(Protocol):
    """Whether an account the platform's staff suspended holds its money back (accounts.suspension:
    AccountStandings): each `ensure` raises AccountSuspended while it does."""

    def ensure_advertiser_active(self, advertiser_id: str) -> None: ...

    def ensure_affiliate_active(self, advertiser_id: str, affiliate_id: str) -> None: ...

    def affiliate_suspended(self, advertiser_id: str, affiliate_id: str) -> bool: ...


class Payouts:
    def __init__(
        self,
        ledger: LedgerStore,
        requests: MoneyRequestStore,
        settings: FinanceSettingsStore,
        directory: Directory,
        audit: AuditTrail,
        notices: Notices,
        clock: Callable[[], datetime] = utc_now,
        *,
        standings: Standings,
    ) -> None:
        """`standings`: payouts wait while the advertiser, or the affiliate paid, is suspended."""
        self._standings = standings
        self._ledger = ledger
        self._requests = requests
        self._settings = settings
        self._directory = directory
        self._audit = audit
        self._notices = notices
        self._clock = clock

    def pay(self, advertiser_id: str, order: PayoutOrder, actor: Actor) -> list[Journal]:
        """Pay the order; the payouts made. An amount the approved balance does not cover is refused
        (InsufficientBalance); a bulk payout pays every approved balance in full, skipping one that
        someone else paid meanwhile. Each payout answers the affiliate's open requests in its
        currency, is audited, and is told to the affiliate.

        Nothing is paid while the advertiser is suspended, nor to an affiliate suspended (everywhere
        or in this program): one named is refused (AccountSuspended), a bulk payout passes it by."""
        self._standings.ensure_advertiser_active(advertiser_id)
        if order.affiliate_id:
            self._standings.ensure_affiliate_active(advertiser_id, order.affiliate_id)
        currency = currency_code(order.currency) if order.currency else None
        now = self._clock()
        if order.amount is not None:
            if not order.affiliate_id or not currency:
                raise ValidationFailed("an amount pays one affiliate in one currency")
            wanted = [(order.affiliate_id, currency, parse_amount(order.amount, currency).minor)]
        else:
            due = payouts_due(read_books(self._ledger.books(advertiser_id)), order.affiliate_id, currency)
            wanted = [
                (row.affiliate_id, row.currency, row.approved)
                for row in due
                if not self._standings.affiliate_suspended(advertiser_id, row.affiliate_id)
            ]
            if due and not wanted:
                raise AccountSuspended("every affiliate with an approved balance is suspended")
        if not wanted:
            raise ValidationFailed("there is no approved balance to pay")
        made: list[Journal] = []
        for affiliate_id, paid_currency, amount in wanted:
            if amount <= 0:
                raise ValidationFailed("an amount is positive")
            detail = {"method": order.method, "reference": order.reference, "by": actor.user_id or ""}
            journal = payout(advertiser_id, affiliate_id, paid_currency, amount, new_id(), now, detail)
            try:
                post_journal(self._ledger, journal)
            except InsufficientBalance:
                if order.amount is not None:
                    raise
                continue  # paid meanwhile by someone else: the bulk pays the rest
            made.append(journal)
            answer_payouts(self._requests, advertiser_id, affiliate_id, paid_currency, journal.own_id)
            self._audit.record(
                actor,
                advertiser_id,
                "finance.payout",
                f"affiliate:{affiliate_id}",
                after={
                    "currency": paid_currency,
                    "amount": amount,
                    "method": order.method,
                    "reference": order.reference,
                },
            )
            self._notices.send(
                Event(
                    event_id=f"{journal.own_id}.paid",
                    type=EventType.PAYOUT_PAID,
                    occurred_at=now,
                    advertiser_id=advertiser_id,
                    audience=Audience(affiliate_id=affiliate_id),
                    data={
                        "payout_id": journal.own_id,
                        "amount": _shown(amount, paid_currency),
                        "currency": paid_currency,
                    },
                )
            )
        return made

    def history(self, scope: BooksScope) -> list[Journal]:
        """The scope's payouts, newest first."""
        index = payouts_index(scope.advertiser_id, scope.affiliate_id)
        return self._ledger.history(index, HISTORY_SHOWN)

    def request(
        self, advertiser_id: str, affiliate_id: str, currency: str, amount: str | None, actor: Actor
    ) -> PayoutRequests:
        """An affiliate asks to be paid `amount` (omitted: its whole approved balance in the
        currency), between the advertiser's minimum payout and its approved balance; audited, and
        told to the advertiser's team. Refused (AccountSuspended) while the advertiser or the
        affiliate is suspended."""
        self._standings.ensure_advertiser_active(advertiser_id)
        self._standings.ensure_affiliate_active(advertiser_id, affiliate_id)
        currency = currency_code(currency)
        owner = affiliate_owner(advertiser_id, affiliate_id)
        approved = next(
            (
                row.approved
                for row in read_books(self._ledger.balances(owner)).affiliates
                if row.currency == currency
            ),
            0,
        )
        asked = parse_amount(amount, currency).minor if amount is not None else approved
        minimum = max(self._settings.get(advertiser_id).min_payout.get(currency, 1), 1)
        if asked < minimum:
            raise ValidationFailed(f"the minimum payout is {_shown(minimum, currency)} {currency}")
        if asked > approved:
            raise ValidationFailed(f"the approved balance is {_shown(approved, currency)} {currency}")
        request = MoneyRequest(
            RequestKind.PAYOUT,
            new_id(),
            advertiser_id,
            currency,
            asked,
            self._clock(),
            affiliate_id=affiliate_id,
        )
        self._requests.add(request)
        self._audit.record(
            actor,
            advertiser_id,
            "finance.payout_request",
            f"affiliate:{affiliate_id}",
            after={"currency": currency, "amount": asked},
        )
        named = self._named(advertiser_id, [request])
        self._notices.send(
            Event(
                event_id=f"{request.request_id}.requested",
                type=EventType.PAYOUT_REQUESTED,
                occurred_at=request.created_at,
                advertiser_id=advertiser_id,
                audience=Audience(advertiser_team=True),
                data={
                    "request_id": request.request_id,
                    "affiliate_id": affiliate_id,
                    "affiliate_name": named.affiliate_names.get(affiliate_id, ""),
                    "amount": _shown(asked, currency),
                    "currency": currency,
                },
            )
        )
        return named

    def requests(self, scope: BooksScope) -> PayoutRequests:
        """The scope's payout requests (an affiliate's own, or all of the advertiser's), newest first."""
        found = self._requests.of_advertiser(RequestKind.PAYOUT, scope.advertiser_id, scope.affiliate_id)
        return self._named(scope.advertiser_id, found)

    def _named(self, advertiser_id: str, found: list[MoneyRequest]) -> PayoutRequests:
        names = self._directory.affiliate_names(
            advertiser_id, (r.affiliate_id for r in found if r.affiliate_id)
        )
        return PayoutRequests(advertiser_id, found, names)


def _shown(minor: int, currency: str) -> str:
    return Money(minor, currency).as_decimal_string()
