"""Statistics and the logs behind them: reports, one click inspected, exports and summaries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from composition import audit, service
from composition.files import report_files
from composition.names import every_advertiser, stored_names
from partnerka.analytics.configured import AnalyticsSettings, engine_of
from partnerka.common.config import read_settings
from partnerka.common.pynamo import use_core_table
from partnerka.conversions.repository import ConversionRepository
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.postbacks.service import delivery_scope
from partnerka.stats.analytics_reports import EngineReports, QueryOwnerRepository
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.dashboard import StatsDashboard
from partnerka.stats.downloads import Downloads
from partnerka.stats.exports import ExportRepository
from partnerka.stats.inspection import ClickInspector
from partnerka.stats.quality import recorded_quality
from partnerka.stats.quality_store import QualityRepository
from partnerka.stats.raw import stored_conversions
from partnerka.stats.service import Sources
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.repository import ClickRepository


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
class ClickInspectionSettings:
    core_table: str
    clicks_table: str
    conversions_table: str
    operations_table: str
    stats_table: str
    geoip_db_path: str  # the GeoLayer: the hosting networks' ranges lie beside the country database


# A report the API answers in one request (the fraud report) waits this long for the engine: API
# Gateway gives up on a request after 30 s.
SYNC_REPORT_SECONDS = 20.0


@service
def stats_dashboard() -> StatsDashboard:
    settings = read_settings(StatsSettings)
    conversions = ConversionRepository(settings.conversions_table)
    engine = engine_of(read_settings(AnalyticsSettings))
    sources = Sources(
        CubeRepository(settings.stats_table),
        ClickLogRepository(settings.stats_table),
        stored_conversions(conversions),
        engine=EngineReports(engine, QueryOwnerRepository(settings.core_table), SYNC_REPORT_SECONDS),
    )
    return StatsDashboard(
        sources,
        lambda advertiser, first, last, affiliate: conversions.between(
            advertiser, first, last, True, affiliate
        ),
        stored_names(settings.core_table),
        every_advertiser,
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
        every_advertiser,
    )


@service
def click_inspector() -> ClickInspector:
    settings = read_settings(ClickInspectionSettings)
    quality = QualityRepository(settings.stats_table)
    # The ranges are read on the first click inspected, not at the cold start (a tenth of a second)
    datacenters = cache(lambda: DatacenterRanges.beside(settings.geoip_db_path))
    return ClickInspector(
        ClickRepository(settings.clicks_table),
        ConversionRepository(settings.conversions_table),
        DeliveryRepository(OperationsRepository(settings.operations_table)),
        stored_names(settings.core_table),
        lambda click: recorded_quality(quality, click, datacenters()),
        delivery_scope,
    )
