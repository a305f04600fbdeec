"""The scheduling maths: next run from a rule, in Asia/Shanghai, never in the past."""

from __future__ import annotations

import ast
import calendar
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.supervision import schedule_calc
from kaohe.supervision.schedule_calc import (
    FREQUENCIES,
    MONTHS,
    Rule,
    covered_day,
    next_run,
    rule_problems,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC

rules = st.builds(
    Rule,
    frequency=st.sampled_from(FREQUENCIES),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    weekday=st.integers(0, 6),
    day=st.integers(1, 31),
)
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 12, 31), timezones=st.just(UTC)
)


def _at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


@given(rules, instants)
def test_the_next_run_is_never_in_the_past(rule: Rule, after: dt.datetime) -> None:
    assert next_run(rule, after) > after


@given(rules, instants)
def test_the_next_run_falls_on_the_rule(rule: Rule, after: dt.datetime) -> None:
    local = next_run(rule, after).astimezone(SHANGHAI)
    assert (local.hour, local.minute, local.second) == (rule.hour, rule.minute, 0)
    if rule.frequency == "weekly":
        assert local.weekday() == rule.weekday
    if rule.frequency in MONTHS:
        assert local.month in MONTHS[rule.frequency]
        length = calendar.monthrange(local.year, local.month)[1]
        assert local.day == min(rule.day, length)  # day 31 runs on a short month's last day


@given(rules, instants, st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=800)))
def test_a_later_moment_never_gives_an_earlier_run(
    rule: Rule, after: dt.datetime, gap: dt.timedelta
) -> None:
    assert next_run(rule, after + gap) >= next_run(rule, after)


@given(rules, instants)
def test_no_run_is_skipped_between_a_moment_and_its_next_run(
    rule: Rule, after: dt.datetime
) -> None:
    """Asking again from just before the next run finds the same run: nothing lies between."""
    first = next_run(rule, after)
    assert next_run(rule, first - dt.timedelta(microseconds=1)) == first
    assert next_run(rule, first) > first


@given(rules, instants)
def test_runs_come_as_often_as_the_frequency_says(rule: Rule, after: dt.datetime) -> None:
    first = next_run(rule, after)
    gap = next_run(rule, first) - first
    bounds = {
        "daily": (dt.timedelta(days=1), dt.timedelta(days=1)),
        "weekly": (dt.timedelta(days=7), dt.timedelta(days=7)),
        "monthly": (dt.timedelta(days=28), dt.timedelta(days=31)),
        "quarterly": (dt.timedelta(days=89), dt.timedelta(days=92)),
        "half_yearly": (dt.timedelta(days=181), dt.timedelta(days=184)),
    }[rule.frequency]
    assert bounds[0] <= gap <= bounds[1]


def test_the_defaults_run_as_the_cadence_always_has() -> None:
    thursday_noon = _at(2026, 12, 3, 12)
    assert next_run(Rule("daily", 2, 0), thursday_noon) == _at(2026, 12, 4, 2)
    assert next_run(Rule("weekly", 8, 0, weekday=0), thursday_noon) == _at(2026, 12, 7, 8)
    assert next_run(Rule("monthly", 3, 0, day=1), thursday_noon) == _at(2027, 1, 1, 3)
    assert next_run(Rule("quarterly", 4, 0, day=1), thursday_noon) == _at(2027, 1, 1, 4)
    assert next_run(Rule("half_yearly", 5, 0, day=1), _at(2027, 1, 1, 6)) == _at(2027, 7, 1, 5)


def test_a_run_due_at_this_very_minute_is_the_next_one_after_it() -> None:
    assert next_run(Rule("daily", 2, 0), _at(2026, 6, 1, 1, 59)) == _at(2026, 6, 1, 2)
    assert next_run(Rule("daily", 2, 0), _at(2026, 6, 1, 2)) == _at(2026, 6, 2, 2)


def test_the_31st_runs_on_the_last_day_of_shorter_months() -> None:
    rule = Rule("monthly", 9, 0, day=31)
    assert next_run(rule, _at(2027, 2, 1)) == _at(2027, 2, 28, 9)
    assert next_run(rule, _at(2028, 2, 1)) == _at(2028, 2, 29, 9)
    assert next_run(rule, _at(2027, 4, 1)) == _at(2027, 4, 30, 9)


def test_the_time_is_shanghai_wall_time_whatever_the_zone_of_the_question() -> None:
    just_before = dt.datetime(2026, 6, 30, 17, 59, tzinfo=UTC)  # 01:59 on 1 July in Shanghai
    assert next_run(Rule("daily", 2, 0), just_before) == _at(2026, 7, 1, 2)


def test_bad_rules_are_named() -> None:
    assert rule_problems(Rule("hourly", 24, 60, weekday=7, day=0)) == [
        "frequency must be one of daily, weekly, monthly, quarterly, half_yearly",
        "time must be between 00:00 and 23:59",
        "weekday must be 0 (Monday) to 6 (Sunday)",
        "day of the month must be 1 to 31",
    ]
    with pytest.raises(ValueError, match="day of the month"):
        next_run(Rule("monthly", day=32), _at(2026, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        next_run(Rule("daily"), dt.datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("job", "run_day", "covered"),
    [
        ("nightly", dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
        ("weekly", dt.date(2026, 4, 6), dt.date(2026, 4, 6)),
        ("monthly", dt.date(2026, 4, 1), dt.date(2026, 3, 31)),
        ("monthly", dt.date(2026, 3, 15), dt.date(2026, 2, 28)),
        ("quarterly", dt.date(2026, 4, 1), dt.date(2026, 3, 31)),
        ("quarterly", dt.date(2026, 6, 30), dt.date(2026, 3, 31)),
        ("half", dt.date(2026, 7, 1), dt.date(2026, 6, 30)),
        ("half", dt.date(2026, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_a_period_job_covers_the_last_period_that_has_ended(
    job: str, run_day: dt.date, covered: dt.date
) -> None:
    assert covered_day(job, run_day) == covered


def test_the_maths_imports_no_django() -> None:
    tree = ast.parse(Path(schedule_calc.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    stdlib = {"__future__", "calendar", "datetime", "collections", "dataclasses", "zoneinfo"}
    assert imported <= stdlib
