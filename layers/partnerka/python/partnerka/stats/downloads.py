"""What users download from statistics: CSV exports (built by the reports worker, each one the
caller's own) and the worker's daily and monthly summaries (an advertiser's, or an affiliate's own
within it), both through short-lived links. Who may export or read a summary is the statistics'
rule (`scoped_request`, `visible_scope`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.stats.engine import NO_GROUP
from partnerka.stats.exports import ExportJob, ExportKind, ExportStatus, ExportStore, request_export
from partnerka.stats.report_files import ReportFiles
from partnerka.stats.service import StatsQuery, scoped_request, visible_scope
from partnerka.stats.summaries import Period, SummaryKey, prefix_of

MAX_SUMMARIES = 400


@dataclass(frozen=True, slots=True)
class ExportView:
    job: ExportJob
    download_url: str | None  # when it is ready and a link was asked for


@dataclass(frozen=True, slots=True)
class ListedSummary:
    key: SummaryKey
    size_bytes: int


class Downloads:
    def __init__(
        self,
        exports: ExportStore,
        enqueue: Callable[[list[str]], None],
        files: ReportFiles,
        audit: AuditTrail,
        every_advertiser: Callable[[], list[str]],
    ) -> None:
        """`enqueue(bodies)`: the reports worker's queue; `every_advertiser()`: the ids of every
        advertiser, for platform exports."""
        self._exports = exports
        self._enqueue = enqueue
        self._files = files
        self._audit = audit
        self._every_advertiser = every_advertiser

    def request_export(
        self,
        principal: Principal,
        query: StatsQuery,
        kind: ExportKind,
        actor: Actor,
        now: datetime,
        group_by: str = "day",
        sort: str | None = None,
        desc: bool | None = None,
        status: str | None = None,
    ) -> ExportJob:
        """Queue an export of what the caller may see: a report (grouped and sorted), the click log,
        or the conversion log (of one status, when named). The job carries the scope resolved now."""
        report = kind is ExportKind.REPORT
        scoped = scoped_request(principal, query, group_by if report else NO_GROUP, self._every_advertiser)
        options: dict[str, Any] = {}
        if report:
            options = {"sort": sort, "desc": desc}
        elif kind is ExportKind.CONVERSIONS and status:
            options = {"status": status}
        job = ExportJob(
            export_id=new_id(),
            user_id=principal.user_id,
            kind=kind,
            request=scoped.request,
            advertisers=scoped.advertisers,
            sees_revenue=scoped.scope.sees_revenue,
            created_at=now,
            options=options,
        )
        return request_export(self._exports, self._enqueue, self._audit, job, actor)

    def exports_of(self, principal: Principal) -> list[ExportJob]:
        """The caller's own exports, newest first."""
        return self._exports.of_user(principal.user_id)

    def export(self, principal: Principal, export_id: str) -> ExportView:
        """One of the caller's own exports (the key holds the user), with a link once it is ready."""
        job = self._exports.get(principal.user_id, export_id)
        if job is None:
            raise NotFound("no such export")
        ready = job.status is ExportStatus.READY
        return ExportView(job, self._files.link(job.object_key, job.file_name) if ready else None)

    def summaries(
        self, principal: Principal, period: Period, advertiser_id: str | None
    ) -> list[ListedSummary]:
        """An advertiser's summaries of a period (its own; platform staff name one), or an affiliate's
        own within its current advertiser; newest first, at most MAX_SUMMARIES."""
        scope = visible_scope(principal, advertiser_id)
        if scope.advertiser_id is None:
            raise ValidationFailed("name the advertiser whose summaries to list")
        prefix = prefix_of(scope.advertiser_id, scope.affiliate_id, period)
        found = [
            ListedSummary(key, stored.size_bytes)
            for stored in self._files.listed(prefix)
            if (key := SummaryKey.parse(stored.key)) is not None and stored.key.startswith(prefix)
        ]
        found.sort(key=lambda summary: summary.key.first, reverse=True)
        return found[:MAX_SUMMARIES]

    def summary_link(self, principal: Principal, key: str) -> str:
        """A short-lived link to one summary the caller may read."""
        parsed = SummaryKey.parse(key)
        if parsed is None:
            raise ValidationFailed("not a summary key")
        # An advertiser's own summary (no affiliate in its key) is never within an affiliate's scope.
        if not visible_scope(principal, None).covers(parsed.advertiser_id, parsed.affiliate_id or ""):
            raise Forbidden("not your summary")
        if not self._files.exists(parsed.key):
            raise NotFound("no such summary")
        return self._files.link(parsed.key, f"partnerka-{parsed.period.value}-{parsed.first.isoformat()}.csv")
