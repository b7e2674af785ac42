"""Sending affiliate postbacks: one HTTP attempt (SSRF-checked, pinned to the checked addresses, no
redirects), and the delivery worker that turns queue messages into exactly-counted attempts.

Retries: the first attempt at once, then after about 1 min, 5 min, 30 min, 2 h and 8 h (±15%
jitter), then `failed` and a message in the DLQ. The wait is the queue message's own visibility
(ChangeMessageVisibility; SQS delays stop at 15 minutes, visibility goes to 12 hours), and the
attempt count lives in the delivery record, never in SQS receive counts.

Exactly one send per attempt, however often a message is delivered: an attempt is claimed by a
conditional update moving the count from n to n+1, with a lease while it is in flight. The message
that made the last attempt owns the delivery's retries; a copy of another message (a stream batch
redelivered to the orchestrator sends the same delivery twice) finds an owner and is dropped.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from partnerka.common.clock import utc_now
from partnerka.common.observability import logger
from partnerka.operations.models import (
    NO_OWNER,
    RESPONSE_KEPT_BYTES,
    Attempt,
    Operation,
    OperationStatus,
    OperationType,
)
from partnerka.operations.repository import OperationStore
from partnerka.postbacks.models import OutgoingRequest, mask_url, webhook_headers
from partnerka.postbacks.ssrf import (
    DEFAULT_PORTS,
    Resolver,
    SafeTarget,
    UnsafeDestination,
    check_destination,
    on_domain_list,
    system_resolver,
)

RETRY_DELAYS = (60, 300, 1800, 7200, 28800)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.15
LEASE_SECONDS = 120  # longer than the sender function's timeout: a crashed attempt frees itself
USER_AGENT = "Partnerka-Postback/1.0"


def retry_delay(attempt_number: int, rng: random.Random) -> int:
    """Seconds to wait after failed attempt `attempt_number` (1-based)."""
    base = RETRY_DELAYS[min(attempt_number, len(RETRY_DELAYS)) - 1]
    return max(1, round(base * rng.uniform(1 - JITTER, 1 + JITTER)))


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    latency_ms: int
    url: str  # masked
    http_status: int | None = None
    error_class: str = ""
    error: str = ""
    response: str = ""


class HttpSender:
    """One attempt: the SSRF guard at send time, then a request to exactly the checked addresses.

    Timeouts: `connect_timeout` for the TCP/TLS connection, and `total_timeout` for the whole exchange
    (each read and write is bounded by it, and reading the answer stops at the deadline or at the
    first KiB, whichever comes first).
    """

    def __init__(
        self,
        resolver: Resolver = system_resolver,
        allow_loopback: bool = False,
        platform_domains: Sequence[str] = (),
        connect_timeout: float = 3.0,
        total_timeout: float = 10.0,
    ) -> None:
        self._resolver = resolver
        self._allow_loopback = allow_loopback
        self._platform_domains = tuple(platform_domains)
        self._connect_timeout = connect_timeout
        self._total_timeout = total_timeout
        self._client = httpx.Client(
            follow_redirects=False,
            trust_env=False,  # never through a proxy from the environment
            timeout=httpx.Timeout(total_timeout, connect=connect_timeout),
            headers={"user-agent": USER_AGENT},
        )

    def check(self, url: str, advertiser_domains: Sequence[str] = ()) -> SafeTarget:
        target = check_destination(url, self._resolver, self._allow_loopback, self._platform_domains)
        if advertiser_domains and not on_domain_list(target.host, advertiser_domains):
            raise UnsafeDestination("the postback host is not on the advertiser's domain whitelist")
        return target

    def send(
        self,
        request: OutgoingRequest,
        headers: dict[str, str] | None = None,
        advertiser_domains: Sequence[str] = (),
    ) -> SendResult:
        masked = mask_url(request.url)
        started = time.monotonic()

        def result(**fields: object) -> SendResult:
            latency = round((time.monotonic() - started) * 1000)
            return SendResult(latency_ms=latency, url=masked, **fields)  # type: ignore[arg-type]

        try:
            target = self.check(request.url, advertiser_domains)
        except UnsafeDestination as error:
            return result(ok=False, error_class="unsafe_destination", error=str(error))
        last_error: Exception | None = None
        for address in target.addresses:
            try:
                return self._exchange(request, target, address, headers or {}, started, result)
            except httpx.ConnectError as error:  # this address refused: the next one may answer
                last_error = error
            except httpx.TimeoutException as error:
                kind = "connect_timeout" if isinstance(error, httpx.ConnectTimeout) else "timeout"
                return result(ok=False, error_class=kind, error="no answer in time")
            except httpx.HTTPError as error:
                return result(ok=False, error_class="http_error", error=type(error).__name__)
        return result(ok=False, error_class="connect", error=f"connection failed: {last_error}"[:300])

    def _exchange(
        self,
        request: OutgoingRequest,
        target: SafeTarget,
        address: str,
        headers: dict[str, str],
        started: float,
        result: Callable[..., SendResult],
    ) -> SendResult:
        parts = urlsplit(target.url)
        literal = f"[{address}]" if ":" in address else address
        pinned = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path or "/", parts.query, ""))
        host_header = (
            target.host if target.port == DEFAULT_PORTS[target.scheme] else f"{target.host}:{target.port}"
        )
        outgoing = self._client.build_request(
            request.method,
            pinned,
            headers={**headers, "host": host_header},
            content=request.body.encode() if request.body else None,
            extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
        )
        response = self._client.send(outgoing, stream=True)
        try:
            deadline = started + self._total_timeout
            kept = b""
            for chunk in response.iter_raw():
                kept += chunk
                if len(kept) >= RESPONSE_KEPT_BYTES or time.monotonic() > deadline:
                    break
        finally:
            response.close()
        text = kept[:RESPONSE_KEPT_BYTES].decode("utf-8", errors="replace")
        status = response.status_code
        if 200 <= status < 300:
            return result(ok=True, http_status=status, response=text)
        if 300 <= status < 400:
            location = mask_url(response.headers.get("location", ""))[:200]
            return result(
                ok=False,
                http_status=status,
                error_class="redirect",
                error=f"redirect to '{location}' not followed",
                response=text,
            )
        return result(
            ok=False, http_status=status, error_class="http_status", error=f"HTTP {status}", response=text
        )


class DeadLetters(Protocol):
    def send(self, bodies: list[str]) -> None: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to do with the message: drop it (done), or let it come back after `wait_seconds`."""

    done: bool
    wait_seconds: int = 0


