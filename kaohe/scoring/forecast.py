"""Predictive warning (预测预警): the year-end value of a cumulative indicator, forecast from this
year's trajectory and the unit's seasonal profile of earlier years.

Issue 5, item 2: "A forecast of each indicator's year-end value from this year's trajectory and the
unit's seasonal profile from earlier years, with the likelihood of missing the target, so the
office sees 'will turn red in August' in May." docs/forecast.md gives the method, its back-test
and its limits; in short, for one series (unit, indicator) with the latest value ``x`` at the end
of month ``d``:

- **Seasonal profile.** For each earlier year, the share of the year's total reached by each month
  end (``cum_m / cum_12``). The profile ``p_m`` is their mean, the spread ``s_m`` their standard
  deviation (ddof 1). A year without a positive December total is left out. A series with no
  earlier year falls back to the target's time schedule (linear, or its monthly shares).
- **Year end.** The seasonal ratio ``F_ratio = x / p_d`` (what the year comes to if the rest of
  it follows the profile), blended with the recent pace: ``R = (x_d - x_b) / (p_d - p_b)`` over
  the last ``trend_window`` months (``b = d - window``) and ``F_trend = x + (1 - p_d) * R``;
  ``F = (1 - w) F_ratio + w F_trend`` with ``w = trend_weight`` (only the ratio where the pace
  cannot be measured). A perfectly seasonal series gives ``F_ratio = F_trend`` = its true total.
- **Uncertainty.** This year's share ``S`` by month ``d`` is taken as normal around ``p_d`` with
  the earlier years' spread, widened for the profile being an estimate from ``k`` years:
  ``s = s_d * sqrt(1 + 1/k)``. By the delta method ``sigma = |F| * s / p_d``. With fewer than two
  earlier years the spread is unknown and is assumed to be ``DEFAULT_SPREAD * sqrt(p(1 - p))``
  (a modest spread that vanishes at year end).
- **Probability of missing.** Normal approximation: higher is better misses when ``Y < T``:
  ``P = Phi((T - F) / sigma)``; lower is better misses when ``Y > T``: ``P = Phi((F - T) / sigma)``.
  ``sigma = 0`` gives 0 or 1. A zero target is always met when higher is better (nothing is due,
  as in kaohe.scoring.warnings).
- **Turning red.** The forecast trajectory runs from ``x`` at month ``d`` to ``F`` in December
  along the profile, ``x_j = x + (F - x) (p_j - p_d) / (1 - p_d)``; each month end from the
  forecast month on is coloured by kaohe.scoring.warnings against the *time schedule* (the rule
  the office applies), and ``red_month`` is the first red one (the forecast month itself when the
  unit is red already; 0 when it stays out of red).

Everything is vectorised over many series at once; explanations are built lazily when read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import numpy as np
import numpy.typing as npt

from kaohe.scoring.explain import Explanation, format_number
from kaohe.scoring.lazy import LazySequence
from kaohe.scoring.schedule import validate_monthly_shares
from kaohe.scoring.warnings import (
    DEFAULT_THRESHOLDS,
    NO_DATA,
    Level,
    WarningThresholds,
    warning_levels,
)

#: With fewer than two earlier years the spread of a month's share is unknown; it is assumed to be
#: this times sqrt(p (1 - p)): 5 points of share at mid-year, none in December.
DEFAULT_SPREAD: Final = 0.1
#: Weight of the recent pace in the blend (the rest is the seasonal ratio); docs/forecast.md
#: compares it with the ratio alone on the demo's back-test.
TREND_WEIGHT: Final = 0.0
#: Months over which the recent pace is measured.
TREND_WINDOW: Final = 3
#: red_month of a series that cannot be forecast (no value, no target, nothing expected yet).
NO_FORECAST: Final = -1

_MONTHS = np.arange(1, 13)
_erf = np.frompyfunc(math.erf, 1, 1)


def normal_cdf(z: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The standard normal distribution function Phi, elementwise (NaN stays NaN)."""
    arr = np.asarray(z, dtype=np.float64)
    erf = np.asarray(_erf(arr / math.sqrt(2.0)), dtype=np.float64)
    out: npt.NDArray[np.float64] = 0.5 * (1.0 + erf)
    return out


