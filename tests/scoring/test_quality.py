"""Data-quality flags: robust outliers, falling cumulative values, implausible values."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.quality import OUTLIER_Z, modified_z, value_flags

CATEGORY = [100, 104, 98, 110, 95, 102, 99, 101]


def test_a_value_far_from_its_category_is_flagged_with_its_robust_z_score() -> None:
    (flag,) = value_flags(400, category_values=CATEGORY)
    assert flag.code == "category_outlier" and flag.reference == 100.5
    # MAD of the category is 2.0: 0.6745 * (400 - 100.5) / 2 = 101.006 -> 101.01
    assert flag.score == 101.01


def test_a_value_within_its_category_raises_nothing() -> None:
    assert value_flags(106, category_values=CATEGORY) == []


def test_one_wild_peer_does_not_hide_an_outlier_as_a_mean_z_score_would() -> None:
    skewed = [*CATEGORY, 10_000]
    assert [f.code for f in value_flags(400, category_values=skewed)] == ["category_outlier"]
    mean_z = (400 - np.mean(skewed)) / np.std(skewed)
    assert abs(mean_z) < 1  # the plain z-score would have missed it


def test_too_few_peers_say_nothing() -> None:
    assert value_flags(400, category_values=[100, 101, 99]) == []


def test_a_jump_against_the_units_own_history_is_flagged() -> None:
    flags = value_flags(55, history=[10, 11, 9, 12, 10, 11])
    assert [f.code for f in flags] == ["history_outlier"]


def test_a_cumulative_value_that_falls_is_flagged() -> None:
    (flag,) = value_flags(80, previous_cumulative=95)
    assert (flag.code, flag.reference) == ("cumulative_fell", 95)


def test_a_value_beyond_its_plausible_bounds_is_flagged() -> None:
    assert [f.code for f in value_flags(130, bounds=(0, 100))] == ["out_of_bounds"]
    assert [f.code for f in value_flags(-1, bounds=(0, None))] == ["out_of_bounds"]


def test_when_most_values_are_equal_the_mean_deviation_stands_in_for_the_mad() -> None:
    z = modified_z([5, 6], [5, 5, 5, 5, 5, 9])
    assert z[0] == 0 and z[1] > 0 and np.isfinite(z[1])


# Figures as units report them: at most two decimals, within a billion.
FIGURES = st.integers(-(10**11), 10**11).map(lambda n: n / 100)


@given(
    st.lists(FIGURES, min_size=5, max_size=40),
    FIGURES,
    st.integers(1, 1000).map(lambda n: n / 10),
)
def test_the_z_score_does_not_change_when_every_value_is_shifted_and_scaled(
    ref: list[float], x: float, k: float
) -> None:
    a = modified_z([x], ref)[0]
    b = modified_z([x * k + 7], [r * k + 7 for r in ref])[0]
    if np.isfinite(a) and abs(a) < 1e6:
        assert abs(a - b) <= 1e-6 * max(1.0, abs(a))
    flagged = abs(a) > OUTLIER_Z
    assert flagged == (abs(b) > OUTLIER_Z) or abs(abs(a) - OUTLIER_Z) < 1e-6
