"""The money path in Debian's Chromium against the local platform and the demo data: the advertiser
approves a conversion, the affiliate sees its Hold move to Approved and asks to be paid, the advertiser
pays the request, the payout shows in both histories, and the conversion is listed on the month's
invoice; last month's issued invoice downloads as a PDF; the affiliate's finance page in Russian."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Platform
from tests.e2e.test_browser_stats import signed_in

pytestmark = pytest.mark.e2e


def dollars(text: str) -> Decimal:
    """A shown amount ("$1,234.50", "-$3.60") as a Decimal."""
    return Decimal(re.sub(r"[^\d.-]", "", text))


def figure(page: Page, name: str) -> Decimal:
    return dollars(page.get_by_test_id("finance-balance-USD").get_by_test_id(name).inner_text())


def until(page: Page, check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Reloads the page until `check` holds: the finance worker posts journals asynchronously."""
    deadline = time.monotonic() + seconds
    while True:
        page.reload()
        expect(page.get_by_test_id("finance-balance-USD")).to_be_visible()
        expect(page.get_by_test_id("finance-balance-USD").get_by_test_id("hold")).to_contain_text("$")
        if check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        page.wait_for_timeout(1000)


def waiting_conversion(page: Page, affiliate: str) -> tuple[str, Decimal]:
    """A conversion of `affiliate` still waiting for a decision in the last two weeks: its id and payout."""
    today = datetime.now(UTC).date()
    days = f"from={today - timedelta(days=13)}&to={today}"
    for status in ("pending", "hold"):
        page.goto(f"/conversions?status={status}&{days}")
        expect(
            page.get_by_test_id("conversions-bulk").or_(page.get_by_text("No conversions with this status"))
        ).to_be_visible()
        rows = page.locator("[data-testid^='conversion-row-']").filter(has_text=affiliate)
        if rows.count():
            row = rows.first
            conversion_id = (row.get_attribute("data-testid") or "").removeprefix("conversion-row-")
            payout = row.locator("td").filter(has_text="$").first.inner_text()
            return conversion_id, dollars(payout)
    raise AssertionError(f"the demo has no waiting conversion of {affiliate}")


def test_approve_pay_and_invoice_in_the_browser(
    browser: Browser,
    platform: Platform,
) -> None:
    affiliate_name = platform.demo["affiliate"]["name"]
    affiliate_id = platform.demo["affiliate"]["id"]
    with (
        signed_in(browser, platform, "advertiser") as advertiser,
        signed_in(browser, platform, "affiliate") as affiliate,
    ):
        # Given a conversion of the demo affiliate waiting for the advertiser's decision
        conversion_id, payout = waiting_conversion(advertiser, affiliate_name)
        assert payout > 0
        affiliate.goto("/finance")
        expect(affiliate.get_by_test_id("finance-balance-USD").get_by_test_id("hold")).to_contain_text("$")
        hold, approved, paid = (figure(affiliate, name) for name in ("hold", "approved", "paid"))
        assert hold >= payout

        # When the advertiser approves it
        advertiser.get_by_test_id(f"conversion-select-{conversion_id}").click()
        advertiser.get_by_test_id("conversions-approve").click()
        expect(advertiser.get_by_test_id(f"conversion-row-{conversion_id}")).to_have_count(0)

        # Then the affiliate's Hold moves to Approved by its payout
        until(
            affiliate,
            lambda: figure(affiliate, "approved") == approved + payout,
            f"Approved grows by {payout}",
        )
        assert figure(affiliate, "hold") == hold - payout
        approved += payout

        # When the affiliate asks to be paid its whole approved balance
        affiliate.get_by_test_id("payout-request-open").click()
        affiliate.get_by_test_id("payout-request-amount").fill(f"{approved}")
        affiliate.get_by_test_id("payout-request-dialog-submit").click()
        request = affiliate.get_by_test_id("payout-request-row").first
        expect(request).to_have_attribute("data-status", "open")

        # and the advertiser pays that request, with a reference of its own
        reference = f"E2E-{int(time.time())}"
        advertiser.goto("/finance")
        asked = (
            advertiser.get_by_test_id("advertiser-payout-requests")
            .locator("tr")
            .filter(has_text=affiliate_name)
        )
        expect(asked.first).to_be_visible()
        asked.first.get_by_test_id("payout-request-pay").click()
        dialog = advertiser.get_by_test_id("pay-dialog")
        expect(dialog.get_by_test_id("pay-amount")).to_have_value(re.compile(re.escape(f"{approved}")))
        dialog.get_by_test_id("pay-reference").fill(reference)
        dialog.get_by_test_id("pay-dialog-submit").click()
        expect(dialog).to_be_hidden()

        # Then the payout is in the advertiser's history, for that affiliate and amount
        paid_row = advertiser.get_by_test_id("payout-row").filter(has_text=reference)
        expect(paid_row).to_have_count(1)
        expect(paid_row).to_have_attribute("data-affiliate", affiliate_id)
        expect(paid_row).to_contain_text(f"${approved:,}")
        # and in the affiliate's, whose Approved went to Paid and whose request is answered
        until(affiliate, lambda: figure(affiliate, "paid") == paid + approved, f"Paid grows by {approved}")
        assert figure(affiliate, "approved") == 0
        expect(affiliate.get_by_test_id("payout-row").filter(has_text=reference)).to_have_count(1)
        expect(affiliate.get_by_test_id("payout-request-row").first).to_have_attribute("data-status", "done")

        # And the conversion is on this month's invoice, among the month's items
        advertiser.get_by_test_id("invoice-current").click()
        expect(advertiser.get_by_test_id("invoice-status")).to_have_attribute("data-status", "open")
        item = advertiser.locator(f"[data-testid='invoice-item'][data-conversion='{conversion_id}']")
        expect(item).to_be_visible()
        expect(item).to_contain_text(f"${payout:,}")

        # And last month's invoice, issued with its number, downloads as a PDF in Russian
        advertiser.goto("/finance")
        issued = advertiser.get_by_test_id("invoice-row").filter(has_text=platform.demo["invoice"])
        expect(issued).to_have_attribute("data-status", "issued")
        with advertiser.expect_download() as download:
            issued.get_by_test_id("invoice-pdf-ru").click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        assert download.value.suggested_filename.endswith(".pdf")

        # And the affiliate's finance page reads in Russian
        affiliate.get_by_test_id("language-ru").click()
        balances = affiliate.get_by_test_id("finance-balance-USD")
        for word in ("В холде", "Подтверждено", "Выплачено"):
            expect(balances).to_contain_text(word)
        expect(affiliate.get_by_test_id("payout-history")).to_contain_text("История выплат")
        affiliate.get_by_test_id("language-en").click()
