"""Secrets Manager values (the signing key of access tokens, the edge's origin secret)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.config import Config

from partnerka.common import aws
from partnerka.common.timeouts import read_timeout

# A request on a hot path waits for a secret at most about two seconds, then goes on without it.
HOT_PATH = Config(
    connect_timeout=1, read_timeout=read_timeout(1), retries={"mode": "standard", "max_attempts": 2}
)


@cache
def _client(config: Config | None) -> Any:
    return aws.session().create_client("secretsmanager", config=config)


def secret_string(secret_id: str, config: Config | None = None) -> str:
    client = _client(config)
    return str(client.get_secret_value(SecretId=secret_id)["SecretString"])


def secret_reader(secret_id: str) -> Callable[[], str]:
    """The secret's value, fetched at its first use and kept for the life of the instance: each
    composition root holds its own reader."""
    return cache(lambda: secret_string(secret_id))
