"""Predictive warning: year-end forecasts beside the warnings, from this year's approved values
and the unit's earlier years (monitoring.HistoricalValue). The maths is kaohe.scoring.forecast;
the method and its back-test are in docs/forecast.md."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.monitoring.models import Forecast, HistoricalValue, HistorySource, Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.monitoring.services import thresholds_of
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import County, Unit, User
from kaohe.reporting.models import ProgressReport, Target
from kaohe.reporting.selectors import IN_FORCE
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.selectors import scheme_in_force
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


#: The model's columns hold 16 digits with 4 decimals: anything of 10^12 or more does not fit.
HISTORY_LIMIT = Decimal(10) ** 12
FOUR_PLACES = Decimal("0.0001")


def _decimal(raw: object) -> Decimal:
    try:
        number = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ValueError(_("'%(value)s' is not a number.") % {"value": raw}) from exc
    if not number.is_finite():
        raise ValueError(_("'%(value)s' is not a finite number.") % {"value": raw})
    if abs(number) >= HISTORY_LIMIT:
        raise ValueError(_("%(value)s is too large.") % {"value": raw})
    return number.quantize(FOUR_PLACES)


def history_scheme(county_id: int) -> Scheme | None:
    """The scheme earlier years are measured against: the one in force."""
    return scheme_in_force(county_id=county_id)


def history_latest_year(county_id: int, today: date | None = None) -> int:
    """The last year that counts as history: ended by today and earlier than the scheme's year."""
    latest = (today or timezone.localdate()).year - 1
    scheme = history_scheme(county_id)
    return min(latest, scheme.year - 1) if scheme is not None else latest


HistoryKey = tuple[int, str, int]  # unit id, indicator code, year


