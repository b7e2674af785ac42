"""An advertiser's invoices as it reads them: this month's so far, the issued ones, one month's
conversions, and where an issued invoice's PDF is (finance.invoices issues them; finance.billing
draws them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from partnerka.common.clock import utc_now
from partnerka.common.errors import Conflict, NotFound
from partnerka.finance.billing import document_key
from partnerka.finance.directory import Directory
from partnerka.finance.invoices import (
    Invoice,
    InvoiceItem,
    InvoiceShelf,
    InvoiceStatus,
    month_of,
    stored_or_preview,
)
from partnerka.finance.repository import LedgerStore

ITEMS_SHOWN = 1000


@dataclass(frozen=True, slots=True)
class InvoiceListing:
    advertiser_id: str
    current: Invoice  # this month so far (a preview)
    issued: list[Invoice]  # newest first
    offer_names: dict[str, str]


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    advertiser_id: str
    invoice: Invoice
    items: list[InvoiceItem]  # by offer then time, the first ITEMS_SHOWN
    items_total: int
    offer_names: dict[str, str]
    affiliate_names: dict[str, str]


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    key: str  # in the reports bucket
    file_name: str


class Invoicing:
    def __init__(
        self,
        ledger: LedgerStore,
        invoices: InvoiceShelf,
        directory: Directory,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._ledger = ledger
        self._invoices = invoices
        self._directory = directory
        self._clock = clock

    def listing(self, advertiser_id: str) -> InvoiceListing:
        """This month's invoice so far and the issued ones."""
        current, _ = stored_or_preview(self._ledger, self._invoices, advertiser_id, month_of(self._clock()))
        return InvoiceListing(
            advertiser_id,
            current,
            self._invoices.issued(advertiser_id),
            self._directory.offer_names(advertiser_id),
        )

    def detail(self, advertiser_id: str, month: str) -> InvoiceDetail:
        """One month's invoice (issued, or a preview while its books are open) with its conversions."""
        invoice, items = stored_or_preview(self._ledger, self._invoices, advertiser_id, month)
        shown = sorted(items, key=lambda item: (item.offer_id, item.at))[:ITEMS_SHOWN]
        return InvoiceDetail(
            advertiser_id,
            invoice,
            shown,
            len(items),
            self._directory.offer_names(advertiser_id),
            self._directory.affiliate_names(advertiser_id, (item.affiliate_id for item in shown)),
        )

    def document(self, advertiser_id: str, month: str, language: str) -> InvoiceDocument:
        """Where the issued invoice's PDF in `language` is; refused until it is drawn."""
        invoice = self._invoices.get(advertiser_id, month)
        if invoice is None or invoice.status is not InvoiceStatus.ISSUED:
            raise NotFound("this month has no issued invoice")
        if language not in invoice.documents:
            raise Conflict("the invoice's PDF is being drawn: try again in a minute")
        return InvoiceDocument(document_key(invoice, language), f"{invoice.number}-{language}.pdf")
