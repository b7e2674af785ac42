"""Sending affiliate postbacks: one HTTP attempt (SSRF-checked, pinned to the checked addresses, no
redirects), and the delivery worker that turns queue messages into exactly-counted attempts.

Retries: the first attempt at once, then after about 1 min, 5 min, 30 min, 2 h and 8 h (±15%
jitter), then `failed` and a message in the DLQ, from which a replay or the monitor's redrive gives
the delivery fresh attempts. The attempts are the operations runner's (operations.runner): the wait
is the queue message's own visibility, the count lives in the delivery record, never in SQS receive
counts, and each attempt is claimed by a conditional update with a lease, so it is sent once however
often its message is delivered. The message that made the last attempt owns the delivery's retries;
a copy of another message (a stream batch redelivered to the orchestrator sends the same delivery
twice) finds an owner and is dropped.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from partnerka.common.clock import utc_now
from partnerka.common.observability import logger
from partnerka.operations.models import RESPONSE_KEPT_BYTES, Operation, OperationType
from partnerka.operations.repository import OperationStore
from partnerka.operations.runner import (
    DONE,
    AttemptResult,
    DeadLetters,
    OperationRunner,
    Outcome,
    PreparedAttempt,
    RetryPolicy,
)
from partnerka.postbacks.models import Delivery, OutgoingRequest, mask_url, webhook_headers
from partnerka.postbacks.repository import delivery_of
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
LEASE_SECONDS = 120  # longer than the sender function's timeout
RETRIES = RetryPolicy(OperationType.POSTBACK, RETRY_DELAYS, LEASE_SECONDS, "Postbacks")
MAX_ATTEMPTS = RETRIES.max_attempts
# Neutral: an affiliate of a branded portal reads it in its own tracker's logs, which must not name us.
USER_AGENT = "Postback-Delivery/1.0"


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
        self._made: httpx.Client | None = None

    @property
    def _client(self) -> httpx.Client:
        """Made on the first send, not with the sender: a client loads the CA certificates and its
        transport (some 20 ms of CPU), which the API functions that build a sender for the rare test
        postback paid at every cold start."""
        if self._made is None:
            self._made = httpx.Client(
                follow_redirects=False,
                trust_env=False,  # never through a proxy from the environment
                timeout=httpx.Timeout(self._total_timeout, connect=self._connect_timeout),
                headers={"user-agent": USER_AGENT},
            )
        return self._made

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


def _held_back(delivery: Delivery) -> AttemptResult:
    return AttemptResult(
        ok=False,
        error_class="advertiser_suspended",
        error="not sent: the advertiser is suspended; replay it once the advertiser is reactivated",
        permanent=True,
        url=mask_url(delivery.request.url),
    )


class AttemptObserver(Protocol):
    def __call__(self, delivery: Delivery, result: AttemptResult, number: int, last: bool) -> None:
        """After attempt `number` of the delivery; `last`: it failed and no other will be made.
        Never raises."""
        ...


class DeliveryWorker:
    """The postback queue's worker: each message names one delivery, whose attempts the operations
    runner makes (operations.runner: claimed, leased, retried, failed and dead-lettered) on the
    operation that runs the delivery; everything else here deals in the delivery."""

    def __init__(
        self,
        operations: OperationStore,
        http: HttpSender,
        dead_letters: DeadLetters,
        advertiser_domains: Callable[[str], list[str]],
        signing_secret: Callable[[Delivery], str],
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        observer: AttemptObserver | None = None,
        advertiser_suspended: Callable[[str], bool] | None = None,
    ) -> None:
        """`observer`: shown every attempt once made (postbacks.failing tells failing postbacks).
        `advertiser_suspended`: whether the platform's staff suspended an advertiser, whose events
        then reach none of its affiliates (None: nobody is ever suspended, as in a script)."""
        self._advertiser_suspended = advertiser_suspended
        self._operations = operations
        self._observer = observer
        self._http = http
        self._advertiser_domains = advertiser_domains
        self._signing_secret = signing_secret
        self._now = now
        self._rng = rng or random.Random()
        self._runner = OperationRunner(
            RETRIES, operations, dead_letters, lambda: self._now(), lambda: self._rng
        )

    def process(self, message_id: str, body: str) -> Outcome:
        """One message of the postback queue: attempt its delivery if due, else say how long it must
        wait."""
        try:
            delivery_id = str(json.loads(body)["op_id"])
        except (ValueError, KeyError, TypeError):
            logger.error("postback message without an operation id", message_id=message_id)
            return DONE
        operation = self._operations.get(delivery_id)
        delivery = delivery_of(operation) if operation else None
        if operation is None or delivery is None:
            logger.warning("postback message for no delivery", delivery_id=delivery_id)
            return DONE
        out_of_attempts = json.dumps(
            {"op_id": delivery_id, "reason": "out of attempts"}, separators=(",", ":")
        )
        return self._runner.process(message_id, operation, partial(self._prepare, delivery), out_of_attempts)

    def _prepare(self, delivery: Delivery, operation: Operation) -> PreparedAttempt:
        """The advertiser's domain whitelist, and a webhook's signing secret (the affiliate's postback
        secret, or the webhook endpoint's the delivery was made for; read at every attempt: a rotated
        secret signs the very next one). The whitelist bounds where the advertiser's events go to its
        affiliates; a delivery to the advertiser's own endpoint (no affiliate) is not held to it.

        While the advertiser is suspended its affiliates' deliveries are not sent: each fails at once
        with `advertiser_suspended`, kept in the log for a replay once it is reactivated, and is not
        shown to the observer (the affiliate's receiver is not failing)."""
        suspended = self._advertiser_suspended
        if delivery.affiliate_id and suspended is not None and suspended(delivery.advertiser_id):
            return partial(_held_back, delivery)
        domains = self._advertiser_domains(delivery.advertiser_id) if delivery.affiliate_id else []
        secret = self._signing_secret(delivery) if delivery.request.format == "webhook" else ""
        attempt = partial(self._send, delivery, domains, secret)
        if self._observer is None:
            return attempt
        return partial(self._observed, attempt, delivery, operation.attempts + 1, operation.max_attempts)

    def _observed(
        self, attempt: PreparedAttempt, delivery: Delivery, number: int, max_attempts: int
    ) -> AttemptResult:
        """The attempt, then shown to the observer with whether it was the delivery's last (failed, as
        the runner will find: permanently, or with no attempt left)."""
        result = attempt()
        if self._observer is not None:
            last = not result.ok and (result.permanent or number >= max_attempts)
            self._observer(delivery, result, number, last)
        return result

    def _send(self, delivery: Delivery, domains: list[str], secret: str) -> AttemptResult:
        request = delivery.request
        headers: dict[str, str] = {}
        if secret:
            headers = webhook_headers(
                secret, delivery.delivery_id, int(self._now().timestamp()), request.body
            )
        sent = self._http.send(OutgoingRequest(request.method, request.url, request.body), headers, domains)
        return AttemptResult(
            ok=sent.ok,
            error_class=sent.error_class,
            error=sent.error,
            url=sent.url,
            http_status=sent.http_status,
            response=sent.response,
        )
