"""Test environment: fixed names for the emulated stack, set before any partnerka module is imported."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.loaders
import pytest
from hypothesis import settings

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
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon to send segments to
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
        "ROUTE_CACHE_SECONDS": "30",  # the template's RouteCacheSeconds
        # The dashboard's public URL (links in e-mails); deliberately not the Host tests send.
        "APP_BASE_URL": "https://app.partnerka.test",
        "GEOIP_DB_PATH": str(GEO_DB),
        "FONTS_DIR": str(FONTS),
        # The DuckDB engine's copies of the analytics objects and its queries: each test process has
        # its own in-process moto, whose bucket of the same name holds other objects.
        "ANALYTICS_LOCAL_FOLDER": tempfile.mkdtemp(prefix="partnerka-analytics-tests-"),
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

# The core-table entities name their table when a function's composition binds it; a test's own code
# (repositories built directly, scripts) works on the test stack's.
from partnerka.common.pynamo import use_core_table  # noqa: E402 - after the environment above

use_core_table(os.environ["CORE_TABLE"])

# Passwords: the same argon2id at the least cost argon2 accepts (8 KiB, one pass). A test's passwords
# guard nothing, and at OWASP's 19 MiB and two passes the suite's thousands of sign-ups, sign-ins and
# recovery codes spent half a minute of CPU hashing. `owasp_passwords` gives a test the real cost back.
from argon2 import PasswordHasher, Type  # noqa: E402

from partnerka.accounts import passwords  # noqa: E402

_OWASP_HASHING = passwords._HASHER
passwords._HASHER = PasswordHasher(
    time_cost=1, memory_cost=8, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)

# botocore reads its service models (JSON files of megabytes) once per session, and the tests make
# sessions by the thousand (a function's cold start, a helper's own client): here every loader with
# the same search paths shares one cache, so a model is read once per process. Within a session
# botocore already hands the same loaded model to every client.
_MODEL_CACHES: dict[tuple[str, ...], dict[Any, Any]] = {}
_load_models = botocore.loaders.Loader.__init__


def _shared_model_cache(self: botocore.loaders.Loader, *args: Any, **kwargs: Any) -> None:
    _load_models(self, *args, **kwargs)
    self._cache = _MODEL_CACHES.setdefault(tuple(self.search_paths), {})  # type: ignore[attr-defined]


botocore.loaders.Loader.__init__ = _shared_model_cache  # type: ignore[method-assign]


@pytest.fixture
def owasp_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed and checked at production's cost (OWASP's argon2id parameters) in this test."""
    monkeypatch.setattr(passwords, "_HASHER", _OWASP_HASHING)


def thorough() -> bool:
    """The long property runs: `scripts/test --thorough` or `pytest --thorough` (PARTNERKA_THOROUGH=1)."""
    return os.environ.get("PARTNERKA_THOROUGH") == "1"


def examples(everyday: int, long_run: int) -> int:
    """How many hypothesis examples a property test runs: `everyday` in the suite (small: each example
    of the stream, money and statistics properties drives moto for a second or more), `long_run` in
    the long runs."""
    return long_run if thorough() else everyday


# Hypothesis profiles: "quick" for every run of the suite, "thorough" for the long runs. A property
# test names its own count with `examples()`; the profile sets what the others get, and neither has a
# deadline (moto's latency would make one flaky, and the suite measures speed in tests/bench).
settings.register_profile("quick", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)


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
    settings.load_profile("thorough" if thorough() else "quick")


Figures = Callable[[str], None]


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """What a test measured (a benchmark's table, the fuzzer's and the isolation matrix's counts),
    printed under "figures" at the end of the run: from pytest-xdist's worker processes too, whose
    own output never reaches the terminal."""

    def record(text: str) -> None:
        request.node.user_properties.append(("figures", text))

    return record


def _time_by_folder(terminalreporter: Any) -> None:
    """Seconds spent in each folder's tests (setup, call and teardown, summed over the processes)."""
    spent: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if isinstance(report, pytest.TestReport):
                folder = report.nodeid.split("/")[1] if report.nodeid.startswith("tests/") else "?"
                spent[folder] = spent.get(folder, 0.0) + report.duration
    if spent:
        terminalreporter.section("time by folder (summed over processes)")
        for folder, seconds in sorted(spent.items(), key=lambda entry: -entry[1]):
            terminalreporter.write_line(f"{seconds:7.1f} s  tests/{folder}")


# The files with the longest single tests, with their CPU seconds in the suite on this machine.
# pytest-xdist's worksteal hands each of its two processes one half of the collection and lets an
# idle one steal from the end of the other's queue, so a long test collected late runs alone while
# the other process waits. These files go first instead, each whole (its fixtures set up once),
# shared between the two halves by weight. (The template's: cfn-lint when its kept answer is stale.)
SLOWEST_FILES = {
    "tests/integration/test_api_fuzz.py": 33,
    "tests/integration/test_isolation_matrix.py": 25,
    "tests/integration/test_stream_exactly_once.py": 13,
    "tests/integration/test_finance_machine.py": 9,
    "tests/integration/test_template.py": 5,
    "tests/integration/test_stats_raw.py": 5,
    "tests/integration/test_stats_cubes.py": 5,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    by_file: dict[str, list[pytest.Item]] = {}
    rest: list[pytest.Item] = []
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        (by_file.setdefault(path, []) if path in SLOWEST_FILES else rest).append(item)
    halves: tuple[list[pytest.Item], list[pytest.Item]] = ([], [])
    weights = [0, 0]
    for path in sorted(by_file, key=lambda p: -SLOWEST_FILES[p]):
        lighter = weights.index(min(weights))
        halves[lighter].extend(by_file[path])
        weights[lighter] += SLOWEST_FILES[path]
    first = max(len(items) // 2 - len(halves[0]), 0)
    items[:] = halves[0] + rest[:first] + halves[1] + rest[first:]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    _time_by_folder(terminalreporter)
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "figures" and (report.nodeid, value) not in seen:
                    seen.add((report.nodeid, value))
                    lines.append(f"{report.nodeid}\n{value}")
    if lines:
        terminalreporter.section("figures")
        for text in lines:
            terminalreporter.write_line(text)
