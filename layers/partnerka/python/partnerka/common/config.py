"""Settings read once from the environment (template.yaml's Globals set them in AWS and locally)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit


class ConfigurationError(RuntimeError):
    """A setting the function cannot start without is missing or malformed: raised at cold start."""


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
    operations_table: str = "partnerka-operations"
    ledger_table: str = "partnerka-ledger"
    # Queue URLs; the monitor shows each work queue beside its dead-letter queue.
    postback_queue_url: str = ""
    postback_dlq_url: str = ""
    finance_queue_url: str = ""
    finance_dlq_url: str = ""
    notify_queue_url: str = ""
    notify_dlq_url: str = ""
    orchestrator_failure_queue_url: str = ""
    allow_loopback_postbacks: str = ""  # "true" only locally and in tests; refused in prod
    postback_allowed_domains: tuple[str, ...] = ()  # the platform's whitelist; empty allows any
    reports_bucket: str = ""  # exports and summaries
    reports_queue_url: str = ""
    reports_dlq_url: str = ""
    fonts_dir: str = "/opt/fonts"  # the DocumentsLayer: TrueType fonts for invoices in PDF

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
        operations_table=env.get("OPERATIONS_TABLE", "partnerka-operations"),
        ledger_table=env.get("LEDGER_TABLE", "partnerka-ledger"),
        postback_queue_url=env.get("POSTBACK_QUEUE_URL", ""),
        postback_dlq_url=env.get("POSTBACK_DLQ_URL", ""),
        finance_queue_url=env.get("FINANCE_QUEUE_URL", ""),
        finance_dlq_url=env.get("FINANCE_DLQ_URL", ""),
        notify_queue_url=env.get("NOTIFY_QUEUE_URL", ""),
        notify_dlq_url=env.get("NOTIFY_DLQ_URL", ""),
        orchestrator_failure_queue_url=env.get("ORCHESTRATOR_FAILURE_QUEUE_URL", ""),
        allow_loopback_postbacks=env.get("ALLOW_LOOPBACK_POSTBACKS", ""),
        reports_bucket=env.get("REPORTS_BUCKET", ""),
        reports_queue_url=env.get("REPORTS_QUEUE_URL", ""),
        reports_dlq_url=env.get("REPORTS_DLQ_URL", ""),
        fonts_dir=env.get("FONTS_DIR", "/opt/fonts"),
        postback_allowed_domains=tuple(
            d.strip().lower() for d in env.get("POSTBACK_ALLOWED_DOMAINS", "").split(",") if d.strip()
        ),
    )


def dashboard_base_url(settings: Settings) -> str:
    """The dashboard's public URL (APP_BASE_URL), where every link in an e-mail points.

    Never taken from a request: a Host or X-Forwarded-Host header is the caller's to choose, and a
    reset link on the caller's host would hand them the victim's token. A function that sends links
    calls this at cold start, so a deployment without the setting fails at once and says why.
    """
    value = settings.app_base_url.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        shown = f"'{value}'" if value else "empty"
        raise ConfigurationError(
            f"APP_BASE_URL is {shown}: links in e-mails (verification, password reset, invitations) need"
            " the dashboard's public URL, such as https://app.example.com (the template's AppBaseUrl"
            " parameter)"
        )
    return value.rstrip("/")


def required_settings(**values: str) -> None:
    """Refuse to start (at cold start) when any of these settings is empty, naming each one."""
    missing = sorted(name for name, value in values.items() if not value.strip())
    if missing:
        raise ConfigurationError(
            f"{', '.join(missing)} must be set (see the function's Environment in template.yaml)"
        )
