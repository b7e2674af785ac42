"""The operations log: every job the orchestrator runs, and every attempt of it.

One item per operation in the Operations table, PK `OP#<op_id>`:
- a stats operation is one stream batch applied to the rollups (subject `batch`, id made of its
  records' event ids, so the stream's retry of the same batch counts as another attempt);
- a postback operation is one affiliate postback delivery (subject: the conversion or the click it
  tells about; id = the event's id, so an event is delivered at most once however often its stream
  record or message is redelivered); it keeps every attempt (URL with secrets masked, HTTP code, latency, error, first KiB of the answer);
- a notify operation is one notification sent by the notifier (subject: the kind, such as
  `account_email`, and whom it concerns; id = the notification's id, so a message delivered twice
  sends once); it keeps every attempt (the channel's error, never the message's content, which may
  hold a sign-in link);
- a domain operation is one check of a custom domain (subject `domain`, its id; the advertiser's),
  with its one attempt: what the check moved the domain to, or why it could not look.

Indexes (all sorted by `created_at`): `recent` (`day` = `D#<yyyy-mm-dd>`, the monitor's latest
operations), `by_advertiser` (`adv` = advertiser id, postbacks only), `by_affiliate` (`aff_adv` =
`<affiliate>#<advertiser>`, postbacks only), and `open` (`open_type` = the type, present only while the
operation can still run: the monitor's oldest waiting job per type).
Failure rates are counters in the same table, PK `RATE#<type>#<yyyy-mm-ddTHH>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso

RETENTION_DAYS = 90
MAX_KEPT_ATTEMPTS = 50
RESPONSE_KEPT_BYTES = 1024
NO_OWNER = "-"  # no message carries the retries yet: the next one to claim an attempt does
# `DeliveryRequest.endpoint_owner` of a delivery made for a webhook endpoint: the values of
# notifications.events.Side, which the operations log does not import.
ADVERTISER_ENDPOINT = "advertiser"
AFFILIATE_ENDPOINT = "affiliate"


class OperationType(StrEnum):
    STATS = "stats"
    POSTBACK = "postback"
    NOTIFY = "notify"
    DOMAIN = "domain"  # one check of a custom domain (domains.service), done when it has run


class OperationStatus(StrEnum):
    PENDING = "pending"  # waiting for its first attempt
    RETRYING = "retrying"  # an attempt failed; the next one is scheduled
    SUCCESS = "success"
    FAILED = "failed"  # out of attempts (postbacks: in the DLQ, may be replayed)


TERMINAL = frozenset({OperationStatus.SUCCESS, OperationStatus.FAILED})


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int
    at: datetime
    ok: bool
    latency_ms: int = 0
    url: str = ""  # secrets masked
    http_status: int | None = None
    error_class: str = ""  # timeout | connect | http_status | redirect | unsafe_destination | ...
    error: str = ""
    response: str = ""  # the first KiB of the answer

    def as_item(self) -> dict[str, Any]:
        return {
            "n": self.number,
            "at": iso_millis(self.at),
            "ok": self.ok,
            "latency_ms": self.latency_ms,
            "url": self.url,
            "http_status": self.http_status,
            "error_class": self.error_class,
            "error": self.error,
            "response": self.response,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Attempt:
        status = item.get("http_status")
        return cls(
            number=int(item["n"]),
            at=parse_iso(item["at"]),
            ok=bool(item.get("ok")),
            latency_ms=int(item.get("latency_ms", 0)),
            url=item.get("url", ""),
            http_status=int(status) if status is not None else None,
            error_class=item.get("error_class", ""),
            error=item.get("error", ""),
            response=item.get("response", ""),
        )


@dataclass(frozen=True, slots=True)
class DeliveryRequest:
    """What a postback operation sends: the request of a postback delivery (postbacks.models.Delivery),
    kept on the operation that runs it (the raw URL may hold the affiliate's secrets: never shown).
    A delivery made for a webhook endpoint (notifications.webhooks) names it: `endpoint_owner` is the
    side that owns it (`advertiser`, `affiliate`) and its secret signs every attempt; both are empty
    for an affiliate's postback."""

    event: str
    method: str
    url: str
    format: str
    body: str = ""
    click_id: str = ""
    conversion_id: str = ""
    offer_id: str = ""
    endpoint_id: str = ""
    endpoint_owner: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    op_id: str
    type: OperationType
    # click | conversion (postbacks); batch, or record (a parked stream record) (stats); the kind (notify)
    subject_type: str
    subject_id: str
    status: OperationStatus
    created_at: datetime
    updated_at: datetime
    advertiser_id: str = ""  # "" for platform-wide work (a stream batch spans tenants)
    affiliate_id: str = ""
    attempts: int = 0
    max_attempts: int = 1
    next_attempt_at: datetime | None = None
    finished_at: datetime | None = None
    last_error: str = ""
    owner: str = ""  # the queue message carrying the retries (see operations.runner)
    lease_until: datetime | None = None
    replays: int = 0
    dead_lettered: bool = False  # its DLQ message was sent (a failed delivery's last step)
    history: tuple[Attempt, ...] = ()
    detail: dict[str, int] = field(default_factory=dict)  # e.g. a stats batch's record counts
    request: DeliveryRequest | None = None  # a postback operation's: what its delivery sends
    payload: str = ""  # what it was handed, kept for repair: a parked stream record as delivered

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    def as_item(self) -> dict[str, Any]:
        postback = self.type is OperationType.POSTBACK
        item: dict[str, Any] = {
            "pk": f"OP#{self.op_id}",
            "op_id": self.op_id,
            "type": self.type.value,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "status": self.status.value,
            "created_at": iso_millis(self.created_at),
            "updated_at": iso_millis(self.updated_at),
            "day": f"D#{self.created_at:%Y-%m-%d}",
            "advertiser_id": self.advertiser_id,
            "affiliate_id": self.affiliate_id,
            "adv": self.advertiser_id if postback else None,
            "aff_adv": f"{self.affiliate_id}#{self.advertiser_id}" if postback else None,
            "open_type": None if self.terminal else self.type.value,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "next_attempt_at": iso_millis(self.next_attempt_at) if self.next_attempt_at else None,
            "finished_at": iso_millis(self.finished_at) if self.finished_at else None,
            "last_error": self.last_error,
            "owner": self.owner,
            "replays": self.replays,
            "dead_lettered": self.dead_lettered or None,
            "history": [a.as_item() for a in self.history],
            "detail": self.detail or None,
            "payload": self.payload or None,
            "expires_at": int(self.created_at.timestamp()) + RETENTION_DAYS * 86400,
        }
        if self.request is not None:
            d = self.request
            item.update(
                event=d.event,
                method=d.method,
                url=d.url,
                format=d.format,
                body=d.body,
                click_id=d.click_id,
                conversion_id=d.conversion_id,
                offer_id=d.offer_id,
                # empty (so absent, as on every item written before webhooks) for a postback
                endpoint_id=d.endpoint_id,
                endpoint_owner=d.endpoint_owner,
            )
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Operation:
        def moment(name: str) -> datetime | None:
            return parse_iso(item[name]) if item.get(name) else None

        request = None
        if item.get("url"):
            request = DeliveryRequest(
                event=item.get("event", ""),
                method=item.get("method", "GET"),
                url=item["url"],
                format=item.get("format", "get"),
                body=item.get("body", ""),
                click_id=item.get("click_id", ""),
                conversion_id=item.get("conversion_id", ""),
                offer_id=item.get("offer_id", ""),
                endpoint_id=item.get("endpoint_id", ""),
                endpoint_owner=item.get("endpoint_owner", ""),
            )
        return cls(
            op_id=item["op_id"],
            type=OperationType(item["type"]),
            subject_type=item.get("subject_type", ""),
            subject_id=item.get("subject_id", ""),
            status=OperationStatus(item["status"]),
            created_at=parse_iso(item["created_at"]),
            updated_at=parse_iso(item["updated_at"]),
            advertiser_id=item.get("advertiser_id", ""),
            affiliate_id=item.get("affiliate_id", ""),
            attempts=int(item.get("attempts", 0)),
            max_attempts=int(item.get("max_attempts", 1)),
            next_attempt_at=moment("next_attempt_at"),
            finished_at=moment("finished_at"),
            last_error=item.get("last_error", ""),
            owner=item.get("owner", ""),
            lease_until=moment("lease_until"),
            replays=int(item.get("replays", 0)),
            dead_lettered=bool(item.get("dead_lettered")),
            history=tuple(Attempt.from_item(a) for a in item.get("history") or ()),
            detail={k: int(v) for k, v in (item.get("detail") or {}).items()},
            request=request,
            payload=item.get("payload", ""),
        )


@dataclass(frozen=True, slots=True)
class RateCounts:
    """One hour of one job type: attempts made, attempts failed, jobs finished either way."""

    hour: str
    attempts: int = 0
    failures: int = 0
    succeeded: int = 0
    failed: int = 0
