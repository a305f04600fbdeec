"""The year-end forecast (predictive warning, issue 5 item 2), worked by hand.

Most cases use a "twelfths" world: the profile and the time schedule both put j/12 of the year's
total at the end of month j, so each number below can be checked on paper.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scoring.forecast import (
    DEFAULT_SPREAD,
    NO_FORECAST,
    backtest,
    forecast_year_end,
    month_end_shares_linear,
    month_end_shares_monthly,
    normal_cdf,
    seasonal_profile,
)
from kaohe.scoring.warnings import WarningThresholds

TWELFTHS = np.arange(1, 13) / 12.0
SHAPE = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 1.0])


def up_to(path: np.ndarray, month: int) -> np.ndarray:
    """A year's cumulative path as known at the end of ``month`` (later months NaN)."""
    return np.where(np.arange(1, 13) <= month, path, np.nan)


def exact_history(shape: np.ndarray, totals: tuple[float, ...] = (100.0, 200.0, 50.0)):
    return seasonal_profile(np.array([[shape * t for t in totals]]))


def test_a_perfectly_seasonal_series_forecasts_its_total_exactly() -> None:
    # Three earlier years all reached 40% by the end of May; this year has 120 by then: 300.
    batch = forecast_year_end(
        up_to(SHAPE * 300, 5)[None], 5, [350.0], TWELFTHS, profile=exact_history(SHAPE)
    )
    assert batch.year_end[0] == pytest.approx(300.0, rel=1e-12)
    assert batch.sigma[0] == pytest.approx(0.0, abs=1e-9)
    assert batch.miss_probability[0] == 1.0  # 300 < 350 with no spread: certain to miss
    assert batch.from_history[0] and batch.data_month[0] == 5
    assert "ratio 120 / 0.4 = 300" in batch.explanations[0].arithmetic


def test_a_perfectly_seasonal_series_that_will_make_it_has_no_risk() -> None:
    batch = forecast_year_end(
        up_to(SHAPE * 300, 5)[None], 5, [250.0], TWELFTHS, profile=exact_history(SHAPE)
    )
    assert batch.miss_probability[0] == 0.0
    assert batch.red_month[0] == 0  # 300 of 250 stays green all year


def test_the_spread_of_earlier_years_gives_the_uncertainty_and_the_probability() -> None:
    # Two earlier years reached 40% and 50% by the end of May: mean 45%, sd (ddof 1) 0.0707;
    # widened for two years: 0.0707 x sqrt(1.5) = 0.0866. 90 by May: F = 90 / 0.45 = 200,
    # sigma = 200 x 0.0866 / 0.45 = 38.49; target 220: P = Phi(20 / 38.49) = Phi(0.5196) = 69.8%.
    a = SHAPE.copy()
    b = SHAPE.copy()
    b[4] = 0.5
    profile = seasonal_profile(np.array([[a * 100, b * 200]]))
    assert profile.shares[0, 4] == pytest.approx(0.45)
    assert profile.spread[0, 4] == pytest.approx(math.sqrt(0.005))
    trajectory = np.full((1, 12), np.nan)
    trajectory[0, 4] = 90.0
    batch = forecast_year_end(trajectory, 5, [220.0], TWELFTHS, profile=profile)
    assert batch.year_end[0] == pytest.approx(200.0)
    sigma = 200 * math.sqrt(0.005) * math.sqrt(1.5) / 0.45
    assert batch.sigma[0] == pytest.approx(sigma)
    assert batch.miss_probability[0] == pytest.approx(0.5 * (1 + math.erf(20 / sigma / 2**0.5)))
    assert batch.miss_probability[0] == pytest.approx(0.698, abs=1e-3)


def test_may_says_it_will_turn_red_in_august() -> None:
    # 125 of 400 by May on a twelfths profile: F = 300, path 25 j. Completion j/16 against a
    # schedule of j/12 lags by j x 2.083 points: orange in May (10.4), red from August (16.7).
    batch = forecast_year_end(
        up_to(TWELFTHS * 300, 5)[None], 5, [400.0], TWELFTHS, profile=exact_history(TWELFTHS)
    )
    assert batch.year_end[0] == pytest.approx(300.0)
    assert batch.red_month[0] == 8
    assert batch.explanations[0].arithmetic.endswith("red from month 8")