@dataclass(frozen=True)
class SeasonalProfile:
    """Per series: mean cumulative share at each month end (n, 12), its spread (n, 12, NaN with
    fewer than two years) and the number of earlier years it rests on (n,)."""

    shares: npt.NDArray[np.float64]
    spread: npt.NDArray[np.float64]
    years: npt.NDArray[np.int64]


def seasonal_profile(history: npt.ArrayLike) -> SeasonalProfile:
    """The seasonal profile of each series from its earlier years' month-end cumulative values.

    ``history`` is (n series, k years, 12 months), NaN where a value is missing. A year counts when
    its December value is positive; its shares are ``cum_m / cum_12`` (a missing month is left out
    of that month's mean). A series without any such year has NaN shares (see the fallback in
    ``forecast_year_end``).
    """
    h = np.asarray(history, dtype=np.float64)
    if h.ndim != 3 or h.shape[2] != 12:
        raise ValueError("history must be (series, years, 12 months)")
    december = h[:, :, 11:12]
    valid = np.isfinite(december) & (december > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(valid, h / np.where(valid, december, 1.0), np.nan)
    present = np.isfinite(shares)
    count = present.sum(axis=1)
    total = np.where(present, shares, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        deviation = np.where(present, shares - mean[:, None, :], 0.0)
        var = (deviation**2).sum(axis=1) / np.maximum(count - 1, 1)
    spread = np.where(count >= 2, np.sqrt(var), np.nan)
    years = valid[:, :, 0].sum(axis=1).astype(np.int64)
    # A series counts as having a profile only if every month has one.
    whole = np.all(count > 0, axis=1)
    mean[~whole] = np.nan
    spread[~whole] = np.nan
    years[~whole] = 0
    return SeasonalProfile(mean, spread, years)


def no_profile(n: int) -> SeasonalProfile:
    """The profile of n series without any earlier year: every forecast uses the schedule."""
    nan = np.full((n, 12), np.nan)
    return SeasonalProfile(nan, nan.copy(), np.zeros(n, dtype=np.int64))


@dataclass(frozen=True)
class ForecastBatch:
    """Forecasts, one entry per series in input order (NaN / NO_FORECAST where none is possible).

    ``year_end`` the forecast year-end value, ``sigma`` its standard deviation,
    ``miss_probability`` the probability of missing the target, ``red_month`` the first month
    (1-12) whose month end is red on the forecast trajectory (0: stays out of red),
    ``data_month`` the month of the value the forecast rests on, ``share`` the expected share by
    then, ``from_history`` whether the profile came from earlier years (else the schedule).
    """

    year_end: npt.NDArray[np.float64]
    sigma: npt.NDArray[np.float64]
    miss_probability: npt.NDArray[np.float64]
    red_month: npt.NDArray[np.int8]
    data_month: npt.NDArray[np.int8]
    share: npt.NDArray[np.float64]
    from_history: npt.NDArray[np.bool_]
    explanations: Sequence[Explanation]


def _pct(v: float) -> str:
    return f"{format_number(v * 100, 1)}%"


def forecast_year_end(
    trajectory: npt.ArrayLike,
    month: int | npt.ArrayLike,
    targets: npt.ArrayLike,
    schedule: npt.ArrayLike,
    *,
    profile: SeasonalProfile | None = None,
    higher_is_better: bool | npt.ArrayLike = True,
    thresholds: WarningThresholds = DEFAULT_THRESHOLDS,
    trend_weight: float = TREND_WEIGHT,
    trend_window: int = TREND_WINDOW,
) -> ForecastBatch:
    """Forecast each series' year-end value, its uncertainty, the probability of missing the
    target and the month it turns red (the method is the module docstring's).

    ``trajectory`` (n, 12): this year's cumulative value at each month end, NaN where not
    reported; only months up to ``month`` (the months completed, 1-12, scalar or per series) are
    read, and the latest reported one is the value to date. ``targets`` (n,) yearly targets (NaN:
    none set). ``schedule`` (n, 12) or (12,): the share of the target due by each month end on the
    target's time schedule, the fallback profile and the rule for the colours. ``profile`` from
    ``seasonal_profile`` (None: no history). Raises ValueError on bad shapes or parameters.
    """
    traj = np.atleast_2d(np.asarray(trajectory, dtype=np.float64))
    n = traj.shape[0]
    if traj.shape != (n, 12):
        raise ValueError("trajectory must be (series, 12 months)")
    sched = np.broadcast_to(np.asarray(schedule, dtype=np.float64), (n, 12))
    if not np.all((sched >= 0) & (sched <= 1)):
        raise ValueError("the schedule must be shares between 0 and 1")
    m = np.broadcast_to(np.asarray(month, dtype=np.int64), (n,))
    if np.any((m < 1) | (m > 12)):
        raise ValueError("month must be 1 to 12")
    t = np.broadcast_to(np.asarray(targets, dtype=np.float64), (n,))
    if np.any(t < 0) or np.any(np.isinf(t)):
        raise ValueError("targets must be non-negative numbers or NaN (no target set)")
    higher: npt.NDArray[np.bool_] = np.broadcast_to(
        np.asarray(higher_is_better, dtype=np.bool_), (n,)
    )
    if not 0 <= trend_weight <= 1 or trend_window < 1:
        raise ValueError("trend_weight must be in [0, 1] and trend_window at least 1")
    prof = profile or no_profile(n)
    if prof.shares.shape != (n, 12):
        raise ValueError("the profile must have one row per series")

    rows = np.arange(n)
    # The value to date: the latest month end, up to the forecast month, with a value.
    seen = np.isfinite(traj) & (_MONTHS[None, :] <= m[:, None])
    has_value = np.asarray(seen.any(axis=1), dtype=np.bool_)
    d = np.where(has_value, 12 - np.argmax(seen[:, ::-1], axis=1), 0)
    di = np.maximum(d - 1, 0)
    x = np.where(has_value, traj[rows, di], np.nan)

    from_history = (prof.years >= 1) & np.all(np.isfinite(prof.shares), axis=1)
    curve = np.where(from_history[:, None], prof.shares, sched)
    p = np.where(has_value, curve[rows, di], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(p > 0, x / p, np.nan)
        # The recent pace since month b = d - window (b = 0: the start of the year, 0 due, 0 done).
        b = d - trend_window
        bi = np.maximum(b - 1, 0)
        x_b = np.where(b == 0, 0.0, traj[rows, bi])
        p_b = np.where(b == 0, 0.0, curve[rows, bi])
        dp = p - p_b
        has_trend = (b >= 0) & np.isfinite(x_b) & (dp > 0) & np.isfinite(ratio)
        pace = np.where(has_trend, (x - x_b) / np.where(has_trend, dp, 1.0), np.nan)
        trend = x + (1.0 - p) * pace
        year_end = np.where(has_trend, (1 - trend_weight) * ratio + trend_weight * trend, ratio)

        k = prof.years.astype(np.float64)
        # The earlier years' spread where two or more of them give the month, else the default.
        measured = prof.spread[rows, di]
        spread = np.where(
            from_history & (prof.years >= 2) & np.isfinite(measured),
            measured * np.sqrt(1.0 + 1.0 / np.maximum(k, 1.0)),
            DEFAULT_SPREAD * np.sqrt(np.clip(p * (1.0 - p), 0.0, None)),
        )
        sigma = np.where(p > 0, np.abs(year_end) * spread / p, np.nan)

        no_target = np.isnan(t)
        z = np.where(higher, t - year_end, year_end - t) / np.where(sigma > 0, sigma, 1.0)
        prob = np.where(sigma > 0, normal_cdf(z), np.where(z > 0, 1.0, 0.0))
        prob = np.where(higher & (t == 0), 0.0, prob)
        prob = np.where(np.isfinite(year_end) & ~no_target, prob, np.nan)

    # The forecast trajectory from month d to December, coloured at each month end.
    ok = np.isfinite(year_end) & ~no_target
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where((1.0 - p)[:, None] > 0, (curve - p[:, None]) / (1.0 - p)[:, None], 1.0)
    path = x[:, None] + (year_end - x)[:, None] * np.clip(weight, 0.0, 1.0)
    path = np.where(_MONTHS[None, :] == d[:, None], x[:, None], path)
    ahead = ok[:, None] & (_MONTHS[None, :] >= np.maximum(m, d)[:, None])
    idx = np.flatnonzero(ahead.ravel())
    red = np.zeros((n, 12), dtype=np.bool_)
    if idx.size:
        batch = warning_levels(
            path.ravel()[idx],
            np.repeat(t, 12)[idx],
            np.clip(sched.ravel()[idx], 0.0, 1.0),
            higher_is_better=np.repeat(higher, 12)[idx],
            thresholds=thresholds,
        )
        red.ravel()[idx] = batch.levels == Level.RED
    red_month = np.where(red.any(axis=1), np.argmax(red, axis=1) + 1, 0)
    red_month = np.where(ok, red_month, NO_FORECAST).astype(np.int8)

    def build(i: int) -> Explanation:
        xi, ti, pi, fi = float(x[i]), float(t[i]), float(p[i]), float(year_end[i])
        basis = f"history, {int(prof.years[i])} years" if from_history[i] else "time schedule"
        if not has_value[i]:
            arithmetic = "no value reported"
        elif not pi > 0:
            arithmetic = f"nothing expected by the end of month {int(d[i])}: no forecast"
        else:
            parts = [
                f"value {format_number(xi)} at the end of month {int(d[i])}; "
                f"expected share {_pct(pi)} ({basis})",
                f"ratio {format_number(xi)} / {format_number(pi, 4)} = "
                f"{format_number(float(ratio[i]), 2)}",
            ]
            if has_trend[i]:
                parts.append(
                    f"pace ({format_number(xi)} − {format_number(float(x_b[i]))}) / "
                    f"({format_number(pi, 4)} − {format_number(float(p_b[i]), 4)}) → "
                    f"{format_number(float(trend[i]), 2)}; forecast "
                    f"{format_number(1 - trend_weight)} × {format_number(float(ratio[i]), 2)} + "
                    f"{format_number(trend_weight)} × {format_number(float(trend[i]), 2)} = "
                    f"{format_number(fi, 2)}"
                )
            parts.append(
                f"σ = {format_number(abs(fi), 2)} × {format_number(float(spread[i]), 4)} / "
                f"{format_number(pi, 4)} = {format_number(float(sigma[i]), 2)}"
            )
            if math.isnan(ti):
                parts.append("no target set")
            elif higher[i] and ti == 0:
                parts.append("target 0, nothing due: P(miss) = 0%")
            else:
                sign = "T − F" if higher[i] else "F − T"
                parts.append(
                    f"P(miss) = Φ(({sign}) / σ) with T = {format_number(ti)} = "
                    f"{_pct(float(prob[i]))}"
                )
                rm = int(red_month[i])
                parts.append(f"red from month {rm}" if rm > 0 else "stays out of red")
            arithmetic = "; ".join(parts)
        return Explanation(
            method="forecast_seasonal",
            inputs={
                "value": None if math.isnan(xi) else xi,
                "month": float(d[i]),
                "target": None if math.isnan(ti) else ti,
                "share": None if math.isnan(pi) else pi,
            },
            parameters={
                "direction": "higher" if higher[i] else "lower",
                "basis": "history" if from_history[i] else "schedule",
                "years": float(prof.years[i]),
                "trend_weight": trend_weight,
                "trend_window": float(trend_window),
                "red": thresholds.red,
            },
            arithmetic=arithmetic,
            result=Decimal(format_number(fi, 4)) if math.isfinite(fi) else Decimal(NO_DATA),
        )

    sigma = np.where(np.isfinite(year_end), sigma, np.nan)
    data_month = d.astype(np.int8)
    for a in (year_end, sigma, prob, red_month, data_month, p, from_history):
        a.setflags(write=False)
    return ForecastBatch(
        year_end=year_end,
        sigma=sigma,
        miss_probability=prob,
        red_month=red_month,
        data_month=data_month,
        share=p,
        from_history=from_history,
        explanations=LazySequence(n, build),
    )


def month_end_shares_linear(year: int) -> npt.NDArray[np.float64]:
    """The linear schedule's share due at each month end of ``year`` (days elapsed / days)."""
    days = np.array(
        [(np.datetime64(f"{year}-{mm:02d}", "M") + 1).astype("datetime64[D]") for mm in _MONTHS]
    )
    start = np.datetime64(f"{year}-01-01", "D")
    elapsed = (days - start).astype(np.float64)
    out: npt.NDArray[np.float64] = elapsed / elapsed[-1]
    return out


def month_end_shares_monthly(shares: Sequence[float]) -> npt.NDArray[np.float64]:
    """A seasonal profile's (monthly shares') cumulative share due at each month end."""
    s = np.cumsum(validate_monthly_shares(shares))
    out: npt.NDArray[np.float64] = np.clip(s / s[-1], 0.0, 1.0)
    return out


@dataclass(frozen=True)
class BacktestMonth:
    """The back-test's outcome for forecasts made at the end of one month.

    ``mape`` mean absolute percentage error of the year-end value (series with a non-zero actual);
    ``hit_rate`` share of series whose "will miss the target" call (probability above one half)
    was right; ``missed`` series that did miss, ``flagged`` series called to miss, ``caught``
    series both flagged and missed.
    """

    month: int
    series: int
    mape: float
    hit_rate: float
    missed: int
    flagged: int
    caught: int


def backtest(
    history: npt.ArrayLike,
    targets: npt.ArrayLike,
    *,
    higher_is_better: bool | npt.ArrayLike = True,
    months: Sequence[int] = tuple(range(3, 11)),
    schedule: npt.ArrayLike | None = None,
    trend_weight: float = TREND_WEIGHT,
    use_history: bool = True,
) -> list[BacktestMonth]:
    """Hold out each earlier year in turn and forecast its year end from its months to date.

    ``history`` (n, k, 12) month-end cumulative values, ``targets`` (n, k) each year's target
    (NaN: unknown, left out of the hit rate). For held-out year i the profile comes from the other
    k - 1 years (leave one out, so later years inform earlier ones: a real forecast never has
    that), the trajectory is year i up to each month in ``months``, and the actual is its
    December value. ``schedule`` (12,) or (n, 12) defaults to the linear one of a common year;
    ``use_history=False`` forecasts from the schedule alone (the baseline the profile must beat).
    """
    h = np.asarray(history, dtype=np.float64)
    n, k, _ = h.shape
    goals = np.broadcast_to(np.asarray(targets, dtype=np.float64), (n, k))
    higher = np.broadcast_to(np.asarray(higher_is_better, dtype=np.bool_), (n,))
    sched = month_end_shares_linear(2023) if schedule is None else np.asarray(schedule)
    out = []
    for month in months:
        errors: list[npt.NDArray[np.float64]] = []
        calls: list[npt.NDArray[np.bool_]] = []
        truth: list[npt.NDArray[np.bool_]] = []
        for i in range(k):
            others = [j for j in range(k) if j != i]
            profile = seasonal_profile(h[:, others, :]) if use_history else no_profile(n)
            trajectory = np.where(_MONTHS[None, :] <= month, h[:, i, :], np.nan)
            batch = forecast_year_end(
                trajectory,
                month,
                goals[:, i],
                sched,
                profile=profile,
                higher_is_better=higher,
                trend_weight=trend_weight,
            )
            actual = h[:, i, 11]
            f = batch.year_end
            scored = np.isfinite(f) & np.isfinite(actual) & (actual != 0)
            errors.append(np.abs(f[scored] - actual[scored]) / np.abs(actual[scored]))
            known = scored & np.isfinite(goals[:, i]) & np.isfinite(batch.miss_probability)
            t = goals[known, i]
            missed = np.where(
                higher[known] & (t == 0),
                False,
                np.where(higher[known], actual[known] < t, actual[known] > t),
            )
            calls.append(batch.miss_probability[known] > 0.5)
            truth.append(missed)
        err = np.concatenate(errors)
        call = np.concatenate(calls)
        real = np.concatenate(truth)
        out.append(
            BacktestMonth(
                month=int(month),
                series=int(err.size),
                mape=float(err.mean()) if err.size else math.nan,
                hit_rate=float((call == real).mean()) if call.size else math.nan,
                missed=int(real.sum()),
                flagged=int(call.sum()),
                caught=int((call & real).sum()),
            )
        )
    return out
