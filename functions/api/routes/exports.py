"""/api/exports: CSV exports of reports and logs, built by the reports worker; /api/summaries: the
worker's daily and monthly summaries. Both hand out short-lived presigned download links."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

import boto3
from auth import accounts, actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel

from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.config import get_settings
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.operations.queue import SqsQueue
from partnerka.stats.exports import ExportJob, ExportKind, ExportRepository, ExportStatus, request_export
from partnerka.stats.service import visible_scope
from partnerka.stats.summaries import Period, SummaryKey, prefix_of
from routes.stats import GroupName, SortName, StatsFilters, scoped

router = Router()  # type: ignore[no-untyped-call]
LINK_SECONDS = 900
MAX_SUMMARIES = 400


@cache
def _exports() -> ExportRepository:
    return ExportRepository(get_settings().core_table)


@cache
def _s3() -> Any:
    return boto3.client("s3")


def download_link(key: str, file_name: str, content_type: str = "text/csv; charset=utf-8") -> str:
    """A short-lived link to a file of the reports bucket, downloaded under `file_name`."""
    return str(
        _s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": get_settings().reports_bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{file_name}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=LINK_SECONDS,
        )
    )


class ExportIn(StatsFilters):
    kind: Literal["report", "clicks", "conversions"]
    group_by: GroupName = "day"
    """Reports only."""
    sort: SortName | None = None
    desc: bool | None = None
    status: Literal["pending", "hold", "approved", "rejected"] | None = None
    """Conversion logs only."""


class ExportOut(BaseModel):
    id: str
    kind: Literal["report", "clicks", "conversions"]
    status: Literal["queued", "running", "ready", "failed"]
    rows: int
    """Rows written so far (the progress while running; the total once ready)."""
    size_bytes: int
    created_at: str
    finished_at: str | None
    error: str | None
    date_from: str
    date_to: str
    tz: str
    group_by: str
    filters: dict[str, str]
    download_url: str | None
    """A link valid for 15 minutes, when ready."""


class ExportList(BaseModel):
    items: list[ExportOut]


def export_out(job: ExportJob, with_link: bool) -> ExportOut:
    r = job.request
    filters = dict(r.filters) | ({"click_id": r.click_id} if r.click_id else {})
    ready = job.status is ExportStatus.READY
    return ExportOut(
        id=job.export_id,
        kind=job.kind.value,
        status=job.status.value,
        rows=job.rows,
        size_bytes=job.size_bytes,
        created_at=iso_millis(job.created_at),
        finished_at=iso_millis(job.finished_at) if job.finished_at else None,
        error=job.error or None,
        date_from=r.date_from.isoformat(),
        date_to=r.date_to.isoformat(),
        tz=r.tz.key,
        group_by=r.group_by,
        filters=filters,
        download_url=download_link(job.object_key, job.file_name) if ready and with_link else None,
    )


@router.post("/exports", summary="Export a report, the click log or the conversion log as CSV")
def create_export(body: Annotated[ExportIn, Body()]) -> ExportOut:
    principal, user = current(router.current_event.headers)
    scope, advertisers, request = scoped(principal, body, body.group_by if body.kind == "report" else "none")
    options: dict[str, Any] = {}
    if body.kind == "report":
        options = {"sort": body.sort, "desc": body.desc}
    elif body.kind == "conversions" and body.status:
        options = {"status": body.status}
    job = ExportJob(
        export_id=new_id(),
        user_id=principal.user_id,
        kind=ExportKind(body.kind),
        request=request,
        advertisers=advertisers,
        sees_revenue=scope.sees_revenue,
        created_at=utc_now(),
        options=options,
    )
    queue = SqsQueue(get_settings().reports_queue_url)
    actor = actor_of(router.current_event, user)
    return export_out(request_export(_exports(), queue.send, accounts().audit, job, actor), with_link=False)


@router.get("/exports", summary="The caller's exports, newest first (kept 7 days)")
def list_exports() -> ExportList:
    principal, _ = current(router.current_event.headers)
    return ExportList(
        items=[export_out(job, with_link=False) for job in _exports().of_user(principal.user_id)]
    )


@router.get("/exports/<export_id>", summary="One export: its progress, and a download link when ready")
def get_export(export_id: Annotated[str, Path(max_length=40)]) -> ExportOut:
    principal, _ = current(router.current_event.headers)
    job = _exports().get(principal.user_id, export_id)  # only one's own: the key holds the user
    if job is None:
        raise NotFound("no such export")
    return export_out(job, with_link=True)


class SummaryOut(BaseModel):
    key: str
    advertiser_id: str
    affiliate_id: str | None
    period: Literal["daily", "monthly"]
    date_from: str
    date_to: str
    size_bytes: int


class SummaryList(BaseModel):
    items: list[SummaryOut]


class SummaryLinkOut(BaseModel):
    download_url: str


@router.get("/summaries", summary="Daily or monthly summaries the reports worker built, newest first")
def list_summaries(
    period: Annotated[Literal["daily", "monthly"], Query()] = "daily",
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> SummaryList:
    """An advertiser's summaries (its own; platform staff name one), or an affiliate's own within
    its current advertiser."""
    principal, _ = current(router.current_event.headers)
    scope = visible_scope(principal, advertiser_id)
    if scope.advertiser_id is None:
        raise ValidationFailed("name the advertiser whose summaries to list")
    prefix = prefix_of(scope.advertiser_id, scope.affiliate_id, Period(period))
    found: list[SummaryOut] = []
    pages = (
        _s3().get_paginator("list_objects_v2").paginate(Bucket=get_settings().reports_bucket, Prefix=prefix)
    )
    for page in pages:
        for obj in page.get("Contents", []):
            key = SummaryKey.parse(obj["Key"])
            if key is not None and obj["Key"].startswith(prefix):
                found.append(
                    SummaryOut(
                        key=key.key,
                        advertiser_id=key.advertiser_id,
                        affiliate_id=key.affiliate_id,
                        period=key.period.value,
                        date_from=key.first.isoformat(),
                        date_to=key.last.isoformat(),
                        size_bytes=int(obj.get("Size", 0)),
                    )
                )
    found.sort(key=lambda s: s.date_from, reverse=True)
    return SummaryList(items=found[:MAX_SUMMARIES])


@router.get("/summaries/download", summary="A 15-minute download link for one summary")
def download_summary(key: Annotated[str, Query(max_length=300)]) -> SummaryLinkOut:
    principal, _ = current(router.current_event.headers)
    parsed = SummaryKey.parse(key)
    if parsed is None:
        raise ValidationFailed("not a summary key")
    # An advertiser's own summary (no affiliate in its key) is never within an affiliate's scope.
    if not visible_scope(principal, None).covers(parsed.advertiser_id, parsed.affiliate_id or ""):
        raise Forbidden("not your summary")
    try:
        _s3().head_object(Bucket=get_settings().reports_bucket, Key=parsed.key)
    except _s3().exceptions.ClientError:
        raise NotFound("no such summary") from None
    name = f"partnerka-{parsed.period.value}-{parsed.first.isoformat()}.csv"
    return SummaryLinkOut(download_url=download_link(parsed.key, name))
