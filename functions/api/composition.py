"""The API function's composition root for offers, postbacks, statistics, clicks, conversions, exports
and the monitor: each service built once per instance from the settings, with the repositories and
the other contexts' services it is given. Routes ask for a service here and call it. (The account
services, which authentication needs first, are built in auth.)"""

from __future__ import annotations

from functools import cache

from auth import accounts

from partnerka.accounts.repository import AccountRepository
from partnerka.common.config import get_settings
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.review import ConversionReview
from partnerka.notifications.models import redact
from partnerka.notifications.notifier import replay_notification
from partnerka.offers.composition import offer_service
from partnerka.offers.names import StoredNames
from partnerka.offers.service import OfferService
from partnerka.operations.monitor import Monitor, standard_queues
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.composition import postback_service
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


@cache
def offers() -> OfferService:
    return offer_service(get_settings(), accounts().audit)


@cache
def operations() -> OperationsRepository:
    return OperationsRepository(get_settings().operations_table)


@cache
def postbacks() -> PostbackService:
    return postback_service(get_settings(), operations(), accounts().audit)


@cache
def _conversions() -> ConversionRepository:
    return ConversionRepository(get_settings().conversions_table)


@cache
def _names() -> StoredNames:
    return StoredNames()


def _every_advertiser() -> list[str]:
    return [advertiser.id for advertiser in AccountRepository().list_advertisers()]


@cache
def report_files() -> BucketFiles:
    return BucketFiles(get_settings().reports_bucket)


@cache
def stats_dashboard() -> StatsDashboard:
    settings = get_settings()
    sources = Sources(
        CubeRepository(settings.stats_table),
        ClickLogRepository(settings.stats_table),
        stored_conversions(_conversions()),
        raw_limit=RAW_LIMIT,
    )
    return StatsDashboard(
        sources,
        lambda advertiser, first, last, affiliate: _conversions().between(
            advertiser, first, last, True, affiliate
        ),
        _names(),
        _every_advertiser,
    )


@cache
def downloads() -> Downloads:
    settings = get_settings()
    return Downloads(
        ExportRepository(settings.core_table),
        SqsQueue(settings.reports_queue_url).send,
        report_files(),
        accounts().audit,
        _every_advertiser,
    )


@cache
def conversion_review() -> ConversionReview:
    return ConversionReview(_conversions(), _names(), accounts().audit)


@cache
def click_inspector() -> ClickInspector:
    settings = get_settings()
    quality = QualityRepository(settings.stats_table)
    return ClickInspector(
        ClickRepository(settings.clicks_table),
        _conversions(),
        operations(),
        _names(),
        lambda click: recorded_quality(quality, click),
        delivery_scope,
    )


@cache
def monitor() -> Monitor:
    s = get_settings()
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
        operations(),
        resend_delivery=lambda op_id: postbacks().resend(postbacks().delivery(op_id)),
        replay_postback=lambda op, actor: postbacks().replay(op, actor),
        redact=redact,
        audit=accounts().audit,
        replay_notification=lambda body, now: replay_notification(operations(), body, now),
    )
