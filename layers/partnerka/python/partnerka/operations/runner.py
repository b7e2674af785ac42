"""Attempts of a queued operation, counted exactly, for workers whose queue message names one
operation: one attempt per due message, retries after growing delays, then `failed` and the DLQ.

The attempt count lives in the operation (Operations table), never in SQS receive counts. An attempt
is claimed by a conditional update moving the count from n to n+1, with a lease while it is in
flight, so two copies of one message cannot both make it; once the operation has succeeded, any
later copy is dropped. A message that must wait (its retry is not due, or an attempt is in flight
elsewhere) is answered with the seconds to wait: the worker hides it that long
(ChangeMessageVisibility; SQS delays stop at 15 minutes, visibility goes to 12 hours).

What an attempt needs (settings, secrets) is read before the attempt is claimed: a failed read is
not an attempt, and the message comes back after the queue's visibility timeout. Every attempt made
is logged in the operation's history and counted in the monitor's failure rates, a send that raises
included. A replayed operation (more attempts, due at once) goes on with the attempt count where it
was and its delays start over.

Two workers run on it: the postback sender (postbacks.sender) and the notifier
(notifications.notifier).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from partnerka.common.observability import count, logger, tenant_keys, tracer
from partnerka.operations.models import NO_OWNER, Attempt, Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore

JITTER = 0.15
ERROR_KEPT_CHARACTERS = 300


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to do with the message: drop it (done), or let it come back after `wait_seconds`."""

    done: bool
    wait_seconds: int = 0


DONE = Outcome(done=True)

# An attempt's metric by the status it left its operation in: counted once, by the call whose
# conditional write recorded the attempt (a copy of the message that loses the claim counts nothing).
OUTCOMES = {
    OperationStatus.SUCCESS: "sent",
    OperationStatus.RETRYING: "retried",
    OperationStatus.FAILED: "failed",
}


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """How one attempt went. `permanent`: no later attempt can succeed (a malformed payload), so the
    operation fails at once instead of waiting through its retries. An HTTP attempt (a postback)
    also says where it went (`url`, secrets masked), the answer's code and its first KiB.
    `retry_after`: the seconds the other side asked us to wait (Telegram's 429 says so); the next
    attempt waits at least that long, or longer when the retry policy's delay is longer."""

    ok: bool
    error_class: str = ""
    error: str = ""
    permanent: bool = False
    url: str = ""
    http_status: int | None = None
    response: str = ""
    retry_after: int | None = None


PreparedAttempt = Callable[[], AttemptResult]
"""One attempt, ready to make: what it needs was read before the attempt was claimed."""


class DeadLetters(Protocol):
    def send(self, bodies: list[str]) -> None: ...


def seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds() + 0.999))


