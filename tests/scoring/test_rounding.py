"""Rounding policy: half-up on the decimal representation, at the end, to the scheme's places."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.rounding import MAX_PLACES, round_array, round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (2.675, 2, "2.68"),  # binary 2.67499999..., but the scheme reads "2.675"
        (0.125, 2, "0.13"),
        (1.005, 2, "1.01"),
        (2.5, 0, "3"),
        (3.5, 0, "4"),
        (8.5, 0, "9"),
        (-2.675, 2, "-2.68"),
        (2.674999, 2, "2.67"),
        (12.0, 2, "12.00"),
        (0.0, 3, "0.000"),
    ],
)
def test_it_rounds_half_up_on_the_decimal_representation(
    value: float, places: int, expected: str
) -> None:
    assert str(round_half_up(value, places)) == expected


def test_it_rounds_away_the_noise_of_binary_arithmetic() -> None:
    product = 10 * 0.8345  # 8.344999999999999 in float64
    assert round_half_up(product, 2) == Decimal("8.35")


def test_it_takes_a_decimal_exactly_as_it_is() -> None:
    assert round_half_up(Decimal("2.67499999999999999"), 2) == Decimal("2.67")
    assert round_half_up(Decimal("2.675"), 2) == Decimal("2.68")


def test_it_never_gives_minus_zero() -> None:
    assert str(round_half_up(-0.001, 2)) == "0.00"
    assert str(round_half_up(Decimal("-0.0001"), 2)) == "0.00"


@pytest.mark.parametrize("places", [-1, MAX_PLACES + 1, 2.0, True])
def test_it_refuses_places_outside_the_scheme_range(places: object) -> None:
    with pytest.raises(ValueError, match="places"):
        round_half_up(1.0, places)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_it_refuses_to_round_a_value_that_is_not_a_number(value: float | Decimal) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        round_half_up(value, 2)


def test_it_rounds_an_array_in_order() -> None:
    assert round_array(np.array([2.675, 0.125, 1.0]), 2) == [
        Decimal("2.68"),
        Decimal("0.13"),
        Decimal("1.00"),
    ]


@given(st.floats(min_value=-1e9, max_value=1e9), st.integers(min_value=0, max_value=MAX_PLACES))
def test_it_stays_within_half_a_unit_of_the_last_place(value: float, places: int) -> None:
    rounded = round_half_up(value, places)
    assert rounded.as_tuple().exponent == -places
    assert abs(float(rounded) - value) <= 0.5 * 10.0**-places + 1e-9 * max(1.0, abs(value))


def test_it_rounds_numbers_of_any_size() -> None:
    assert round_half_up(1e180, 6) == Decimal("1e180")
    assert round_half_up(Decimal("1e50"), 2) == Decimal("1e50")
