"""Production hashes passwords with OWASP's argon2id parameters (the suite itself hashes at the least
cost argon2 accepts: see tests/conftest.py), and a hash made with weaker ones is marked for rehashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from partnerka.accounts import passwords


def test_passwords_are_hashed_with_owasps_argon2id_parameters(owasp_passwords: None) -> None:
    stored = passwords.hash_password("correct-horse-battery")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$"), stored
    assert passwords.verify_password(stored, "correct-horse-battery")
    assert not passwords.verify_password(stored, "correct-horse-battery!")
    assert not passwords.needs_rehash(stored)


def test_a_hash_made_with_weaker_parameters_is_rehashed(owasp_passwords: None) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID).hash(
        "correct-horse-battery"
    )
    assert passwords.verify_password(weak, "correct-horse-battery")
    assert passwords.needs_rehash(weak)


@pytest.mark.parametrize("stored", [None, "", "$argon2id$broken", "plain-text"])
def test_a_missing_or_broken_hash_never_verifies(stored: str | None) -> None:
    assert not passwords.verify_password(stored, "correct-horse-battery")
