"""The invoice's tables as drawn: every conversion once, in order, a long name broken onto lines and
not cut, the heading again at the top of every page, and the same document for the same invoice."""

from __future__ import annotations

import io

from pypdf import PdfReader

from partnerka.finance.invoice_pdf import render_invoice
from tests.bench.invoice_bench import month_of_items
from tests.conftest import FONTS

LONG = "An offer whose name is much longer than its column — длинное название оффера"


def _pages(language: str, count: int) -> list[str]:
    invoice, items = month_of_items(count)
    names = {"offer": {"offer-0": LONG}, "affiliate": {}}
    body = render_invoice(invoice, items, language, "Acme", names, str(FONTS), "Acme Partners")
    assert body == render_invoice(invoice, items, language, "Acme", names, str(FONTS), "Acme Partners")
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def test_every_conversion_is_listed_once_under_a_heading_on_every_page() -> None:
    pages = _pages("en", 300)
    assert len(pages) > 3
    text = "\n".join(pages)
    for n in range(300):
        assert text.count(f"01BENCH{n:019d}") == 1
    for page in pages[1:]:
        assert page.startswith("Date (UTC) Conversion Offer Affiliate Amount"), page[:80]


def test_a_name_longer_than_its_column_is_broken_onto_lines_not_cut() -> None:
    text = "\n".join(_pages("ru", 10))
    # the summary's wide column holds it on two lines, the details' narrow one on more; no word lost
    words = " ".join(text.split())
    for word in LONG.split():
        assert words.count(word) >= 3  # the summary and both of offer-0's two conversions
    assert "Оффер Валюта Конверсии Сумма" in text


def test_the_invoice_carries_its_issuers_name_in_every_footer_and_its_metadata() -> None:
    invoice, items = month_of_items(120)
    body = render_invoice(
        invoice, items, "en", "Acme", {"offer": {}, "affiliate": {}}, str(FONTS), "Acme Partners"
    )
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata is not None
    assert reader.metadata.author == "Acme Partners"
    for number, page in enumerate(reader.pages, start=1):
        assert f"Acme Partners · page {number}" in page.extract_text()


def test_paid_clicks_are_one_line_per_offer_and_affiliate_with_their_count_and_amount() -> None:
    from datetime import UTC, datetime

    from partnerka.finance.invoices import Invoice, InvoiceItem, InvoiceStatus, invoice_lines

    at = datetime(2026, 11, 27, 16, tzinfo=UTC)
    items = [
        InvoiceItem("", "offer-1", "aff-1", "USD", at, False, 1400, 0, clicks=40),
        InvoiceItem("", "offer-1", "aff-1", "USD", at.replace(hour=17), False, 350, 0, clicks=10),
        InvoiceItem("", "offer-1", "aff-2", "USD", at, False, 160, 0, clicks=2),
    ]
    invoice = Invoice("adv", "2026-11", InvoiceStatus.ISSUED, "PK-000001", at, at, invoice_lines(items))
    names = {"offer": {"offer-1": "Clicks"}, "affiliate": {"aff-1": "Traffic Pro", "aff-2": "Blog"}}
    body = render_invoice(invoice, items, "en", "Acme", names, str(FONTS), "Acme Partners")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())
    assert "Paid clicks by offer and affiliate" in text
    assert "Clicks Traffic Pro USD 50 17.50 USD" in text
    assert "Clicks Blog USD 2 1.60 USD" in text
    assert "Total USD 0 19.10 USD" in text
    assert "10 paid clicks, 17:00" in text
