"""Settings read once from the environment (template.yaml's Globals set them in AWS and locally)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Settings:
    stage: str
    core_table: str
    clicks_table: str
    conversions_table: str
    stats_table: str
    caps_table: str
    geoip_db_path: str
    click_ttl_days: int
    jwt_secret_arn: str
    route_cache_seconds: float
    audit_table: str
    mail_from: str
    app_base_url: str

    @property
    def datacenter_ranges_path(self) -> str:
        """The hosting networks' address ranges ship beside the country database (the GeoLayer)."""
        return os.path.join(os.path.dirname(self.geoip_db_path), "datacenter.ranges")


@cache
def get_settings() -> Settings:
    """The process-wide settings; tests that change the environment call `get_settings.cache_clear()`."""
    env = os.environ
    return Settings(
        stage=env.get("STAGE", "dev"),
        core_table=env.get("CORE_TABLE", "partnerka-core"),
        clicks_table=env.get("CLICKS_TABLE", "partnerka-clicks"),
        conversions_table=env.get("CONVERSIONS_TABLE", "partnerka-conversions"),
        stats_table=env.get("STATS_TABLE", "partnerka-stats"),
        caps_table=env.get("CAPS_TABLE", "partnerka-caps"),
        geoip_db_path=env.get("GEOIP_DB_PATH", "/opt/geo/country.mmdb"),
        click_ttl_days=int(env.get("CLICK_TTL_DAYS", "30")),
        jwt_secret_arn=env.get("JWT_SECRET_ARN", ""),
        route_cache_seconds=float(env.get("ROUTE_CACHE_SECONDS", "30")),
        audit_table=env.get("AUDIT_TABLE", "partnerka-audit"),
        mail_from=env.get("MAIL_FROM", "no-reply@partnerka.local"),
        app_base_url=env.get("APP_BASE_URL", ""),
    )
