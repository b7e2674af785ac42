"""Response bodies of the orchestrator's operations log (/api/monitor/operations, a work queue's open
jobs) and the attempts every logged job keeps, a postback delivery's included."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from partnerka.common.clock import iso_millis
from partnerka.operations.models import Attempt, Operation, OperationStatus
from partnerka.operations.repository import Page
from partnerka.postbacks.models import mask_url

StatusName = Literal["pending", "retrying", "success", "failed"]


class AttemptOut(BaseModel):
    number: int
    at: str
    ok: bool
    latency_ms: int
    url: str
    http_status: int | None
    error_class: str
    error: str
    response: str
    """The first KiB of the answer."""


class ProgressOut(BaseModel):
    """Where a piece of background work stands (an operation, a delivery): its attempts and when."""

    status: StatusName
    advertiser_id: str
    affiliate_id: str
    attempts: int
    max_attempts: int
    created_at: str
    updated_at: str
    next_attempt_at: str | None
    finished_at: str | None
    last_error: str
    replays: int
    history: list[AttemptOut]


class Progress(Protocol):
    """What an operation and a delivery both record of their attempts."""

    @property
    def status(self) -> OperationStatus: ...
    @property
    def advertiser_id(self) -> str: ...
    @property
    def affiliate_id(self) -> str: ...
    @property
    def attempts(self) -> int: ...
    @property
    def max_attempts(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def next_attempt_at(self) -> datetime | None: ...
    @property
    def finished_at(self) -> datetime | None: ...
    @property
    def last_error(self) -> str: ...
    @property
    def replays(self) -> int: ...
    @property
    def history(self) -> tuple[Attempt, ...]: ...


def progress_out(work: Progress) -> dict[str, Any]:
    """ProgressOut's fields of an operation or a delivery."""
    return {
        "status": work.status.value,
        "advertiser_id": work.advertiser_id,
        "affiliate_id": work.affiliate_id,
        "attempts": work.attempts,
        "max_attempts": work.max_attempts,
        "created_at": iso_millis(work.created_at),
        "updated_at": iso_millis(work.updated_at),
        "next_attempt_at": iso_millis(work.next_attempt_at) if work.next_attempt_at else None,
        "finished_at": iso_millis(work.finished_at) if work.finished_at else None,
        "last_error": work.last_error,
        "replays": work.replays,
        "history": attempts_out(work.history),
    }


class OperationOut(ProgressOut):
    op_id: str
    type: str
    subject_type: str
    subject_id: str
    detail: dict[str, int]
    event: str
    method: str
    url: str
    """Secrets in the query are masked."""
    format: str
    click_id: str
    conversion_id: str
    offer_id: str
    payload: str = ""
    """What the operation was handed, kept for repair: a stream record the orchestrator parked, as
    Lambda delivered it (JSON); empty for other operations."""


class OperationList(BaseModel):
    items: list[OperationOut]
    cursor: str | None


def attempts_out(history: tuple[Attempt, ...]) -> list[AttemptOut]:
    return [
        AttemptOut(
            number=a.number,
            at=iso_millis(a.at),
            ok=a.ok,
            latency_ms=a.latency_ms,
            url=a.url,
            http_status=a.http_status,
            error_class=a.error_class,
            error=a.error,
            response=a.response,
        )
        for a in history
    ]


def operation_out(op: Operation) -> OperationOut:
    """A postback operation shows what its delivery sends (the URL masked); other operations, empty."""
    d = op.request
    return OperationOut(
        op_id=op.op_id,
        type=op.type.value,
        subject_type=op.subject_type,
        subject_id=op.subject_id,
        detail=op.detail,
        event=d.event if d else "",
        method=d.method if d else "",
        url=mask_url(d.url) if d else "",
        format=d.format if d else "",
        click_id=d.click_id if d else "",
        conversion_id=d.conversion_id if d else "",
        offer_id=d.offer_id if d else "",
        payload=op.payload,
        **progress_out(op),
    )


def operation_list(page: Page) -> OperationList:
    return OperationList(items=[operation_out(op) for op in page.items], cursor=page.cursor)
