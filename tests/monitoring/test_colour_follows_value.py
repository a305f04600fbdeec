"""Colour and score never disagree: every change of a value in force recomputes its warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kaohe.monitoring.models import Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.monitoring.services import warning_refresh
from kaohe.reporting.bulk import EnteredRow, reports_enter_by_assessor
from kaohe.reporting.models import ProgressReport
from kaohe.reporting.services import (
    report_approve,
    report_confirm,
    report_reopen,
    report_submit,
)
from kaohe.results.selectors import indicator_score
from tests.factories import World

# A 1200 target on the linear schedule: 74.8 % due by 30 September, 83.3 % by 31 October.
SEPT_30 = dt.date(2026, 9, 30)


def _approve(world: World, month: int, value: str) -> ProgressReport:
    report = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[month - 1], value=value,
        note="",
    )  # fmt: skip
    return report_approve(user=world.user("assessor"), report=report, version=report.version)


def _colour(world: World) -> Warning:
    warning = latest_warnings(
        county_id=world.county.pk, unit_ids=[world.town.pk], indicator_ids=[world.leaf.pk]
    ).first()
    assert warning is not None
    return warning


@pytest.fixture
def live(world: World, monkeypatch: Any) -> World:
    """Run every after-commit announcement (the warning refresh) as each write commits, as the
    worker would: the test's transaction never commits, so callbacks run when captured."""

    def on_commit(func: Any, using: Any = None, robust: bool = False) -> None:
        func()

    monkeypatch.setattr("kaohe.reporting.events.transaction.on_commit", on_commit)
    monkeypatch.setattr("kaohe.reporting.bulk.transaction.on_commit", on_commit)
    return world


def test_approving_colours_the_cell_and_scores_it_on_the_same_value(live: World) -> None:
    _approve(live, 9, "1100")  # 91.7 % against 74.8 % due: green
    warning = _colour(live)
    score = indicator_score(unit=live.town, indicator=live.leaf)
    assert (warning.level, warning.value) == (0, Decimal("1100"))
    assert score is not None and score.score == Decimal("9.17")  # 10 × 1100 / 1200


def test_after_a_reopening_the_map_shows_the_colour_of_the_value_still_in_force(
    live: World,
) -> None:
    _approve(live, 9, "500")  # 41.7 % by 30 September: red
    october = _approve(live, 10, "1100")  # 91.7 % by 31 October: green
    # The nightly job has since coloured the cell on a later date, with October's value.
    warning_refresh(indicator=live.leaf, as_of=dt.date(2026, 11, 5), unit_ids=[live.town.pk])
    assert _colour(live).level == 0
    report_reopen(
        user=live.user("office"), report=october, version=october.version, reason="数据有误"
    )
    # September's 500 is in force again: red on every date after it, the score from it too.
    latest = _colour(live)
    assert (latest.as_of, latest.value, latest.level) == (dt.date(2026, 11, 5), Decimal("500"), 3)
    assert (
        Warning.objects.get(unit=live.town, indicator=live.leaf, as_of=october.period.end).level
        == 3
    )
    score = indicator_score(unit=live.town, indicator=live.leaf)
    assert score is not None and score.score == Decimal("4.17")


def test_confirming_keeps_the_colour_and_a_bulk_entry_recolours_it(live: World) -> None:
    report = _approve(live, 9, "500")
    report_confirm(user=live.user("office"), report=report, version=report.version + 0)
    assert _colour(live).level == 3
    reports_enter_by_assessor(
        user=live.user("assessor"),
        rows=[EnteredRow(live.target, live.months[9], "1100", "统计快报")],
    )
    warning = _colour(live)
    assert (warning.as_of, warning.value, warning.level) == (
        live.months[9].end,
        Decimal("1100"),
        0,
    )
    score = indicator_score(unit=live.town, indicator=live.leaf)
    assert score is not None and score.score == Decimal("9.17")


def test_the_score_as_of_a_date_uses_the_value_in_force_then(live: World) -> None:
    _approve(live, 9, "500")
    _approve(live, 10, "1100")
    then = indicator_score(unit=live.town, indicator=live.leaf, as_of=SEPT_30)
    assert then is not None and then.score == Decimal("4.17")
    nothing = indicator_score(unit=live.town, indicator=live.leaf, as_of=dt.date(2026, 8, 31))
    assert nothing is not None and (nothing.gap, nothing.score) == ("no value", Decimal(0))
