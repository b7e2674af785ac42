"""The click and postback functions stay lean: no pydantic, no PynamoDB, no ua-parser, no crawler
lists (the orchestrator classifies bots for statistics), no boto3, no X-Ray SDK (the tracer is made
only where a module imports it: the workers and the API)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = (
    "pydantic",
    "pynamodb",
    "ua_parser",
    "crawleruseragents",
    "crawlerdetect",
    "partnerka.tracking.crawlers",
    "partnerka.tracking.pattern_index",
    "partnerka.tracking.user_agent",
    "boto3",
    "aws_lambda_powertools.event_handler",
    "aws_xray_sdk",
)


@pytest.mark.parametrize("function", ["click", "postback"])
def test_hot_path_function_imports_nothing_heavy(function: str) -> None:
    code = (
        "import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import app; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(ROOT / "functions" / function),
            str(ROOT / "layers/partnerka/python"),
        ],
        capture_output=True,
        text=True,
        check=True,
        # The edge's settings name a secret; importing the function never reads it.
        env={
            **os.environ,
            "EDGE_SECRET_ARN": "arn:aws:secretsmanager:::secret:edge",
            "EDGE_REQUIRED": "false",
        },
    )
    loaded = json.loads(result.stdout)
    assert [m for m in loaded if m.startswith(HEAVY)] == []
