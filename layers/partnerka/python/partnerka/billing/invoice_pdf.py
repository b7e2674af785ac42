"""The platform's invoice to an advertiser as a PDF, in Russian or English.

The seller is the platform with its legal details (PlatformLegal, read from the function's
environment); the buyer is the advertiser as its billing profile stood when the invoice was issued,
with its VAT / tax id. The lines are printed as they were written, in the buyer's language. The
document is drawn from the stored invoice alone, its creation date the issue date, so an invoice as
stored always gives the same bytes; a paid invoice says when and by what reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from partnerka.billing.invoices import LOCALES, count_text, day_text, money_text
from partnerka.billing.models import InvoiceKind, InvoiceStatus, PlatformInvoice
from partnerka.common.clock import parse_iso
from partnerka.common.pdf import FONT, PdfTable, add_fonts


@dataclass(frozen=True, slots=True)
class PlatformLegal:
    """The platform as the seller on its invoices (the template's PlatformLegal* parameters)."""

    platform_legal_name: str
    platform_legal_address: str
    platform_tax_id: str
    platform_bank_details: str


@dataclass(frozen=True, slots=True)
class Labels:
    title: str
    kinds: dict[InvoiceKind, str]
    seller: str
    buyer: str
    tax_id: str
    bank: str
    issued: str
    due: str
    period: str
    description: str
    quantity: str
    unit: str
    amount: str
    total: str
    paid: str
    void: str
    page: str


LABELS = {
    "en": Labels(
        title="Invoice",
        kinds={
            InvoiceKind.SUBSCRIPTION: "Subscription",
            InvoiceKind.PRORATION: "Plan change",
            InvoiceKind.OVERAGE: "Clicks over the plan",
        },
        seller="Seller",
        buyer="Bill to",
        tax_id="VAT / tax ID",
        bank="Bank details",
        issued="Issued",
        due="Due",
        period="Period",
        description="Description",
        quantity="Qty",
        unit="Unit price",
        amount="Amount",
        total="Total",
        paid="Paid on {day}, reference {reference}",
        void="Void: this invoice is not to be paid",
        page="page {page}",
    ),
    "ru": Labels(
        title="Счёт",
        kinds={
            InvoiceKind.SUBSCRIPTION: "Подписка",
            InvoiceKind.PRORATION: "Смена тарифа",
            InvoiceKind.OVERAGE: "Клики сверх тарифа",
        },
        seller="Поставщик",
        buyer="Покупатель",
        tax_id="ИНН / VAT",
        bank="Банковские реквизиты",
        issued="Выставлен",
        due="Оплатить до",
        period="Период",
        description="Наименование",
        quantity="Кол-во",
        unit="Цена",
        amount="Сумма",
        total="Итого",
        paid="Оплачен {day}, платёж {reference}",
        void="Аннулирован: оплачивать не нужно",
        page="стр. {page}",
    ),
}


def render_platform_invoice(
    invoice: PlatformInvoice, language: str, seller: PlatformLegal, fonts_dir: str
) -> bytes:
    """The invoice as PDF bytes, its labels in `language` (ru or en)."""
    from fpdf import FPDF  # only the documents need fpdf2, and only when drawing

    lang = language if language in LOCALES else "en"
    labels = LABELS[lang]
    issued = parse_iso(invoice.issued_at)

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=8)
            page = labels.page.format(page=self.page_no())
            self.cell(0, 6, f"{seller.platform_legal_name} · {invoice.number} · {page}", align="C")

    pdf = Document(format="A4")
    add_fonts(pdf, fonts_dir)
    pdf.set_creation_date(issued)
    pdf.set_title(f"{labels.title} {invoice.number}")
    pdf.set_author(seller.platform_legal_name)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 12, f"{labels.title} {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.cell(0, 6, labels.kinds[invoice.kind], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    buyer = invoice.buyer
    parties = [
        (
            labels.seller,
            [
                seller.platform_legal_name,
                seller.platform_legal_address,
                f"{labels.tax_id}: {seller.platform_tax_id}",
                f"{labels.bank}: {seller.platform_bank_details}",
            ],
        ),
        (
            labels.buyer,
            [
                (buyer.legal_name if buyer and buyer.legal_name else invoice.advertiser_id),
                buyer.address if buyer else "",
                f"{labels.tax_id}: {buyer.tax_id}" if buyer and buyer.tax_id else "",
                buyer.email if buyer else "",
            ],
        ),
    ]
    for heading, texts in parties:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=9)
        for text in texts:
            if text:
                pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for label, value in (
        (labels.issued, day_text(issued, lang)),
        (labels.due, day_text(parse_iso(invoice.due_at), lang)),
        (
            labels.period,
            f"{day_text(parse_iso(invoice.period_start), lang)} – {day_text(parse_iso(invoice.period_end), lang)}",
        ),
    ):
        pdf.cell(35, 6, f"{label}:")
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(FONT, size=9)
    table = PdfTable(pdf, (100, 16, 32, 32), "LRRR", 6.0)
    table.heading([labels.description, labels.quantity, labels.unit, labels.amount])
    for line in invoice.lines:
        table.row(
            [
                line.description,
                count_text(line.quantity, lang),
                money_text(line.unit_amount, invoice.currency),
                money_text(line.amount, invoice.currency),
            ]
        )
    table.row([labels.total, "", "", money_text(invoice.total, invoice.currency)], emphasis=True)
    pdf.ln(4)
    if invoice.status is InvoiceStatus.PAID and invoice.paid_at:
        day = day_text(parse_iso(invoice.paid_at), lang)
        pdf.cell(
            0,
            6,
            labels.paid.format(day=day, reference=invoice.payment_reference or "—"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    elif invoice.status is InvoiceStatus.VOID:
        pdf.cell(0, 6, labels.void, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class DocumentFiles(Protocol):
    """Where drawn documents are kept (the reports bucket)."""

    def exists(self, key: str) -> bool: ...

    def put(self, key: str, body: bytes, content_type: str) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredDocument:
    key: str
    file_name: str


class PlatformInvoiceDocuments:
    """An invoice's PDF in a language, drawn the first time it is asked for in each of its states
    (a paid invoice prints its payment) and kept, so a second download draws nothing."""

    def __init__(self, files: DocumentFiles, seller: PlatformLegal, fonts_dir: str) -> None:
        self._files = files
        self._seller = seller
        self._fonts_dir = fonts_dir

    def stored(self, invoice: PlatformInvoice, language: str) -> StoredDocument:
        lang = language if language in LOCALES else "en"
        key = (
            f"platform-invoices/{invoice.advertiser_id}/{invoice.invoice_id}/"
            f"{invoice.status.value}.{lang}.pdf"
        )
        if not self._files.exists(key):
            pdf = render_platform_invoice(invoice, lang, self._seller, self._fonts_dir)
            self._files.put(key, pdf, "application/pdf")
        return StoredDocument(key, f"{invoice.number}.{lang}.pdf")
