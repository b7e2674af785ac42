"""An issued invoice as a PDF, in Russian or English.

The document is drawn from the stored invoice and its closed month's items only, with DejaVu Sans
(the DocumentsLayer) for Cyrillic, and its creation date set to the issue date, so the same invoice
always gives the same document. fpdf2 is imported only when drawing: only the finance worker draws these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from partnerka.common.language import month_name
from partnerka.common.money import Money
from partnerka.common.pdf import PdfTable, add_fonts
from partnerka.finance.invoices import Invoice, InvoiceItem, LineKind

LANGUAGES = ("en", "ru")


@dataclass(frozen=True, slots=True)
class Labels:
    title: str
    advertiser: str
    period: str
    issued: str
    by_offer: str
    offer: str
    currency: str
    conversions: str
    amount: str
    total: str
    items: str
    date: str
    conversion: str
    affiliate: str
    reversed: str
    nothing: str
    footer: str
    by_click: str
    clicks: str
    paid_clicks: str


LABELS = {
    "en": Labels(
        title="Invoice",
        advertiser="Advertiser",
        period="Period",
        issued="Issued",
        by_offer="Approved conversions by offer",
        offer="Offer",
        currency="Currency",
        conversions="Conversions",
        amount="Amount",
        total="Total",
        items="Conversions on this invoice",
        date="Date (UTC)",
        conversion="Conversion",
        affiliate="Affiliate",
        reversed="reversed",
        nothing="Nothing was approved this month.",
        footer="{issuer} · page {page}",
        by_click="Paid clicks by offer and affiliate",
        clicks="Clicks",
        paid_clicks="{clicks} paid clicks, {hour}:00",
    ),
    "ru": Labels(
        title="Счёт",
        advertiser="Рекламодатель",
        period="Период",
        issued="Выставлен",
        by_offer="Подтверждённые конверсии по офферам",
        offer="Оффер",
        currency="Валюта",
        conversions="Конверсии",
        amount="Сумма",
        total="Итого",
        items="Конверсии в счёте",
        date="Дата (UTC)",
        conversion="Конверсия",
        affiliate="Партнёр",
        reversed="отменена",
        nothing="В этом месяце ничего не подтверждено.",
        footer="{issuer} · стр. {page}",
        by_click="Оплаченные клики по офферам и партнёрам",
        clicks="Клики",
        paid_clicks="{clicks} оплач. кликов, {hour}:00",
    ),
}


def _money(minor: int, currency: str) -> str:
    return f"{Money(minor, currency).as_decimal_string()} {currency}"


def render_invoice(
    invoice: Invoice,
    items: list[InvoiceItem],
    language: str,
    advertiser_name: str,
    names: Mapping[str, Mapping[str, str]],
    fonts_dir: str,
    issuer: str,
) -> bytes:
    """The invoice as PDF bytes. `names` maps `offer` and `affiliate` ids to their names; `issuer` is
    the name its footer and metadata carry (the advertiser's brand where it has one: its team may read
    it on its own portal, which never shows the platform's name)."""
    from fpdf import FPDF  # only this module needs fpdf2, and only when drawing

    labels = LABELS[language]
    offers, affiliates = names.get("offer", {}), names.get("affiliate", {})

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, labels.footer.format(issuer=issuer, page=self.page_no()), align="C")

    pdf = Document(format="A4")
    add_fonts(pdf, fonts_dir)
    if invoice.issued_at:
        pdf.set_creation_date(invoice.issued_at)
    pdf.set_title(f"{labels.title} {invoice.number}")
    pdf.set_author(issuer)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 12, f"{labels.title} {invoice.number or ''}".strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    for label, value in (
        (labels.advertiser, f"{advertiser_name} ({invoice.advertiser_id})"),
        (labels.period, month_name(invoice.month, language)),
        (labels.issued, invoice.issued_at.strftime("%Y-%m-%d") if invoice.issued_at else "—"),
    ):
        pdf.cell(40, 6, f"{label}:")
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, labels.by_offer, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    conversion_lines = [line for line in invoice.lines if line.kind is LineKind.CONVERSIONS]
    click_lines = [line for line in invoice.lines if line.kind is LineKind.CLICKS]
    if not invoice.lines:
        pdf.cell(0, 6, labels.nothing, new_x="LMARGIN", new_y="NEXT")
    else:
        summary = PdfTable(pdf, (80, 25, 30, 45), "LCRR", 6.0)
        summary.heading([labels.offer, labels.currency, labels.conversions, labels.amount])
        for line in conversion_lines:
            summary.row(
                [
                    offers.get(line.offer_id, line.offer_id),
                    line.currency,
                    str(line.conversions),
                    _money(line.payout, line.currency),
                ]
            )
        if click_lines:
            # The paid clicks' lines come before the totals, which sum them in.
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 10)
            pdf.cell(0, 7, labels.by_click, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=9)
            by_click = PdfTable(pdf, (55, 45, 20, 20, 40), "LLCRR", 6.0)
            by_click.heading([labels.offer, labels.affiliate, labels.currency, labels.clicks, labels.amount])
            for line in click_lines:
                by_click.row(
                    [
                        offers.get(line.offer_id, line.offer_id),
                        affiliates.get(line.affiliate_id, line.affiliate_id),
                        line.currency,
                        str(line.clicks),
                        _money(line.payout, line.currency),
                    ]
                )
            pdf.ln(2)
            summary = PdfTable(pdf, (80, 25, 30, 45), "LCRR", 6.0)
            summary.heading(["", labels.currency, labels.conversions, labels.amount])
        for currency, (count, payout, _) in invoice.totals().items():
            summary.row([labels.total, currency, str(count), _money(payout, currency)], emphasis=True)

    if items:
        pdf.ln(6)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, labels.items, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8)
        ordered = sorted(items, key=lambda item: (offers.get(item.offer_id, item.offer_id), item.at))
        details = PdfTable(pdf, (30, 52, 38, 30, 30), "LLLLR", 5.0)
        details.heading([labels.date, labels.conversion, labels.offer, labels.affiliate, labels.amount])
        for item in ordered:
            conversion = item.conversion_id + (f" ({labels.reversed})" if item.reversed else "")
            if item.clicks:
                conversion = labels.paid_clicks.format(clicks=item.clicks, hour=item.at.strftime("%H"))
            details.row(
                [
                    item.at.strftime("%Y-%m-%d %H:%M"),
                    conversion,
                    offers.get(item.offer_id, item.offer_id),
                    affiliates.get(item.affiliate_id, item.affiliate_id),
                    _money(item.payout, item.currency),
                ]
            )
    return bytes(pdf.output())
