"""Test environment: fixed names for the emulated stack, set before any partnerka module is imported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_STACK = "test"
GEO_DB = ROOT / ".local" / "geo-layer" / "geo" / "country.mmdb"
FONTS = ROOT / ".local" / "documents-layer" / "fonts"

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_SERVICE_NAME": "partnerka",
        "POWERTOOLS_METRICS_NAMESPACE": "Partnerka",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        # Physical names the local runtime gives a stack called "test" (`<stack>-<LogicalId>`);
        # the integration fixture checks them against the template, so a rename cannot drift.
        "CORE_TABLE": f"{TEST_STACK}-CoreTable",
        "CLICKS_TABLE": f"{TEST_STACK}-ClicksTable",
        "CONVERSIONS_TABLE": f"{TEST_STACK}-ConversionsTable",
        "STATS_TABLE": f"{TEST_STACK}-StatsTable",
        "AUDIT_TABLE": f"{TEST_STACK}-AuditTable",
        "CAPS_TABLE": f"{TEST_STACK}-CapsTable",
        "OPERATIONS_TABLE": f"{TEST_STACK}-OperationsTable",
        "LEDGER_TABLE": f"{TEST_STACK}-LedgerTable",
        # The dashboard's public URL (links in e-mails); deliberately not the Host tests send.
        "APP_BASE_URL": "https://app.partnerka.test",
        "GEOIP_DB_PATH": str(GEO_DB),
        "FONTS_DIR": str(FONTS),
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

# scripts/test --thorough: the long property runs.
THOROUGH = os.environ.get("PARTNERKA_THOROUGH") == "1"


def examples(everyday: int, thorough: int) -> int:
    """How many hypothesis examples a property test runs: `everyday` in the suite, `thorough` in the
    long runs (`scripts/test --thorough`)."""
    return thorough if THOROUGH else everyday


os.environ.pop("AWS_PROFILE", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--thorough",
        action="store_true",
        help="fuzz the API with many more requests and a fresh seed (tests/integration/test_api_fuzz.py)",
    )
