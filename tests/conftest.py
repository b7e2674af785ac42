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
        "CLICK_TTL_DAYS": "30",  # the template's ClickTtlDays
        # The dashboard's public URL (links in e-mails); deliberately not the Host tests send.
        "APP_BASE_URL": "https://app.partnerka.test",
        "GEOIP_DB_PATH": str(GEO_DB),
        "FONTS_DIR": str(FONTS),
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

# The core-table entities name their table when a function's composition binds it; a test's own code
# (repositories built directly, scripts) works on the test stack's.
from partnerka.common.pynamo import use_core_table  # noqa: E402 - after the environment above

use_core_table(os.environ["CORE_TABLE"])


def thorough() -> bool:
    """The long property runs: `scripts/test --thorough` or `pytest --thorough` (PARTNERKA_THOROUGH=1)."""
    return os.environ.get("PARTNERKA_THOROUGH") == "1"


def examples(everyday: int, long_run: int) -> int:
    """How many hypothesis examples a property test runs: `everyday` in the suite, `long_run` in the
    long runs."""
    return long_run if thorough() else everyday


os.environ.pop("AWS_PROFILE", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--thorough",
        action="store_true",
        help="the long property runs: many more hypothesis examples, and the API fuzzed with many more"
        " requests and a fresh seed (as PARTNERKA_THOROUGH=1)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--thorough"):
        os.environ["PARTNERKA_THOROUGH"] = "1"
