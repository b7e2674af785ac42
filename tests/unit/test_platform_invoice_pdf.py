"""The platform's invoice to an advertiser as PDF: the platform's legal details as the seller, the
advertiser's as the buyer with its VAT / tax id, its lines and total, labels in Russian or English,
a paid invoice saying by what reference, and the same document for the same invoice."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from partnerka.billing.invoice_pdf import PlatformLegal, render_platform_invoice
from partnerka.billing.invoices import new_invoice, period_line, unused_line
from partnerka.billing.models import BillingProfile, Interval, InvoiceKind, InvoiceStatus, PlatformInvoice
from partnerka.common.clock import iso_millis
from tests.conftest import FONTS

AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
SELLER = PlatformLegal(
    platform_legal_name="Partnerka Ltd",
    platform_legal_address="1 Harbour Road, Limassol, Cyprus",
    platform_tax_id="CY10000000X",
    platform_bank_details="IBAN CY00 0000 0000 0000 0000 0000 0000, SWIFT BANKCY2N",
)


def an_invoice(locale: str) -> PlatformInvoice:
    buyer = BillingProfile(
        "adv-1", "ООО «Акме»", "Москва, ул. Тверская, 1", "7701234567", "b@acme.test", locale
    )
    year_end = AT + timedelta(days=365)
    invoice = new_invoice(
        InvoiceKind.SUBSCRIPTION,
        "adv-1",
        "20261207T100000Z.pro.year",
        (AT, year_end),
        "RUB",
        (
            period_line("Pro", Interval.YEAR, AT, year_end, 12960000, locale),
            unused_line("Pro", Interval.MONTH, AT, AT + timedelta(days=20), 870968, locale),
        ),
        "pro",
        Interval.YEAR,
        AT,
        buyer,
    )
    return replace(invoice, number="P-2026-000042")


def text_of(body: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Invoice P-2026-000042", "Seller", "Bill to", "VAT / tax ID: 7701234567", "Total"]),
        ("ru", ["Счёт P-2026-000042", "Поставщик", "Покупатель", "ИНН / VAT: 7701234567", "Итого"]),
    ],
)
def test_the_invoice_names_seller_and_buyer_with_their_tax_ids_in_its_language(
    language: str, labels: list[str]
) -> None:
    invoice = an_invoice("ru")

    text = text_of(render_platform_invoice(invoice, language, SELLER, str(FONTS)))

    for label in labels:
        assert label in text
    for detail in ("Partnerka Ltd", "1 Harbour Road, Limassol, Cyprus", "CY10000000X", "SWIFT BANKCY2N"):
        assert detail in text
    assert "ООО «Акме»" in text
    assert "Москва, ул. Тверская, 1" in text
    assert "Тариф Pro, на год, скидка 20 %: 07.12.2026 – 07.12.2027" in text  # as written, in the buyer's
    assert "129600.00 RUB" in text
    assert "-8709.68 RUB" in text
    assert "120890.32 RUB" in text


def test_the_same_invoice_is_the_same_document_and_a_paid_one_says_by_what_reference() -> None:
    invoice = an_invoice("en")
    body = render_platform_invoice(invoice, "en", SELLER, str(FONTS))
    assert render_platform_invoice(invoice, "en", SELLER, str(FONTS)) == body
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata is not None
    assert reader.metadata.author == "Partnerka Ltd"

    paid = replace(
        invoice,
        status=InvoiceStatus.PAID,
        paid_at=iso_millis(AT + timedelta(days=2)),
        payment_reference="pi_3Nx",
    )

    assert "Paid on 9 Dec 2026, reference pi_3Nx" in text_of(
        render_platform_invoice(paid, "en", SELLER, str(FONTS))
    )
    assert "Оплачен 09.12.2026, платёж pi_3Nx" in text_of(
        render_platform_invoice(paid, "ru", SELLER, str(FONTS))
    )
