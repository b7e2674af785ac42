"""The composition root of the API functions: every service a route calls, built once per instance
from the settings of what it is made of (each reads its own, from the function's environment).

An API function builds the services its routes call when it starts (handlers/<context>.py lists
them, see `start`), so a function whose template leaves out a variable stops at cold start and names
it. After the start a service is only handed out, never built: a route that asks for one its function
did not list is a fault of ours (a 500, logged), not a cold start delayed to some request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps

from partnerka.accounts.callers import Callers
from partnerka.accounts.composition import AccountSettings, CallerSettings, account_services, callers_of
from partnerka.accounts.repository import AccountRepository
from partnerka.accounts.service import AccountService
from partnerka.accounts.workspace import Workspace
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.config import read_settings
from partnerka.common.pynamo import use_core_table
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.review import ConversionReview
from partnerka.finance.composition import FinanceServices, FinanceServiceSettings, build_finance_services
from partnerka.notifications.models import redact
from partnerka.notifications.notifier import replay_notification
from partnerka.offers.composition import OfferSettings, offer_service
from partnerka.offers.names import StoredNames
from partnerka.offers.service import OfferService
from partnerka.operations.monitor import Monitor, standard_queues
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.composition import PostbackServiceSettings, postback_service
from partnerka.postbacks.service import PostbackService, delivery_scope
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.dashboard import StatsDashboard
from partnerka.stats.downloads import Downloads
from partnerka.stats.exports import ExportRepository
from partnerka.stats.inspection import ClickInspector
from partnerka.stats.quality import recorded_quality
from partnerka.stats.quality_store import QualityRepository
from partnerka.stats.raw import stored_conversions
from partnerka.stats.report_files import BucketFiles
from partnerka.stats.service import RAW_LIMIT, Sources
from partnerka.tracking.repository import ClickRepository

_started = False


def start(services: Iterable[Callable[[], object]]) -> None:
    """Build `services` (at cold start); from then on no other is built."""
    global _started
    for build in services:
        build()
    _started = True


def service[T](build: Callable[[], T]) -> Callable[[], T]:
    """`build` run once per instance, and only while the function starts."""
    built = cache(build)

    @wraps(build)
    def get() -> T:
        if _started and built.cache_info().currsize == 0:
            raise RuntimeError(
                f"the service {build.__name__} is not among those its function builds at cold start"
            )
        return built()

    return get


@dataclass(frozen=True, slots=True)
class AuditSettings:
    audit_table: str


@dataclass(frozen=True, slots=True)
class StatsSettings:
    core_table: str
    stats_table: str
    conversions_table: str


@dataclass(frozen=True, slots=True)
class ExportSettings:
    core_table: str
    reports_queue_url: str


@dataclass(frozen=True, slots=True)
class ReportFileSettings:
    reports_bucket: str


@dataclass(frozen=True, slots=True)
class ConversionSettings:
    core_table: str
    conversions_table: str


@dataclass(frozen=True, slots=True)
class ClickInspectionSettings:
    core_table: str
    clicks_table: str
    conversions_table: str
    operations_table: str
    stats_table: str


@dataclass(frozen=True, slots=True)
class MonitorSettings:
    """The work queues beside their dead-letter queues, and the operations log."""

    operations_table: str
    postback_queue_url: str
    postback_dlq_url: str
    finance_queue_url: str
    finance_dlq_url: str
    notify_queue_url: str
    notify_dlq_url: str
    orchestrator_failure_queue_url: str
    reports_queue_url: str
    reports_dlq_url: str


# ---------------------------------------------------------------------- who calls, and the record
@service
def callers() -> Callers:
    return callers_of(read_settings(CallerSettings))


@service
def audit() -> AuditLog:
    return AuditLog(AuditRepository(read_settings(AuditSettings).audit_table))


# ---------------------------------------------------------------------- accounts and workspace
@service
def _account_services() -> tuple[AccountService, Workspace]:
    return account_services(read_settings(AccountSettings))


def accounts() -> AccountService:
    return _account_services()[0]


def workspace() -> Workspace:
    return _account_services()[1]


# ---------------------------------------------------------------------- offers, postbacks, finance
@service
def offers() -> OfferService:
    return offer_service(read_settings(OfferSettings), audit())


@service
def postbacks() -> PostbackService:
    settings = read_settings(PostbackServiceSettings)
    return postback_service(settings, OperationsRepository(settings.operations_table), audit())


@service
def finance() -> FinanceServices:
    return build_finance_services(read_settings(FinanceServiceSettings))


# ---------------------------------------------------------------------- statistics, logs, exports
def _names(core_table: str) -> StoredNames:
    use_core_table(core_table)
    return StoredNames()


def _every_advertiser() -> list[str]:
    return [advertiser.id for advertiser in AccountRepository().list_advertisers()]


@service
def report_files() -> BucketFiles:
    return BucketFiles(read_settings(ReportFileSettings).reports_bucket)


@service
def stats_dashboard() -> StatsDashboard:
    settings = read_settings(StatsSettings)
    conversions = ConversionRepository(settings.conversions_table)
    sources = Sources(
        CubeRepository(settings.stats_table),
        ClickLogRepository(settings.stats_table),
        stored_conversions(conversions),
        raw_limit=RAW_LIMIT,
    )
    return StatsDashboard(
        sources,
        lambda advertiser, first, last, affiliate: conversions.between(
            advertiser, first, last, True, affiliate
        ),
        _names(settings.core_table),
        _every_advertiser,
    )


@service
def downloads() -> Downloads:
    settings = read_settings(ExportSettings)
    use_core_table(settings.core_table)
    return Downloads(
        ExportRepository(settings.core_table),
        SqsQueue(settings.reports_queue_url).send,
        report_files(),
        audit(),
        _every_advertiser,
    )


@service
def click_inspector() -> ClickInspector:
    settings = read_settings(ClickInspectionSettings)
    quality = QualityRepository(settings.stats_table)
    return ClickInspector(
        ClickRepository(settings.clicks_table),
        ConversionRepository(settings.conversions_table),
        OperationsRepository(settings.operations_table),
        _names(settings.core_table),
        lambda click: recorded_quality(quality, click),
        delivery_scope,
    )


@service
def conversion_review() -> ConversionReview:
    settings = read_settings(ConversionSettings)
    return ConversionReview(
        ConversionRepository(settings.conversions_table), _names(settings.core_table), audit()
    )


# ---------------------------------------------------------------------- the orchestrator's monitor
@service
def monitor() -> Monitor:
    s = read_settings(MonitorSettings)
    operations = OperationsRepository(s.operations_table)
    queues = standard_queues(
        s.postback_queue_url,
        s.postback_dlq_url,
        s.finance_queue_url,
        s.finance_dlq_url,
        s.notify_queue_url,
        s.notify_dlq_url,
        s.orchestrator_failure_queue_url,
        s.reports_queue_url,
        s.reports_dlq_url,
    )
    return Monitor(
        queues,
        operations,
        resend_delivery=lambda op_id: postbacks().resend(postbacks().delivery(op_id)),
        replay_postback=lambda op, actor: postbacks().replay(op, actor),
        redact=redact,
        audit=audit(),
        replay_notification=lambda body, now: replay_notification(operations, body, now),
    )
