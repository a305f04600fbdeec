"""Completion-ratio scoring (完成率计分), SCORING.md method 1, with its explanation."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.explain import Explanation
from kaohe.scoring.methods import completion_ratio
from kaohe.scoring.rounding import round_half_up


def score(value: float, target: float = 100.0, points: float = 10.0, **kw: object) -> Decimal:
    return completion_ratio([value], [target], points, **kw).scores[0]  # type: ignore[arg-type]


def recompute(explanation: Explanation) -> Decimal:
    """An independent reading of SCORING.md method 1 from an explanation's inputs and parameters."""
    p = explanation.parameters
    points, cap, floor, places = (float(p[k]) for k in ("points", "cap", "floor", "places"))  # type: ignore[arg-type]
    x, t = explanation.inputs["value"], explanation.inputs["target"]
    assert t is not None
    if x is None:
        return round_half_up(0.0, int(places))
    higher = p["direction"] == "higher"
    if p["variant"] == "all_or_nothing":
        ratio = 1.0 if (x >= t if higher else x <= t) else 0.0
    elif higher:
        ratio = x / t if t > 0 else 1.0
    else:
        ratio = t / x if x > 0 else cap
    return round_half_up(points * min(max(ratio, floor), cap), int(places))


def test_it_scores_points_times_the_completion_ratio() -> None:
    batch = completion_ratio([85.0], [100.0], 10.0)
    assert batch.scores == (Decimal("8.50"),)
    explanation = batch.explanations[0]
    assert explanation.method == "completion_ratio"
    assert explanation.arithmetic == "10 × min(85 / 100, 1.0) = 10 × 0.85 = 8.50"
    assert explanation.result == Decimal("8.50")


def test_it_gives_no_credit_for_over_completion_with_a_cap_of_one() -> None:
    assert score(130.0) == Decimal("10.00")


def test_it_credits_over_completion_up_to_a_cap_of_one_point_two() -> None:
    assert score(115.0, cap=1.2) == Decimal("11.50")
    assert score(120.0, cap=1.2) == Decimal("12.00")
    assert score(150.0, cap=1.2) == Decimal("12.00")


def test_it_floors_the_score_at_a_fraction_of_the_points() -> None:
    assert score(10.0, floor=0.3) == Decimal("3.00")
    assert score(40.0, floor=0.3) == Decimal("4.00")
    assert (
        "max(min(10 / 100, 1.0), 0.3)"
        in completion_ratio([10.0], [100.0], 10.0, floor=0.3).explanations[0].arithmetic
    )


def test_it_never_scores_below_zero_by_default() -> None:
    assert score(-20.0) == Decimal("0.00")


def test_it_mirrors_the_ratio_when_lower_is_better() -> None:
    assert score(125.0, higher_is_better=False) == Decimal("8.00")
    assert score(80.0, higher_is_better=False) == Decimal("10.00")
    assert score(80.0, higher_is_better=False, cap=1.2) == Decimal("12.00")
    arithmetic = completion_ratio([125.0], [100.0], 10.0, higher_is_better=False)
    assert arithmetic.explanations[0].arithmetic == "10 × min(100 / 125, 1.0) = 10 × 0.8 = 8.00"


def test_it_gives_the_cap_to_a_lower_is_better_value_of_zero() -> None:
    assert score(0.0, higher_is_better=False, cap=1.2) == Decimal("12.00")


def test_it_gives_full_points_when_the_target_is_zero() -> None:
    assert score(0.0, target=0.0, cap=1.2) == Decimal("10.00")


def test_it_scores_a_missing_value_zero_whatever_the_floor() -> None:
    batch = completion_ratio([np.nan], [100.0], 10.0, floor=0.5)
    assert batch.scores == (Decimal("0.00"),)
    assert batch.raw[0] == 0.0
    assert batch.explanations[0].arithmetic == "no value reported → 0"
    assert batch.explanations[0].inputs["value"] is None


@pytest.mark.parametrize(
    ("value", "higher", "expected"),
    [
        (100.0, True, "10.00"),  # met exactly
        (99.99, True, "0.00"),
        (150.0, True, "10.00"),  # no more than P, even with a cap above 1
        (100.0, False, "10.00"),
        (100.01, False, "0.00"),
    ],
)
def test_it_gives_all_or_nothing_on_the_target(value: float, higher: bool, expected: str) -> None:
    got = score(value, cap=1.2, higher_is_better=higher, all_or_nothing=True)
    assert got == Decimal(expected)


def test_it_floors_an_all_or_nothing_miss_and_says_so() -> None:
    batch = completion_ratio([90.0], [100.0], 10.0, floor=0.2, all_or_nothing=True)
    assert batch.explanations[0].arithmetic == "90 ≥ 100? no → 10 × 0.2 (floor) = 2.00"


