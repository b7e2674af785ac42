"""How soon a click shows in statistics in the local platform (target: under 5 s): a click through the
tracker, then /api/stats and the click log polled every 100 ms until they count it. The figures are
printed for the closing note; the test fails only if a click never shows within the poll's limit."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
import pytest

from tests.e2e.conftest import Platform
from tests.e2e.test_postback_delivery import OFFER
from tests.e2e.test_tracking_loop import BROWSER, login, visit

pytestmark = pytest.mark.e2e
CLICKS = 5


def test_a_click_reaches_statistics_within_seconds(
    platform: Platform, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = platform.demo
    today = datetime.now(UTC).date().isoformat()
    report_ms, log_ms = [], []
    with httpx.Client(base_url=platform.url, timeout=10, headers={"user-agent": BROWSER}) as client:
        headers = login(client, demo, "advertiser")
        # An offer of its own, so the other tests' figures for the demo offers stay theirs
        created = client.post("/api/offers", json=OFFER | {"name": "Statistics latency"}, headers=headers)
        assert created.status_code == 201, created.text
        offer_id = created.json()["id"]
        link = f"/click?{urlencode({'o': offer_id, 'a': demo['affiliate']['id']})}"
        query = {"from": today, "to": today, "group_by": "none", "offer_id": offer_id}

        def counted() -> int:
            response = client.get("/api/stats", params=query, headers=headers)
            assert response.status_code == 200, response.text
            return int(response.json()["totals"]["clicks"])

        def logged(click_id: str) -> bool:
            response = client.get("/api/stats/clicks", params=query | {"click_id": click_id}, headers=headers)
            assert response.status_code == 200, response.text
            return bool(response.json()["items"])

        for _ in range(CLICKS):
            before = counted()
            started = time.monotonic()
            click_id = visit(client, link)
            in_report = in_log = None
            while time.monotonic() - started < 20 and (in_report is None or in_log is None):
                if in_report is None and counted() > before:
                    in_report = time.monotonic() - started
                if in_log is None and logged(click_id):
                    in_log = time.monotonic() - started
                time.sleep(0.1)
            assert in_report is not None, "the click never reached the report"
            assert in_log is not None, "the click never reached the click log"
            report_ms.append(in_report * 1000)
            log_ms.append(in_log * 1000)
    with capsys.disabled():
        print(
            f"\nclick → statistics in the local platform ({CLICKS} clicks): report median "
            f"{statistics.median(report_ms):.0f} ms, max {max(report_ms):.0f} ms; click log median "
            f"{statistics.median(log_ms):.0f} ms, max {max(log_ms):.0f} ms"
        )
