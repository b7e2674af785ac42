"""One local platform (the real template, demo data, the built SPA) for all end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from partnerka_local import LocalRuntime
from scripts.dev_server import start_runtime
from tests.conftest import ROOT


@dataclass
class Platform:
    runtime: LocalRuntime
    demo: dict[str, Any]

    @property
    def url(self) -> str:
        return self.runtime.url

    def mails(self) -> list[dict[str, Any]]:
        """What SES (moto's) has sent: [{destinations, subject, body (HTML)}, ...]."""
        endpoint = self.runtime.aws_env["AWS_ENDPOINT_URL"]
        with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
            return list(json.load(response).get("ses", {}).get("Message", []))


def seed_in_subprocess(runtime: LocalRuntime) -> dict[str, Any]:
    """The demo seed, in its own process so its AWS clients never leak into other tests."""
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
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    runtime = start_runtime(port=0, log_dir=tmp_path_factory.mktemp("logs"))
    try:
        yield Platform(runtime, seed_in_subprocess(runtime))
    finally:
        runtime.stop()
