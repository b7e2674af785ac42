"""The click log and the conversion log: the raw events behind a report, newest first, with the
report's filters, a page at a time.

Both read lazily: the clicks day by day from the click log (one advertiser-day partition, or one
affiliate's key prefix of it), the conversions from the Conversions table's by_advertiser index
(or one affiliate's by_affiliate index) newest first, so a page costs the days it reaches, not the
whole range, and it answers after SCAN_BUDGET rows at most. Several advertisers (platform staff who
named none) are merged by time. The cursor is the last row's (time, id): stable while new events
arrive.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import ValidationFailed
from partnerka.conversions.models import Conversion
from partnerka.stats.click_log import ClickLogStore, LoggedClick
from partnerka.stats.engine import NO_GROUP, ReportQuery
from partnerka.stats.raw import converted_event, matches
from partnerka.stats.service import StatsRequest

MAX_PAGE = 500
SCAN_BUDGET = 25_000  # rows a page may look at before it answers with what it found
type Scanned[T] = tuple[T, bool]  # a row of the range, and whether it matches the request


@dataclass(frozen=True, slots=True)
class Cursor:
    at: datetime
    id: str

    def encode(self) -> str:
        return f"{iso_millis(self.at)}|{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        if not value:
            return None
        at, _, id_ = value.partition("|")
        try:
            return cls(parse_iso(at), id_)
        except ValueError:
            raise ValidationFailed("malformed cursor") from None


def _window(request: StatsRequest) -> tuple[datetime, datetime]:
    hours = ReportQuery("", request.date_from, request.date_to, request.tz, NO_GROUP).utc_hours()
    return hours[0], hours[-1] + timedelta(hours=1)


def _clicks_of(
    log: ClickLogStore, advertiser_id: str, request: StatsRequest, before: Cursor | None
) -> Iterator[Scanned[LoggedClick]]:
    start, end = _window(request)
    if before is not None:  # a later page starts on the cursor's day
        end = min(end, before.at + timedelta(milliseconds=1))
    filters = dict(request.filters)
    day = (end - timedelta(milliseconds=1)).date()
    while day >= start.date():
        found = [
            click
            for click in log.read(advertiser_id, day.isoformat(), filters.get("affiliate"))
            if start <= click.facts.at < end
        ]
        found.sort(key=_click_key, reverse=True)
        for click in found:
            wanted = matches(click.facts, filters) and request.click_id in (None, click.click_id)
            yield click, wanted
        day -= timedelta(days=1)


def _click_key(click: LoggedClick) -> tuple[datetime, str]:
    return (click.facts.at, click.click_id)


def clicks_newest_first(
    log: ClickLogStore, advertisers: list[str], request: StatsRequest, before: Cursor | None = None
) -> Iterator[Scanned[LoggedClick]]:
    """Every click of the range, newest first, across the advertisers, read as consumed, each with
    whether it matches the request's filters."""
    streams = [_clicks_of(log, advertiser, request, before) for advertiser in advertisers]
    for click, wanted in heapq.merge(*streams, key=lambda pair: _click_key(pair[0]), reverse=True):
        if before is None or _click_key(click) < (before.at, before.id):
            yield click, wanted


def matching[T](rows: Iterator[Scanned[T]]) -> Iterator[T]:
    return (row for row, wanted in rows if wanted)


def _page[T](
    rows: Iterator[Scanned[T]], key: Callable[[T], tuple[datetime, str]], limit: int, budget: int
) -> tuple[list[T], str | None]:
    """Up to `limit` matching rows and the cursor after them. A page stops early, with a cursor where
    it stopped, once it has looked at `budget` rows: a rare filter over a long range answers in time,
    a page at a time, instead of reading the whole range in one request."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit must be 1 to {MAX_PAGE}")
    page: list[T] = []
    for scanned, (row, wanted) in enumerate(rows, start=1):
        if wanted:
            if len(page) == limit:
                return page, Cursor(*key(page[-1])).encode()
            page.append(row)
        if scanned >= budget:
            return page, Cursor(*key(row)).encode()
    return page, None


def click_page(
    log: ClickLogStore,
    advertisers: list[str],
    request: StatsRequest,
    cursor: str | None,
    limit: int,
    budget: int = SCAN_BUDGET,
) -> tuple[list[LoggedClick], str | None]:
    """A page of the clicks that match the request, newest first, and the next page's cursor."""
    rows = clicks_newest_first(log, advertisers, request, Cursor.decode(cursor))
    return _page(rows, _click_key, limit, budget)


ConversionsNewestFirst = Callable[[str, str, str, str | None], Iterator[Conversion]]
"""(advertiser, first ISO instant, last ISO instant, affiliate or None) → its conversions (that
affiliate's only, when named) in between, newest first."""


def _conversion_key(conversion: Conversion) -> tuple[datetime, str]:
    return (conversion.created_at, conversion.conversion_id)


def conversions_newest_first(
    conversions: ConversionsNewestFirst,
    advertisers: list[str],
    request: StatsRequest,
    status: str | None,
    before: Cursor | None = None,
) -> Iterator[Scanned[Conversion]]:
    """Every conversion of the range, newest first, across the advertisers, each with whether it
    matches the request (and status)."""
    start, end = _window(request)
    last = end - timedelta(milliseconds=1)
    if before is not None:
        last = min(last, before.at)
    filters = dict(request.filters)

    def wanted(conversion: Conversion) -> bool:
        return (
            (status is None or conversion.status.value == status)
            and request.click_id in (None, conversion.click_id)
            and matches(converted_event(conversion).facts, filters)
        )

    def stream(advertiser: str) -> Iterator[Scanned[Conversion]]:
        found = conversions(advertiser, iso_millis(start), iso_millis(last), filters.get("affiliate"))
        # The index orders by time only: conversions of the same millisecond are put in id order.
        for _, same_time in itertools.groupby(found, key=lambda conversion: conversion.created_at):
            for conversion in sorted(same_time, key=_conversion_key, reverse=True):
                yield conversion, wanted(conversion)

    streams = [stream(advertiser) for advertiser in advertisers]
    for conversion, ok in heapq.merge(*streams, key=lambda pair: _conversion_key(pair[0]), reverse=True):
        if before is None or _conversion_key(conversion) < (before.at, before.id):
            yield conversion, ok


def conversion_page(
    conversions: ConversionsNewestFirst,
    advertisers: list[str],
    request: StatsRequest,
    status: str | None,
    cursor: str | None,
    limit: int,
    budget: int = SCAN_BUDGET,
) -> tuple[list[Conversion], str | None]:
    """A page of the conversions that match the request (and status), newest first."""
    rows = conversions_newest_first(conversions, advertisers, request, status, Cursor.decode(cursor))
    return _page(rows, _conversion_key, limit, budget)
