import math

import numpy as np
import pytest

from kaohe.scoring.rank_warnings import RankBands, rank_warning_levels
from kaohe.scoring.warnings import NO_DATA


def test_twelve_townships_bottom_one_red_three_orange_six_yellow() -> None:
    values = np.arange(12, 0, -1, dtype=float)  # unit 0 best ... unit 11 last
    levels = rank_warning_levels(values).levels.tolist()
    assert levels == [0] * 6 + [1] * 3 + [2] * 2 + [3]


def test_lower_is_better_reverses_the_order_and_missing_values_have_no_colour() -> None:
    result = rank_warning_levels([1.0, 5.0, math.nan, 3.0, 2.0], higher_is_better=False)
    # four ranked: bands of 4 give red 1 (the last), orange 1, yellow 2
    assert result.levels.tolist() == [0, 3, NO_DATA, 1, 0]
    assert "rank 4 of 4" in result.explanations[1].arithmetic


def test_units_tied_across_a_boundary_take_the_milder_colour() -> None:
    levels = rank_warning_levels([9.0, 8.0, 7.0, 7.0], bands=RankBands(0.5, 0.25, 0.25)).levels
    # the last place is red, but two units share rank 3: both are yellow (inside the half)
    assert levels.tolist() == [0, 0, 1, 1]


def test_bands_must_nest() -> None:
    with pytest.raises(ValueError):
        RankBands(yellow=0.1, orange=0.2, red=0.05)
