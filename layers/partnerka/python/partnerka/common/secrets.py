"""Secrets Manager values, fetched once per process (the signing key of access tokens)."""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.session


@cache
def secret_string(secret_id: str) -> str:
    client: Any = botocore.session.get_session().create_client("secretsmanager")
    return str(client.get_secret_value(SecretId=secret_id)["SecretString"])
