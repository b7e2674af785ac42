"""CSV exports of any report, click log or conversion log, built by the reports worker into S3.

Every export is a job, whatever its size: the API stores it (Core table, PK `EXPORTS#<user>`, SK the
export id, kept EXPORT_TTL) with the caller's scope already resolved, and queues it; the worker writes
the CSV a row at a time (so a month of clicks never sits in memory), counting rows as it goes, and
uploads it; the user downloads it through a short-lived presigned link. One path for small and large
exports, and the progress the screen shows is the worker's own count.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from partnerka.audit.service import Actor, AuditTrail
from partnerka.common import dynamo
from partnerka.common.bidi import show_bidi_controls
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.money import Money, exponent
from partnerka.common.observability import logger
from partnerka.conversions.models import Conversion
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.logs import (
    ConversionsNewestFirst,
    clicks_newest_first,
    conversions_newest_first,
    matching,
)
from partnerka.stats.metrics import derive
from partnerka.stats.models import COUNTERS, StatsRow
from partnerka.stats.service import Sources, StatsRequest, build_report, sorted_rows
from partnerka.tracking.models import SUB_KEYS

EXPORT_TTL = timedelta(days=7)
PROGRESS_EVERY = 2_000  # rows between progress updates


class ExportKind(StrEnum):
    REPORT = "report"
    CLICKS = "clicks"
    CONVERSIONS = "conversions"


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


def request_as_dict(request: StatsRequest) -> dict[str, Any]:
    return {
        "from": request.date_from.isoformat(),
        "to": request.date_to.isoformat(),
        "tz": request.tz.key,
        "group_by": request.group_by,
        "filters": [list(pair) for pair in request.filters],
        "click_id": request.click_id,
    }


def request_from_dict(data: dict[str, Any]) -> StatsRequest:
    return StatsRequest(
        date.fromisoformat(data["from"]),
        date.fromisoformat(data["to"]),
        ZoneInfo(data["tz"]),
        data["group_by"],
        tuple((name, value) for name, value in data["filters"]),
        data.get("click_id"),
    )


@dataclass(slots=True)
class ExportJob:
    """One export, with what the worker needs to build it without asking who the user is: the
    request already narrowed to the user's scope, and the advertisers it covers."""

    export_id: str
    user_id: str
    kind: ExportKind
    request: StatsRequest
    advertisers: list[str]
    sees_revenue: bool
    created_at: datetime
    options: dict[str, Any] = field(default_factory=dict)  # sort, desc (report); status (conversions)
    status: ExportStatus = ExportStatus.QUEUED
    rows: int = 0
    size_bytes: int = 0
    finished_at: datetime | None = None
    error: str = ""

    @property
    def object_key(self) -> str:
        return f"exports/{self.user_id}/{self.export_id}.csv"

    def message(self) -> str:
        """The reports queue's message for this export."""
        return json.dumps({"export": {"user_id": self.user_id, "export_id": self.export_id}})

    @property
    def filters(self) -> dict[str, str]:
        """The request's filters by name, the click among them."""
        r = self.request
        return dict(r.filters) | ({"click_id": r.click_id} if r.click_id else {})

    @property
    def file_name(self) -> str:
        r = self.request
        return f"partnerka-{self.kind.value}-{r.date_from}-{r.date_to}.csv"

    def as_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": f"EXPORTS#{self.user_id}",
            "sk": self.export_id,
            "kind": self.kind.value,
            "request": request_as_dict(self.request),
            "advertisers": self.advertisers,
            "sees_revenue": self.sees_revenue,
            "options": self.options,
            "status": self.status.value,
            "rows": self.rows,
            "size_bytes": self.size_bytes,
            "created_at": iso_millis(self.created_at),
            "error": self.error,
            "expires_at": int((self.created_at + EXPORT_TTL).timestamp()),
        }
        if self.finished_at:
            item["finished_at"] = iso_millis(self.finished_at)
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> ExportJob:
        return cls(
            export_id=item["sk"],
            user_id=item["pk"].removeprefix("EXPORTS#"),
            kind=ExportKind(item["kind"]),
            request=request_from_dict(item["request"]),
            advertisers=list(item.get("advertisers") or []),
            sees_revenue=bool(item["sees_revenue"]),
            created_at=parse_iso(item["created_at"]),
            options=dict(item.get("options") or {}),
            status=ExportStatus(item["status"]),
            rows=int(item.get("rows", 0)),
            size_bytes=int(item.get("size_bytes", 0)),
            finished_at=parse_iso(item["finished_at"]) if item.get("finished_at") else None,
            error=item.get("error", ""),
        )


