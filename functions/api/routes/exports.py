"""/api/exports: CSV exports of reports and logs, built by the reports worker; /api/summaries: the
worker's daily and monthly summaries. Both hand out short-lived presigned download links
(`partnerka.stats.downloads`)."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.files import report_files
from composition.stats import downloads
from pydantic import BaseModel

from partnerka.common.clock import iso_millis, utc_now
from partnerka.stats.exports import ExportJob, ExportKind
from partnerka.stats.report_files import CSV
from partnerka.stats.summaries import Period
from routes.stats import StatsFilters
from routes.stats_schemas import GroupName, SortName

router = Router()  # type: ignore[no-untyped-call]


def download_link(key: str, file_name: str, content_type: str = CSV) -> str:
    """A short-lived link to a file of the reports bucket, downloaded under `file_name`."""
    return report_files().link(key, file_name, content_type)


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


def export_out(job: ExportJob, download_url: str | None = None) -> ExportOut:
    r = job.request
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
        filters=job.filters,
        download_url=download_url,
    )


@router.post("/exports", summary="Export a report, the click log or the conversion log as CSV")
def create_export(body: Annotated[ExportIn, Body()]) -> ExportOut:
    principal, user = current(router.current_event.headers)
    job = downloads().request_export(
        principal,
        body.query(),
        ExportKind(body.kind),
        actor_of(router.current_event, user),
        utc_now(),
        group_by=body.group_by,
        sort=body.sort,
        desc=body.desc,
        status=body.status,
    )
    return export_out(job)


@router.get("/exports", summary="The caller's exports, newest first (kept 7 days)")
def list_exports() -> ExportList:
    principal, _ = current(router.current_event.headers)
    return ExportList(items=[export_out(job) for job in downloads().exports_of(principal)])


@router.get("/exports/<export_id>", summary="One export: its progress, and a download link when ready")
def get_export(export_id: Annotated[str, Path(max_length=40)]) -> ExportOut:
    principal, _ = current(router.current_event.headers)
    found = downloads().export(principal, export_id)
    return export_out(found.job, found.download_url)


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
    return SummaryList(
        items=[
            SummaryOut(
                key=s.key.key,
                advertiser_id=s.key.advertiser_id,
                affiliate_id=s.key.affiliate_id,
                period=s.key.period.value,
                date_from=s.key.first.isoformat(),
                date_to=s.key.last.isoformat(),
                size_bytes=s.size_bytes,
            )
            for s in downloads().summaries(principal, Period(period), advertiser_id)
        ]
    )


@router.get("/summaries/download", summary="A 15-minute download link for one summary")
def download_summary(key: Annotated[str, Query(max_length=300)]) -> SummaryLinkOut:
    principal, _ = current(router.current_event.headers)
    return SummaryLinkOut(download_url=downloads().summary_link(principal, key))
