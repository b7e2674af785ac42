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
    affiliate_names: dict[str, str]  # of the paid clicks' lines


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


def _line_affiliates(invoices: list[Invoice]) -> set[str]:
    return {line.affiliate_id for invoice in invoices for line in invoice.lines if line.affiliate_id}


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
        issued = self._invoices.issued(advertiser_id)
        return InvoiceListing(
            advertiser_id,
            current,
            issued,
            self._directory.offer_names(advertiser_id),
            self._affiliate_names(advertiser_id, _line_affiliates([current, *issued])),
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
            self._affiliate_names(
                advertiser_id, {item.affiliate_id for item in shown} | _line_affiliates([invoice])
            ),
        )

    def _affiliate_names(self, advertiser_id: str, affiliate_ids: set[str]) -> dict[str, str]:
        return self._directory.affiliate_names(advertiser_id, affiliate_ids) if affiliate_ids else {}

    def document(self, advertiser_id: str, month: str, language: str) -> InvoiceDocument:
        """Where the issued invoice's PDF in `language` is; refused until it is drawn."""
        invoice = self._invoices.get(advertiser_id, month)
        if invoice is None or invoice.status is not InvoiceStatus.ISSUED:
            raise NotFound("this month has no issued invoice")
        if language not in invoice.documents:
            raise Conflict("the invoice's PDF is being drawn: try again in a minute")
        return InvoiceDocument(document_key(invoice, language), f"{invoice.number}-{language}.pdf")
