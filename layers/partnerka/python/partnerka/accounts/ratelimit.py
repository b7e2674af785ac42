"""Failure counting with lock-out, per account and per IP, in fixed windows that expire by TTL.

A guess takes its place in the count before the secret is checked, by one conditional increment
(`failures + 1` only while `failures < limit`), and gives it back when the secret was right. So
simultaneous guesses cannot all pass a check made before any of them was counted: at most `limit`
wrong secrets are ever tried per window, however many arrive at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from partnerka.accounts.repository import FailureWindows
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


@dataclass(frozen=True, slots=True)
class Slot:
    """One place in one window's count, held by an attempt whose outcome is not known yet."""

    scope: str
    subject: str
    window_start: int


@dataclass(slots=True)
class Guess:
    """An attempt at a secret; the caller sets `wrong` once the secret is checked."""

    wrong: bool = False


class FailureLimiter:
    def __init__(self, repo: FailureWindows) -> None:
        self._repo = repo

    def _window(self, scope: str, now: int) -> tuple[Limit, int]:
        limit = LIMITS[scope]
        return limit, now - now % limit.window_seconds

    def take(self, subjects: Iterable[tuple[str, str]], now: int) -> list[Slot]:
        """Count this attempt as a failure in every (scope, subject) before any secret is checked;
        `RateLimited`, with nothing counted, when one of them is at its limit. Subjects that are
        empty (no source address) are not counted."""
        taken: list[Slot] = []
        for scope, subject in subjects:
            if not subject:
                continue
            limit, start = self._window(scope, now)
            expires = start + 2 * limit.window_seconds
            if not self._repo.take_failure_slot(scope, subject, start, limit.failures, expires):
                self.give_back(taken)
                raise RateLimited(
                    "too many failed attempts; try again later",
                    retry_after=start + limit.window_seconds - now,
                )
            taken.append(Slot(scope, subject, start))
        return taken

    @contextmanager
    def guess(self, subjects: Iterable[tuple[str, str]], now: int) -> Iterator[Guess]:
        """Check a secret inside: the attempt is counted as a failure before (`RateLimited` when a
        subject is locked out) and given back afterwards unless the caller marked it wrong (an
        error on the way gives it back too: only a wrong secret counts)."""
        slots = self.take(subjects, now)
        guess = Guess()
        try:
            yield guess
        finally:
            if not guess.wrong:
                self.give_back(slots)

    def give_back(self, slots: Iterable[Slot]) -> None:
        """The secret was right (or was never checked): these attempts are not failures."""
        for slot in slots:
            self._repo.release_failure_slot(slot.scope, slot.subject, slot.window_start)
