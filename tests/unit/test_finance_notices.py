"""What finance tells people: a balance that falls below its threshold (once per crossing, again only
after it was back above), top-ups decided, payouts asked for and made; and none of it ever fails or
holds back the money that moved."""

from __future__ import annotations

from itertools import count

import pytest

from partnerka.finance.billing import invoice_issued
from partnerka.finance.invoices import Invoice, InvoiceLine, InvoiceStatus
from partnerka.finance.ledger import ConversionMoney, arrival
from partnerka.finance.low_balance import LowBalanceWatch, balance_currencies
from partnerka.finance.payouts import PayoutOrder, Payouts
from partnerka.finance.service import FinanceEvent, FinanceEventKind, post_event
from partnerka.finance.settings import FinanceSettings
from partnerka.finance.topups import TopUpDecision, TopUps
from partnerka.notifications.events import Audience, EventType, QueuedNotices
from partnerka.notifications.outbox import Outbox
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeOperations, FakeQueue
from tests.unit.test_finance_services import BOSS, OWNER, Finance

_conversions = count(1)


@pytest.fixture
def finance() -> Finance:
    found = Finance()
    found.settings.save(FinanceSettings(ADVERTISER, low_balance_threshold={"USD": 10000}))
    return found


def spend(finance: Finance, minor: int, watch: LowBalanceWatch | None = None) -> str:
    """What the finance worker does with a conversion approved at once: post it, then check."""
    money = ConversionMoney(f"cv{next(_conversions)}", ADVERTISER, AFFILIATE, OFFER, "USD", minor)
    event = FinanceEvent(FinanceEventKind.ARRIVAL, money, True, finance.clock.now())
    post_event(finance.ledger, event)
    assert event.moves_balance
    (watch or finance.low_balance).check(ADVERTISER, {"USD"}, event.event_id)
    return event.event_id


def lows(finance: Finance) -> list[str]:
    return [event.event_id for event in finance.notices.of_type(EventType.BALANCE_LOW)]


def test_a_balance_is_told_low_once_per_crossing_and_again_after_it_was_back_above(finance: Finance) -> None:
    # Given an advertiser with 150.00 USD and a threshold of 100.00
    finance.topups.record(ADVERTISER, "150", "USD", "wire-1", OWNER)
    assert lows(finance) == []
    # When a conversion takes it to 90.00, then its team hears of it once
    first = spend(finance, 6000)
    [low] = finance.notices.of_type(EventType.BALANCE_LOW)
    assert low.event_id == f"balance-low.{ADVERTISER}.USD.{first}"
    assert (low.advertiser_id, low.audience) == (ADVERTISER, Audience(advertiser_team=True))
    assert low.data == {"currency": "USD", "balance": "90.00", "threshold": "100.00"}
    # And going lower still tells nothing more
    spend(finance, 2000)
    assert lows(finance) == [low.event_id]
    # And a top-up back above the threshold, then a fall below it again, is a second crossing
    finance.topups.record(ADVERTISER, "100", "USD", "wire-2", OWNER)  # 170.00
    second = spend(finance, 10000)  # 70.00
    assert lows(finance) == [low.event_id, f"balance-low.{ADVERTISER}.USD.{second}"]


def test_two_writers_crossing_at_once_tell_it_once(finance: Finance) -> None:
    # Given two workers (each its own watch) over one ledger and one set of flags
    other = LowBalanceWatch(finance.ledger, finance.settings, finance.flags, finance.notices)
    finance.topups.record(ADVERTISER, "120", "USD", "wire-1", OWNER)
    # When each posts a conversion that leaves the balance below the threshold
    spend(finance, 1500, watch=other)
    spend(finance, 1500)
    # Then only the writer whose flag stood tells the team; its retry sends the same event again
    assert len(lows(finance)) == 1
    [crossing] = finance.flags.flags.values()
    other.check(ADVERTISER, {"USD"}, crossing)
    assert lows(finance) == [lows(finance)[0]] * 2


def test_a_threshold_raised_above_the_balance_is_a_crossing_and_a_removed_one_forgets_it(
    finance: Finance,
) -> None:
    finance.settings.save(FinanceSettings(ADVERTISER))
    finance.topups.record(ADVERTISER, "50", "USD", "wire-1", OWNER)
    # When Owner sets a threshold above the balance, then the team hears of it
    finance.balances.save_settings(ADVERTISER, {"USD": "80"}, {}, BOSS)
    [low] = finance.notices.of_type(EventType.BALANCE_LOW)
    assert low.data == {"currency": "USD", "balance": "50.00", "threshold": "80.00"}
    # And saving the same threshold again is no new crossing
    finance.balances.save_settings(ADVERTISER, {"USD": "80"}, {"USD": "10"}, BOSS)
    assert len(lows(finance)) == 1
    # And removing it, then setting it again, is told afresh
    finance.balances.save_settings(ADVERTISER, {}, {}, BOSS)
    assert finance.flags.flags == {}
    finance.balances.save_settings(ADVERTISER, {"USD": "80"}, {}, BOSS)
    assert len(lows(finance)) == 2


