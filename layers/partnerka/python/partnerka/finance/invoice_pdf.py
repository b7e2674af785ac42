"""An issued invoice as a PDF, in Russian or English.

The document is drawn from the stored invoice and its closed month's items only, with DejaVu Sans
(the DocumentsLayer) for Cyrillic, and its creation date set to the issue date, so the same invoice
always gives the same document. fpdf2 is imported here alone: only the finance worker draws PDFs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partnerka.common.language import month_name
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
        footer="{issuer} · page {page}",
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
    pdf.add_font("DejaVu", "", os.path.join(fonts_dir, "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", os.path.join(fonts_dir, "DejaVuSans-Bold.ttf"))
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
    if not invoice.lines:
        pdf.cell(0, 6, labels.nothing, new_x="LMARGIN", new_y="NEXT")
    else:
        summary = _Table(pdf, (80, 25, 30, 45), "LCRR", 6.0)
        summary.heading([labels.offer, labels.currency, labels.conversions, labels.amount])
        for line in invoice.lines:
            summary.row(
                [
                    offers.get(line.offer_id, line.offer_id),
                    line.currency,
                    str(line.conversions),
                    _money(line.payout, line.currency),
                ]
            )
        for currency, (count, payout, _) in invoice.totals().items():
            summary.row([labels.total, currency, str(count), _money(payout, currency)], emphasis=True)

    if items:
        pdf.ln(6)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, labels.items, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8)
        ordered = sorted(items, key=lambda item: (offers.get(item.offer_id, item.offer_id), item.at))
        details = _Table(pdf, (30, 52, 38, 30, 30), "LLLLR", 5.0)
        details.heading([labels.date, labels.conversion, labels.offer, labels.affiliate, labels.amount])
        for item in ordered:
            conversion = item.conversion_id + (f" ({labels.reversed})" if item.reversed else "")
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


class _Table:
    """A bordered table drawn row by row, its heading repeated at the top of every page.

    fpdf2's own table breaks every cell's text into lines character by character (twice: to size the
    row, then to draw it), which made an invoice of 2,000 conversions take 10 s to draw. Here a cell
    whose text fits its column (nearly all: dates, ids, amounts) is one measured line, a longer text is
    broken once per distinct text and column, and each row is one measured height.
    """

    _HEADING_FILL = (235, 238, 245)

    def __init__(self, pdf: Any, widths: tuple[float, ...], aligns: str, line_height: float):
        self.pdf, self.widths, self.aligns, self.line_height = pdf, widths, aligns, line_height
        self._heading: list[str] = []
        self._broken: dict[tuple[str, float, str], list[str]] = {}

    def heading(self, texts: list[str]) -> None:
        self._heading = texts
        if self.pdf.will_page_break(2 * self.line_height):  # never a heading alone at a page's foot
            self.pdf.add_page()
        self._draw(texts, emphasis=True)

    def row(self, texts: list[str], emphasis: bool = False) -> None:
        cells = self._lines(texts, emphasis)
        height = self.line_height * max(len(lines) for lines in cells)
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
            self._draw(self._heading, emphasis=True)
        self._draw_lines(cells, height, emphasis)

    def _draw(self, texts: list[str], emphasis: bool) -> None:
        cells = self._lines(texts, emphasis)
        self._draw_lines(cells, self.line_height * max(len(lines) for lines in cells), emphasis)

    def _lines(self, texts: list[str], emphasis: bool) -> list[list[str]]:
        pdf = self.pdf
        style = "B" if emphasis else ""
        pdf.set_font(style=style)
        cells = []
        for text, width in zip(texts, self.widths, strict=True):
            if pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
                cells.append([text])
                continue
            key = (text, width, style)
            if key not in self._broken:
                self._broken[key] = pdf.multi_cell(
                    width, self.line_height, text, dry_run=True, output="LINES"
                )
            cells.append(self._broken[key])
        pdf.set_font(style="")
        return cells

    def _draw_lines(self, cells: list[list[str]], height: float, emphasis: bool) -> None:
        pdf = self.pdf
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_font(style="B" if emphasis else "")
        if emphasis:
            pdf.set_fill_color(*self._HEADING_FILL)
        for lines, width, align in zip(cells, self.widths, self.aligns, strict=True):
            pdf.rect(x, y, width, height, style="DF" if emphasis else "D")
            for n, line in enumerate(lines):
                pdf.set_xy(x, y + n * self.line_height)
                pdf.cell(width, self.line_height, line, align=align)
            x += width
        pdf.set_font(style="")
        pdf.set_xy(pdf.l_margin, y + height)
