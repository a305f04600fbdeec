"""When a cadence job runs next: pure date arithmetic over a rule, without Django.

A rule says how often (daily, weekly, monthly, quarterly, half-yearly), at what time of day,
and on which weekday (weekly) or day of the month (monthly: every month; quarterly: the first
month of each quarter, January, April, July and October; half-yearly: January and July). A day
of the month past the month's length runs on its last day (31 -> 30 April, 28 or 29 February),
so "the 31st" means "the last day" and no month is skipped.

Times are wall-clock times in the county's zone (Asia/Shanghai by default); instants going in
and out are aware datetimes. `next_run(rule, after)` is the first run strictly after `after`,
so a scheduler that was stopped for a week runs a missed job once on restart and then goes on
from now, never into the past.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
FREQUENCIES = (DAILY, WEEKLY, MONTHLY, QUARTERLY, HALF_YEARLY)
# The months a rule of each frequency runs in.
MONTHS = {
    MONTHLY: tuple(range(1, 13)),
    QUARTERLY: (1, 4, 7, 10),
    HALF_YEARLY: (1, 7),
}
DEFAULT_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Rule:
    """How often a job runs; `weekday` (0 = Monday) counts for weekly rules only and `day`
    (1-31, clamped to the month's length) for monthly, quarterly and half-yearly ones."""

    frequency: str
    hour: int = 2
    minute: int = 0
    weekday: int = 0
    day: int = 1


def rule_problems(rule: Rule) -> list[str]:
    """What is wrong with a rule, in plain English (the caller translates its own messages;
    this list is for the code and tests). Empty when the rule is usable."""
    problems = []
    if rule.frequency not in FREQUENCIES:
        problems.append(f"frequency must be one of {', '.join(FREQUENCIES)}")
    if not 0 <= rule.hour <= 23 or not 0 <= rule.minute <= 59:
        problems.append("time must be between 00:00 and 23:59")
    if not 0 <= rule.weekday <= 6:
        problems.append("weekday must be 0 (Monday) to 6 (Sunday)")
    if not 1 <= rule.day <= 31:
        problems.append("day of the month must be 1 to 31")
    return problems


def clamped_day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of a month, or its last day when the month is shorter."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _dates_from(rule: Rule, start: dt.date) -> Iterator[dt.date]:
    """The dates a rule runs on, ascending, from `start` (inclusive) on."""
    if rule.frequency == DAILY:
        day = start
        while True:
            yield day
            day += dt.timedelta(days=1)
    if rule.frequency == WEEKLY:
        day = start + dt.timedelta(days=(rule.weekday - start.weekday()) % 7)
        while True:
            yield day
            day += dt.timedelta(days=7)
    months = MONTHS[rule.frequency]
    year, month = start.year, start.month
    while True:
        if month in months:
            day = clamped_day(year, month, rule.day)
            if day >= start:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def next_run(rule: Rule, after: dt.datetime, zone: str = DEFAULT_ZONE) -> dt.datetime:
    """The first time the rule fires strictly after `after` (aware), as an aware datetime in
    the zone. Raises ValueError for a rule with problems or a naive `after`."""
    problems = rule_problems(rule)
    if problems:
        raise ValueError("; ".join(problems))
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("after must be an aware datetime")
    tz = ZoneInfo(zone)
    # A day earlier than the local date, so no zone offset can make us miss a run of that day.
    start = after.astimezone(tz).date() - dt.timedelta(days=1)
    at = dt.time(rule.hour, rule.minute)
    for day in _dates_from(rule, start):
        candidate = dt.datetime.combine(day, at, tzinfo=tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a rule fires at least twice a year")  # pragma: no cover


# -- which period a scheduled run covers --------------------------------------------------------

# The snapshot jobs summarise a period that has ended; the others act on the day they run.
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half": 6}


def covered_day(job: str, run_day: dt.date) -> dt.date:
    """The day a scheduled run of `job` on `run_day` works as of.

    The nightly refresh and the weekly push act on the day itself. The monthly dispatch,
    quarter-end evaluation and semi-annual summary freeze the figures of the last month,
    quarter or half-year that has ended by `run_day`: run on 1 April (or 15 April), the
    quarterly job covers the first quarter as of 31 March.
    """
    months = PERIOD_MONTHS.get(job)
    if months is None:
        return run_day
    first_month = (run_day.month - 1) // months * months + 1
    return dt.date(run_day.year, first_month, 1) - dt.timedelta(days=1)
