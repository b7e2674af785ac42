"""The engine a deployment's configuration names (ANALYTICS_ENGINE): `athena` in AWS, `duckdb` on the
local platform and in tests. Nothing else chooses it."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.analytics.engines import QueryEngine
from partnerka.common.config import ConfigurationError

ENGINES = ("athena", "duckdb")


@dataclass(frozen=True, slots=True)
class AnalyticsSettings:
    analytics_engine: str  # athena | duckdb
    analytics_bucket: str  # the Parquet objects (DuckDB copies them from here)
    analytics_database: str  # Glue database of the tables (Athena)
    analytics_workgroup: str  # Athena workgroup: its byte limit per query, its encrypted results


def engine_of(settings: AnalyticsSettings) -> QueryEngine:
    if settings.analytics_engine == "athena":
        from partnerka.analytics.athena import AthenaEngine

        return AthenaEngine(settings.analytics_database, settings.analytics_workgroup)
    if settings.analytics_engine == "duckdb":
        from partnerka.analytics.duckdb_engine import DuckDBEngine, S3Objects

        return DuckDBEngine(S3Objects(settings.analytics_bucket))
    raise ConfigurationError(
        f"ANALYTICS_ENGINE is '{settings.analytics_engine}': one of {', '.join(ENGINES)} is required"
    )
