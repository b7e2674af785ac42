"""Password hashing: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), rehashed as they age."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from partnerka.common.errors import ValidationFailed

MIN_LENGTH = 10
MAX_LENGTH = 128
_HASHER = PasswordHasher(
    time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verifying against this keeps "no such user" as slow as "wrong password" (no account
    enumeration by timing). Made on first need, one per hasher, not at import: a hash costs some
    30 ms of CPU, which every API function's cold start paid though most never sign anyone in (an
    instance's first unknown user waits one hash longer, never shorter)."""
    return hasher.hash("partnerka-timing-equaliser")


def check_policy(password: str) -> str:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationFailed(f"the password must be {MIN_LENGTH} to {MAX_LENGTH} characters long")
    if password.strip() != password or len(set(password)) < 4:
        raise ValidationFailed("the password is too weak")
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(check_policy(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(_HASHER), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)


def hash_secret(value: str) -> str:
    """For secrets that are not passwords (recovery codes): the same argon2id, no policy."""
    return _HASHER.hash(value)


def verify_secret(stored_hash: str, value: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, value)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
