"""Runs a benchmark module in a fresh interpreter (no test's AWS settings leak in), prints its
figures and returns the JSON of its last line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.conftest import ROOT, Figures


def run_benchmark(module: str, figures: Figures, **defaults: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.endswith("_TABLE")}
    env.update({name: env.get(name, value) for name, value in defaults.items()})
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "layers" / "partnerka" / "python"), str(ROOT / "infra" / "local"), str(ROOT)]
    )
    result = subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    lines = [line for line in result.stdout.splitlines() if not line.startswith('{"level"')]
    figures("\n".join(lines[:-1]))
    return json.loads(lines[-1])  # type: ignore[no-any-return]
