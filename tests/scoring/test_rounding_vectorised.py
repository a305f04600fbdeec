"""The vectorised half-up rounding gives exactly the Decimal path's numbers, for any float."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.rounding import MAX_PLACES, round_half_up, round_half_up_array

PLACES = st.integers(0, MAX_PLACES)


def decimal_path(values: list[float], places: int) -> list[float]:
    return [float(round_half_up(v, places)) for v in values]


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1), PLACES)
def test_it_equals_the_decimal_path_for_any_finite_float(values: list[float], places: int) -> None:
    assert round_half_up_array(values, places).tolist() == decimal_path(values, places)


# Decimals of up to 17 digits at any scale: exact halves, and their float neighbours.
decimals = st.builds(
    lambda digits, exponent, sign: sign * float(f"{digits}e{exponent}"),
    st.integers(0, 10**17),
    st.integers(-25, 10),
    st.sampled_from([1.0, -1.0]),
)


@given(st.lists(decimals, min_size=1, max_size=200), PLACES)
def test_it_equals_the_decimal_path_for_decimals_of_every_length(
    values: list[float], places: int
) -> None:
    assert round_half_up_array(values, places).tolist() == decimal_path(values, places)


@given(
    st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=300),
    PLACES,
    st.integers(-3, 3),
)
def test_it_equals_the_decimal_path_next_to_every_half(
    units: list[int], places: int, ulps: int
) -> None:
    # (k + 0.5) / 10**places and its neighbours a few ulps away, many per block, so that the
    # vectorised exact path (not only the one-by-one fallback) is exercised.
    halves = np.array([(k + 0.5) / 10**places for k in units])
    values = halves
    for _ in range(abs(ulps)):
        values = np.nextafter(values, np.inf if ulps > 0 else -np.inf)
    assert round_half_up_array(values, places).tolist() == decimal_path(values.tolist(), places)


def test_it_rounds_the_classic_traps_and_keeps_the_shape() -> None:
    traps = [[2.675, 0.125, 1.005], [-2.675, 8.344999999999999, 2.67499999999999]]
    assert round_half_up_array(traps, 2).tolist() == [[2.68, 0.13, 1.01], [-2.68, 8.35, 2.67]]


def test_it_never_gives_minus_zero() -> None:
    rounded = round_half_up_array([-0.001, -0.0, 0.004], 2)
    assert [math.copysign(1, v) for v in rounded] == [1, 1, 1]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_it_refuses_a_value_that_is_not_a_number(value: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        round_half_up_array([1.0, value], 2)
