"""Fixtures for the local runtime tests: one runtime on the toy template, shared by the whole folder."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT / "infra" / "local") not in sys.path:
    sys.path.insert(0, str(ROOT / "infra" / "local"))

from partnerka_local import LocalRuntime  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixture"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def http(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Response(response.status, list(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, list(error.headers.items()), error.read())


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    rt = LocalRuntime(
        template=FIXTURE / "template.yaml",
        port=0,
        stack_name="toy",
        parameter_overrides={"Stage": "test"},
        extra_env={"EXTRA": "from-extra-env", "STAGE": "overridden"},
        frontend_dist=FIXTURE / "dist",
        log_dir=tmp_path_factory.mktemp("logs"),
        schedule_time_scale=0.005,
        retry_backoff=0.05,
    )
    try:
        rt.start()
        yield rt
    finally:
        rt.stop()