def test_a_unit_red_already_reports_the_forecast_month() -> None:
    batch = forecast_year_end(
        up_to(TWELFTHS * 200, 9)[None], 9, [400.0], TWELFTHS, profile=exact_history(TWELFTHS)
    )
    assert batch.red_month[0] == 9  # completion 37.5% against 75% due


def test_the_red_month_follows_the_schemes_thresholds() -> None:
    lenient = WarningThresholds(yellow=0, orange=10, red=20)  # red past 20 points: j > 9.6
    batch = forecast_year_end(
        up_to(TWELFTHS * 300, 5)[None],
        5,
        [400.0],
        TWELFTHS,
        profile=exact_history(TWELFTHS),
        thresholds=lenient,
    )
    assert batch.red_month[0] == 10


def test_lower_is_better_misses_when_the_forecast_exceeds_the_ceiling() -> None:
    # Accidents capped at 10 a year; 6 by June on a twelfths profile: F = 12 > 10. The path is j;
    # completion min(10 / j, 10) against j/12: green to October, yellow in November (0.76
    # points), red in December (100 - 83.3 = 16.7 points).
    batch = forecast_year_end(
        up_to(TWELFTHS * 12, 6)[None],
        6,
        [10.0],
        TWELFTHS,
        profile=exact_history(TWELFTHS),
        higher_is_better=False,
    )
    assert batch.year_end[0] == pytest.approx(12.0)
    assert batch.miss_probability[0] == 1.0
    assert batch.red_month[0] == 12
    assert "Φ((F − T) / σ)" in batch.explanations[0].arithmetic


def test_lower_is_better_under_the_ceiling_is_safe() -> None:
    batch = forecast_year_end(
        up_to(TWELFTHS * 8, 6)[None],
        6,
        [10.0],
        TWELFTHS,
        profile=exact_history(TWELFTHS),
        higher_is_better=False,
    )
    assert batch.year_end[0] == pytest.approx(8.0)
    assert batch.miss_probability[0] == 0.0 and batch.red_month[0] == 0


def test_without_history_it_falls_back_to_the_time_schedule_with_the_default_spread() -> None:
    # 100 by March on a twelfths schedule: F = 400; sigma = 400 x 0.1 x sqrt(.25 x .75) / .25.
    batch = forecast_year_end(up_to(TWELFTHS * 400, 3)[None], 3, [400.0], TWELFTHS)
    assert not batch.from_history[0]
    assert batch.year_end[0] == pytest.approx(400.0)
    assert batch.sigma[0] == pytest.approx(400 * DEFAULT_SPREAD * math.sqrt(0.25 * 0.75) / 0.25)
    assert batch.miss_probability[0] == pytest.approx(0.5)  # exactly on course: a coin toss
    assert "(time schedule)" in batch.explanations[0].arithmetic


def test_a_missing_latest_month_uses_the_last_reported_one() -> None:
    trajectory = up_to(SHAPE * 300, 5)
    trajectory[4] = np.nan  # May not reported: April's 90 at 30% gives 300 all the same
    batch = forecast_year_end(trajectory[None], 5, [300.0], TWELFTHS, profile=exact_history(SHAPE))
    assert batch.data_month[0] == 4
    assert batch.year_end[0] == pytest.approx(300.0)


def test_no_value_and_no_target_give_no_forecast_and_no_probability() -> None:
    trajectories = np.vstack([np.full(12, np.nan), up_to(TWELFTHS * 300, 5)])
    batch = forecast_year_end(trajectories, 5, [300.0, np.nan], TWELFTHS)
    assert math.isnan(batch.year_end[0]) and math.isnan(batch.miss_probability[0])
    assert batch.red_month[0] == NO_FORECAST
    assert batch.explanations[0].arithmetic == "no value reported"
    assert batch.year_end[1] == pytest.approx(300.0)
    assert math.isnan(batch.miss_probability[1]) and batch.red_month[1] == NO_FORECAST
    assert "no target set" in batch.explanations[1].arithmetic