class ExportStore(Protocol):
    def create(self, job: ExportJob) -> None: ...

    def get(self, user_id: str, export_id: str) -> ExportJob | None: ...

    def of_user(self, user_id: str, limit: int = 50) -> list[ExportJob]:
        """The user's exports, newest first."""
        ...


class ExportRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def create(self, job: ExportJob) -> None:
        self._c().put_item(
            TableName=self._table,
            Item=dynamo.encode(job.as_item()),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get(self, user_id: str, export_id: str) -> ExportJob | None:
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"EXPORTS#{user_id}"}, "sk": {"S": export_id}},
                ConsistentRead=True,
            )
            .get("Item")
        )
        return ExportJob.from_item(dynamo.decode(item)) if item else None

    def of_user(self, user_id: str, limit: int = 50) -> list[ExportJob]:
        """The user's exports, newest first (ids sort by time)."""
        page = self._c().query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"EXPORTS#{user_id}"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [ExportJob.from_item(dynamo.decode(raw)) for raw in page.get("Items", [])]

    def save(self, job: ExportJob) -> None:
        """The worker's progress and outcome (the job's own item; nobody else writes it)."""
        self._c().put_item(TableName=self._table, Item=dynamo.encode(job.as_item()))


def request_export(
    exports: ExportStore,
    enqueue: Callable[[list[str]], None],
    audit: AuditTrail,
    job: ExportJob,
    actor: Actor,
) -> ExportJob:
    """Store the job and queue it for the reports worker. Audited, in the advertiser it covers when
    it covers one (platform-wide otherwise): an export takes data out of the platform."""
    exports.create(job)
    enqueue([job.message()])
    r = job.request
    audit.record(
        actor,
        job.advertisers[0] if len(job.advertisers) == 1 else None,
        "export.requested",
        f"export:{job.export_id}",
        after={
            "kind": job.kind.value,
            "from": r.date_from.isoformat(),
            "to": r.date_to.isoformat(),
            "group_by": r.group_by,
            "filters": job.filters,
        },
    )
    return job


# ---------------------------------------------------------------------------- CSV rows
def _major(minor: float, currency: str) -> str:
    exp = exponent(currency)
    return str((Decimal(str(minor)) / (Decimal(10) ** exp)).quantize(Decimal(1).scaleb(-exp - 2)))


def report_lines(
    rows: Iterable[StatsRow],
    totals: StatsRow,
    group_by: str,
    sees_revenue: bool,
    labels: Callable[[list[StatsRow]], dict[str, str]],
) -> Iterator[list[str]]:
    """A report as CSV lines: the group, its name, every counter and derived metric, and the money
    columns of every currency in the totals (money in major units); the totals last."""
    currencies = sorted(set(totals.payout) | (set(totals.revenue) if sees_revenue else set()))
    money = ["payout", "cpc_payout", "epc", *(["revenue", "profit", "roi"] if sees_revenue else [])]
    yield [group_by, "name", *COUNTERS, "conversions", "cr", *(f"{m}_{c}" for c in currencies for m in money)]
    rows = list(rows)
    names = labels(rows)
    for row in [*rows, totals]:
        derived = derive(row)
        line = [row.key, names.get(row.key, row.key), *(str(getattr(row, name)) for name in COUNTERS)]
        line += [str(derived.conversions), "" if derived.cr is None else f"{derived.cr:.2f}"]
        for currency in currencies:
            figures = {
                "payout": Money(row.payout.get(currency, 0), currency).as_decimal_string(),
                "cpc_payout": Money(row.cpc_payout.get(currency, 0), currency).as_decimal_string(),
                "epc": _major(derived.epc.get(currency, 0), currency),
                "revenue": Money(row.revenue.get(currency, 0), currency).as_decimal_string(),
                "profit": Money(derived.profit.get(currency, 0), currency).as_decimal_string(),
                "roi": "" if derived.roi.get(currency) is None else f"{derived.roi[currency]:.2f}",
            }
            line += [figures[m] for m in money]
        yield line


CLICK_COLUMNS = [
    "click_id", "created_at", "advertiser_id", "offer_id", "affiliate_id", "country", "device", "os",
    "browser", "reason", "flags", *SUB_KEYS,
]  # fmt: skip


