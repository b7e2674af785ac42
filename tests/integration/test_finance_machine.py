"""The whole money path as a state machine (hypothesis): clicks, conversions on hold or approved on
arrival, duplicate postbacks, approvals, hold releases, rejections (reversals, after a payout too),
payouts, top-ups, month-end invoices, worker crashes after the ledger write, and redelivery of any
message up to ten times.

Conversions change as the Conversions table would; each change becomes the finance message the
orchestrator would send (the stream record decoded by the orchestrator's edge, then
`finance.service.finance_event`), queued per FIFO group, and is delivered to
the real finance worker (`functions/finance/app.py`) against the real ledger table (moto). After
every step:

- every journal sums to zero in each currency, and none is posted twice;
- every balance equals the sum of its entries;
- Hold, Paid, pending, spend, revenue and deposits never go below zero;
- the books equal what a plain model of the same events expects;
- an issued invoice never changes, and every journal moving spend or revenue is on exactly one
  month's list, never on a month closed before it was posted.
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from partnerka.conversions.events import ConversionChanged
from partnerka.finance.invoices import (
    InvoiceRepository,
    InvoiceStatus,
    invoice_items,
    invoice_lines,
    issue_invoice,
)
from partnerka.finance.ledger import invoice_index, payout, topup
from partnerka.finance.repository import InsufficientBalance, LedgerRepository
from partnerka.finance.service import FinanceEvent, finance_event
from partnerka.orchestrator.records import StreamRecord
from partnerka_local.template import Template
from tests.conftest import examples
from tests.integration.conftest import CONTEXT, FunctionLoader
from tests.stream_records import stream_record

START = datetime(2026, 9, 10, 12, tzinfo=UTC)
AFFILIATES = ("AFFA", "AFFB")
OFFERS = ("OFF1", "OFF2")
CURRENCIES = ("USD", "JPY", "KWD")  # 2-, 0- and 3-decimal
NEVER_NEGATIVE = ("hold", "paid", "pending", "spend", "revenue", "receivable", "deposits", "cash")


@dataclass
class Conversion:
    conversion_id: str
    affiliate_id: str
    offer_id: str
    currency: str
    payout: int
    revenue: int
    status: str = "hold"
    # What the worker has posted for it (the model)
    arrived: bool = False
    arrived_approved: bool = False
    approved: bool = False
    reversed: bool = False
    first_image: dict[str, Any] = field(default_factory=dict)  # as inserted

    def image(self, advertiser_id: str, at: datetime) -> dict[str, Any]:
        return {
            "pk": f"ADV#{advertiser_id}#O#{self.offer_id}#G#sale#CLICK#{self.conversion_id}",
            "conversion_id": self.conversion_id,
            "click_id": f"click-{self.conversion_id}",
            "advertiser_id": advertiser_id,
            "affiliate_id": self.affiliate_id,
            "offer_id": self.offer_id,
            "currency": self.currency,
            "payout_minor": self.payout,
            "revenue_minor": self.revenue,
            "status": self.status,
            "created_at": at.isoformat(),
            "updated_at": at.isoformat(),
        }


def _finance_event(record: StreamRecord) -> FinanceEvent | None:
    """The finance message the orchestrator sends for a decoded Conversions stream record."""
    assert isinstance(record.event, ConversionChanged), record.problem
    return finance_event(record.event)


@dataclass
class Message:
    message_id: str
    group: str
    body: str
    event_id: str


def sqs_event(messages: list[Message]) -> dict[str, Any]:
    """The messages as Lambda's SQS (FIFO) event source hands them to the worker."""
    return {
        "Records": [
            {
                "messageId": m.message_id,
                "receiptHandle": m.message_id,
                "body": m.body,
                "attributes": {"MessageGroupId": m.group, "MessageDeduplicationId": m.event_id},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:finance.fifo",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


@dataclass
class Books:
    """The model: what the ledger should show, from the events the worker acknowledged."""

    paid: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    deposits: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class FinanceMachine(RuleBasedStateMachine):
    worker: ModuleType  # the finance worker, loaded once per test
    functions: FunctionLoader

    def __init__(self) -> None:
        super().__init__()
        # A table of its own for each run, shaped like the stack's: moto copies the whole table on
        # every transaction, so one table growing across runs would slow each run down.
        self.table = f"{os.environ['LEDGER_TABLE']}-{uuid.uuid4().hex[:8]}"
        dynamo = boto3.client("dynamodb")
        dynamo.create_table(
            TableName=self.table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
        )
        self.ledger = LedgerRepository(self.table)
        self.worker.ledger = self.ledger  # the worker's module-level repository
        self.functions.stand_in(self.table, os.environ["LEDGER_TABLE"])  # authorized as the stack's
        self.invoices = InvoiceRepository(self.table)
        self.adv = f"ADV{uuid.uuid4().hex[:12]}"  # hypothesis reuses the table between examples
        self.now = START
        self.clicks: list[str] = []
        self.conversions: dict[str, Conversion] = {}
        self.queues: dict[str, list[Message]] = defaultdict(list)
        self.acknowledged: list[Message] = []
        self.model = Books()
        self.payouts = 0
        self.topups: list[str] = []
        self.closed: dict[str, Any] = {}  # month → the invoice as issued
        self.seen: dict[Any, int] = {}  # the balances checked at the last step
        self.sequence = 0

    # ---------------------------------------------------------------- the world

    def _send(self, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
        """What the orchestrator sends for a Conversions stream record."""
        self.sequence += 1
        name = "MODIFY" if old else "INSERT"
        event = _finance_event(
            stream_record(str(self.sequence), f"e{self.sequence}", name, "conversions", new, old)
        )
        if event is None:
            return
        group = f"{self.adv}#{event.money.affiliate_id}"
        self.queues[group].append(Message(f"m{self.sequence}", group, event.as_message(), event.event_id))

    @rule(affiliate=st.sampled_from(AFFILIATES))
    def click(self, affiliate: str) -> None:
        self.clicks.append(f"{affiliate}-{len(self.clicks)}-{self.adv}")  # ids unique across examples

    @precondition(lambda self: any(c not in self.conversions for c in self.clicks))
    @rule(
        data=st.data(),
        offer=st.sampled_from(OFFERS),
        currency=st.sampled_from(CURRENCIES),
        payout_minor=st.sampled_from([0, 1, 250, 1250, 99999]),
        revenue_minor=st.sampled_from([0, 2000, 777]),
        held=st.booleans(),
    )
    def conversion(
        self,
        data: st.DataObject,
        offer: str,
        currency: str,
        payout_minor: int,
        revenue_minor: int,
        held: bool,
    ) -> None:
        click = data.draw(st.sampled_from([c for c in self.clicks if c not in self.conversions]))
        conversion = Conversion(
            click,
            click.split("-")[0],
            offer,
            currency,
            payout_minor,
            revenue_minor,
            "hold" if held else "approved",
        )
        conversion.first_image = conversion.image(self.adv, self.now)
        self.conversions[click] = conversion
        self._send(None, conversion.first_image)

    @precondition(lambda self: self.conversions)
    @rule(data=st.data())
    def duplicate_postback(self, data: st.DataObject) -> None:
        """The same postback again, seen twice on its way (the stream redelivers the insert): its
        message goes out again, after whatever followed it."""
        conversion_id = data.draw(st.sampled_from(sorted(self.conversions)))
        self._send(None, self.conversions[conversion_id].first_image)

    def _change(self, conversion: Conversion, status: str) -> None:
        old = conversion.image(self.adv, self.now)
        conversion.status = status
        self._send(old, conversion.image(self.adv, self.now))

    @precondition(lambda self: any(c.status == "hold" for c in self.conversions.values()))
    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        held = sorted(c.conversion_id for c in self.conversions.values() if c.status == "hold")
        self._change(self.conversions[data.draw(st.sampled_from(held))], "approved")

    @precondition(lambda self: any(c.status == "hold" for c in self.conversions.values()))
    @rule()
    def hold_release(self) -> None:
        """The hold-release schedule approves every conversion whose hold has ended."""
        for conversion in sorted(self.conversions.values(), key=lambda c: c.conversion_id):
            if conversion.status == "hold":
                self._change(conversion, "approved")

    @precondition(lambda self: any(c.status != "rejected" for c in self.conversions.values()))
    @rule(data=st.data())
    def reject(self, data: st.DataObject) -> None:
        """A rejection: of a held conversion, or a reversal of an approved (perhaps already paid) one."""
        open_ones = sorted(c.conversion_id for c in self.conversions.values() if c.status != "rejected")
        self._change(self.conversions[data.draw(st.sampled_from(open_ones))], "rejected")

    @rule(days=st.integers(1, 20))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    # ---------------------------------------------------------------- the finance worker

    def _apply_model(self, message: Message) -> None:
        conversion_id, kind = message.event_id.rsplit(".", 1)
        conversion = self.conversions[conversion_id]
        if kind == "arrival" and not conversion.arrived:
            conversion.arrived = True
            conversion.arrived_approved = '"approved":true' in message.body
        elif kind == "approval":
            conversion.approved = True
        elif kind == "rejection":
            conversion.reversed = True

    @precondition(lambda self: any(self.queues.values()))
    @rule(data=st.data(), size=st.integers(1, 10))
    def deliver(self, data: st.DataObject, size: int) -> None:
        """The head of one FIFO group, up to ten messages in one batch."""
        group = data.draw(st.sampled_from(sorted(g for g, q in self.queues.items() if q)))
        batch = self.queues[group][:size]
        failed = {
            f["itemIdentifier"] for f in self.worker.handler(sqs_event(batch), CONTEXT)["batchItemFailures"]
        }
        for message in batch:
            if message.message_id in failed:
                break  # FIFO: it and everything after it come back later, in order
            self.queues[group].remove(message)
            self.acknowledged.append(message)
            self._apply_model(message)
        assert not failed, f"nothing in this model has to wait, yet {failed} failed"

    @precondition(lambda self: any(self.queues.values()))
    @rule(data=st.data())
    def crash_after_the_ledger_write(self, data: st.DataObject) -> None:
        """The worker posts, then dies before acknowledging: the message stays at the head, and its
        next delivery posts nothing more."""
        group = data.draw(st.sampled_from(sorted(g for g, q in self.queues.items() if q)))
        message = self.queues[group][0]
        # A batch that fails whole is raised, so that Lambda hands all of it back
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(self.worker.logger, "info", _crash)
            with pytest.raises(BatchProcessingError):
                self.worker.handler(sqs_event([message]), CONTEXT)
        self._apply_model(message)  # the write happened

    @precondition(lambda self: self.acknowledged)
    @rule(data=st.data(), times=st.integers(1, 10))
    def redeliver(self, data: st.DataObject, times: int) -> None:
        message = data.draw(st.sampled_from(self.acknowledged))
        for _ in range(times):
            assert self.worker.handler(sqs_event([message]), CONTEXT) == {"batchItemFailures": []}

    # ---------------------------------------------------------------- money moved by people

    def _approved(self, affiliate_id: str, currency: str) -> int:
        earned = sum(
            c.payout
            for c in self.conversions.values()
            if c.affiliate_id == affiliate_id
            and c.currency == currency
            and (c.arrived_approved or c.approved)
            and not c.reversed
        )
        return earned - self.model.paid[(affiliate_id, currency)]

    @rule(data=st.data(), share=st.sampled_from([0.1, 0.5, 1.0, 1.5]), repeats=st.integers(1, 3))
    def pay(self, data: st.DataObject, share: float, repeats: int) -> None:
        """A payout (retried by the API with the same id): of an approved balance when there is one."""
        owed = [(a, c) for a in AFFILIATES for c in CURRENCIES if self._approved(a, c) > 0]
        affiliate, currency = data.draw(
            st.sampled_from(owed or [(a, c) for a in AFFILIATES for c in CURRENCIES])
        )
        approved = self._approved(affiliate, currency)
        amount = max(1, int(approved * share))
        self.payouts += 1
        journal = payout(self.adv, affiliate, currency, amount, f"{self.adv}-p{self.payouts}", self.now, {})
        for attempt in range(repeats):
            try:
                posted = self.ledger.post(journal)
            except InsufficientBalance:
                assert amount > approved or attempt > 0
                return
            assert posted == (attempt == 0)
            assert amount <= approved
            if posted:
                self.model.paid[(affiliate, currency)] += amount

    @rule(currency=st.sampled_from(CURRENCIES), amount=st.integers(1, 10**7), repeats=st.integers(1, 3))
    def top_up(self, currency: str, amount: int, repeats: int) -> None:
        topup_id = f"{self.adv}-t{len(self.topups)}"
        self.topups.append(topup_id)
        journal = topup(self.adv, currency, amount, topup_id, self.now, {"reference": "R"})
        assert [self.ledger.post(journal) for _ in range(repeats)] == [True] + [False] * (repeats - 1)
        self.model.deposits[currency] += amount

    @precondition(lambda self: any(self.queues.values()))
    @rule()
    def month_end_with_messages_waiting(self) -> None:
        """The month closes while the finance queue still holds some of its events."""
        self.month_end()

    @rule()
    def month_end(self) -> None:
        """The billing run closes the current month and issues its invoice; time moves on to the next."""
        month = self.now.strftime("%Y-%m")
        issued = issue_invoice(self.ledger, self.invoices, self.adv, month, self.now)
        assert issued.status in (InvoiceStatus.ISSUED, InvoiceStatus.EMPTY)
        assert issue_invoice(self.ledger, self.invoices, self.adv, month, self.now) == issued
        self.closed[month] = issued
        self._invoices_are_stable_and_complete()
        self.now = (self.now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)

    # ---------------------------------------------------------------- invariants

    def _journal_keys(self) -> list[str]:
        keys = [f"payout.{self.adv}-p{n}" for n in range(1, self.payouts + 1)]
        keys += [f"topup.{t}" for t in self.topups]
        for conversion_id in self.conversions:
            for suffix in ("arrival", "approval", "approval.reversal", "arrival.reversal"):
                keys.append(f"{conversion_id}.{suffix}")
        return keys

    @invariant()
    def books_are_proven_by_their_entries(self) -> None:
        """Each balance that moved since the last step equals the sum of its entries, holds each
        journal once, and is not below zero where that is forbidden."""
        books = self.ledger.books(self.adv)
        for account, balance in books.items():
            if self.seen.get(account) == balance:
                continue
            entries = self.ledger.entries(account)
            keys = [key for key, _ in entries]
            assert len(keys) == len(set(keys)), f"{account} has a journal twice: {keys}"
            assert sum(amount for _, amount in entries) == balance, account
            if account.kind.split(":")[0] in NEVER_NEGATIVE:
                assert account.shown(balance) >= 0, (account, balance)
        self.seen = books

    def teardown(self) -> None:
        """At the end of each run: every journal sums to zero and is entered once in each of its
        accounts; invoices are stable and complete."""
        if not hasattr(self, "seen"):
            return
        try:
            self._check_everything()
        finally:
            boto3.client("dynamodb").delete_table(TableName=self.table)

    def _check_everything(self) -> None:
        entered = {account: self.ledger.entries(account) for account in self.ledger.books(self.adv)}
        for key in self._journal_keys():
            journal = self.ledger.get(key)
            if journal is None:
                continue
            sums: dict[str, int] = defaultdict(int)
            for entry in journal.entries:
                sums[entry.account.currency] += entry.amount
                assert entered[entry.account].count((key, entry.amount)) == 1, (key, entry.account)
            assert not any(sums.values()), key
            if journal.booked:
                event("a journal was booked after its month had closed")
            if journal.key.endswith(".reversal") and journal.invoiced:
                event("an approved conversion was reversed")
        if any(issued.lines for issued in self.closed.values()):
            event("an invoice was issued with lines")
        if any(paid for paid in self.model.paid.values()):
            event("an affiliate was paid")
        self._invoices_are_stable_and_complete()

    @invariant()
    def books_match_the_model(self) -> None:
        expected: dict[tuple[str, str, str], int] = defaultdict(int)  # (owner, kind, currency)
        for c in self.conversions.values():
            if c.reversed or not (c.arrived or c.approved):
                continue
            aff, adv = f"aff:{self.adv}:{c.affiliate_id}", f"adv:{self.adv}"
            if c.arrived_approved or c.approved:
                expected[(aff, "approved", c.currency)] += c.payout
                expected[(adv, f"spend:{c.offer_id}", c.currency)] += c.payout
                expected[(adv, f"revenue:{c.offer_id}", c.currency)] += c.revenue
                expected[(adv, f"receivable:{c.offer_id}", c.currency)] += c.revenue
            else:
                expected[(aff, "hold", c.currency)] += c.payout
                expected[(adv, f"pending:{c.offer_id}", c.currency)] += c.payout
        for (affiliate_id, currency), paid in self.model.paid.items():
            expected[(f"aff:{self.adv}:{affiliate_id}", "approved", currency)] -= paid
            expected[(f"aff:{self.adv}:{affiliate_id}", "paid", currency)] += paid
        for currency, amount in self.model.deposits.items():
            expected[(f"adv:{self.adv}", "deposits", currency)] += amount
            expected[(f"adv:{self.adv}", "cash", currency)] += amount
        found = {
            (a.owner, a.kind, a.currency): a.shown(balance)
            for a, balance in self.ledger.books(self.adv).items()
        }
        assert {k: v for k, v in found.items() if v} == {k: v for k, v in expected.items() if v}

    def _months(self) -> list[str]:
        months, day = [], START.replace(day=1)
        while day <= self.now:
            months.append(day.strftime("%Y-%m"))
            day = (day + timedelta(days=32)).replace(day=1)
        return months

    def _invoices_are_stable_and_complete(self) -> None:
        listed: dict[str, str] = {}
        for month in self._months():
            journals = self.ledger.listed(invoice_index(self.adv, month))
            for journal in journals:
                assert journal.key not in listed, f"{journal.key} is on {listed.get(journal.key)} and {month}"
                listed[journal.key] = month
                assert journal.month == month
            issued = self.closed.get(month)
            if issued is not None:
                assert self.invoices.get(self.adv, month) == issued
                assert invoice_lines(invoice_items(journals)) == issued.lines, month
        for key in self._journal_keys():
            journal = self.ledger.get(key)
            if journal is not None and journal.invoiced:
                assert key in listed, f"{key} is on no invoice"
                assert listed[key] >= journal.created_at.strftime("%Y-%m")


def _crash(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the worker died after the ledger write")


def test_the_money_path_keeps_every_invariant(
    load_function: FunctionLoader, stack: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    FinanceMachine.worker = load_function("finance")
    # Each run points the worker at a ledger table of its own; the warm worker gets its own back after
    monkeypatch.setattr(FinanceMachine.worker, "ledger", FinanceMachine.worker.ledger)
    FinanceMachine.functions = load_function
    run_state_machine_as_test(
        FinanceMachine,
        settings=settings(
            max_examples=examples(5, 250),
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


def test_a_crash_after_the_ledger_write_then_redelivery_posts_one_journal(
    load_function: FunctionLoader, stack: Template
) -> None:
    worker = load_function("finance")
    image = Conversion("cvX", "AFFA", "OFF1", "USD", 1250, 0).image("ADVX", START)
    finance = _finance_event(stream_record("1", "e1", "INSERT", "conversions", image))
    assert finance is not None
    message = Message("m1", "ADVX#AFFA", finance.as_message(), finance.event_id)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker.logger, "info", _crash)  # dies right after post_event returned
        with pytest.raises(BatchProcessingError):
            worker.handler(sqs_event([message]), CONTEXT)
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    assert ledger.get("cvX.arrival") is not None  # the write happened; the message was not acknowledged
    assert worker.handler(sqs_event([message]), CONTEXT) == {"batchItemFailures": []}
    hold = next(a for a in ledger.books("ADVX") if a.kind == "hold")
    assert ledger.entries(hold) == [("cvX.arrival", -1250)]
