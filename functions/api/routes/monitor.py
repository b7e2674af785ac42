"""/api/monitor: the orchestrator as Owner and Platform Admin watch and repair it
(`partnerka.operations.monitor`)."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from composition.monitor import monitor
from pydantic import BaseModel

from partnerka.accounts.models import User
from partnerka.accounts.permissions import Permission, require
from partnerka.common.clock import iso_millis, utc_now
from partnerka.operations.repository import Filters
from routes.operation_schemas import OperationList, OperationOut, operation_list, operation_out

router = Router()  # type: ignore[no-untyped-call]


class QueueOut(BaseModel):
    key: str
    name: str
    kind: Literal["work", "dlq", "failures"]
    job: str
    visible: int
    """Messages waiting to be received."""
    in_flight: int
    """Received and not yet finished, or hidden until their retry is due."""
    delayed: int
    oldest_open_seconds: int | None
    """Age of the oldest operation of this queue's job that can still run (work queues)."""
    inspect: Literal["jobs", "messages", "none"]
    """How to look inside without changing it: its open jobs (work queues with an operations log),
    its messages (dead-letter and failure queues), or not at all (depths only)."""


class HourOut(BaseModel):
    hour: str
    attempts: int
    failures: int


class RateOut(BaseModel):
    type: str
    attempts: int
    failures: int
    succeeded: int
    failed: int
    failure_rate: float
    """Failed attempts / attempts over the window (0 when there were none)."""
    hours: list[HourOut]


class MonitorOut(BaseModel):
    generated_at: str
    queues: list[QueueOut]
    rates: list[RateOut]


class MessageOut(BaseModel):
    message_id: str
    body: str
    sent_at: str
    receive_count: int
    op_id: str | None


class MessageList(BaseModel):
    items: list[MessageOut]


class RedriveOut(BaseModel):
    moved: int
    replayed: int


def _staff() -> User:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.MONITOR)
    return user


@router.get("/monitor", summary="Queues, dead letters and failure rates by job type (last 24 h)")
def get_monitor() -> MonitorOut:
    _staff()
    now = utc_now()
    queues = [
        QueueOut(
            key=status.spec.key,
            name=status.spec.url.rstrip("/").rsplit("/", 1)[-1],
            kind=status.spec.kind,  # type: ignore[arg-type]
            job=status.spec.job,
            visible=status.depth.visible,
            in_flight=status.depth.in_flight,
            delayed=status.depth.delayed,
            oldest_open_seconds=int((now - status.oldest_open).total_seconds())
            if status.oldest_open
            else None,
            inspect=status.spec.inspect,  # type: ignore[arg-type]
        )
        for status in monitor().queues()
    ]
    rates = [
        RateOut(
            type=rate.type.value,
            attempts=rate.total.attempts,
            failures=rate.total.failures,
            succeeded=rate.total.succeeded,
            failed=rate.total.failed,
            failure_rate=rate.failure_rate,
            hours=[HourOut(hour=h.hour, attempts=h.attempts, failures=h.failures) for h in rate.hours],
        )
        for rate in monitor().failure_rates(now)
    ]
    return MonitorOut(generated_at=iso_millis(now), queues=queues, rates=rates)


@router.get("/monitor/operations", summary="The latest operations, newest first, with filters")
def list_operations(
    type: Annotated[Literal["stats", "postback", "notify", "domain"] | None, Query()] = None,
    status: Annotated[Literal["pending", "retrying", "success", "failed"] | None, Query()] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> OperationList:
    _staff()
    filters = Filters(status=status or "", type=type or "", advertiser_id=advertiser_id or "")
    return operation_list(monitor().recent(utc_now(), filters, limit, cursor))


@router.get("/monitor/operations/<op_id>", summary="One operation with every attempt")
def get_operation(op_id: Annotated[str, Path(max_length=120)]) -> OperationOut:
    _staff()
    return operation_out(monitor().operation(op_id))


@router.post("/monitor/operations/<op_id>/replay", summary="Run one operation again")
def replay_operation(op_id: Annotated[str, Path(max_length=120)]) -> OperationOut:
    user = _staff()
    return operation_out(monitor().replay(op_id, actor_of(router.current_event, user)))


QueueKey = Annotated[str, Path(max_length=40, pattern=r"^[a-z-]+$")]


@router.get(
    "/monitor/queues/<queue>/messages",
    summary="Up to 10 messages of a dead-letter or failure queue, left in place (work queues: 409)",
)
def peek_queue(queue: QueueKey) -> MessageList:
    _staff()
    return MessageList(
        items=[
            MessageOut(
                message_id=message.message_id,
                body=message.body,
                sent_at=iso_millis(message.sent_at),
                receive_count=message.receive_count,
                op_id=message.op_id,
            )
            for message in monitor().peek(queue)
        ]
    )


@router.get(
    "/monitor/queues/<queue>/jobs",
    summary="The open jobs of a work queue, oldest first, from the operations log (the queue is not read)",
)
def open_jobs(
    queue: QueueKey,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> OperationList:
    _staff()
    return operation_list(monitor().open_jobs(queue, limit, cursor))


@router.post("/monitor/queues/<queue>/redrive", summary="Send every message of a DLQ back to work")
def redrive_queue(queue: QueueKey) -> RedriveOut:
    user = _staff()
    done = monitor().redrive(queue, actor_of(router.current_event, user), utc_now())
    return RedriveOut(moved=done.moved, replayed=done.replayed)
