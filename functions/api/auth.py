"""Who is calling: the bearer access token of the current request, verified."""

from __future__ import annotations

from collections.abc import Mapping

from partnerka.accounts.tokens import Principal, verify_access_token
from partnerka.common.config import get_settings
from partnerka.common.errors import Unauthenticated
from partnerka.common.secrets import secret_string


def current_principal(headers: Mapping[str, str]) -> Principal:
    header = headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("sign in first: an Authorization: Bearer token is required")
    return verify_access_token(secret_string(get_settings().jwt_secret_arn), token.strip())
