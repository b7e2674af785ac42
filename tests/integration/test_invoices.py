"""Monthly invoices from the ledger: closing a month keeps its invoice stable, a late journal is booked
into the next open month (never lost, never on two invoices), numbers are sequential and stable, the
nightly run draws the PDF in English and Russian, and only the advertiser's side can read them."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import boto3
from pypdf import PdfReader

from partnerka.common.clock import utc_now
from partnerka.finance.invoices import (
    InvoiceRepository,
    InvoiceStatus,
    invoice_items,
    issue_invoice,
    month_of,
    preview,
    previous_month,
)
from partnerka.finance.ledger import ConversionMoney, approval, arrival, invoice_index
from partnerka.finance.repository import LedgerRepository
from partnerka.finance.service import FinanceEvent, FinanceEventKind, post_event
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader
from tests.integration.world import PASSWORD, build_world

OCT = datetime(2026, 10, 20, 12, tzinfo=UTC)
NOV = datetime(2026, 11, 1, 0, 30, tzinfo=UTC)


def money(n: int, adv: str = "ADV1", payout: int = 1250, revenue: int = 2000) -> ConversionMoney:
    return ConversionMoney(f"cv{n}", adv, "AFF1", "OFFER1", "USD", payout, revenue)


def test_a_closed_month_keeps_its_invoice_and_late_journals_go_to_the_next(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    invoices = InvoiceRepository(os.environ["LEDGER_TABLE"])
    # October: two conversions approved, one arriving approved, one held (not on the invoice)
    for n in (1, 2, 4):
        ledger.post(arrival(money(n), False, OCT))
    ledger.post(approval(money(1), OCT))
    ledger.post(approval(money(2), OCT))
    ledger.post(arrival(money(3, payout=700, revenue=0), True, OCT))
    opened, _ = preview(ledger, "ADV1", "2026-10")
    assert (opened.status, opened.totals()) == (InvoiceStatus.OPEN, {"USD": (3, 3200, 4000)})

    issued = issue_invoice(ledger, invoices, "ADV1", "2026-10", NOV)
    assert (issued.status, issued.number, issued.totals()) == (
        InvoiceStatus.ISSUED,
        "PK-000001",
        {"USD": (3, 3200, 4000)},
    )
    # A late approval dated October, and a rejection of an October approval, after the invoice:
    # both are booked in November; October's invoice is unchanged, also when issued again
    late = approval(money(4), OCT)
    assert ledger.post(late)
    assert ledger.get(late.key).booked == "2026-11"  # type: ignore[union-attr]
    rejection = FinanceEvent(FinanceEventKind.REJECTION, money(1), False, OCT)
    assert post_event(ledger, rejection) == ["cv1.approval.reversal", "cv1.arrival.reversal"]
    assert issue_invoice(ledger, invoices, "ADV1", "2026-10", NOV) == issued
    assert len(ledger.listed(invoice_index("ADV1", "2026-10"))) == 3
    november = invoice_items(ledger.listed(invoice_index("ADV1", "2026-11")))
    assert sorted((i.conversion_id, i.reversed, i.payout, i.revenue) for i in november) == [
        ("cv1", True, -1250, -2000),
        ("cv4", False, 1250, 2000),
    ]
    assert preview(ledger, "ADV1", "2026-11")[0].totals() == {"USD": (0, 0, 0)}

    # Numbers are sequential across advertisers; a month with nothing in it takes none
    ledger.post(arrival(money(9, adv="ADV2"), True, OCT))
    assert issue_invoice(ledger, invoices, "ADV2", "2026-10", NOV).number == "PK-000002"
    empty = issue_invoice(ledger, invoices, "ADV3", "2026-10", NOV)
    assert (empty.status, empty.number) == (InvoiceStatus.EMPTY, None)
    assert issue_invoice(ledger, invoices, "ADV1", "2026-11", NOV).number == "PK-000003"
    assert [i.number for i in invoices.issued("ADV1")] == ["PK-000003", "PK-000001"]


def test_a_run_stopped_after_closing_the_month_issues_the_same_invoice(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    invoices = InvoiceRepository(os.environ["LEDGER_TABLE"])
    ledger.post(arrival(money(1), True, OCT))
    closed = invoices.close("ADV1", "2026-10", NOV)  # the run stops here
    assert closed.status is InvoiceStatus.CLOSING
    assert ledger.post(arrival(money(2), True, OCT))  # booked in November: October is closed
    issued = issue_invoice(ledger, invoices, "ADV1", "2026-10", NOV)
    assert (issued.number, issued.totals()) == ("PK-000001", {"USD": (1, 1250, 2000)})


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_billing_draws_the_invoice_in_both_languages_for_the_advertiser_only(
    load_function: FunctionLoader,
) -> None:
    world = build_world(with_people=True)
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    offer = world.offer.offer_id
    last_month = previous_month(utc_now())
    at = datetime.fromisoformat(f"{last_month}-15T10:00:00+00:00")
    for n, payout in ((1, 1250), (2, 800)):
        conversion = ConversionMoney(
            f"cv{n}", world.advertiser_id, world.affiliate_id, offer, "USD", payout, 2000
        )
        ledger.post(arrival(conversion, True, at))

    billing = load_function("billing")
    done = billing.handler({"detail-type": "Scheduled Event", "detail": {}}, CONTEXT)
    assert done["month"] == last_month
    assert done["invoices"][world.advertiser_id] == "issued PK-000001"
    # The next night finds it issued, with both documents: nothing changes
    assert billing.handler({"detail": {"month": last_month}}, CONTEXT) == done

    api = Api(load_function("api"))
    token = {who: api.login(world.emails[who], PASSWORD)["access_token"] for who in world.emails}

    def call(who: str, path: str, **query: Any) -> tuple[int, Any]:
        reply = api.call("GET", path, None, token=token[who], **query)
        return reply.status, reply.body

    status, listed = call("advertiser", "/api/finance/invoices")
    assert status == 200, listed
    assert listed["current"]["status"] == "open"
    (invoice,) = listed["items"]
    assert (invoice["number"], invoice["month"], invoice["documents"]) == (
        "PK-000001",
        last_month,
        ["en", "ru"],
    )
    assert [(line["offer_name"], line["conversions"], line["amount"]) for line in invoice["lines"]] == [
        ("Sneakers", 2, "20.50")
    ]
    status, detail = call("advertiser", f"/api/finance/invoices/{last_month}")
    assert [(i["conversion_id"], i["affiliate_name"], i["amount"]) for i in detail["items"]] == [
        ("cv1", "Traffic Pro", "12.50"),
        ("cv2", "Traffic Pro", "8.00"),
    ]
    s3 = boto3.client("s3")
    bucket = os.environ["REPORTS_BUCKET"]
    for language, words in (
        ("en", ("Invoice PK-000001", "Sneakers", "20.50 USD", "Traffic Pro")),
        ("ru", ("Счёт PK-000001", "Итого", "20.50 USD", "Рекламодатель")),
    ):
        status, link = call("advertiser", f"/api/finance/invoices/{last_month}/document", language=language)
        assert status == 200, link
        key = unquote(urlsplit(link["download_url"]).path).lstrip("/").removeprefix(f"{bucket}/")
        text = pdf_text(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        assert all(word in text for word in words), text
    # An affiliate has no invoices; staff name the advertiser; a bad month is refused
    assert call("affiliate", "/api/finance/invoices")[0] == 403
    assert call("owner", "/api/finance/invoices")[0] == 400
    assert call("owner", "/api/finance/invoices", advertiser_id=world.advertiser_id)[0] == 200
    status, bad = call("advertiser", "/api/finance/invoices/2026-13")
    assert status == 400, bad
    status, missing = call("advertiser", f"/api/finance/invoices/{month_of(utc_now())}/document")
    assert (status, missing["error"]["code"]) == (404, "not_found")
    assert json.dumps(missing)
