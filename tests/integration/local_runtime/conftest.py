"""Fixtures for the local runtime tests: one runtime on the toy template, shared by the whole folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT / "infra" / "local") not in sys.path:
    sys.path.insert(0, str(ROOT / "infra" / "local"))

from partnerka_local import LocalRuntime  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixture"


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    rt = LocalRuntime(
        template=FIXTURE / "template.yaml",
        port=0,
        stack_name="toy",
        parameter_overrides={"Stage": "test"},
        # TOY_STATE_DIR: where the toy functions keep what all their instances must share (toylib)
        extra_env={
            "EXTRA": "from-extra-env",
            "STAGE": "overridden",
            "TOY_STATE_DIR": str(tmp_path_factory.mktemp("toy-state")),
        },
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