def test_it_rounds_half_up_to_the_schemes_places() -> None:
    assert score(100.0, points=2.675) == Decimal("2.68")
    assert score(100.0, points=0.125) == Decimal("0.13")
    assert score(85.0, places=0) == Decimal("9")
    assert score(83.45, places=1) == Decimal("8.3")
    assert score(83.45, places=3) == Decimal("8.345")


def test_it_takes_points_per_unit_and_directions_per_unit() -> None:
    batch = completion_ratio(
        [50.0, 50.0, 200.0], [100.0, 100.0, 100.0], [10.0, 20.0, 6.0], higher_is_better=[1, 1, 0]
    )
    assert batch.scores == (Decimal("5.00"), Decimal("10.00"), Decimal("3.00"))


def test_it_hands_back_the_unrounded_scores_read_only() -> None:
    batch = completion_ratio([1.0], [3.0], 10.0)
    assert batch.raw[0] == pytest.approx(10 / 3)
    with pytest.raises(ValueError, match="read-only"):
        batch.raw[0] = 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cap": 0.0}, "cap must be greater than 0"),
        ({"cap": 0.5, "floor": 0.6}, "must not be below floor"),
        ({"floor": -0.1}, "floor must not be negative"),
        ({"cap": float("nan")}, "finite"),
        ({"places": 7}, "places"),
        ({"places": -1}, "places"),
        ({"targets": [-1.0]}, "targets must not be negative"),
        ({"targets": [np.nan]}, "targets must be finite"),
        ({"points": -1.0}, "points must not be negative"),
        ({"values": [np.inf]}, "values must be finite"),
    ],
)
def test_it_refuses_parameters_that_make_no_sense(kwargs: dict[str, object], message: str) -> None:
    args = {"values": [1.0], "targets": [1.0], "points": 10.0} | kwargs
    with pytest.raises(ValueError, match=message):
        completion_ratio(**args)  # type: ignore[arg-type]


caps = st.sampled_from([0.8, 1.0, 1.2, 1.5])
units = st.tuples(
    st.one_of(st.floats(min_value=-1e6, max_value=1e6), st.just(math.nan)),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=100),
    st.booleans(),
)
options = st.fixed_dictionaries(
    {
        "cap": caps,
        "floor": st.sampled_from([0.0, 0.2, 0.6]),
        "places": st.integers(min_value=0, max_value=4),
        "all_or_nothing": st.booleans(),
    }
)


@given(st.lists(units, min_size=1, max_size=25), options)
def test_it_keeps_every_score_between_the_floor_and_the_cap(
    rows: list[tuple[float, float, float, bool]], opts: dict[str, float]
) -> None:
    x, t, p, hib = (list(col) for col in zip(*rows, strict=True))
    cap, floor = opts["cap"], min(opts["floor"], opts["cap"])
    batch = completion_ratio(x, t, p, higher_is_better=hib, **(opts | {"floor": floor}))  # type: ignore[arg-type]
    for i, (value, _t, points, _h) in enumerate(rows):
        if math.isnan(value):
            assert batch.raw[i] == 0.0
        else:
            assert floor * points <= batch.raw[i] <= cap * points


@given(st.lists(units, min_size=1, max_size=25), options)
def test_it_explains_every_score_so_that_it_can_be_recomputed(
    rows: list[tuple[float, float, float, bool]], opts: dict[str, float]
) -> None:
    x, t, p, hib = (list(col) for col in zip(*rows, strict=True))
    opts = opts | {"floor": min(opts["floor"], opts["cap"])}
    batch = completion_ratio(x, t, p, higher_is_better=hib, **opts)  # type: ignore[arg-type]
    for i, explanation in enumerate(batch.explanations):
        assert explanation.result == batch.scores[i]
        assert recompute(explanation) == batch.scores[i]
        assert explanation.arithmetic.endswith(str(batch.scores[i])) or "no value" in (
            explanation.arithmetic
        )


@given(st.lists(units, min_size=1, max_size=25), options)
def test_it_gives_the_same_scores_vectorised_as_one_by_one(
    rows: list[tuple[float, float, float, bool]], opts: dict[str, float]
) -> None:
    x, t, p, hib = (list(col) for col in zip(*rows, strict=True))
    opts = opts | {"floor": min(opts["floor"], opts["cap"])}
    batch = completion_ratio(x, t, p, higher_is_better=hib, **opts)  # type: ignore[arg-type]
    for i, row in enumerate(rows):
        one = completion_ratio([row[0]], [row[1]], row[2], higher_is_better=row[3], **opts)  # type: ignore[arg-type]
        assert one.scores[0] == batch.scores[i]
        assert one.explanations[0] == batch.explanations[i]