def retry_delay(delays: tuple[int, ...], attempt_number: int, rng: random.Random) -> int:
    """Seconds to wait after failed attempt `attempt_number` (1-based), ±15% so retries spread."""
    base = delays[min(attempt_number, len(delays)) - 1]
    return max(1, round(base * rng.uniform(1 - JITTER, 1 + JITTER)))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How one type of operation is attempted: at once, then again after each of `delays` seconds
    (±15%). An attempt in flight holds a lease of `lease_seconds`, longer than its worker function's
    timeout, so an attempt whose worker crashed frees itself."""

    type: OperationType
    delays: tuple[int, ...]
    lease_seconds: int
    metric: str  # the attempts' count (sent, retried, failed): "Postbacks", "Notifications"

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1


class OperationRunner:
    def __init__(
        self,
        policy: RetryPolicy,
        operations: OperationStore,
        dead_letters: DeadLetters,
        now: Callable[[], datetime],
        rng: Callable[[], random.Random],
    ) -> None:
        self._policy = policy
        self._type = policy.type
        self._operations = operations
        self._dead_letters = dead_letters
        self._lease = timedelta(seconds=policy.lease_seconds)
        self._now = now
        self._rng = rng

    @tracer.capture_method(capture_response=False)
    def process(
        self,
        message_id: str,
        operation: Operation,
        prepare: Callable[[Operation], PreparedAttempt],
        dead_letter_body: str,
    ) -> Outcome:
        """Make the operation's next attempt if it is due and this message may make it.

        `prepare` runs only when an attempt is due, before it is claimed: it reads what the attempt
        needs (an error it raises is not an attempt; it fails the message, which comes back) and
        returns the attempt. `dead_letter_body` is what goes to the DLQ if the operation runs out of
        attempts: enough to run it again after a redrive. Whatever is logged meanwhile carries the
        operation's tenant (and affiliate).
        """
        keys = tenant_keys(
            operation.advertiser_id, affiliate_id=operation.affiliate_id, op_id=operation.op_id
        )
        with logger.append_context_keys(**keys):
            if operation.status is OperationStatus.FAILED and not operation.dead_lettered:
                self._dead_letter(operation, dead_letter_body)  # stopped between `failed` and the DLQ before
            if operation.terminal:
                return DONE
            if operation.owner not in ("", NO_OWNER, message_id):
                return DONE  # a copy: the owner's message carries the retries
            now = self._now()
            if operation.next_attempt_at and operation.next_attempt_at > now:
                return Outcome(done=False, wait_seconds=seconds_until(operation.next_attempt_at, now))
            if operation.lease_until and operation.lease_until > now:
                return Outcome(done=False, wait_seconds=seconds_until(operation.lease_until, now))
            if operation.attempts >= operation.max_attempts:
                return self._give_up(operation, now, dead_letter_body)
            attempt = prepare(operation)
            if not self._operations.claim(operation, now, now + self._lease, message_id):
                return self._after_lost_claim(operation.op_id, message_id, now)
            number = operation.attempts + 1
            started = time.monotonic()
            try:
                result = attempt()
            except Exception as error:  # a bug in a channel is a failed attempt, counted like any other
                logger.exception("attempt raised", op_id=operation.op_id, type=self._type.value)
                result = AttemptResult(ok=False, error_class=type(error).__name__, error=str(error))
            latency_ms = round((time.monotonic() - started) * 1000)
            return self._finish(operation, number, message_id, result, latency_ms, dead_letter_body)

    def _finish(
        self,
        operation: Operation,
        number: int,
        owner: str,
        result: AttemptResult,
        latency_ms: int,
        dead_letter_body: str,
    ) -> Outcome:
        at = self._now()
        attempt = Attempt(
            number=number,
            at=at,
            ok=result.ok,
            latency_ms=latency_ms,
            url=result.url,
            http_status=result.http_status,
            error_class=result.error_class,
            error=result.error[:ERROR_KEPT_CHARACTERS],
            response=result.response,
        )
        next_attempt_at: datetime | None = None
        if result.ok:
            status = OperationStatus.SUCCESS
        elif result.permanent or number >= operation.max_attempts:
            status = OperationStatus.FAILED
        else:
            status = OperationStatus.RETRYING
            # After a replay the attempts go on from where they were; the delays start over.
            retry_number = number - (operation.max_attempts - self._policy.max_attempts)
            delay = retry_delay(self._policy.delays, retry_number, self._rng())
            next_attempt_at = at + timedelta(seconds=max(delay, result.retry_after or 0))
        if not self._operations.finish_attempt(operation, attempt, status, next_attempt_at, owner):
            logger.warning("attempt outcome lost its lease", op_id=operation.op_id, attempt=number)
            return DONE
        self._operations.count(
            self._type,
            at,
            attempts=1,
            failures=0 if result.ok else 1,
            succeeded=1 if status is OperationStatus.SUCCESS else 0,
            failed=1 if status is OperationStatus.FAILED else 0,
        )
        count(self._policy.metric, outcome=OUTCOMES[status])
        logger.info(
            "operation attempt",
            op_id=operation.op_id,
            type=self._type.value,
            attempt=number,
            status=status.value,
            http_status=result.http_status,
            error_class=result.error_class,
            latency_ms=latency_ms,
        )
        if status is OperationStatus.FAILED:
            self._dead_letter(operation, dead_letter_body)
            return DONE
        if next_attempt_at is not None:
            return Outcome(done=False, wait_seconds=seconds_until(next_attempt_at, at))
        return DONE

    def _after_lost_claim(self, op_id: str, message_id: str, now: datetime) -> Outcome:
        fresh = self._operations.get(op_id)
        if fresh is None or fresh.terminal or fresh.owner not in ("", NO_OWNER, message_id):
            return DONE
        if fresh.attempts >= fresh.max_attempts:
            return DONE
        waits = [m for m in (fresh.next_attempt_at, fresh.lease_until) if m and m > now]
        return Outcome(done=False, wait_seconds=seconds_until(max(waits), now) if waits else 1)

    def _give_up(self, operation: Operation, now: datetime, dead_letter_body: str) -> Outcome:
        """The last attempt was claimed and its worker stopped before writing the outcome (its lease
        ran out): the operation is out of attempts all the same."""
        stopped = Attempt(
            number=operation.attempts,
            at=now,
            ok=False,
            error_class="worker_stopped",
            error="the worker stopped during this attempt; its outcome is unknown",
        )
        if self._operations.finish_attempt(operation, stopped, OperationStatus.FAILED, None, operation.owner):
            self._operations.count(self._type, now, failed=1)
            count(self._policy.metric, outcome=OUTCOMES[OperationStatus.FAILED])
            self._dead_letter(operation, dead_letter_body)
        return DONE

    def _dead_letter(self, operation: Operation, body: str) -> None:
        self._dead_letters.send([body])
        self._operations.mark_dead_lettered(operation.op_id)
