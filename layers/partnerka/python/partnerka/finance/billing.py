"""The nightly billing run (the finance worker's schedule): each advertiser's invoice for the month
before, issued and drawn as PDF in every language.

It runs every night, not only on the 1st: a run that stopped half-way (an advertiser failed, the
function timed out) is finished by the next one, because every step is safe to repeat and an
invoice already issued with all its documents costs one read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerka.branding.book import BrandBook
from partnerka.branding.repository import BrandRepository
from partnerka.common.money import Money
from partnerka.common.observability import logger
from partnerka.common.pynamo import use_core_table
from partnerka.finance.directory import PlatformDirectory
from partnerka.finance.invoice_pdf import LANGUAGES, render_invoice
from partnerka.finance.invoices import (
    Invoice,
    InvoiceRepository,
    InvoiceStatus,
    invoice_items,
    issue_invoice,
)
from partnerka.finance.ledger import invoice_index
from partnerka.finance.repository import LedgerRepository, LedgerStore
from partnerka.notifications.events import Audience, Event, EventType, Notices, QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository

Advertisers = Callable[[], dict[str, str]]  # id → name
Names = Callable[[str, list[str]], Mapping[str, Mapping[str, str]]]  # advertiser, affiliates → names
Store = Callable[[str, bytes], None]  # S3 key, PDF
Issuer = Callable[[str], str]  # advertiser → the name its invoices carry (branding.book.BrandBook.issuer)


def document_key(invoice: Invoice, language: str) -> str:
    return f"invoices/{invoice.advertiser_id}/{invoice.month}/{invoice.number}.{language}.pdf"


class Billing:
    def __init__(
        self,
        ledger: LedgerStore,
        invoices: InvoiceRepository,
        advertisers: Advertisers,
        names: Names,
        store: Store,
        fonts_dir: str,
        issuer: Issuer,
        notices: Notices,
    ) -> None:
        self._issuer = issuer
        self._notices = notices
        self._ledger = ledger
        self._invoices = invoices
        self._advertisers = advertisers
        self._names = names
        self._store = store
        self._fonts_dir = fonts_dir

    def issue(self, advertiser_id: str, advertiser_name: str, month: str, now: datetime) -> Invoice:
        """Issue the advertiser's invoice for the month and store its documents; the team is told
        once they are all stored (the run that completes them tells it)."""
        invoice = issue_invoice(self._ledger, self._invoices, advertiser_id, month, now)
        if invoice.status is not InvoiceStatus.ISSUED or set(LANGUAGES) <= set(invoice.documents):
            return invoice
        items = invoice_items(self._ledger.listed(invoice_index(advertiser_id, month)))
        names = self._names(advertiser_id, sorted({item.affiliate_id for item in items}))
        issuer = self._issuer(advertiser_id)
        for language in LANGUAGES:
            if language in invoice.documents:
                continue
            pdf = render_invoice(invoice, items, language, advertiser_name, names, self._fonts_dir, issuer)
            self._store(document_key(invoice, language), pdf)
            self._invoices.add_document(advertiser_id, month, language)
        self._notices.send(invoice_issued(invoice, now))
        return self._invoices.get(advertiser_id, month) or invoice

    def run(self, month: str, now: datetime) -> dict[str, str]:
        """Every advertiser's invoice for the month: advertiser → its status (or the error); raises
        at the end when one failed, so the schedule's retry (and the next night) finish it."""
        done: dict[str, str] = {}
        failed = []
        for advertiser_id, name in sorted(self._advertisers().items()):
            try:
                invoice = self.issue(advertiser_id, name, month, now)
                done[advertiser_id] = f"{invoice.status.value} {invoice.number or ''}".strip()
            except Exception as error:
                logger.exception("invoice failed", tenant_id=advertiser_id, month=month)
                done[advertiser_id] = f"failed: {error}"
                failed.append(advertiser_id)
        logger.info("billing run", month=month, invoices=done)
        if failed:
            raise RuntimeError(f"invoices for {month} failed for {', '.join(failed)}")
        return done


def invoice_issued(invoice: Invoice, now: datetime) -> Event:
    """The team's notice of an issued invoice: what it pays (the payouts), in its one currency (an
    invoice in several currencies names the first, with every currency's total in `amounts`)."""
    payouts = {
        currency: Money(payout, currency).as_decimal_string()
        for currency, (_, payout, _) in invoice.totals().items()
    }
    currency = next(iter(payouts), "")
    invoice_id = f"{invoice.advertiser_id}.{invoice.month}"
    return Event(
        event_id=f"{invoice_id}.issued",
        type=EventType.INVOICE_ISSUED,
        occurred_at=invoice.issued_at or now,
        advertiser_id=invoice.advertiser_id,
        audience=Audience(advertiser_team=True),
        data={
            "invoice_id": invoice_id,
            "number": invoice.number or "",
            "month": invoice.month,
            "amount": payouts.get(currency, "0"),
            "currency": currency,
            "amounts": payouts,
        },
    )


@dataclass(frozen=True, slots=True)
class BillingSettings:
    """The ledger (its invoices too), the advertisers and names in the core table, the bucket the
    PDFs go to, and the DocumentsLayer's fonts."""

    core_table: str
    ledger_table: str
    reports_bucket: str
    fonts_dir: str
    platform_name: str  # what an invoice carries where its advertiser has no brand
    notify_queue_url: str  # issued invoices are told to the advertisers' teams
    operations_table: str  # where a notice the queue refuses is kept


def billing_for(settings: BillingSettings, s3: Any) -> Billing:
    """The billing run on the platform's own tables and reports bucket: what the schedule runs, and
    what the demo seed issues its invoice with."""
    use_core_table(settings.core_table)
    directory = PlatformDirectory()

    def names(advertiser_id: str, affiliates: list[str]) -> Mapping[str, Mapping[str, str]]:
        return {
            "offer": directory.offer_names(advertiser_id),
            "affiliate": directory.affiliate_names(advertiser_id, affiliates),
        }

    def store(key: str, pdf: bytes) -> None:
        s3.put_object(Bucket=settings.reports_bucket, Key=key, Body=pdf, ContentType="application/pdf")

    return Billing(
        LedgerRepository(settings.ledger_table),
        InvoiceRepository(settings.ledger_table),
        directory.advertisers,
        names,
        store,
        settings.fonts_dir,
        BrandBook(BrandRepository(), settings.platform_name).issuer,
        QueuedNotices(
            Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
        ),
    )
