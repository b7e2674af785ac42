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
from urllib.parse import urlencode

import httpx
import pytest

from tests.e2e.conftest import Platform
from tests.e2e.test_postback_delivery import OFFER
from tests.e2e.test_tracking_loop import BROWSER, login

pytestmark = pytest.mark.e2e

CLICKS = 200  # at least; more are sent while the kills are still to come
MAX_CLICKS = 1500
KILLS = 3


class Killer(threading.Thread):
    """Kills the orchestrator's worker a while into an invocation (never twice in one), KILLS times."""

    def __init__(self, platform: Platform) -> None:
        super().__init__(daemon=True)
        self.worker = platform.runtime.workers["OrchestratorFunction"]
        self.kills = 0
        self.stop = threading.Event()
        self.random = random.Random(14)

    def run(self) -> None:
        spared = -1  # the invocation last looked at: each gets one chance to die
        while self.kills < KILLS and not self.stop.is_set():
            invocation = self.worker.invocations
            if not self.worker.busy or invocation == spared:
                time.sleep(0.005)
                continue
            spared = invocation
            time.sleep(self.random.uniform(0.02, 0.5))  # somewhere in its reads and writes
            pid = self.worker.pid
            if self.worker.busy and self.worker.invocations == invocation and pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                self.kills += 1


def counted(client: httpx.Client, headers: dict[str, str], **params: str) -> int:
    today = datetime.now(UTC).date().isoformat()
    response = client.get("/api/stats", params={"from": today, "to": today, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["totals"]["clicks"])


def test_every_click_counts_once_when_the_orchestrator_dies_mid_batch(platform: Platform) -> None:
    tag = f"crash-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=platform.url, timeout=30, headers={"user-agent": BROWSER}) as client:
        boss = login(client, platform.demo, "advertiser")
        # An offer of its own, so the other tests' figures for the demo offers stay theirs
        created = client.post("/api/offers", json=OFFER | {"name": "Orchestrator crash"}, headers=boss)
        assert created.status_code == 201, created.text
        offer_id = created.json()["id"]
        link = f"/click?{urlencode({'o': offer_id, 'a': platform.demo['affiliate']['id'], 'sub5': tag})}"
        killer = Killer(platform)
        killer.start()
        sent = 0
        while (sent < CLICKS or killer.kills < KILLS) and sent < MAX_CLICKS:
            for _ in range(50):
                response = client.get(f"{link}&sub6={sent}")
                assert response.status_code == 302
                sent += 1
            time.sleep(0.3)
        killer.stop.set()
        assert platform.runtime.wait_idle(180, functions=("OrchestratorFunction",))
        # The raw click log (sub-ids) and the cubes (the offer's total) both hold every click once
        by_tag = counted(client, boss, sub5=tag)
        by_offer = counted(client, boss, offer_id=offer_id)
    print(
        f"\norchestrator crash test: {sent} clicks sent, {by_tag} counted in the click log, "
        f"{by_offer} in the cubes, {killer.kills} kills of the orchestrator's worker mid-invocation"
    )
    assert by_tag == sent
    assert by_offer == sent
    assert killer.kills == KILLS
