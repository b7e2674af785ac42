"""Rotates the edge secret of a deployed stage: the value CloudFront adds to every request it sends
to the API, which the functions require before they trust CloudFront's viewer headers.

    scripts/rotate-edge-secret dev|prod

1. A new value becomes `current` and the old one `previous` in the secret; the functions accept
   both (partnerka.common.edge reads the secret again within five minutes).
2. After those five minutes the stage is deployed with a new `EdgeSecretRotation`, which makes
   CloudFormation read the secret into the distribution's origin header again.
The old value stays accepted until the next rotation.
"""

from __future__ import annotations

import json
import secrets
import string
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import boto3

from scripts.deploy import deploy, read_stage, stack_state

ALPHABET = string.ascii_letters + string.digits
ACCEPTED_WITHIN_SECONDS = 300  # partnerka.common.edge.REFRESH_SECONDS


def rotated(document: dict[str, Any]) -> dict[str, str]:
    """The secret's next value: a new `current`, the old current as `previous`."""
    return {
        "current": "".join(secrets.choice(ALPHABET) for _ in range(48)),
        "previous": str(document["current"]),
    }


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: scripts/rotate-edge-secret dev|prod", file=sys.stderr)
        return 2
    stage = read_stage(argv[0])
    _, outputs = stack_state(boto3.client("cloudformation", region_name=stage.region), stage.stack_name)
    if "EdgeSecretArn" not in outputs:
        print(f"{stage.stack_name} is not deployed (or has no edge): nothing to rotate", file=sys.stderr)
        return 1
    client = boto3.client("secretsmanager", region_name=stage.region)
    document = json.loads(client.get_secret_value(SecretId=outputs["EdgeSecretArn"])["SecretString"])
    client.put_secret_value(SecretId=outputs["EdgeSecretArn"], SecretString=json.dumps(rotated(document)))
    print(f"[rotate] new value stored; waiting {ACCEPTED_WITHIN_SECONDS} s until every function accepts it")
    time.sleep(ACCEPTED_WITHIN_SECONDS)
    deploy(stage, {"EdgeSecretRotation": datetime.now(UTC).strftime("%Y%m%dT%H%M%S")})
    print("[rotate] CloudFront sends the new value; the old one stays accepted until the next rotation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
