"""The review's crash, on the whole platform: the orchestrator's worker process is killed in the
middle of its batches while clicks arrive, Lambda's rules (bisect on error, retries) hand the
batches over again, and every click is still counted exactly once, in the cubes and in the click log."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from tests.e2e.conftest import Platform
from tests.e2e.test_tracking_loop import BROWSER, login

pytestmark = pytest.mark.e2e

CLICKS = 300  # at least; more are sent while the kills are still to come
MAX_CLICKS = 900
KILLS = 3


class Killer(threading.Thread):
    """Kills the orchestrator's worker a while into an invocation, KILLS times."""

    def __init__(self, platform: Platform) -> None:
        super().__init__(daemon=True)
        self.worker = platform.runtime.workers["OrchestratorFunction"]
        self.kills = 0
        self.stop = threading.Event()
        self.random = random.Random(14)

    def run(self) -> None:
        while self.kills < KILLS and not self.stop.is_set():
            if not self.worker.busy:
                time.sleep(0.01)
                continue
            time.sleep(self.random.uniform(0.05, 0.8))  # somewhere in its reads and writes
            pid = self.worker.pid
            if self.worker.busy and pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                self.kills += 1
                while self.worker.busy and not self.stop.is_set():
                    time.sleep(0.01)


def counted(client: httpx.Client, headers: dict[str, str], **params: str) -> int:
    today = datetime.now(UTC).date().isoformat()
    response = client.get("/api/stats", params={"from": today, "to": today, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["totals"]["clicks"])


def test_every_click_counts_once_when_the_orchestrator_dies_mid_batch(platform: Platform) -> None:
    sneakers = platform.demo["offers"][0]
    tag = f"crash-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=platform.url, timeout=30, headers={"user-agent": BROWSER}) as client:
        boss = login(client, platform.demo, "advertiser")
        offer_before = counted(client, boss, offer_id=sneakers["id"])
        killer = Killer(platform)
        killer.start()
        sent = 0
        while (sent < CLICKS or killer.kills < KILLS) and sent < MAX_CLICKS:
            for _ in range(50):
                response = client.get(f"{sneakers['tracking_link']}&sub5={tag}&sub6={sent}")
                assert response.status_code == 302
                sent += 1
            time.sleep(0.5)
        killer.stop.set()
        assert platform.runtime.wait_idle(120)
        # The raw click log (sub-ids) and the cubes (the offer's total) both hold every click once
        by_tag = counted(client, boss, sub5=tag)
        by_offer = counted(client, boss, offer_id=sneakers["id"]) - offer_before
    print(
        f"\norchestrator crash test: {sent} clicks sent, {by_tag} counted in the click log, "
        f"{by_offer} in the cubes, {killer.kills} kills of the orchestrator's worker"
    )
    assert killer.kills == KILLS
    assert by_tag == sent
    assert by_offer == sent