def click_lines(clicks: Iterable[LoggedClick]) -> Iterator[list[str]]:
    yield CLICK_COLUMNS
    for click in clicks:
        f = click.facts
        yield [
            click.click_id, iso_millis(f.at), f.advertiser_id, f.offer, f.affiliate, f.country, f.device,
            f.os, f.browser, click.reason, " ".join(sorted(click.flags)), *(f.subs.get(s, "") for s in SUB_KEYS),
        ]  # fmt: skip


def conversion_lines(conversions: Iterable[Conversion], sees_revenue: bool) -> Iterator[list[str]]:
    yield [
        "conversion_id", "created_at", "status", "goal", "advertiser_id", "offer_id", "affiliate_id",
        "click_id", "txn_id", "country", "currency", "payout", *(["revenue"] if sees_revenue else []),
        "reason", *SUB_KEYS,
    ]  # fmt: skip
    for c in conversions:
        revenue = [Money(c.revenue_minor, c.currency).as_decimal_string()] if sees_revenue else []
        yield [
            c.conversion_id, iso_millis(c.created_at), c.status.value, c.goal, c.advertiser_id, c.offer_id,
            c.affiliate_id, c.click_id, c.txn_id, c.country, c.currency,
            Money(c.payout_minor, c.currency).as_decimal_string(), *revenue, c.reason or "",
            *(c.subs.get(s, "") for s in SUB_KEYS),
        ]  # fmt: skip


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula (sub-ids come from visitors' URLs) starts with a
    quote; numbers, negative ones included, stay numbers. Bidi controls are shown as their code
    points first, so none can reorder a cell or hide what it begins with."""
    value = show_bidi_controls(value)
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def write_csv(lines: Iterable[list[str]], out: IO[str], progress: Callable[[int], None]) -> int:
    """Write the lines; call `progress(rows so far)` every PROGRESS_EVERY rows; the data rows written."""
    writer = csv.writer(out)
    rows = -1  # the header is not a row
    for line in lines:
        writer.writerow([_cell(value) for value in line])
        rows += 1
        if rows and rows % PROGRESS_EVERY == 0:
            progress(rows)
    return max(rows, 0)


Names = Callable[[str, list[str], list[str]], dict[str, str]]
"""(group_by, keys, advertisers) → names for the keys (stats.names.group_names)."""


@dataclass(frozen=True, slots=True)
class ExportRunner:
    """The reports worker's half of an export: build the CSV, upload it, record the outcome."""

    sources: Sources
    conversions_newest_first: ConversionsNewestFirst
    names: Names
    repository: ExportRepository
    upload: Callable[[str, IO[bytes]], None]
    now: Callable[[], datetime]

    def run(self, job: ExportJob) -> ExportJob:
        """Build one export. A redelivered message of a finished export does nothing; a failure is
        recorded on the export (the user sees why and may start it again) rather than retried."""
        if job.status in (ExportStatus.READY, ExportStatus.FAILED):
            return job
        job.status, job.rows = ExportStatus.RUNNING, 0
        self.repository.save(job)

        def progress(rows: int) -> None:
            job.rows = rows
            self.repository.save(job)

        try:
            with tempfile.TemporaryFile() as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")  # the BOM: spreadsheets
                job.rows = write_csv(self.lines(job), text, progress)
                text.flush()
                job.size_bytes = raw.tell()
                text.detach()
                raw.seek(0)
                self.upload(job.object_key, raw)
            job.status = ExportStatus.READY
        except Exception as error:
            logger.exception("export failed", export_id=job.export_id)
            job.status, job.error = ExportStatus.FAILED, f"{type(error).__name__}: {error}"[:300]
        job.finished_at = self.now()
        self.repository.save(job)
        return job

    def lines(self, job: ExportJob) -> Iterator[list[str]]:
        request = job.request
        if job.kind is ExportKind.CLICKS:
            return click_lines(matching(clicks_newest_first(self.sources.log, job.advertisers, request)))
        if job.kind is ExportKind.CONVERSIONS:
            found = conversions_newest_first(
                self.conversions_newest_first, job.advertisers, request, job.options.get("status")
            )
            return conversion_lines(matching(found), job.sees_revenue)
        report = build_report(self.sources, job.advertisers, request)
        rows = sorted_rows(report, request.group_by, job.options.get("sort"), job.options.get("desc"))
        return report_lines(
            rows,
            report.totals,
            request.group_by,
            job.sees_revenue,
            lambda page: self.names(request.group_by, [row.key for row in page], job.advertisers),
        )
