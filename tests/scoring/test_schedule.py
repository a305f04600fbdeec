"""Time schedules: linear by default, or a seasonal profile of monthly shares (SCORING.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kaohe.scoring.schedule import linear_share, linear_shares, monthly_share, monthly_shares

Y2023 = (date(2023, 1, 1), date(2023, 12, 31))
Y2024 = (date(2024, 1, 1), date(2024, 12, 31))
UNIFORM = [1 / 12] * 12


def test_it_counts_the_first_day_of_the_year_as_elapsed() -> None:
    assert linear_share(date(2023, 1, 1), *Y2023) == pytest.approx(1 / 365)


def test_it_gives_the_whole_target_on_the_last_day() -> None:
    assert linear_share(date(2023, 12, 31), *Y2023) == 1.0
    assert linear_share(date(2024, 12, 31), *Y2024) == 1.0


def test_it_counts_the_leap_day_in_a_leap_year() -> None:
    assert linear_share(date(2024, 2, 29), *Y2024) == pytest.approx(60 / 366)
    assert linear_share(date(2024, 3, 1), *Y2024) == pytest.approx(61 / 366)
    assert linear_share(date(2023, 3, 1), *Y2023) == pytest.approx(60 / 365)


def test_it_clips_dates_outside_the_period() -> None:
    assert linear_share(date(2022, 12, 31), *Y2023) == 0.0
    assert linear_share(date(2024, 6, 1), *Y2023) == 1.0


def test_it_ignores_the_time_of_day() -> None:
    assert linear_share(datetime(2023, 7, 2, 23, 59), *Y2023) == linear_share(
        date(2023, 7, 2), *Y2023
    )


def test_it_refuses_a_period_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before year_start"):
        linear_share(date(2023, 6, 1), date(2023, 12, 31), date(2023, 1, 1))


def test_it_gives_nan_for_a_missing_date() -> None:
    shares = linear_shares(np.array(["2023-07-02", "NaT"], dtype="datetime64[D]"), *Y2023)
    assert shares[0] == pytest.approx(183 / 365)
    assert np.isnan(shares[1])


@given(st.lists(st.dates(min_value=date(2022, 6, 1), max_value=date(2025, 6, 1)), min_size=1))
def test_it_gives_the_same_linear_shares_vectorised_as_one_by_one(days: list[date]) -> None:
    vectorised = linear_shares(days, *Y2024)
    as_array = linear_shares(np.array(days, dtype="datetime64[D]"), *Y2024)
    one_by_one = [linear_share(d, *Y2024) for d in days]
    assert vectorised.tolist() == one_by_one == as_array.tolist()


def test_it_spreads_a_uniform_profile_like_whole_months() -> None:
    assert monthly_share(date(2023, 1, 31), UNIFORM) == pytest.approx(1 / 12)
    assert monthly_share(date(2023, 6, 30), UNIFORM) == pytest.approx(0.5)
    assert monthly_share(date(2023, 12, 31), UNIFORM) == 1.0


def test_it_interpolates_inside_the_month_by_days() -> None:
    # 2024 is a leap year: February has 29 days.
    assert monthly_share(date(2024, 2, 15), UNIFORM) == pytest.approx(1 / 12 + 1 / 12 * 15 / 29)
    assert monthly_share(date(2023, 2, 14), UNIFORM) == pytest.approx(1 / 12 + 1 / 12 * 14 / 28)


def test_it_follows_a_seasonal_profile() -> None:
    # Investment-like profile: little in the first quarter, most in the second half.
    profile = [0.02, 0.03, 0.05, 0.07, 0.08, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.15]
    assert monthly_share(date(2023, 3, 31), profile) == pytest.approx(0.10)
    assert monthly_share(date(2023, 6, 30), profile) == pytest.approx(0.35)
    assert monthly_share(date(2023, 12, 16), profile) == pytest.approx(0.85 + 0.15 * 16 / 31)


def test_it_accepts_shares_typed_with_six_decimals() -> None:
    assert monthly_share(date(2023, 12, 31), [0.083333] * 12) == 1.0


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ([1 / 11] * 11, "12 monthly shares"),
        ([0.1] * 12, "sum to 1"),
        ([0.0833] * 12, "sum to 1"),
        ([0.2, -0.1, *[0.09] * 10], "negative"),
        ([float("nan"), *[1 / 11] * 11], "finite"),
    ],
)
def test_it_refuses_a_profile_that_is_not_twelve_shares_summing_to_one(
    shares: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        monthly_share(date(2023, 5, 1), shares)


profiles = st.lists(st.floats(min_value=0, max_value=1), min_size=12, max_size=12).filter(
    lambda xs: sum(xs) > 0.01
)


@given(profiles, st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 30)))
def test_it_never_lets_the_seasonal_share_go_down(raw: list[float], day: date) -> None:
    assume((day.month, day.day) != (12, 31))  # the next day starts a new year
    profile = [x / sum(raw) for x in raw]
    today = monthly_share(day, profile)
    assert 0.0 <= today <= monthly_share(day + timedelta(days=1), profile) <= 1.0


@given(profiles, st.lists(st.dates(min_value=date(2000, 1, 1)), min_size=1, max_size=20))
def test_it_gives_the_same_monthly_shares_vectorised_as_one_by_one(
    raw: list[float], days: list[date]
) -> None:
    profile = [x / sum(raw) for x in raw]
    assert monthly_shares(days, profile).tolist() == [monthly_share(d, profile) for d in days]