def test_nothing_expected_yet_gives_no_forecast() -> None:
    shape = np.concatenate([[0.0, 0.0], np.linspace(0.1, 1.0, 10)])
    batch = forecast_year_end(
        up_to(shape * 0 + 5, 2)[None], 2, [100.0], TWELFTHS, profile=exact_history(shape)
    )
    assert math.isnan(batch.year_end[0])
    assert "nothing expected" in batch.explanations[0].arithmetic


def test_a_zero_target_cannot_be_missed_when_higher_is_better_and_is_when_lower() -> None:
    path = up_to(TWELFTHS * 12, 6)[None].repeat(2, axis=0)
    batch = forecast_year_end(
        path, 6, [0.0, 0.0], TWELFTHS, higher_is_better=np.array([True, False])
    )
    assert batch.miss_probability[0] == 0.0
    assert batch.miss_probability[1] > 0.99


def test_it_forecasts_many_series_at_once_each_with_its_own_month_and_direction() -> None:
    trajectories = np.vstack([up_to(SHAPE * 300, 5), up_to(TWELFTHS * 12, 6)])
    profile = seasonal_profile(
        np.array([[SHAPE * 100, SHAPE * 200], [TWELFTHS * 10, TWELFTHS * 11]])
    )
    batch = forecast_year_end(
        trajectories,
        np.array([5, 6]),
        [350.0, 10.0],
        TWELFTHS,
        profile=profile,
        higher_is_better=np.array([True, False]),
    )
    assert batch.year_end == pytest.approx([300.0, 12.0])
    assert list(batch.miss_probability) == [1.0, 1.0]


def test_the_trend_blend_moves_the_forecast_towards_the_recent_pace() -> None:
    # 40 by February, 100 by May on twelfths: ratio 100 / (5/12) = 240; the pace since February
    # (60 over 3/12) gives 240 a year, so 100 + 7/12 x 240 = 240; blended 0.5/0.5: 240.
    # A faster recent pace (70 since February) lifts the blend above the ratio.
    traj = np.full((2, 12), np.nan)
    traj[:, 1] = [40.0, 30.0]
    traj[:, 4] = [100.0, 100.0]
    batch = forecast_year_end(traj, 5, [300.0, 300.0], TWELFTHS, trend_weight=0.5)
    assert batch.year_end[0] == pytest.approx(240.0)
    assert batch.year_end[1] == pytest.approx(0.5 * 240 + 0.5 * (100 + 7 / 12 * 280))
    assert "pace" in batch.explanations[1].arithmetic


def test_seasonal_profile_leaves_out_years_without_a_positive_december() -> None:
    history = np.array([[SHAPE * 100, np.zeros(12), np.full(12, np.nan)]])
    profile = seasonal_profile(history)
    assert profile.years[0] == 1
    assert profile.shares[0] == pytest.approx(SHAPE)
    assert np.isnan(profile.spread[0]).all()  # one year: spread unknown


def test_a_month_given_by_only_one_earlier_year_takes_the_default_spread() -> None:
    gappy = SHAPE * 200
    gappy[4] = np.nan  # the second year's May is missing: May's share rests on one year
    profile = seasonal_profile(np.array([[SHAPE * 100, gappy]]))
    assert profile.years[0] == 2 and np.isnan(profile.spread[0, 4])
    batch = forecast_year_end(up_to(SHAPE * 300, 5)[None], 5, [300.0], TWELFTHS, profile=profile)
    assert batch.sigma[0] == pytest.approx(300 * DEFAULT_SPREAD * math.sqrt(0.4 * 0.6) / 0.4)
    assert batch.miss_probability[0] == pytest.approx(0.5)


def test_schedule_helpers_give_month_end_shares() -> None:
    linear = month_end_shares_linear(2026)
    assert linear[0] == pytest.approx(31 / 365) and linear[11] == 1.0
    assert month_end_shares_linear(2024)[1] == pytest.approx(60 / 366)
    monthly = month_end_shares_monthly([1 / 12] * 12)
    assert monthly == pytest.approx(TWELFTHS)


