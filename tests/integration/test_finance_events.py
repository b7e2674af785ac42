"""A conversion's life in the ledger, from the Conversions stream's images: arrival, approval,
rejection, each posted once however often its message comes, in any order the queue allows."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from partnerka.finance.ledger_store import InsufficientBalance, LedgerRepository
from partnerka.finance.service import FinanceEvent, FinanceEventKind, NotYetArrived, finance_event, post_event
from partnerka_local.template import Template

AT = datetime(2026, 11, 27, 12, tzinfo=UTC)


def image(status: str, payout: int = 1250, n: int = 1) -> dict[str, object]:
    return {
        "conversion_id": f"cv{n}",
        "advertiser_id": "ADV",
        "affiliate_id": "AFF",
        "offer_id": "OFF",
        "currency": "USD",
        "payout_minor": payout,
        "status": status,
    }


def balances(ledger: LedgerRepository) -> dict[str, int]:
    found = ledger.balances("aff:ADV:AFF") | ledger.balances("adv:ADV")
    return {account.kind: account.shown(amount) for account, amount in found.items() if amount}


def deliver(ledger: LedgerRepository, event: FinanceEvent | None, times: int = 1) -> list[list[str]]:
    assert event is not None
    message = event.as_message()
    return [post_event(ledger, FinanceEvent.from_message(message)) for _ in range(times)]


def test_which_stream_changes_move_money() -> None:
    assert finance_event(None, image("hold"), AT).kind is FinanceEventKind.ARRIVAL  # type: ignore[union-attr]
    assert finance_event(None, image("approved"), AT).approved  # type: ignore[union-attr]
    assert finance_event(None, image("rejected"), AT) is None  # over a cap: never owed
    assert finance_event(None, image("pending", payout=0), AT) is None
    assert finance_event(image("pending"), image("hold"), AT) is None
    assert finance_event(image("hold"), image("hold"), AT) is None
    assert finance_event(image("hold"), image("approved"), AT).kind is FinanceEventKind.APPROVAL  # type: ignore[union-attr]
    assert finance_event(image("approved"), image("rejected"), AT).kind is FinanceEventKind.REJECTION  # type: ignore[union-attr]


def test_hold_approval_and_rejection_each_post_once_under_redelivery(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    # A crash after the ledger write and before the acknowledgement is a redelivery: one journal
    assert deliver(ledger, finance_event(None, image("hold"), AT), times=3) == [["cv1.arrival"], [], []]
    assert balances(ledger) == {"hold": 1250, "pending:OFF": 1250}
    assert deliver(ledger, finance_event(image("hold"), image("approved"), AT), times=2) == [
        ["cv1.approval"],
        [],
    ]
    assert balances(ledger) == {"approved": 1250, "spend:OFF": 1250}
    rejected = deliver(ledger, finance_event(image("approved"), image("rejected"), AT), times=2)
    assert rejected == [["cv1.approval.reversal", "cv1.arrival.reversal"], []]
    assert balances(ledger) == {}


def test_events_out_of_order_wait_for_the_arrival(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    with pytest.raises(InsufficientBalance):
        deliver(ledger, finance_event(image("hold", n=2), image("approved", n=2), AT))
    with pytest.raises(NotYetArrived):
        deliver(ledger, finance_event(image("hold", n=2), image("rejected", n=2), AT))
    assert deliver(ledger, finance_event(None, image("hold", n=2), AT)) == [["cv2.arrival"]]
    assert deliver(ledger, finance_event(image("hold", n=2), image("rejected", n=2), AT)) == [
        ["cv2.arrival.reversal"]
    ]
    assert balances(ledger) == {}
