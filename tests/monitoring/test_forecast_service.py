"""Forecasts are written with the warnings from earlier years and shown on the cell page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.monitoring.forecast import (
    HistoryRow,
    forecast_backtest_run,
    historical_values_import,
    months_completed,
)
from kaohe.monitoring.models import Forecast, HistoricalValue, HistorySource
from kaohe.monitoring.services import warning_refresh
from kaohe.reporting.models import ProgressReport
from tests.factories import World

TODAY = dt.date(2026, 6, 3)


def _history(world: World, unit, totals=(1200, 1320, 1080), target=1200) -> None:  # type: ignore[no-untyped-def]
    """Earlier years that grew evenly by twelfths: each month end holds j/12 of the total."""
    HistoricalValue.objects.bulk_create(
        HistoricalValue(
            county=world.county,
            unit=unit,
            indicator_code=world.leaf.code,
            year=2023 + n,
            month=m,
            value=Decimal(total * m) / 12,
            target=Decimal(target),
            source=HistorySource.SYNTHETIC,
        )
        for n, total in enumerate(totals)
        for m in range(1, 13)
    )


def _reports(world: World, unit, values: list[int]) -> None:  # type: ignore[no-untyped-def]
    for month, value in zip(world.months, values, strict=False):
        ProgressReport.objects.create(
            county=world.county,
            unit=unit,
            indicator=world.leaf,
            period=month,
            value=Decimal(value),
            status="approved",
        )


@pytest.fixture
def lagging(world: World) -> World:
    """甲镇 has 75 a month to May against 1200 a year, after three evenly-paced years."""
    _history(world, world.town)
    _reports(world, world.town, [75, 150, 225, 300, 375])
    return world


def test_months_completed_counts_a_month_only_on_its_last_day() -> None:
    assert months_completed(dt.date(2026, 5, 31)) == 5
    assert months_completed(dt.date(2026, 6, 3)) == 5
    assert months_completed(dt.date(2026, 1, 15)) == 0


@pytest.mark.django_db
def test_warning_refresh_writes_a_forecast_with_each_warning(lagging: World) -> None:
    world = lagging
    may = world.months[4]
    warnings = warning_refresh(indicator=world.leaf, as_of=may.end)
    forecast = Forecast.objects.get(warning__unit=world.town, warning__as_of=may.end)
    # 375 at the end of May, 5/12 of the year by the profile: 900 of 1200, red from August.
    assert forecast.year_end == pytest.approx(900.0)
    assert forecast.miss_probability == pytest.approx(1.0)
    assert forecast.red_month == 8 and forecast.turns_red
    assert forecast.history_years == 3 and forecast.data_month == 5
    assert forecast.county_id == world.county.pk
    assert "375 / 0.4167 = 900" in forecast.explanation["arithmetic"]
    # 乙镇 reported nothing: a forecast row that says so.
    other = Forecast.objects.get(warning__unit=world.other_town)
    assert other.year_end is None and other.red_month is None
    assert len(warnings) == 2
    assert AuditEvent.objects.filter(action="forecast.refresh").count() == 1


@pytest.mark.django_db
def test_re_running_the_refresh_replaces_the_forecast(lagging: World) -> None:
    world = lagging
    may = world.months[4]
    warning_refresh(indicator=world.leaf, as_of=may.end)
    ProgressReport.objects.filter(unit=world.town, period=may).update(value=Decimal(500))
    warning_refresh(indicator=world.leaf, as_of=may.end)
    forecasts = Forecast.objects.filter(warning__unit=world.town)
    assert forecasts.count() == 1
    assert forecasts.get().year_end == pytest.approx(1200.0)
    assert forecasts.get().miss_probability == 0.0


@pytest.mark.django_db
def test_without_history_the_forecast_uses_the_time_schedule(world: World) -> None:
    _reports(world, world.town, [100, 200, 300, 400, 500])
    warning_refresh(indicator=world.leaf, as_of=world.months[4].end)
    forecast = Forecast.objects.get(warning__unit=world.town)
    assert forecast.history_years == 0
    assert forecast.year_end == pytest.approx(500 * 365 / 151)  # 151 days of 365 by 31 May
    assert "(time schedule)" in forecast.explanation["arithmetic"]


@pytest.mark.django_db
def test_a_rate_indicator_gets_no_forecast(lagging: World) -> None:
    world = lagging
    world.leaf.cumulative = False
    world.leaf.save(update_fields=["cumulative"])
    warning_refresh(indicator=world.leaf, as_of=world.months[4].end)
    assert not Forecast.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh-hans", ["年末预测", "预计八月转红", "未完成目标的概率", "100%", "900"]),
        ("en", ["Year-end forecast", "Expected to turn red in August", "100%", "900"]),
    ],
)
def test_the_cell_page_shows_the_forecast(lagging: World, lang: str, expected: list[str]) -> None:
    world = lagging
    warning_refresh(indicator=world.leaf, as_of=world.months[4].end)
    client = Client()
    client.cookies["django_language"] = lang
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:cell", args=[world.town.pk, world.leaf.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text


@pytest.mark.django_db
def test_the_cell_page_without_a_forecast_shows_no_forecast_card(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    response = client.get(reverse("dashboard:cell", args=[world.town.pk, world.leaf.pk]))
    assert response.status_code == 200
    assert 'data-testid="forecast"' not in response.content.decode()


@pytest.mark.django_db
def test_the_office_imports_history_all_or_nothing(world: World) -> None:
    office = world.user("office")
    rows = [HistoryRow("T01", "A01", 2025, m, m * 100, 1200) for m in range(1, 13)]
    assert historical_values_import(user=office, rows=rows, today=TODAY) == 12
    assert HistoricalValue.objects.filter(unit=world.town, year=2025).count() == 12
    event = AuditEvent.objects.get(action="history.import")
    assert event.actor_id == office.pk
    # A second import replaces; a bad row stops the whole file and names every problem.
    bad = [
        HistoryRow("T01", "A01", 2025, 1, 999),
        HistoryRow("X99", "A01", 2025, 2, 1),
        HistoryRow("T01", "A01", 2025, 13, 1),
        HistoryRow("T01", "A01", 2026, 3, 1),  # this year is not history
        HistoryRow("T01", "A01", 2025, 4, "abc"),
    ]
    with pytest.raises(ValueError) as exc:
        historical_values_import(user=office, rows=bad, today=TODAY)
    message = str(exc.value)
    for part in ("第2行：单位“X99”", "第3行：月份 13", "第4行：年度 2026", "第5行：“abc”不是数字"):
        assert part in message  # in Chinese: the job page shows them as they are
    assert HistoricalValue.objects.get(unit=world.town, year=2025, month=1).value == 100


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["unit", "assessor", "supervisor", "sysadmin"])
def test_only_the_office_imports_history(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        historical_values_import(
            user=world.user(role), rows=[HistoryRow("T01", "A01", 2025, 1, 1)], today=TODAY
        )
    assert not HistoricalValue.objects.exists()


@pytest.mark.django_db
def test_the_backtest_command_runs_on_a_small_world(world: World) -> None:
    _history(world, world.town)
    _history(world, world.other_town, totals=(1000, 1300, 1250))
    rows = forecast_backtest_run(county=world.county, months=(3, 6))
    assert [r.month for r in rows] == [3, 6]
    # Evenly paced years: each held-out year is forecast exactly from the others' profile.
    assert all(r.series == 6 and r.mape == pytest.approx(0.0, abs=1e-9) for r in rows)
    assert rows[0].missed == 2  # 1080 and 1000 fall short of 1200; the rest make it
    out = StringIO()
    call_command("forecast_backtest", "--county", world.county.code, "--months", "3-4", stdout=out)
    text = out.getvalue()
    assert "MAPE" in text and "hit rate" in text
    lines = [line.split() for line in text.splitlines()[2:]]
    assert [line[0] for line in lines] == ["3", "4"]
    assert lines[0][2:4] == ["0.0%", "100.0%"]


@pytest.mark.django_db
def test_the_backtest_command_says_when_there_is_no_history(world: World) -> None:
    with pytest.raises(CommandError, match="fewer than two earlier years"):
        call_command("forecast_backtest", "--county", world.county.code, stdout=StringIO())