def test_only_journals_that_move_the_advertisers_balance_are_checked(finance: Finance) -> None:
    money, now = ConversionMoney("cv", ADVERTISER, AFFILIATE, OFFER, "USD", 1000), finance.clock.now()
    assert not FinanceEvent(FinanceEventKind.ARRIVAL, money, False, now).moves_balance
    assert FinanceEvent(FinanceEventKind.REJECTION, money, False, now).moves_balance
    assert balance_currencies(arrival(money, False, now)) == set()  # a conversion on hold: pending only
    assert balance_currencies(arrival(money, True, now)) == {"USD"}


def test_top_ups_decided_are_told_to_the_team(finance: Finance) -> None:
    confirmed = finance.topups.submit(ADVERTISER, "250", "EUR", "SEPA-9", BOSS)
    rejected = finance.topups.submit(ADVERTISER, "40", "EUR", "SEPA-10", BOSS)
    finance.topups.decide(ADVERTISER, confirmed.request_id, TopUpDecision.CONFIRM, OWNER)
    finance.topups.decide(ADVERTISER, rejected.request_id, TopUpDecision.REJECT, OWNER)
    [yes] = finance.notices.of_type(EventType.TOPUP_CONFIRMED)
    [no] = finance.notices.of_type(EventType.TOPUP_REJECTED)
    assert yes.event_id == f"{confirmed.request_id}.confirmed"
    assert yes.data == {"topup_id": confirmed.request_id, "amount": "250.00", "currency": "EUR", "reason": ""}
    assert (no.event_id, no.data["amount"]) == (f"{rejected.request_id}.rejected", "40.00")
    assert {yes.audience, no.audience} == {Audience(advertiser_team=True)}


def test_a_payout_asked_for_is_told_to_the_team_and_one_made_to_the_affiliate(finance: Finance) -> None:
    finance.earn(8000)
    aff = BOSS  # the actor does not matter to what is told
    asked = finance.payouts.request(ADVERTISER, AFFILIATE, "USD", "60", aff)
    [request] = finance.notices.of_type(EventType.PAYOUT_REQUESTED)
    assert request.event_id == f"{asked.items[0].request_id}.requested"
    assert request.audience == Audience(advertiser_team=True)
    assert request.data == {
        "request_id": asked.items[0].request_id,
        "affiliate_id": AFFILIATE,
        "affiliate_name": "Traffic Pro",
        "amount": "60.00",
        "currency": "USD",
    }
    [made] = finance.payouts.pay(ADVERTISER, PayoutOrder("wire", affiliate_id=AFFILIATE), OWNER)
    [paid] = finance.notices.of_type(EventType.PAYOUT_PAID)
    assert paid.event_id == f"{made.own_id}.paid"
    assert (paid.advertiser_id, paid.audience) == (ADVERTISER, Audience(affiliate_id=AFFILIATE))
    assert paid.data == {"payout_id": made.own_id, "amount": "80.00", "currency": "USD"}


def test_money_moves_when_the_notify_queue_refuses_every_notice(finance: Finance) -> None:
    # Given services whose notices go to a queue that refuses them
    operations = FakeOperations()
    notices = QueuedNotices(Outbox(FakeQueue(refuses=True), operations))
    low_balance = LowBalanceWatch(finance.ledger, finance.settings, finance.flags, notices)
    topups = TopUps(finance.ledger, finance.requests, finance.audit, notices, low_balance)
    payouts = Payouts(
        finance.ledger,
        finance.requests,
        finance.settings,
        finance.directory,
        finance.audit,
        notices,
        standings=finance.standings,
    )
    # When money moves below the threshold and a payout is asked for and made
    topups.record(ADVERTISER, "50", "USD", "wire-1", OWNER)
    finance.earn(3000)
    payouts.request(ADVERTISER, AFFILIATE, "USD", None, BOSS)
    payouts.pay(ADVERTISER, PayoutOrder("wire", affiliate_id=AFFILIATE), OWNER)
    # Then it all moved, and every notice the queue refused is on record as a failed notification
    assert finance.paid() == 3000
    assert finance.deposits("USD") == 5000
    kinds = sorted(op.subject_id.split(":", 1)[0] for op in operations.items.values())
    assert kinds == ["balance.low", "payout.paid", "payout.requested", "topup.confirmed"]


def test_an_issued_invoice_tells_the_team_what_it_pays(finance: Finance) -> None:
    lines = [InvoiceLine(OFFER, "USD", 3, 3750, 6000), InvoiceLine("o2", "USD", 1, 1250, 2000)]
    invoice = Invoice(ADVERTISER, "2026-11", InvoiceStatus.ISSUED, "PK-000007", lines=lines)
    event = invoice_issued(invoice, finance.clock.now())
    assert event.event_id == f"{ADVERTISER}.2026-11.issued"
    assert (event.type, event.audience) == (EventType.INVOICE_ISSUED, Audience(advertiser_team=True))
    assert event.data == {
        "invoice_id": f"{ADVERTISER}.2026-11",
        "number": "PK-000007",
        "month": "2026-11",
        "amount": "50.00",
        "currency": "USD",
        "amounts": {"USD": "50.00"},
    }
