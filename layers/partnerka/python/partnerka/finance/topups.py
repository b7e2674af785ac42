"""Top-ups: the money an advertiser sends the platform. Owner or Platform Admin record one they
received (posted at once), or the advertiser submits one with its transfer's reference and they
confirm it (then it is posted) or reject it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.clock import utc_now
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.money import Money, currency_code, parse_amount
from partnerka.finance.ledger import Journal, topup, topups_index
from partnerka.finance.low_balance import LowBalanceWatch, balance_currencies
from partnerka.finance.repository import LedgerStore
from partnerka.finance.requests import MoneyRequest, MoneyRequestStore, RequestKind, RequestStatus
from partnerka.finance.service import post_journal
from partnerka.notifications.events import Audience, Event, EventType, Notices

HISTORY_SHOWN = 200


class TopUpDecision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


def _positive(amount: str, currency: str) -> Money:
    code = currency_code(currency)
    money = parse_amount(amount, code)
    if money.minor <= 0:
        raise ValidationFailed("a top-up is positive")
    return money


class TopUps:
    def __init__(
        self,
        ledger: LedgerStore,
        requests: MoneyRequestStore,
        audit: AuditTrail,
        notices: Notices,
        low_balance: LowBalanceWatch,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._ledger = ledger
        self._requests = requests
        self._audit = audit
        self._notices = notices
        self._low_balance = low_balance
        self._clock = clock

    def record(self, advertiser_id: str, amount: str, currency: str, reference: str, actor: Actor) -> Journal:
        """Post a top-up the platform received (a decimal amount); audited, and told to the team."""
        money = _positive(amount, currency)
        journal = topup(
            advertiser_id, money.currency, money.minor, new_id(), self._clock(), {"reference": reference}
        )
        post_journal(self._ledger, journal)
        self._record(actor, advertiser_id, "finance.topup", money, reference)
        self._posted(journal)
        self._tell(EventType.TOPUP_CONFIRMED, journal.own_id, advertiser_id, money)
        return journal

    def _posted(self, journal: Journal) -> None:
        self._low_balance.check(journal.advertiser_id, balance_currencies(journal), journal.key)

    def _tell(
        self, kind: EventType, topup_id: str, advertiser_id: str, money: Money, reason: str = ""
    ) -> None:
        outcome = "confirmed" if kind is EventType.TOPUP_CONFIRMED else "rejected"
        self._notices.send(
            Event(
                event_id=f"{topup_id}.{outcome}",
                type=kind,
                occurred_at=self._clock(),
                advertiser_id=advertiser_id,
                audience=Audience(advertiser_team=True),
                data={
                    "topup_id": topup_id,
                    "amount": money.as_decimal_string(),
                    "currency": money.currency,
                    "reason": reason,
                },
            )
        )

    def _record(self, actor: Actor, advertiser_id: str, action: str, money: Money, reference: str) -> None:
        after = {"currency": money.currency, "amount": money.minor, "reference": reference}
        self._audit.record(actor, advertiser_id, action, f"advertiser:{advertiser_id}", after=after)

    def history(self, advertiser_id: str) -> list[Journal]:
        """The advertiser's posted top-ups, newest first."""
        return self._ledger.history(topups_index(advertiser_id), HISTORY_SHOWN)

    def submit(
        self, advertiser_id: str, amount: str, currency: str, reference: str, actor: Actor
    ) -> MoneyRequest:
        """The advertiser says it sent money: a request for review, nothing posted; audited."""
        money = _positive(amount, currency)
        request = MoneyRequest(
            RequestKind.TOPUP,
            new_id(),
            advertiser_id,
            money.currency,
            money.minor,
            self._clock(),
            reference=reference,
        )
        self._requests.add(request)
        self._record(actor, advertiser_id, "finance.topup_request", money, reference)
        return request

    def submitted(self, advertiser_id: str) -> list[MoneyRequest]:
        """The advertiser's submitted top-ups, newest first, whatever became of them."""
        return self._requests.of_advertiser(RequestKind.TOPUP, advertiser_id)

    def decide(
        self, advertiser_id: str, request_id: str, decision: TopUpDecision, actor: Actor
    ) -> MoneyRequest:
        """Confirm a submitted top-up (it is posted) or reject it; a request is decided once, and
        the confirmed top-up posts under the request's own id, so a retry after a failure between
        the two writes posts nothing twice and then closes the request. Audited."""
        found = self._requests.get(RequestKind.TOPUP, advertiser_id, request_id)
        if found is None:
            raise NotFound("no such top-up request")
        if found.status is not RequestStatus.OPEN:
            raise Conflict(f"this top-up is {found.status.value} already")
        if decision is TopUpDecision.CONFIRM:
            journal = topup(
                advertiser_id,
                found.currency,
                found.amount,
                request_id,
                self._clock(),
                {"reference": found.reference},
            )
            post_journal(self._ledger, journal)
            self._posted(journal)
            closed = self._requests.close(found, RequestStatus.DONE, request_id)
        else:
            closed = self._requests.close(found, RequestStatus.REJECTED, "")
        if not closed:
            raise Conflict("this top-up was decided meanwhile")
        self._audit.record(
            actor,
            advertiser_id,
            f"finance.topup_{decision.value}",
            f"advertiser:{advertiser_id}",
            after={"request": request_id, "currency": found.currency, "amount": found.amount},
        )
        confirmed = decision is TopUpDecision.CONFIRM
        kind = EventType.TOPUP_CONFIRMED if confirmed else EventType.TOPUP_REJECTED
        self._tell(kind, request_id, advertiser_id, Money(found.amount, found.currency))
        return self._requests.get(RequestKind.TOPUP, advertiser_id, request_id) or found
