"""The click log and the conversion log: the raw events behind a report, newest first, with the
report's filters, a page at a time.

Both read lazily: the clicks day by day from the click log (one advertiser-day partition, or one
affiliate's key prefix of it), the conversions from the Conversions table's by_advertiser index
newest first, so a page costs the days it reaches, not the whole range. Several advertisers (platform
staff who named none) are merged by time. The cursor is the last row's (time, id): stable while new
events arrive.
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
) -> Iterator[LoggedClick]:
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
            and matches(click.facts, filters)
            and (request.click_id is None or click.click_id == request.click_id)
        ]
        found.sort(key=_click_key, reverse=True)
        yield from found
        day -= timedelta(days=1)


def _click_key(click: LoggedClick) -> tuple[datetime, str]:
    return (click.facts.at, click.click_id)


def clicks_newest_first(
    log: ClickLogStore, advertisers: list[str], request: StatsRequest, before: Cursor | None = None
) -> Iterator[LoggedClick]:
    """Every click that matches the request, newest first, across the advertisers, read as consumed."""
    streams = [_clicks_of(log, advertiser, request, before) for advertiser in advertisers]
    for click in heapq.merge(*streams, key=_click_key, reverse=True):
        if before is None or _click_key(click) < (before.at, before.id):
            yield click


def _page[T](
    rows: Iterator[T], key: Callable[[T], tuple[datetime, str]], limit: int
) -> tuple[list[T], str | None]:
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit must be 1 to {MAX_PAGE}")
    page: list[T] = []
    for row in rows:
        if len(page) == limit:
            at, id_ = key(page[-1])
            return page, Cursor(at, id_).encode()
        page.append(row)
    return page, None


def click_page(
    log: ClickLogStore, advertisers: list[str], request: StatsRequest, cursor: str | None, limit: int
) -> tuple[list[LoggedClick], str | None]:
    """A page of the clicks that match the request, newest first, and the next page's cursor."""
    rows = clicks_newest_first(log, advertisers, request, Cursor.decode(cursor))
    return _page(rows, _click_key, limit)


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
) -> Iterator[Conversion]:
    """Every conversion that matches the request (and status), newest first, across the advertisers."""
    start, end = _window(request)
    last = end - timedelta(milliseconds=1)
    if before is not None:
        last = min(last, before.at)
    filters = dict(request.filters)

    def wanted(conversion: Conversion) -> bool:
        return (
            (status is None or conversion.status.value == status)
            and (request.click_id is None or conversion.click_id == request.click_id)
            and matches(converted_event(conversion).facts, filters)
        )

    def stream(advertiser: str) -> Iterator[Conversion]:
        found = conversions(advertiser, iso_millis(start), iso_millis(last), filters.get("affiliate"))
        # The index orders by time only: conversions of the same millisecond are put in id order.
        for _, same_time in itertools.groupby(found, key=lambda conversion: conversion.created_at):
            yield from sorted((c for c in same_time if wanted(c)), key=_conversion_key, reverse=True)

    merged = heapq.merge(*(stream(a) for a in advertisers), key=_conversion_key, reverse=True)
    for conversion in merged:
        if before is None or _conversion_key(conversion) < (before.at, before.id):
            yield conversion


def conversion_page(
    conversions: ConversionsNewestFirst,
    advertisers: list[str],
    request: StatsRequest,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Conversion], str | None]:
    """A page of the conversions that match the request (and status), newest first."""
    rows = conversions_newest_first(conversions, advertisers, request, status, Cursor.decode(cursor))
    return _page(rows, _conversion_key, limit)
