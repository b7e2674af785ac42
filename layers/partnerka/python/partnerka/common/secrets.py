"""Secrets Manager values (the signing key of access tokens)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session


def secret_string(secret_id: str) -> str:
    client: Any = botocore.session.get_session().create_client("secretsmanager")
    return str(client.get_secret_value(SecretId=secret_id)["SecretString"])


def secret_reader(secret_id: str) -> Callable[[], str]:
    """The secret's value, fetched at its first use and kept for the life of the instance: each
    composition root holds its own reader."""
    return cache(lambda: secret_string(secret_id))