def history_held(*, county_id: int, keys: Iterable[HistoryKey]) -> dict[HistoryKey, dict[str, int]]:
    """How many months each (unit, indicator code, year) already holds in a county, by source;
    the keys not held are left out. One query per 500 indicator codes and years."""
    wanted = set(keys)
    if not wanted:
        return {}
    held: dict[HistoryKey, dict[str, int]] = {}
    rows = (
        HistoricalValue.objects.filter(
            county_id=county_id,
            unit_id__in={k[0] for k in wanted},
            indicator_code__in={k[1] for k in wanted},
            year__in={k[2] for k in wanted},
        )
        .values_list("unit_id", "indicator_code", "year", "source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, code, year, source, n in rows:
        if (unit_id, code, year) in wanted:
            by_source = held.setdefault((unit_id, code, year), {})
            by_source[source] = by_source.get(source, 0) + n
    return held


@dataclass(frozen=True)
class HistoryYear:
    """What a county holds of one earlier year: indicators, units and values, by source."""

    year: int
    indicators: int
    units: int
    values: int
    sources: dict[str, int]
    by_indicator: dict[str, dict[str, int]]  # indicator code -> values by source


def history_overview(*, user: User) -> list[HistoryYear]:
    """The earlier years the user's county holds, newest first: one query (scheme.manage)."""
    require(user, Permission.SCHEME_MANAGE)
    rows = (
        HistoricalValue.objects.filter(county_id=county_id_of(user))
        .values_list("year", "indicator_code", "unit_id", "source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    years: dict[int, dict[str, Any]] = {}
    for year, code, unit_id, source, n in rows:
        y = years.setdefault(year, {"codes": {}, "units": set(), "sources": {}})
        cell = y["codes"].setdefault(code, {})
        cell[source] = cell.get(source, 0) + n
        y["units"].add(unit_id)
        y["sources"][source] = y["sources"].get(source, 0) + n
    return [
        HistoryYear(
            year=year,
            indicators=len(y["codes"]),
            units=len(y["units"]),
            values=sum(y["sources"].values()),
            sources=dict(y["sources"]),
            by_indicator=dict(sorted(y["codes"].items())),
        )
        for year, y in sorted(years.items(), reverse=True)
    ]


@transaction.atomic
def historical_values_import(
    *,
    user: User,
    rows: Iterable[HistoryRow],
    today: date | None = None,
    replace_years: bool = False,
) -> int:
    """Import earlier years' monthly values into the user's county, all or nothing.

    Every row is checked first (a unit of the county, an indicator code of one of its schemes,
    month 1-12, a year that has ended and is earlier than the current scheme's, numbers that
    fit); a ValueError lists every bad row and nothing is written. A row for a unit, code, year
    and month already held replaces it; with ``replace_years`` every month held of each unit,
    code and year in the rows is removed first, so a year comes in whole from one file (the
    Excel import: a file's row is the unit's year). Then the forecasts of the current scheme's
    latest warnings on those units and codes are recomputed, in the same transaction.
    Audited as ``history.import``. Returns the number of values written.
    """
    require(user, Permission.SCHEME_MANAGE)
    county_id = county_id_of(user)
    units = dict(Unit.objects.filter(county_id=county_id).values_list("code", "pk"))
    codes = set(Indicator.objects.filter(county_id=county_id).values_list("code", flat=True))
    latest_year = history_latest_year(county_id, today)
    errors: list[str] = []
    clean: dict[tuple[int, str, int, int], tuple[Decimal, Decimal | None]] = {}
    for n, row in enumerate(rows, start=1):
        try:
            if row.unit_code not in units:
                raise ValueError(
                    _("unit '%(code)s' is not a unit of the county.") % {"code": row.unit_code}
                )
            if not row.indicator_code:
                raise ValueError(_("the indicator code is missing."))
            if row.indicator_code not in codes:
                raise ValueError(
                    _("indicator '%(code)s' is in none of the county's schemes.")
                    % {"code": row.indicator_code}
                )
            if not 1 <= int(row.month) <= 12:
                raise ValueError(_("month %(month)s is not 1-12.") % {"month": row.month})
            if not 1990 <= int(row.year) <= latest_year:
                raise ValueError(
                    _("year %(year)s is out of range (1990-%(latest)s).")
                    % {"year": row.year, "latest": latest_year}
                )
            target = None if row.target in (None, "") else _decimal(row.target)
            key = (units[row.unit_code], row.indicator_code, int(row.year), int(row.month))
            if key in clean:
                raise ValueError(_("the same unit, indicator, year and month appear twice."))
            clean[key] = (_decimal(row.value), target)
        except ValueError as exc:
            errors.append(_("Row %(n)s: %(problem)s") % {"n": n, "problem": exc})
    if errors:
        raise ValueError("; ".join(errors))
    years = {(u, c, y) for u, c, y, _m in clean}
    removed = 0
    if replace_years:
        removed = _history_delete(county_id, years)
    existing = {
        (h.unit_id, h.indicator_code, h.year, h.month): h
        for h in HistoricalValue.objects.filter(
            county_id=county_id,
            unit_id__in={u for u, *_rest in years},
            indicator_code__in={c for _u, c, _y in years},
            year__in={y for *_rest, y in years},
        )
    }
    changed, created = [], []
    for (unit_id, code, year, month), (value, target) in clean.items():
        held = existing.get((unit_id, code, year, month))
        if held is not None:
            held.value, held.target, held.source = value, target, HistorySource.IMPORTED
            changed.append(held)
        else:
            created.append(
                HistoricalValue(
                    county_id=county_id,
                    unit_id=unit_id,
                    indicator_code=code,
                    year=year,
                    month=month,
                    value=value,
                    target=target,
                    source=HistorySource.IMPORTED,
                )
            )
    HistoricalValue.objects.bulk_update(changed, ["value", "target", "source"], batch_size=1000)
    HistoricalValue.objects.bulk_create(created, batch_size=1000)
    audit_record(
        actor=user,
        action="history.import",
        county_code=County.objects.get(pk=county_id).code,
        object_type="county",
        object_id=county_id,
        after={
            "rows": len(clean),
            "years": sorted({y for _u, _c, y in years}),
            "indicators": len({c for _u, c, _y in years}),
            "replaced": len(changed) + removed,
        },
    )
    _history_forecasts_refresh(
        county_id=county_id,
        unit_ids={u for u, _c, _y in years},
        codes={c for _u, c, _y in years},
        actor=user,
    )
    return len(clean)


def _history_delete(county_id: int, keys: set[HistoryKey]) -> int:
    """Remove every month held of the given unit-indicator-years; the number removed."""
    by_code_year: dict[tuple[str, int], list[int]] = {}
    for unit_id, code, year in keys:
        by_code_year.setdefault((code, year), []).append(unit_id)
    removed = 0
    for (code, year), unit_ids in by_code_year.items():
        removed += HistoricalValue.objects.filter(
            county_id=county_id, indicator_code=code, year=year, unit_id__in=unit_ids
        ).delete()[0]
    return removed


def _history_forecasts_refresh(
    *, county_id: int, unit_ids: set[int], codes: set[str], actor: User
) -> int:
    """Recompute the forecasts of the current scheme's latest warnings on the given units and
    indicator codes: a new history changes their seasonal profiles. The number refreshed."""
    scheme = history_scheme(county_id)
    if scheme is None or not unit_ids or not codes:
        return 0
    groups: dict[tuple[int, date], list[Warning]] = {}
    indicators: dict[int, Indicator] = {}
    for warning in (
        latest_warnings(county_id=county_id, scheme_id=scheme.pk, unit_ids=unit_ids)
        .filter(indicator__code__in=codes, indicator__cumulative=True)
        .select_related("indicator__scheme__county")
    ):
        indicators[warning.indicator_id] = warning.indicator
        groups.setdefault((warning.indicator_id, warning.as_of), []).append(warning)
    refreshed = 0
    for (indicator_id, as_of), warnings in sorted(groups.items()):
        refreshed += len(
            forecast_refresh(
                indicator=indicators[indicator_id], as_of=as_of, warnings=warnings, actor=actor
            )
        )
    return refreshed


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
    scheme = scheme_in_force(county_id=county.pk)
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
