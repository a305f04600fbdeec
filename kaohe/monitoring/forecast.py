"""Predictive warning: year-end forecasts beside the warnings, from this year's approved values
and the unit's earlier years (monitoring.HistoricalValue). The maths is kaohe.scoring.forecast;
the method and its back-test are in docs/forecast.md."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.utils import timezone

from kaohe.audit.services import audit_record
from kaohe.monitoring.models import Forecast, HistoricalValue, HistorySource, Warning
from kaohe.monitoring.services import thresholds_of
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import County, Unit, User
from kaohe.reporting.models import ProgressReport, Target
from kaohe.reporting.selectors import IN_FORCE
from kaohe.schemes.models import Indicator, Scheme
from kaohe.scoring.forecast import (
    TREND_WEIGHT,
    BacktestMonth,
    SeasonalProfile,
    backtest,
    forecast_year_end,
    month_end_shares_linear,
    month_end_shares_monthly,
    seasonal_profile,
)


def months_completed(as_of: date) -> int:
    """Whole months of the year ended by as_of (a month's last day completes it)."""
    last = calendar.monthrange(as_of.year, as_of.month)[1]
    return as_of.month if as_of.day == last else as_of.month - 1


def _schedules(indicator: Indicator, year: int, unit_ids: Sequence[int]) -> npt.NDArray[np.float64]:
    """Each unit's time schedule at the month ends: its monthly shares, else linear."""
    linear = month_end_shares_linear(year)
    shares = dict(
        Target.objects.filter(indicator=indicator, unit_id__in=unit_ids, schedule="monthly")
        .exclude(monthly_shares=[])
        .values_list("unit_id", "monthly_shares")
    )
    return np.array(
        [month_end_shares_monthly(shares[u]) if u in shares else linear for u in unit_ids]
    )


def _history(county_id: int, code: str, year: int, unit_ids: Sequence[int]) -> SeasonalProfile:
    """The seasonal profile of each unit from its earlier years' values of the indicator code."""
    rows = list(
        HistoricalValue.objects.filter(
            county_id=county_id, indicator_code=code, unit_id__in=unit_ids, year__lt=year
        ).values_list("unit_id", "year", "month", "value")
    )
    years = sorted({y for _u, y, _m, _v in rows})
    cube = np.full((len(unit_ids), max(len(years), 1), 12), np.nan)
    row_of = {u: i for i, u in enumerate(unit_ids)}
    col_of = {y: i for i, y in enumerate(years)}
    for unit_id, y, month, value in rows:
        cube[row_of[unit_id], col_of[y], month - 1] = float(value)
    return seasonal_profile(cube)


def forecasts_compute(
    *, indicator: Indicator, scheme: Scheme, as_of: date, warnings: Sequence[Warning]
) -> list[Forecast]:
    """Unsaved forecasts of one indicator on one date, one per given (saved) warning.

    Only a cumulative indicator has a year-end value to forecast (a rate or level has none), and
    only once a month of the year has ended; otherwise the list is empty. Three queries whatever
    the number of units: this year's approved values, earlier years' values, the schedules.
    """
    month = months_completed(as_of)
    if not indicator.cumulative or month < 1 or not warnings:
        return []
    unit_ids = [w.unit_id for w in warnings]
    row_of = {u: i for i, u in enumerate(unit_ids)}
    trajectory = np.full((len(unit_ids), 12), np.nan)
    for unit_id, end, value in (
        ProgressReport.objects.filter(
            indicator=indicator,
            unit_id__in=unit_ids,
            status__in=list(IN_FORCE),
            period__end__lte=as_of,
            period__end__year=scheme.year,
            value__isnull=False,
        )
        .order_by("period__end")
        .values_list("unit_id", "period__end", "value")
    ):
        if value is not None and end.day == calendar.monthrange(end.year, end.month)[1]:
            trajectory[row_of[unit_id], end.month - 1] = float(value)
    profile = _history(indicator.county_id, indicator.code, scheme.year, unit_ids)
    batch = forecast_year_end(
        trajectory,
        month,
        np.array([float(w.target) for w in warnings]),
        _schedules(indicator, scheme.year, unit_ids),
        profile=profile,
        higher_is_better=indicator.higher_is_better,
        thresholds=thresholds_of(scheme),
    )
    out = []
    for i, warning in enumerate(warnings):
        year_end = float(batch.year_end[i])
        ok = np.isfinite(year_end)
        out.append(
            Forecast(
                county_id=warning.county_id,
                warning=warning,
                year_end=year_end if ok else None,
                sigma=float(batch.sigma[i]) if ok else None,
                miss_probability=(
                    float(batch.miss_probability[i])
                    if np.isfinite(batch.miss_probability[i])
                    else None
                ),
                red_month=int(batch.red_month[i]) if batch.red_month[i] >= 0 else None,
                data_month=int(batch.data_month[i]),
                history_years=int(profile.years[i]) if batch.from_history[i] else 0,
                explanation=batch.explanations[i].as_dict(),
            )
        )
    return out


_FIELDS = (
    "county_id",
    "year_end",
    "sigma",
    "miss_probability",
    "red_month",
    "data_month",
    "history_years",
    "explanation",
)


@transaction.atomic
def forecast_refresh(
    *, indicator: Indicator, as_of: date, warnings: Sequence[Warning], actor: object = None
) -> list[Forecast]:
    """Recompute and keep the forecasts of an indicator's warnings on a date (idempotent: a
    warning keeps one forecast, replaced on re-run). Called by warning_refresh."""
    scheme = indicator.scheme
    computed = forecasts_compute(indicator=indicator, scheme=scheme, as_of=as_of, warnings=warnings)
    saved = []
    for forecast in computed:
        kept, _created = Forecast.objects.update_or_create(
            warning=forecast.warning, defaults={f: getattr(forecast, f) for f in _FIELDS}
        )
        saved.append(kept)
    if saved:
        audit_record(
            actor=actor or "system",
            action="forecast.refresh",
            county_code=scheme.county.code,
            object_type="indicator",
            object_id=indicator.pk,
            after={
                "as_of": as_of,
                "miss": {f.warning.unit_id: f.miss_probability for f in saved},
                "red_month": {f.warning.unit_id: f.red_month for f in saved},
            },
        )
    return saved


@dataclass(frozen=True)
class HistoryRow:
    """One earlier-year value to import: unit code, indicator code, year, month, cumulative value
    at that month end, and that year's target when known."""

    unit_code: str
    indicator_code: str
    year: int
    month: int
    value: str | Decimal | float
    target: str | Decimal | float | None = None


def _decimal(raw: object) -> Decimal:
    try:
        number = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {raw!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {raw!r}")
    return number


@transaction.atomic
def historical_values_import(
    *, user: User, rows: Iterable[HistoryRow], today: date | None = None
) -> int:
    """Import earlier years' monthly values into the user's county, all or nothing.

    Every row is checked first (a unit of the county, month 1-12, a year before today's, numbers);
    a ValueError lists every bad row and nothing is written. A row for a unit, code, year and month
    already held replaces it. Returns the number of rows written.
    """
    require(user, Permission.SCHEME_MANAGE)
    county_id = county_id_of(user)
    units = dict(Unit.objects.filter(county_id=county_id).values_list("code", "pk"))
    latest_year = (today or timezone.localdate()).year - 1
    errors: list[str] = []
    clean: list[tuple[int, str, int, int, Decimal, Decimal | None]] = []
    for n, row in enumerate(rows, start=1):
        try:
            if row.unit_code not in units:
                raise ValueError(f"unknown unit {row.unit_code!r}")
            if not row.indicator_code:
                raise ValueError("an indicator code is required")
            if not 1 <= int(row.month) <= 12:
                raise ValueError(f"month {row.month} is not 1-12")
            if not 1990 <= int(row.year) <= latest_year:
                raise ValueError(f"year {row.year} is out of range")
            target = None if row.target in (None, "") else _decimal(row.target)
            clean.append(
                (
                    units[row.unit_code],
                    row.indicator_code,
                    int(row.year),
                    int(row.month),
                    _decimal(row.value),
                    target,
                )
            )
        except ValueError as exc:
            errors.append(f"row {n}: {exc}")
    if errors:
        raise ValueError("; ".join(errors))
    for unit_id, code, year, month, value, target in clean:
        HistoricalValue.objects.update_or_create(
            unit_id=unit_id,
            indicator_code=code,
            year=year,
            month=month,
            defaults={
                "county_id": county_id,
                "value": value,
                "target": target,
                "source": HistorySource.IMPORTED,
            },
        )
    audit_record(
        actor=user,
        action="history.import",
        county_code=County.objects.get(pk=county_id).code,
        object_type="county",
        object_id=county_id,
        after={"rows": len(clean), "years": sorted({c[2] for c in clean})},
    )
    return len(clean)


def forecast_backtest_run(
    *,
    county: County,
    months: Sequence[int] = tuple(range(3, 11)),
    trend_weight: float = TREND_WEIGHT,
    use_history: bool = True,
) -> list[BacktestMonth]:
    """Back-test the forecast on a county's history: each earlier year held out in turn
    (kaohe.scoring.forecast.backtest). Directions come from the county's latest scheme by code
    (higher is better where the code is unknown). A read, not a write: no audit event."""
    rows = list(
        HistoricalValue.objects.filter(county=county).values_list(
            "unit_id", "indicator_code", "year", "month", "value", "target"
        )
    )
    series = sorted({(u, c) for u, c, *_rest in rows})
    years = sorted({y for _u, _c, y, *_rest in rows})
    if not series or len(years) < 2:
        return []
    s_of = {s: i for i, s in enumerate(series)}
    y_of = {y: i for i, y in enumerate(years)}
    cube = np.full((len(series), len(years), 12), np.nan)
    goals = np.full((len(series), len(years)), np.nan)
    for unit_id, code, year, month, value, target in rows:
        i, j = s_of[(unit_id, code)], y_of[year]
        cube[i, j, month - 1] = float(value)
        if target is not None:
            goals[i, j] = float(target)
    scheme = Scheme.objects.filter(county=county).order_by("-year").first()
    direction = (
        dict(Indicator.objects.filter(scheme=scheme).values_list("code", "higher_is_better"))
        if scheme
        else {}
    )
    higher = np.array([direction.get(code, True) for _u, code in series])
    return backtest(
        cube,
        goals,
        higher_is_better=higher,
        months=months,
        trend_weight=trend_weight,
        use_history=use_history,
    )
