"""One local platform (the real template, demo data, the built SPA) for all end-to-end tests."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from partnerka_local import LocalRuntime
from scripts.dev_server import publish_demo_records, start_runtime
from tests.conftest import ROOT

# An assertion on the page waits as long as an action does: the local platform serves the dashboard
# from one API worker, so on a busy 2-core machine a page's data can take longer than Playwright's
# default 5 s to arrive; a real defect still fails, only later.
expect.set_options(timeout=15_000)
ROUTE_CACHE_SECONDS = 1


@dataclass
class Platform:
    runtime: LocalRuntime
    demo: dict[str, Any]

    @property
    def url(self) -> str:
        return self.runtime.url

    def mails(self) -> list[dict[str, Any]]:
        """What SES (moto's) has sent: [{destinations, subject, body (HTML)}, ...]."""
        return self._ses("Message")

    def raw_mails(self) -> list[EmailMessage]:
        """What SES (moto's) has sent as raw MIME (the e-mails with header fields of their own, such
        as List-Unsubscribe), parsed as a mail client reads them, oldest first."""
        return [
            email.message_from_string(sent["raw_data"], policy=email.policy.default)  # type: ignore[misc]
            for sent in self._ses("RawMessage")
        ]

    def _ses(self, model: str) -> list[dict[str, Any]]:
        endpoint = self.runtime.aws_env["AWS_ENDPOINT_URL"]
        with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
            return list(json.load(response).get("ses", {}).get(model, []))


def seed_in_subprocess(runtime: LocalRuntime, log_dir: Path) -> dict[str, Any]:
    """The demo seed, in its own process so its AWS clients never leak into other tests. When it
    fails, the error carries its own output, moto's threads' stacks and the ends of the logs."""
    env = {**os.environ, **runtime.client_env()}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "layers/partnerka/python"), str(ROOT / "infra/local"), str(ROOT)]
    )
    result = subprocess.run(
        [sys.executable, "-m", "scripts.seed_demo", "--base-url", runtime.url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    if result.returncode != 0:
        runtime.dump_emulator_stacks()
        time.sleep(1)
        tails = "\n".join(
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:])
            for log in sorted(log_dir.glob("*.log"))
            if log.name in ("moto.log", "OrchestratorFunction.log") or log.name.startswith("Api")
        )
        raise RuntimeError(f"the demo seed failed:\n{result.stderr[-4000:]}\n{tails}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, one for every browser test (each test opens contexts of its own)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: scripts/setup installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    log_dir = tmp_path_factory.mktemp("logs")
    # Workers start at their functions' first invocations: the seed begins at once, and functions
    # no test calls never start.
    # A click sees a suspension or a changed block list within the route cache's lifetime: a second
    # here, so a test waits for it without waiting half a minute (tests/e2e/test_suspended_clicks.py).
    runtime = start_runtime(
        port=0, log_dir=log_dir, lazy_workers=True, parameters={"RouteCacheSeconds": str(ROUTE_CACHE_SECONDS)}
    )
    try:
        demo = seed_in_subprocess(runtime, log_dir)
        publish_demo_records(runtime, demo["portal"]["dns_records"])
        yield Platform(runtime, demo)
    finally:
        runtime.stop()
