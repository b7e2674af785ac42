"""Pure pieces without a runtime: cron/rate expressions, intrinsics, Globals merging and the pollers'
rest between cycles."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

import pytest

from partnerka_local.pollers import IDLE_POLL_MAX, POLL_INTERVAL, Poller
from partnerka_local.resources import ResourceManager
from partnerka_local.schedules import Cron, Rate, ScheduleExpressionError, parse_expression
from partnerka_local.template import Template, merge_globals

UTC = dt.UTC


def test_cron_next_after() -> None:
    cron = Cron.parse("0/15 9-17 ? * MON-FRI *")
    friday = dt.datetime(2025, 1, 3, 17, 50, tzinfo=UTC)
    assert cron.next_after(friday) == dt.datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    assert cron.next_after(dt.datetime(2025, 1, 6, 9, 0, tzinfo=UTC)) == dt.datetime(
        2025, 1, 6, 9, 15, tzinfo=UTC
    )
    nightly = Cron.parse("0 3 * * ? *")
    assert nightly.next_after(dt.datetime(2025, 1, 1, 3, 0, tzinfo=UTC)) == dt.datetime(
        2025, 1, 2, 3, 0, tzinfo=UTC
    )
    monthly = Cron.parse("30 1 1,15 JAN,JUL ? 2026")
    assert monthly.next_after(dt.datetime(2025, 6, 1, tzinfo=UTC)) == dt.datetime(
        2026, 1, 1, 1, 30, tzinfo=UTC
    )
    sunday = Cron.parse("0 0 ? * 1 *")
    assert sunday.next_after(dt.datetime(2025, 1, 1, tzinfo=UTC)).weekday() == 6


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 12 L * ? *)",
        "cron(0 12 ? * 6#3 *)",
        "cron(0 12 15W * ? *)",
        "cron(0 12 * * *)",
        "cron(0 12 * * 1 *)",
    ],
)
def test_cron_rejects_unsupported(expression: str) -> None:
    with pytest.raises(ScheduleExpressionError):
        parse_expression(expression)


def test_rate() -> None:
    assert parse_expression("rate(1 minute)") == Rate(60)
    assert parse_expression("rate(2 hours)") == Rate(7200)
    anchor = dt.datetime(2025, 1, 1, tzinfo=UTC)
    assert Rate(60).next_after(anchor, anchor) == anchor + dt.timedelta(minutes=1)
    with pytest.raises(ScheduleExpressionError):
        parse_expression("rate(0 minutes)")


def test_merge_globals() -> None:
    merged = merge_globals(
        {"Timeout": 10, "Layers": ["g"], "Environment": {"Variables": {"A": "g", "B": "g"}}},
        {"Timeout": 5, "Layers": ["f"], "Environment": {"Variables": {"B": "f"}}},
    )
    assert merged == {"Timeout": 5, "Layers": ["g", "f"], "Environment": {"Variables": {"A": "g", "B": "f"}}}


def test_intrinsics(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Parameters:\n  P: {Type: String, Default: x}\n  N: {Type: Number, Default: 3}\n"
        "Conditions:\n  C: !Or [!Equals [!Ref P, y], !And [!Not [!Equals [!Ref N, 4]], !Equals [a, a]]]\n"
        "Resources:\n  Q: {Type: AWS::SQS::Queue}\n"
    )
    tpl = Template(path, "st", {"P": "z"})
    assert tpl.condition("C") is True
    tpl.refs["Q"] = "url"
    tpl.attrs[("Q", "Arn")] = "arn:q"
    assert tpl.resolve({"Fn::Sub": "${Q}|${Q.Arn}|${P}|${AWS::StackName}|${!x}"}) == "url|arn:q|z|st|${x}"
    assert tpl.resolve({"Fn::Sub": ["${v}-${P}", {"v": {"Ref": "N"}}]}) == "3-z"
    assert tpl.resolve({"Fn::GetAtt": ["Q", "Arn"]}) == "arn:q"
    assert tpl.resolve([{"Ref": "AWS::NoValue"}, {"Fn::If": ["C", "yes", "no"]}]) == ["yes"]
    assert tpl.resolve({"Fn::Select": [0, {"Fn::Split": ["-", "a-b"]}]}) == "a"


def test_the_edge_of_advertisers_domains_is_passive_and_points_at_localhost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Group: {Type: AWS::CloudFront::ConnectionGroup, Properties: {Name: g, Ipv6Enabled: true}}\n"
        "  Tenants: {Type: AWS::CloudFront::Distribution,"
        " Properties: {DistributionConfig: {ConnectionMode: tenant-only, Enabled: true}}}\n"
    )
    tpl = Template(path, "st", {})
    with caplog.at_level(logging.WARNING, logger="partnerka_local.resources"):
        ResourceManager(tpl, "http://127.0.0.1:9").create_all()  # nothing of them is created in moto
    assert not caplog.records
    assert tpl.resolve({"Fn::GetAtt": ["Group", "RoutingEndpoint"]}) == "localhost"
    assert (tpl.resolve({"Ref": "Group"}), tpl.resolve({"Ref": "Tenants"})) == ("group", "tenants")


def test_layers_land_where_sam_build_puts_them(tmp_path: Path) -> None:
    """A layer with a BuildMethod is installed by `sam build` into `python/`, so its ContentUri itself
    is what Lambda's Python sees; a layer without one is unpacked as it stands, so its `python/` is.
    The project's layer laid out the old way (`ContentUri: layers/partnerka/`, the package one level
    down in `python/`) lands at /opt/python/python/partnerka, and the local runtime must fail then too."""
    (tmp_path / "fn").mkdir()
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Built: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: pkg/python/},"
        " Metadata: {BuildMethod: python3.13}}\n"
        "  OldLayout: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: pkg/},"
        " Metadata: {BuildMethod: python3.13}}\n"
        "  AsIs: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: data/}}\n"
        "  F: {Type: AWS::Serverless::Function, Properties: {CodeUri: fn/, Handler: app.handler,"
        " Layers: [!Ref Built, !Ref OldLayout, !Ref AsIs]}}\n"
    )
    tpl = Template(path, "st", {})
    tpl.refs["F"] = "f"
    tpl.attrs[("F", "Arn")] = "arn:f"
    assert tpl.function_spec("F").layer_dirs == [
        (tmp_path / "pkg" / "python").resolve(),
        (tmp_path / "pkg").resolve(),
        (tmp_path / "data" / "python").resolve(),
    ]


def test_an_idle_poller_rests_longer_and_longer_and_a_nudge_or_a_stop_wakes_it() -> None:
    poller = Poller("test", "Function", lambda *_: None, "test-queue")
    delays = []
    for _ in range(6):
        poller.finish_cycle(idle=True)
        delays.append(poller.idle_delay())
    assert delays == [
        POLL_INTERVAL,
        2 * POLL_INTERVAL,
        IDLE_POLL_MAX,
        IDLE_POLL_MAX,
        IDLE_POLL_MAX,
        IDLE_POLL_MAX,
    ]
    for _ in range(5000):  # a source quiet for hours
        poller.finish_cycle(idle=True)
    assert poller.idle_delay() == IDLE_POLL_MAX
    poller.finish_cycle(idle=False)  # something arrived: the next empty cycle starts over
    poller.finish_cycle(idle=True)
    assert poller.idle_delay() == POLL_INTERVAL

    started = time.monotonic()
    threading.Timer(0.05, poller.nudge).start()
    assert poller.rest(30.0)
    assert time.monotonic() - started < 5
    poller.nudge()  # a nudge before the rest is not lost: the rest ends at once
    started = time.monotonic()
    assert poller.rest(30.0)
    assert time.monotonic() - started < 5
    # a retry's back-off is not cut short by a nudge, only by a stop
    poller.nudge()
    started = time.monotonic()
    assert poller.pause(0.2)
    assert time.monotonic() - started >= 0.19
    assert poller.rest(0)  # the nudge waited for the next rest
    threading.Timer(0.05, poller.stop).start()
    assert not poller.rest(30.0)
    assert not poller.pause(30.0)
