"""How long the AWS clients wait for an answer.

Each client's own read timeout is tuned for AWS (the click path gives DynamoDB 2 s, then the visitor
goes on). `PARTNERKA_AWS_READ_TIMEOUT` (seconds) overrides them all: the local runtime sets a long
one, because the emulator on a loaded machine can take seconds, and botocore retries a write whose
answer timed out even when it went through, which then meets its own condition.
"""

from __future__ import annotations

import os


def read_timeout(default: float) -> float:
    value = os.environ.get("PARTNERKA_AWS_READ_TIMEOUT", "")
    try:
        return float(value) if value else default
    except ValueError:
        return default
