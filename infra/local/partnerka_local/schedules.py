"""Schedule and ScheduleV2 events: rate()/cron() expressions and the scheduler thread that fires them."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .template import ACCOUNT_ID, PARTITION, REGION
from .workers import InvocationError

log = logging.getLogger(__name__)

Invoker = Callable[[str, Any], Any]

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    )
}
_DAYS = {d: i + 1 for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}


class ScheduleExpressionError(ValueError):
    """A schedule expression that is invalid or uses a feature the local scheduler does not implement."""


def _parse_field(text: str, low: int, high: int, names: dict[str, int], label: str) -> set[int] | None:
    """The set of allowed values, or None for '?' (no constraint from this field)."""
    if text == "?":
        return None
    values: set[int] = set()

    def number(token: str) -> int:
        token = token.upper()
        if token in names:
            return names[token]
        if not token.isdigit():
            raise ScheduleExpressionError(
                f"cron {label}: {token!r} is not a value (L, W and # are not supported)"
            )
        value = int(token)
        if not low <= value <= high:
            raise ScheduleExpressionError(f"cron {label}: {value} outside {low}-{high}")
        return value

    for item in text.split(","):
        spec, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ScheduleExpressionError(f"cron {label}: bad step in {item!r}")
        if spec == "*":
            start, end = low, high
        elif "-" in spec:
            a, b = spec.split("-", 1)
            start, end = number(a), number(b)
        else:
            start = number(spec)
            end = high if step_text else start
        if start <= end:
            values.update(range(start, end + 1, step))
        else:
            # Wrapping ranges such as FRI-MON or NOV-FEB.
            span = list(range(start, high + 1)) + list(range(low, end + 1))
            values.update(span[::step])
    return values


@dataclass(frozen=True)
class Cron:
    """AWS's six-field cron: minutes hours day-of-month month day-of-week year, evaluated in UTC."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int] | None
    months: frozenset[int]
    days_of_week: frozenset[int] | None
    years: frozenset[int]

    @classmethod
    def parse(cls, body: str) -> Cron:
        fields = body.split()
        if len(fields) != 6:
            raise ScheduleExpressionError(f"cron({body}): expected 6 fields, got {len(fields)}")
        minutes = _parse_field(fields[0], 0, 59, {}, "minutes")
        hours = _parse_field(fields[1], 0, 23, {}, "hours")
        dom = _parse_field(fields[2], 1, 31, {}, "day-of-month")
        months = _parse_field(fields[3], 1, 12, _MONTHS, "month")
        dow = _parse_field(fields[4], 1, 7, _DAYS, "day-of-week")
        years = _parse_field(fields[5], 1970, 2199, {}, "year")
        if (dom is None) == (dow is None):
            raise ScheduleExpressionError(
                f"cron({body}): exactly one of day-of-month and day-of-week must be '?'"
            )
        if minutes is None or hours is None or months is None or years is None:
            raise ScheduleExpressionError(f"cron({body}): '?' is only allowed in the day fields")
        return cls(
            frozenset(minutes),
            frozenset(hours),
            frozenset(dom) if dom is not None else None,
            frozenset(months),
            frozenset(dow) if dow is not None else None,
            frozenset(years),
        )

    def _day_matches(self, day: dt.date) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.days_of_month is not None:
            return day.day in self.days_of_month
        assert self.days_of_week is not None
        return (day.weekday() + 1) % 7 + 1 in self.days_of_week

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        """The first matching minute strictly after moment."""
        start = moment.astimezone(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        day = start.date()
        for _ in range(366 * 30):
            if self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)
                        if candidate >= start:
                            return candidate
            day += dt.timedelta(days=1)
        raise ScheduleExpressionError("cron expression never fires in the next 30 years")


