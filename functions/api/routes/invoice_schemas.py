"""What /api/finance/invoices answers: an advertiser's invoices by month, money as decimal strings,
each model built from what the invoicing service returns."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel

from partnerka.common.clock import iso_millis
from partnerka.finance.invoices import Invoice
from partnerka.finance.invoicing import InvoiceDetail, InvoiceListing
from routes.finance_schemas import amount_text


class InvoiceLineOut(BaseModel):
    kind: Literal["conversions", "clicks"]
    """conversions: an offer's approved conversions; clicks: an offer's paid clicks of one affiliate."""
    offer_id: str
    offer_name: str
    affiliate_id: str | None
    """A clicks line's affiliate; null on a conversions line."""
    affiliate_name: str | None
    currency: str
    conversions: int
    """Approved in the month, less those reversed in it (0 on a clicks line)."""
    clicks: int
    """Paid clicks (0 on a conversions line)."""
    amount: str
    """What the conversions or clicks cost in payouts: the amount due."""
    revenue: str


class InvoiceTotalOut(BaseModel):
    currency: str
    conversions: int
    amount: str
    revenue: str


class InvoiceOut(BaseModel):
    month: str
    status: Literal["open", "closing", "issued", "empty"]
    """open: the month's books are open and this is a preview; issued: final, numbered."""
    number: str | None
    issued_at: str | None
    lines: list[InvoiceLineOut]
    totals: list[InvoiceTotalOut]
    documents: list[str]
    """Languages whose PDF is ready."""

    @classmethod
    def of(cls, invoice: Invoice, offer_names: dict[str, str], affiliate_names: dict[str, str]) -> Self:
        return cls(
            month=invoice.month,
            status=invoice.status.value,
            number=invoice.number,
            issued_at=iso_millis(invoice.issued_at) if invoice.issued_at else None,
            lines=[
                InvoiceLineOut(
                    kind=line.kind.value,
                    offer_id=line.offer_id,
                    offer_name=offer_names.get(line.offer_id, line.offer_id),
                    affiliate_id=line.affiliate_id or None,
                    affiliate_name=affiliate_names.get(line.affiliate_id, line.affiliate_id)
                    if line.affiliate_id
                    else None,
                    currency=line.currency,
                    conversions=line.conversions,
                    clicks=line.clicks,
                    amount=amount_text(line.payout, line.currency),
                    revenue=amount_text(line.revenue, line.currency),
                )
                for line in invoice.lines
            ],
            totals=[
                InvoiceTotalOut(
                    currency=currency,
                    conversions=count,
                    amount=amount_text(payout_total, currency),
                    revenue=amount_text(revenue, currency),
                )
                for currency, (count, payout_total, revenue) in invoice.totals().items()
            ],
            documents=list(invoice.documents),
        )


class InvoiceItemOut(BaseModel):
    conversion_id: str
    """Empty on an hour's paid clicks."""
    offer_id: str
    affiliate_id: str
    affiliate_name: str
    currency: str
    at: str
    reversed: bool
    clicks: int
    """An hour's paid clicks (0 on a conversion)."""
    amount: str


class InvoicesOut(BaseModel):
    advertiser_id: str
    current: InvoiceOut
    """This month so far (a preview)."""
    items: list[InvoiceOut]
    """Issued invoices, newest first."""

    @classmethod
    def of(cls, listing: InvoiceListing) -> Self:
        return cls(
            advertiser_id=listing.advertiser_id,
            current=InvoiceOut.of(listing.current, listing.offer_names, listing.affiliate_names),
            items=[
                InvoiceOut.of(invoice, listing.offer_names, listing.affiliate_names)
                for invoice in listing.issued
            ],
        )


class InvoiceDetailOut(InvoiceOut):
    advertiser_id: str
    items: list[InvoiceItemOut]
    """The conversions on the invoice, by offer then time (the first 1,000)."""
    items_total: int

    @classmethod
    def of_detail(cls, detail: InvoiceDetail) -> Self:
        names = detail.affiliate_names
        return cls(
            **InvoiceOut.of(detail.invoice, detail.offer_names, detail.affiliate_names).model_dump(),
            advertiser_id=detail.advertiser_id,
            items=[
                InvoiceItemOut(
                    conversion_id=item.conversion_id,
                    offer_id=item.offer_id,
                    affiliate_id=item.affiliate_id,
                    affiliate_name=names.get(item.affiliate_id, item.affiliate_id),
                    currency=item.currency,
                    at=iso_millis(item.at),
                    reversed=item.reversed,
                    clicks=item.clicks,
                    amount=amount_text(item.payout, item.currency),
                )
                for item in detail.items
            ],
            items_total=detail.items_total,
        )


class DocumentLinkOut(BaseModel):
    download_url: str
    """A link valid for 15 minutes."""