def test_it_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="month"):
        forecast_year_end(np.zeros((1, 12)), 13, [1.0], TWELFTHS)
    with pytest.raises(ValueError, match="targets"):
        forecast_year_end(np.zeros((1, 12)), 3, [-1.0], TWELFTHS)
    with pytest.raises(ValueError, match="schedule"):
        forecast_year_end(np.zeros((1, 12)), 3, [1.0], TWELFTHS * 2)
    with pytest.raises(ValueError, match="trajectory"):
        forecast_year_end(np.zeros((1, 11)), 3, [1.0], TWELFTHS)


def test_normal_cdf_matches_known_values() -> None:
    assert normal_cdf([0.0, 1.0, -1.96]) == pytest.approx([0.5, 0.841345, 0.024998], abs=1e-6)


def test_backtest_of_a_perfectly_seasonal_history_has_no_error() -> None:
    history = np.array([[SHAPE * 100, SHAPE * 120, SHAPE * 90]])
    targets = np.array([[110.0, 110.0, 110.0]])  # missed, made, missed
    rows = backtest(history, targets, months=(3, 6))
    assert [r.month for r in rows] == [3, 6]
    for r in rows:
        assert r.series == 3 and r.mape == pytest.approx(0.0, abs=1e-12)
        assert r.hit_rate == 1.0 and (r.missed, r.flagged, r.caught) == (2, 2, 2)


def test_backtest_baseline_ignores_the_history() -> None:
    history = np.array([[SHAPE * 100, SHAPE * 120, SHAPE * 90]])
    rows = backtest(history, np.full((1, 3), 100.0), months=(5,), use_history=False)
    # 40% done by May against a linear 41.4% due: the schedule underestimates slightly.
    assert rows[0].mape == pytest.approx(1 - 0.4 / month_end_shares_linear(2023)[4])


increments = st.lists(st.floats(0.05, 10.0), min_size=12, max_size=12)


@settings(max_examples=60, deadline=None)
@given(increments, st.floats(1.0, 1e6), st.integers(1, 12))
def test_property_any_perfectly_seasonal_series_forecasts_its_total(
    inc: list[float], total: float, month: int
) -> None:
    shape = np.cumsum(inc) / np.sum(inc)
    batch = forecast_year_end(
        up_to(shape * total, month)[None],
        month,
        [total],
        TWELFTHS,
        profile=exact_history(shape),
        trend_weight=0.3,
    )
    assert batch.year_end[0] == pytest.approx(total, rel=1e-9)


AMOUNTS = st.one_of(st.just(0.0), st.floats(1e-6, 1e4))


@settings(max_examples=60, deadline=None)
@given(
    # Amounts are 0 or at least 1e-6: a subnormal float (5e-324) scaled by 0.5 underflows to 0,
    # which no county reports and which would make "scale free" false for float reasons alone.
    st.lists(AMOUNTS, min_size=12, max_size=12),
    AMOUNTS,
    st.integers(1, 12),
    st.booleans(),
    st.floats(0.01, 100.0),
)
def test_property_probabilities_are_probabilities_and_scale_free(
    values: list[float], target: float, month: int, higher: bool, scale: float
) -> None:
    path = np.maximum.accumulate(np.array(values))
    one = forecast_year_end(
        up_to(path, month)[None], month, [target], TWELFTHS, higher_is_better=higher
    )
    scaled = forecast_year_end(
        up_to(path * scale, month)[None],
        month,
        [target * scale],
        TWELFTHS,
        higher_is_better=higher,
    )
    p = one.miss_probability[0]
    assert math.isnan(p) or 0.0 <= p <= 1.0
    assert scaled.year_end[0] == pytest.approx(one.year_end[0] * scale, rel=1e-9, abs=1e-9)
    assert scaled.miss_probability[0] == pytest.approx(p, abs=1e-9, nan_ok=True)
    assert scaled.red_month[0] == one.red_month[0]
