"""Settings are read from the environment once, by name, and a function cannot start without one it
needs: the error names the variable (and says what a malformed one should be)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from partnerka.common.config import (
    APP_BASE_URL_HINT,
    ConfigurationError,
    base_url,
    host_names,
    read_settings,
    setting,
)


@dataclass(frozen=True, slots=True)
class Example:
    core_table: str
    click_ttl_days: int
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)
    route_cache_seconds: float = setting(default=30.0)
    postback_allowed_domains: tuple[str, ...] = setting(host_names, default=())


COMPLETE = {
    "CORE_TABLE": "prod-CoreTable",
    "CLICK_TTL_DAYS": "30",
    "APP_BASE_URL": "https://app.example.com/",
}


def test_each_field_is_read_from_the_variable_of_its_name_in_its_type() -> None:
    settings = read_settings(
        Example,
        {
            **COMPLETE,
            "ROUTE_CACHE_SECONDS": "2.5",
            "POSTBACK_ALLOWED_DOMAINS": " Tracker.Example , ,b.example",
        },
    )

    assert settings == Example(
        "prod-CoreTable", 30, "https://app.example.com", 2.5, ("tracker.example", "b.example")
    )


def test_a_tunable_left_out_takes_its_default() -> None:
    settings = read_settings(Example, COMPLETE)

    assert (settings.route_cache_seconds, settings.postback_allowed_domains) == (30.0, ())


@pytest.mark.parametrize("missing", ["CORE_TABLE", "CLICK_TTL_DAYS", "APP_BASE_URL"])
@pytest.mark.parametrize("how", ["left out", "blank"])
def test_a_setting_without_a_default_left_out_or_blank_stops_the_start_naming_it(
    missing: str, how: str
) -> None:
    environ = {k: v for k, v in COMPLETE.items() if k != missing}
    if how == "blank":
        environ[missing] = "  "

    with pytest.raises(ConfigurationError, match=rf"^{missing} is not set"):
        read_settings(Example, environ)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CLICK_TTL_DAYS", "thirty", "a whole number"),
        ("ROUTE_CACHE_SECONDS", "soon", "a number"),
        ("APP_BASE_URL", "app.example.com", "the dashboard's public URL"),
        ("APP_BASE_URL", "ftp://app.example.com", "the dashboard's public URL"),
        ("APP_BASE_URL", "https://app.example.com/?next=x", "the dashboard's public URL"),
    ],
)
def test_a_malformed_setting_stops_the_start_naming_it_and_what_it_should_be(
    name: str, value: str, says: str
) -> None:
    with pytest.raises(ConfigurationError, match=rf"^{name} is '.+': .*{says}"):
        read_settings(Example, {**COMPLETE, name: value})


def test_the_process_environment_is_read_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CORE_TABLE", "from-the-environment")

    assert read_settings(Example).core_table == "from-the-environment"
