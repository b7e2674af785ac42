"""Failure counting with lock-out, per account and per IP, in fixed windows that expire by TTL."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.repository import SessionRepository
from partnerka.common.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Limit:
    failures: int
    window_seconds: int


# After this many failures in a window, further attempts are refused until the window ends.
LIMITS: dict[str, Limit] = {
    "password:account": Limit(5, 900),
    "password:ip": Limit(20, 900),
    "mfa:account": Limit(5, 900),
    "mfa:ip": Limit(20, 900),
}


class FailureLimiter:
    def __init__(self, repo: SessionRepository) -> None:
        self._repo = repo

    def _window(self, scope: str, now: int) -> tuple[Limit, int]:
        limit = LIMITS[scope]
        return limit, now - now % limit.window_seconds

    def check(self, scope: str, subject: str, now: int) -> None:
        """Refuse before any secret is checked when the subject is locked out."""
        limit, start = self._window(scope, now)
        if subject and self._repo.failures(scope, subject, start) >= limit.failures:
            raise RateLimited(
                "too many failed attempts; try again later", retry_after=start + limit.window_seconds - now
            )

    def fail(self, scope: str, subject: str, now: int) -> None:
        limit, start = self._window(scope, now)
        if subject:
            self._repo.count_failure(scope, subject, start, start + 2 * limit.window_seconds)