@dataclass(frozen=True)
class Rate:
    """rate(N unit): every N units from the moment the schedule was created."""

    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text.strip())
        if match is None:
            raise ScheduleExpressionError(f"invalid rate expression {text!r}")
        value, unit = int(match.group(1)), match.group(2).rstrip("s")
        if value < 1:
            raise ScheduleExpressionError(f"{text!r}: the rate must be positive")
        return cls(value * _UNIT_SECONDS[unit])

    def next_after(self, moment: dt.datetime, anchor: dt.datetime) -> dt.datetime:
        periods = int((moment - anchor).total_seconds() // self.seconds) + 1
        return anchor + dt.timedelta(seconds=periods * self.seconds)


def parse_expression(text: str) -> Rate | Cron:
    text = text.strip()
    cron = _CRON.match(text)
    if cron:
        return Cron.parse(cron.group(1))
    if text.startswith("rate("):
        return Rate.parse(text)
    raise ScheduleExpressionError(f"unsupported schedule expression {text!r} (use rate() or cron())")


@dataclass
class ScheduleEvent:
    """A Schedule/ScheduleV2 event of one function, with its parsed expression and optional Input."""

    function: str
    event_name: str
    kind: str
    expression: Rate | Cron
    input: str | None
    enabled: bool
    resource_arn: str

    @classmethod
    def from_template(
        cls, function: str, stack_name: str, event_name: str, event: dict[str, Any]
    ) -> ScheduleEvent:
        kind = str(event["Type"])
        props: dict[str, Any] = event.get("Properties") or {}
        if kind == "Schedule":
            text = str(props["Schedule"])
            enabled = bool(props.get("Enabled", True)) and str(props.get("State", "ENABLED")) == "ENABLED"
            name = str(props.get("Name") or f"{stack_name}-{function}{event_name}")
            arn = f"arn:{PARTITION}:events:{REGION}:{ACCOUNT_ID}:rule/{name}"
        else:
            text = str(props["ScheduleExpression"])
            enabled = str(props.get("State", "ENABLED")) == "ENABLED"
            name = str(props.get("Name") or f"{stack_name}-{function}{event_name}")
            arn = f"arn:{PARTITION}:scheduler:{REGION}:{ACCOUNT_ID}:schedule/default/{name}"
        raw_input = props.get("Input")
        text_input = (
            None if raw_input is None else raw_input if isinstance(raw_input, str) else json.dumps(raw_input)
        )
        return cls(function, event_name, kind, parse_expression(text), text_input, enabled, arn)

    def payload(self, moment: dt.datetime) -> Any:
        if self.input is not None:
            return json.loads(self.input)
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": ACCOUNT_ID,
            "time": moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": REGION,
            "resources": [self.resource_arn],
            "detail": {},
        }


class Scheduler(threading.Thread):
    """Fires enabled schedules on a clock that may run faster than real time (time_scale < 1)."""

    def __init__(self, schedules: list[ScheduleEvent], invoke: Invoker, time_scale: float = 1.0):
        super().__init__(name="scheduler", daemon=True)
        self.schedules = [s for s in schedules if s.enabled]
        self.invoke = invoke
        self.time_scale = time_scale
        self.stop_event = threading.Event()
        self._real_start = time.time()
        self._virtual_start = dt.datetime.now(dt.UTC)
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="schedule")
        self.fired: dict[tuple[str, str], int] = {}

    def now(self) -> dt.datetime:
        elapsed = (time.time() - self._real_start) / self.time_scale
        return self._virtual_start + dt.timedelta(seconds=elapsed)

    def _next(self, schedule: ScheduleEvent, after: dt.datetime) -> dt.datetime:
        if isinstance(schedule.expression, Rate):
            return schedule.expression.next_after(after, self._virtual_start)
        return schedule.expression.next_after(after)

    def run(self) -> None:
        due = {id(s): self._next(s, self.now()) for s in self.schedules}
        while self.schedules and not self.stop_event.is_set():
            schedule = min(self.schedules, key=lambda s: due[id(s)])
            wait = (due[id(schedule)] - self.now()).total_seconds() * self.time_scale
            if wait > 0:
                self.stop_event.wait(min(wait, 1.0))
                continue
            moment = due[id(schedule)]
            due[id(schedule)] = self._next(schedule, moment)
            self._executor.submit(self._fire, schedule, moment)

    def _fire(self, schedule: ScheduleEvent, moment: dt.datetime) -> None:
        key = (schedule.function, schedule.event_name)
        self.fired[key] = self.fired.get(key, 0) + 1
        try:
            self.invoke(schedule.function, schedule.payload(moment))
        except InvocationError as exc:
            log.warning("schedule %s/%s failed: %s", schedule.function, schedule.event_name, exc)

    def stop(self) -> None:
        """Stop firing; invocations already running finish (or fail once workers are stopped)."""
        self.stop_event.set()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Wait for the invocation threads, after the workers have been stopped."""
        self._executor.shutdown(wait=True)
