"""An issued invoice as a PDF, in Russian or English.

The document is drawn from the stored invoice and its closed month's items only, with DejaVu Sans
(the DocumentsLayer) for Cyrillic, and its creation date set to the issue date, so the same invoice
always gives the same document. fpdf2 is imported here alone: only the finance worker draws PDFs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from partnerka.common.money import Money
from partnerka.finance.invoices import Invoice, InvoiceItem

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
    months: tuple[str, ...]
    footer: str


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
        months=(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        footer="Partnerka · page {page}",
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
        months=(
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ),
        footer="Partnerka · стр. {page}",
    ),
}


def _money(minor: int, currency: str) -> str:
    return f"{Money(minor, currency).as_decimal_string()} {currency}"


def period_name(month: str, language: str) -> str:
    year, number = month.split("-")
    return f"{LABELS[language].months[int(number) - 1]} {year}"


def render_invoice(
    invoice: Invoice,
    items: list[InvoiceItem],
    language: str,
    advertiser_name: str,
    names: Mapping[str, Mapping[str, str]],
    fonts_dir: str,
) -> bytes:
    """The invoice as PDF bytes. `names` maps `offer` and `affiliate` ids to their names."""
    from fpdf import FPDF  # only this module needs fpdf2, and only when drawing
    from fpdf.fonts import FontFace

    labels = LABELS[language]
    offers, affiliates = names.get("offer", {}), names.get("affiliate", {})

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, labels.footer.format(page=self.page_no()), align="C")

    pdf = Document(format="A4")
    pdf.add_font("DejaVu", "", os.path.join(fonts_dir, "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", os.path.join(fonts_dir, "DejaVuSans-Bold.ttf"))
    if invoice.issued_at:
        pdf.set_creation_date(invoice.issued_at)
    pdf.set_title(f"{labels.title} {invoice.number}")
    pdf.set_author("Partnerka")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 12, f"{labels.title} {invoice.number or ''}".strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    for label, value in (
        (labels.advertiser, f"{advertiser_name} ({invoice.advertiser_id})"),
        (labels.period, period_name(invoice.month, language)),
        (labels.issued, invoice.issued_at.strftime("%Y-%m-%d") if invoice.issued_at else "—"),
    ):
        pdf.cell(40, 6, f"{label}:")
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    heading = FontFace(emphasis="BOLD", fill_color=(235, 238, 245))
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, labels.by_offer, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    if not invoice.lines:
        pdf.cell(0, 6, labels.nothing, new_x="LMARGIN", new_y="NEXT")
    else:
        with pdf.table(
            col_widths=(80, 25, 30, 45),
            text_align=("LEFT", "CENTER", "RIGHT", "RIGHT"),
            headings_style=heading,
        ) as table:
            table.row([labels.offer, labels.currency, labels.conversions, labels.amount])
            for line in invoice.lines:
                table.row(
                    [
                        offers.get(line.offer_id, line.offer_id),
                        line.currency,
                        str(line.conversions),
                        _money(line.payout, line.currency),
                    ]
                )
            for currency, (count, payout, _) in invoice.totals().items():
                table.row([labels.total, currency, str(count), _money(payout, currency)], style=heading)

    if items:
        pdf.ln(6)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, labels.items, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8)
        ordered = sorted(items, key=lambda item: (offers.get(item.offer_id, item.offer_id), item.at))
        with pdf.table(
            col_widths=(30, 52, 38, 30, 30),
            text_align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
            headings_style=heading,
        ) as table:
            table.row([labels.date, labels.conversion, labels.offer, labels.affiliate, labels.amount])
            for item in ordered:
                conversion = item.conversion_id + (f" ({labels.reversed})" if item.reversed else "")
                table.row(
                    [
                        item.at.strftime("%Y-%m-%d %H:%M"),
                        conversion,
                        offers.get(item.offer_id, item.offer_id),
                        affiliates.get(item.affiliate_id, item.affiliate_id),
                        _money(item.payout, item.currency),
                    ]
                )
    return bytes(pdf.output())
