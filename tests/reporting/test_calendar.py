"""The reporting calendar: ISO weeks for the weekly push, months, quarters, halves, the year."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kaohe.reporting.calendar import iso_weeks, periods_of_year
from kaohe.reporting.selectors import due_list
from kaohe.schemes.models import Indicator
from tests.factories import World


def test_iso_weeks_run_monday_to_sunday_and_belong_to_the_year_of_their_thursday() -> None:
    weeks = iso_weeks(2026)
    assert len(weeks) == 53  # 1 January 2026 is a Thursday
    assert weeks[0] == (1, dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert weeks[-1][2] == dt.date(2027, 1, 3)
    assert all(m.weekday() == 0 and s - m == dt.timedelta(days=6) for _n, m, s in weeks)
    assert len(iso_weeks(2027)) == 52


def test_a_year_has_weeks_months_quarters_halves_and_itself(world: World) -> None:
    kinds: dict[str, int] = {}
    for p in periods_of_year(scheme=world.scheme):
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
        assert p.start <= p.end < p.due < p.review_due  # type: ignore[operator]
    assert kinds == {
        "week": len(iso_weeks(world.scheme.year)),
        "month": 12,
        "quarter": 4,
        "half": 2,
        "year": 1,
    }


def test_a_weekly_indicator_is_due_in_the_current_iso_week(world: World) -> None:
    Indicator.objects.filter(pk=world.leaf.pk).update(frequency="weekly")
    today = timezone.localdate()
    (item,) = due_list(user=world.user("unit"), today=today)
    assert item.period.kind == "week"
    if today.isocalendar()[0] == world.scheme.year:
        assert item.period.start <= today <= item.period.end