DONE = Outcome(done=True)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds() + 0.999))


class DeliveryWorker:
    def __init__(
        self,
        operations: OperationStore,
        http: HttpSender,
        dead_letters: DeadLetters,
        advertiser_domains: Callable[[str], list[str]],
        signing_secret: Callable[[str], str],
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self._operations = operations
        self._http = http
        self._dead_letters = dead_letters
        self._advertiser_domains = advertiser_domains
        self._signing_secret = signing_secret
        self._now = now
        self._rng = rng or random.Random()

    def process(self, message_id: str, body: str) -> Outcome:
        try:
            op_id = str(json.loads(body)["op_id"])
        except (ValueError, KeyError, TypeError):
            logger.error("postback message without an operation id", message_id=message_id)
            return DONE
        operation = self._operations.get(op_id)
        if operation is None or operation.type is not OperationType.POSTBACK or operation.delivery is None:
            logger.warning("postback message for no delivery", op_id=op_id)
            return DONE
        if operation.status is OperationStatus.FAILED and not operation.dead_lettered:
            self._dead_letter(operation)  # the worker stopped between `failed` and the DLQ before
        if operation.terminal:
            return DONE
        if operation.owner not in ("", NO_OWNER, message_id):
            return DONE  # a copy: the owner's message carries the retries
        now = self._now()
        if operation.next_attempt_at and operation.next_attempt_at > now:
            return Outcome(done=False, wait_seconds=_seconds_until(operation.next_attempt_at, now))
        if operation.lease_until and operation.lease_until > now:
            return Outcome(done=False, wait_seconds=_seconds_until(operation.lease_until, now))
        if operation.attempts >= operation.max_attempts:
            return self._give_up(operation, now)
        # What the attempt needs is read before it is claimed: a failed read is not an attempt.
        delivery = operation.delivery
        domains = self._advertiser_domains(operation.advertiser_id)
        secret = self._signing_secret(operation.affiliate_id) if delivery.format == "webhook" else ""
        if not self._operations.claim(operation, now, now + timedelta(seconds=LEASE_SECONDS), message_id):
            return self._after_lost_claim(op_id, message_id, now)
        return self._attempt(operation, operation.attempts + 1, message_id, domains, secret)

    def _after_lost_claim(self, op_id: str, message_id: str, now: datetime) -> Outcome:
        fresh = self._operations.get(op_id)
        if fresh is None or fresh.terminal or fresh.owner not in ("", NO_OWNER, message_id):
            return DONE
        if fresh.attempts >= fresh.max_attempts:
            return DONE
        waits = [m for m in (fresh.next_attempt_at, fresh.lease_until) if m and m > now]
        return Outcome(done=False, wait_seconds=_seconds_until(max(waits), now) if waits else 1)

    def _attempt(
        self, operation: Operation, number: int, owner: str, domains: list[str], secret: str
    ) -> Outcome:
        delivery = operation.delivery
        assert delivery is not None
        headers: dict[str, str] = {}
        if secret:
            headers = webhook_headers(secret, operation.op_id, int(self._now().timestamp()), delivery.body)
        sent = self._http.send(
            OutgoingRequest(delivery.method, delivery.url, delivery.body), headers, domains
        )
        at = self._now()
        attempt = Attempt(
            number=number,
            at=at,
            ok=sent.ok,
            latency_ms=sent.latency_ms,
            url=sent.url,
            http_status=sent.http_status,
            error_class=sent.error_class,
            error=sent.error,
            response=sent.response,
        )
        next_attempt_at: datetime | None = None
        if sent.ok:
            status = OperationStatus.SUCCESS
        elif number >= operation.max_attempts:
            status = OperationStatus.FAILED
        else:
            status = OperationStatus.RETRYING
            next_attempt_at = at + timedelta(
                seconds=retry_delay(number - (operation.max_attempts - MAX_ATTEMPTS), self._rng)
            )
        if not self._operations.finish_attempt(operation, attempt, status, next_attempt_at, owner):
            logger.warning("postback attempt outcome lost its lease", op_id=operation.op_id, attempt=number)
            return DONE
        self._operations.count(
            OperationType.POSTBACK,
            at,
            attempts=1,
            failures=0 if sent.ok else 1,
            succeeded=1 if status is OperationStatus.SUCCESS else 0,
            failed=1 if status is OperationStatus.FAILED else 0,
        )
        logger.info(
            "postback attempt",
            op_id=operation.op_id,
            attempt=number,
            status=status.value,
            http_status=sent.http_status,
            error_class=sent.error_class,
            latency_ms=sent.latency_ms,
        )
        if status is OperationStatus.FAILED:
            self._dead_letter(operation)
            return DONE
        if next_attempt_at is not None:
            return Outcome(done=False, wait_seconds=_seconds_until(next_attempt_at, at))
        return DONE

    def _give_up(self, operation: Operation, now: datetime) -> Outcome:
        """The last attempt was claimed and its worker stopped before writing the outcome (its lease
        ran out): the delivery is out of attempts all the same."""
        stopped = Attempt(
            number=operation.attempts,
            at=now,
            ok=False,
            error_class="worker_stopped",
            error="the sender stopped during this attempt; its outcome is unknown",
        )
        if self._operations.finish_attempt(operation, stopped, OperationStatus.FAILED, None, operation.owner):
            self._operations.count(OperationType.POSTBACK, now, failed=1)
            self._dead_letter(operation)
        return DONE

    def _dead_letter(self, operation: Operation) -> None:
        self._dead_letters.send(
            [json.dumps({"op_id": operation.op_id, "reason": "out of attempts"}, separators=(",", ":"))]
        )
        self._operations.mark_dead_lettered(operation.op_id)
