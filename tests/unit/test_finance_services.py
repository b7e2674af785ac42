"""The finance services on fakes: payouts never exceed what is approved and pay each balance once,
top-ups are posted once whatever fails between the writes, each scope reads its own books, and
every change leaves its audit entry."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

import pytest

from partnerka.accounts.suspension import AccountSuspended
from partnerka.audit.service import Actor
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.finance.access import BooksScope
from partnerka.finance.balances import Balances
from partnerka.finance.invoices import Invoice, InvoiceStatus
from partnerka.finance.invoicing import Invoicing
from partnerka.finance.ledger import (
    ConversionMoney,
    Journal,
    JournalKind,
    advertiser,
    affiliate,
    arrival,
    payout,
)
from partnerka.finance.low_balance import LowBalanceWatch
from partnerka.finance.payouts import PayoutOrder, Payouts
from partnerka.finance.repository import InsufficientBalance
from partnerka.finance.requests import RequestKind, RequestStatus
from partnerka.finance.settings import FinanceSettings
from partnerka.finance.topups import TopUpDecision, TopUps
from tests.metrics_output import emitted, flush_counts, metric
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeAudit,
    FakeClock,
    FakeDirectory,
    FakeFinanceSettings,
    FakeInvoices,
    FakeLedger,
    FakeLowBalanceFlags,
    FakeMoneyRequests,
    FakeNotices,
    FakeStandings,
)

OTHER_ADVERTISER = "01JAD0000000000000000000BB"
OTHER_AFFILIATE = "01JAFF0000000000000000000B"
BOSS = Actor("u-boss", "boss@shop.example", "req-1", "203.0.113.7")
OWNER = Actor("u-owner", "owner@platform.example", "req-2", "203.0.113.8")
_conversions = count(1)


class Finance:
    """The finance services over one set of fakes."""

    def __init__(self) -> None:
        self.ledger = FakeLedger()
        self.requests = FakeMoneyRequests()
        self.settings = FakeFinanceSettings()
        self.audit = FakeAudit()
        self.clock = FakeClock()
        self.directory = FakeDirectory(
            affiliates={AFFILIATE: "Traffic Pro", OTHER_AFFILIATE: "Clickers"},
            offers={ADVERTISER: {OFFER: "Sneakers"}},
            advertiser_names={ADVERTISER: "shoes", OTHER_ADVERTISER: "Apparel"},
        )
        self.notices = FakeNotices()
        self.standings = FakeStandings()
        self.flags = FakeLowBalanceFlags()
        self.low_balance = LowBalanceWatch(
            self.ledger, self.settings, self.flags, self.notices, self.clock.now
        )
        self.payouts = Payouts(
            self.ledger,
            self.requests,
            self.settings,
            self.directory,
            self.audit,
            self.notices,
            self.clock.now,
            standings=self.standings,
        )
        self.topups = TopUps(
            self.ledger, self.requests, self.audit, self.notices, self.low_balance, self.clock.now
        )
        self.balances = Balances(
            self.ledger, self.settings, self.requests, self.directory, self.audit, self.low_balance
        )

    def earn(
        self,
        minor: int,
        affiliate_id: str = AFFILIATE,
        advertiser_id: str = ADVERTISER,
        approved: bool = True,
    ) -> None:
        """An approved (or held) conversion of `minor` USD for the affiliate."""
        money = ConversionMoney(f"cv{next(_conversions)}", advertiser_id, affiliate_id, OFFER, "USD", minor)
        assert self.ledger.post(arrival(money, approved, self.clock.now()))

    def approved(self, affiliate_id: str = AFFILIATE, advertiser_id: str = ADVERTISER) -> int:
        return self.ledger.shown(affiliate(advertiser_id, affiliate_id, "approved", "USD"))

    def paid(self, affiliate_id: str = AFFILIATE, advertiser_id: str = ADVERTISER) -> int:
        return self.ledger.shown(affiliate(advertiser_id, affiliate_id, "paid", "USD"))

    def deposits(self, currency: str = "EUR") -> int:
        return self.ledger.shown(advertiser(ADVERTISER, "deposits", currency))

    def journals(self, kind: JournalKind) -> list[Journal]:
        return [journal for journal in self.ledger.journals.values() if journal.kind is kind]


@pytest.fixture
def finance() -> Finance:
    return Finance()


# ---------------------------------------------------------------------- payouts
def test_a_payout_pays_the_approved_balance_answers_the_request_and_is_audited(finance: Finance) -> None:
    # Given 80.00 approved, and the affiliate asking for all of it
    finance.earn(8000)
    asked = finance.payouts.request(ADVERTISER, AFFILIATE, "usd", None, Actor("u-aff", "aff@example.com"))
    (request,) = asked.items
    assert (request.amount, request.currency, asked.affiliate_names) == (
        8000,
        "USD",
        {AFFILIATE: "Traffic Pro"},
    )
    # When the advertiser pays every approved balance
    (made,) = finance.payouts.pay(ADVERTISER, PayoutOrder("wire", "W-1"), BOSS)
    # Then the affiliate's Approved is Paid, the request is answered by the payout, and both are audited
    assert (finance.approved(), finance.paid()) == (0, 8000)
    assert made.detail == {"method": "wire", "reference": "W-1", "by": "u-boss", "affiliate_id": AFFILIATE}
    answered = finance.requests.get(RequestKind.PAYOUT, ADVERTISER, request.request_id)
    assert answered is not None
    assert (answered.status, answered.answer) == (RequestStatus.DONE, made.own_id)
    assert finance.audit.actions() == ["finance.payout_request", "finance.payout"]
    entry = finance.audit.records[-1]
    assert (entry.actor, entry.tenant_id, entry.target) == (BOSS, ADVERTISER, f"affiliate:{AFFILIATE}")
    assert entry.after == {"currency": "USD", "amount": 8000, "method": "wire", "reference": "W-1"}
    assert finance.payouts.history(BooksScope(ADVERTISER, AFFILIATE)) == [made]


def test_a_payout_above_the_approved_balance_is_refused_and_moves_nothing(finance: Finance) -> None:
    finance.earn(1250)
    finance.earn(500, approved=False)  # on hold: not payable
    order = PayoutOrder("wire", affiliate_id=AFFILIATE, currency="USD", amount="12.51")
    with pytest.raises(InsufficientBalance):
        finance.payouts.pay(ADVERTISER, order, BOSS)
    assert (finance.approved(), finance.paid()) == (1250, 0)
    assert finance.journals(JournalKind.PAYOUT) == []
    assert finance.audit.actions() == []


def test_an_advertiser_cannot_pay_the_balance_an_affiliate_holds_with_another(finance: Finance) -> None:
    # Given the affiliate's approved balance is in the other advertiser's books
    finance.earn(3000, advertiser_id=OTHER_ADVERTISER)
    named = PayoutOrder("wire", affiliate_id=AFFILIATE, currency="USD", amount="10.00")
    # When this advertiser pays it, by amount or in bulk, then nothing is paid from the other's books
    with pytest.raises(InsufficientBalance):
        finance.payouts.pay(ADVERTISER, named, BOSS)
    with pytest.raises(ValidationFailed, match="no approved balance"):
        finance.payouts.pay(ADVERTISER, PayoutOrder("wire", affiliate_id=AFFILIATE), BOSS)
    assert finance.approved(advertiser_id=OTHER_ADVERTISER) == 3000
    assert finance.journals(JournalKind.PAYOUT) == []


def test_the_same_bulk_payout_sent_twice_pays_each_balance_once(finance: Finance) -> None:
    finance.earn(1000)
    finance.earn(700, affiliate_id=OTHER_AFFILIATE)
    first = finance.payouts.pay(ADVERTISER, PayoutOrder("usdt"), BOSS)
    assert sorted((j.detail["affiliate_id"], j.credited("paid")) for j in first) == [
        (AFFILIATE, ("USD", 1000)),
        (OTHER_AFFILIATE, ("USD", 700)),
    ]
    with pytest.raises(ValidationFailed, match="no approved balance"):
        finance.payouts.pay(ADVERTISER, PayoutOrder("usdt"), BOSS)
    assert (finance.paid(), finance.paid(OTHER_AFFILIATE)) == (1000, 700)
    assert finance.audit.actions() == ["finance.payout", "finance.payout"]


def test_a_bulk_payout_skips_a_balance_paid_meanwhile_and_pays_the_rest(finance: Finance) -> None:
    finance.earn(1000)
    finance.earn(700, affiliate_id=OTHER_AFFILIATE)
    post = finance.ledger.post

    def paid_meanwhile(journal: Journal) -> bool:
        # Another payout of the first affiliate's whole balance lands between the read and this post
        if journal.detail.get("affiliate_id") == AFFILIATE and not finance.paid():
            post(payout(ADVERTISER, AFFILIATE, "USD", 1000, "elsewhere", finance.clock.now(), {}))
        return post(journal)

    finance.ledger.post = paid_meanwhile  # type: ignore[method-assign]
    made = finance.payouts.pay(ADVERTISER, PayoutOrder("wire"), BOSS)
    assert [journal.detail["affiliate_id"] for journal in made] == [OTHER_AFFILIATE]
    assert (finance.paid(), finance.paid(OTHER_AFFILIATE)) == (1000, 700)


def test_an_amount_pays_one_affiliate_in_one_currency(finance: Finance) -> None:
    finance.earn(1000)
    for order in (PayoutOrder("wire", amount="1"), PayoutOrder("wire", currency="USD", amount="1")):
        with pytest.raises(ValidationFailed, match="one affiliate in one currency"):
            finance.payouts.pay(ADVERTISER, order, BOSS)
    with pytest.raises(ValidationFailed, match="positive"):
        finance.payouts.pay(ADVERTISER, PayoutOrder("wire", "", AFFILIATE, "USD", "0"), BOSS)
    assert finance.paid() == 0


def test_a_payout_request_lies_between_the_minimum_and_the_approved_balance(finance: Finance) -> None:
    finance.earn(8000)
    finance.settings.save(FinanceSettings(ADVERTISER, min_payout={"USD": 5000}))
    aff = Actor("u-aff", "aff@example.com")
    with pytest.raises(ValidationFailed, match=r"^the minimum payout is 50.00 USD$"):
        finance.payouts.request(ADVERTISER, AFFILIATE, "USD", "20.00", aff)
    with pytest.raises(ValidationFailed, match=r"^the approved balance is 80.00 USD$"):
        finance.payouts.request(ADVERTISER, AFFILIATE, "USD", "90.00", aff)
    with pytest.raises(ValidationFailed, match=r"^the minimum payout is 0.01 EUR$"):
        finance.payouts.request(ADVERTISER, AFFILIATE, "EUR", None, aff)  # nothing approved in EUR
    assert finance.requests.items == {}
    finance.payouts.request(ADVERTISER, AFFILIATE, "USD", "60", aff)
    mine = finance.payouts.requests(BooksScope(ADVERTISER, AFFILIATE))
    theirs = finance.payouts.requests(BooksScope(ADVERTISER, OTHER_AFFILIATE))
    assert ([r.amount for r in mine.items], theirs.items) == ([6000], [])


def test_nothing_is_paid_or_asked_for_while_the_advertiser_is_suspended(finance: Finance) -> None:
    finance.earn(1000)
    finance.standings.advertisers.add(ADVERTISER)
    with pytest.raises(AccountSuspended):
        finance.payouts.pay(ADVERTISER, PayoutOrder("wire"), BOSS)
    with pytest.raises(AccountSuspended):
        finance.payouts.request(ADVERTISER, AFFILIATE, "USD", None, Actor("u-aff", "aff@example.com"))
    assert finance.paid() == 0
    assert finance.requests.items == {}
    assert finance.audit.actions() == []

    finance.standings.advertisers.clear()
    finance.payouts.pay(ADVERTISER, PayoutOrder("wire"), BOSS)
    assert finance.paid() == 1000


def test_a_suspended_affiliate_is_not_paid_and_a_bulk_payout_passes_it_by(finance: Finance) -> None:
    finance.earn(1000)
    finance.earn(700, affiliate_id=OTHER_AFFILIATE)
    finance.standings.programs.add((ADVERTISER, AFFILIATE))
    with pytest.raises(AccountSuspended):
        finance.payouts.pay(ADVERTISER, PayoutOrder("wire", affiliate_id=AFFILIATE), BOSS)
    with pytest.raises(AccountSuspended):
        finance.payouts.request(ADVERTISER, AFFILIATE, "USD", None, Actor("u-aff", "aff@example.com"))

    made = finance.payouts.pay(ADVERTISER, PayoutOrder("wire"), BOSS)

    assert [journal.detail["affiliate_id"] for journal in made] == [OTHER_AFFILIATE]
    assert (finance.paid(), finance.paid(OTHER_AFFILIATE)) == (0, 700)
    with pytest.raises(AccountSuspended, match="every affiliate"):
        finance.payouts.pay(ADVERTISER, PayoutOrder("wire"), BOSS)


# ---------------------------------------------------------------------- top-ups
def test_a_confirmed_top_up_is_posted_once_under_its_request_id(finance: Finance) -> None:
    # Given a top-up the advertiser submitted: nothing posted yet
    request = finance.topups.submit(ADVERTISER, "250", "eur", "SEPA-9", BOSS)
    assert (finance.deposits(), finance.topups.history(ADVERTISER)) == (0, [])
    # When Owner confirms it, then it is posted under the request's id and the request is done
    done = finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    assert (done.status, done.answer) == (RequestStatus.DONE, request.request_id)
    (posted,) = finance.topups.history(ADVERTISER)
    assert (posted.own_id, posted.credited("deposits"), posted.detail) == (
        request.request_id,
        ("EUR", 25000),
        {"reference": "SEPA-9"},
    )
    # and deciding it again changes nothing
    for decision in TopUpDecision:
        with pytest.raises(Conflict, match="done already"):
            finance.topups.decide(ADVERTISER, request.request_id, decision, OWNER)
    assert finance.deposits() == 25000
    assert finance.audit.actions() == ["finance.topup_request", "finance.topup_confirm"]
    assert finance.audit.records[-1].after == {
        "request": request.request_id,
        "currency": "EUR",
        "amount": 25000,
    }


def test_a_rejected_top_up_posts_nothing_and_stays_rejected(finance: Finance) -> None:
    request = finance.topups.submit(ADVERTISER, "5", "EUR", "X", BOSS)
    rejected = finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.REJECT, OWNER)
    assert (rejected.status, rejected.answer) == (RequestStatus.REJECTED, "")
    with pytest.raises(Conflict, match="rejected already"):
        finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    assert (finance.deposits(), finance.journals(JournalKind.TOPUP)) == (0, [])
    assert finance.audit.actions() == ["finance.topup_request", "finance.topup_reject"]


def test_a_confirmation_retried_after_a_lost_write_posts_the_top_up_once(finance: Finance) -> None:
    request = finance.topups.submit(ADVERTISER, "100", "EUR", "SEPA-1", BOSS)
    # Given the confirmation posted the top-up and then lost its answer to the request
    finance.requests.lose_next_close = True
    with pytest.raises(ConnectionError):
        finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    assert finance.deposits() == 10000
    # When it is retried, then the request is answered and nothing is posted twice
    done = finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    assert done.status is RequestStatus.DONE
    assert (finance.deposits(), len(finance.journals(JournalKind.TOPUP))) == (10000, 1)
    assert finance.audit.actions() == ["finance.topup_request", "finance.topup_confirm"]


def test_a_top_up_of_another_advertiser_is_not_found(finance: Finance) -> None:
    request = finance.topups.submit(ADVERTISER, "100", "EUR", "SEPA-1", BOSS)
    with pytest.raises(NotFound):
        finance.topups.decide(OTHER_ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    assert finance.deposits() == 0
    assert finance.topups.submitted(OTHER_ADVERTISER) == []


def test_a_recorded_top_up_is_positive_posted_at_once_and_audited(finance: Finance) -> None:
    for amount in ("0", "-5", "1.234"):
        with pytest.raises(ValidationFailed):
            finance.topups.record(ADVERTISER, amount, "EUR", "BANK-7", OWNER)
    journal = finance.topups.record(ADVERTISER, "100.00", "eur", "BANK-7", OWNER)
    assert (journal.credited("deposits"), finance.deposits()) == (("EUR", 10000), 10000)
    (entry,) = finance.audit.records
    assert (entry.action, entry.actor, entry.target) == ("finance.topup", OWNER, f"advertiser:{ADVERTISER}")
    assert entry.after == {"currency": "EUR", "amount": 10000, "reference": "BANK-7"}


# ---------------------------------------------------------------------- reading the books
def test_an_affiliate_reads_its_own_balances_and_the_advertiser_its_whole_books(finance: Finance) -> None:
    finance.earn(1250)
    finance.earn(500, approved=False)
    finance.earn(900, affiliate_id=OTHER_AFFILIATE)
    finance.earn(4000, advertiser_id=OTHER_ADVERTISER)  # the same affiliate, with another advertiser
    finance.settings.save(FinanceSettings(ADVERTISER, min_payout={"USD": 5000}))
    own = finance.balances.sheet(BooksScope(ADVERTISER, AFFILIATE))
    assert [(r.affiliate_id, r.hold, r.approved) for r in own.books.affiliates] == [(AFFILIATE, 500, 1250)]
    assert (own.books.advertiser, own.books.offers, own.offer_names) == ([], [], {})
    assert (own.affiliate_names, own.settings.min_payout) == ({AFFILIATE: "Traffic Pro"}, {"USD": 5000})
    whole = finance.balances.sheet(BooksScope(ADVERTISER))
    assert sorted((r.affiliate_id, r.approved) for r in whole.books.affiliates) == [
        (AFFILIATE, 1250),
        (OTHER_AFFILIATE, 900),
    ]
    assert [(r.currency, r.pending, r.spend, r.roi) for r in whole.books.advertiser] == [
        ("USD", 500, 2150, -100.0)
    ]
    assert [(r.offer_id, r.spend) for r in whole.books.offers] == [(OFFER, 2150)]
    assert whole.offer_names == {OFFER: "Sneakers"}


def test_the_overview_shows_every_advertiser_by_name_with_what_it_owes(finance: Finance) -> None:
    finance.earn(1250)
    finance.earn(4000, advertiser_id=OTHER_ADVERTISER)
    finance.topups.record(ADVERTISER, "10", "USD", "B-1", OWNER)
    finance.topups.submit(ADVERTISER, "20", "USD", "B-2", BOSS)
    finance.settings.save(FinanceSettings(ADVERTISER, low_balance_threshold={"USD": 0}))
    finance.topups.record(OTHER_ADVERTISER, "5", "EUR", "B-3", OWNER)
    rows = finance.balances.overview()
    shown = [(r.advertiser_name, r.figures.currency, r.figures.balance, r.figures.roi) for r in rows]
    assert shown == [
        ("Apparel", "EUR", 500, None),
        ("Apparel", "USD", -4000, -100.0),
        ("shoes", "USD", -250, -100.0),
    ]
    assert [(r.low_balance, r.approved, r.open_topups) for r in rows] == [
        (False, 0, 0),
        (False, 4000, 0),
        (True, 1250, 1),
    ]


def test_saving_thresholds_is_audited_and_a_bad_amount_saves_nothing(finance: Finance) -> None:
    with pytest.raises(ValidationFailed):
        finance.balances.save_settings(ADVERTISER, {}, {"USD": "1.234"}, BOSS)
    assert (finance.settings.items, finance.audit.records) == ({}, [])
    saved = finance.balances.save_settings(ADVERTISER, {"usd": "90"}, {"JPY": "500"}, BOSS)
    assert (saved.low_balance_threshold, saved.min_payout) == ({"USD": 9000}, {"JPY": 500})
    assert finance.balances.settings(ADVERTISER) == saved
    (entry,) = finance.audit.records
    assert (entry.action, entry.before, entry.after) == (
        "finance.settings",
        {"low_balance_threshold": {}, "min_payout": {}},
        {"low_balance_threshold": {"USD": 9000}, "min_payout": {"JPY": 500}},
    )


def test_an_invoice_pdf_is_given_only_once_issued_and_drawn(finance: Finance) -> None:
    issued = Invoice(ADVERTISER, "2026-11", InvoiceStatus.ISSUED, "PK-000007", documents=("en",))
    invoicing = Invoicing(finance.ledger, FakeInvoices(issued), finance.directory, finance.clock.now)
    document = invoicing.document(ADVERTISER, "2026-11", "en")
    assert (document.key, document.file_name) == (
        f"invoices/{ADVERTISER}/2026-11/PK-000007.en.pdf",
        "PK-000007-en.pdf",
    )
    with pytest.raises(Conflict, match="being drawn"):
        invoicing.document(ADVERTISER, "2026-11", "ru")
    for advertiser_id, month in ((ADVERTISER, "2026-12"), (OTHER_ADVERTISER, "2026-11")):
        with pytest.raises(NotFound):
            invoicing.document(advertiser_id, month, "en")
    # This month's invoice is a preview of the approved conversions so far
    finance.earn(1250)
    listing = invoicing.listing(ADVERTISER)
    assert (listing.current.month, listing.current.status, listing.issued) == (
        "2026-12",
        InvoiceStatus.OPEN,
        [issued],
    )
    assert [(line.offer_id, line.payout) for line in listing.current.lines] == [(OFFER, 1250)]
    assert finance.clock.now() == datetime(2026, 12, 1, 10, tzinfo=UTC)


def test_payouts_and_top_ups_count_each_ledger_posting_once_by_kind(
    finance: Finance, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an approved balance and a submitted top-up (the earning itself is posted outside the services)
    finance.earn(5000)
    request = finance.topups.submit(ADVERTISER, "250", "eur", "SEPA-9", BOSS)
    flush_counts()
    capsys.readouterr()
    # When the balance is paid twice over (the second pays nothing), a top-up is recorded, and the
    # submitted one confirmed (then confirmed again, refused)
    finance.payouts.pay(ADVERTISER, PayoutOrder("wire", "W-1"), BOSS)
    with pytest.raises(ValidationFailed, match="no approved balance"):
        finance.payouts.pay(ADVERTISER, PayoutOrder("wire", "W-1"), BOSS)
    finance.topups.record(ADVERTISER, "100.00", "usd", "BANK-7", OWNER)
    finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    with pytest.raises(Conflict):
        finance.topups.decide(ADVERTISER, request.request_id, TopUpDecision.CONFIRM, OWNER)
    flush_counts()
    # Then each journal posted is counted once, under its kind
    assert emitted(capsys.readouterr().out) == {
        metric("LedgerPostings", kind="payout"): 1,
        metric("LedgerPostings", kind="topup"): 2,
    }
