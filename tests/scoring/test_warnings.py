"""Warning levels by the gap between completion and the time schedule (SCORING.md, Warnings)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.warnings import (
    LOWER_IS_BETTER_MAX_COMPLETION,
    NO_DATA,
    Level,
    WarningThresholds,
    level_code,
    warning_levels,
)


def level_of(value: float, target: float = 100.0, schedule: float = 0.5, **kw: object) -> int:
    return int(warning_levels([value], [target], [schedule], **kw).levels[0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (60.0, Level.GREEN),  # ahead of schedule
        (50.0, Level.GREEN),  # gap exactly 0: on schedule
        (49.99, Level.YELLOW),  # just behind
        (45.0, Level.YELLOW),  # gap exactly 5
        (44.99, Level.ORANGE),
        (35.0, Level.ORANGE),  # gap exactly 15, (0.5 - 0.35) * 100 = 15.000000000000002 in floats
        (34.99, Level.RED),
        (0.0, Level.RED),
    ],
)
def test_it_colours_by_points_behind_schedule_with_each_boundary_in_the_milder_colour(
    value: float, expected: Level
) -> None:
    assert level_of(value) == expected


def test_it_gives_orange_just_past_five_points_behind() -> None:
    assert level_of(44.999) == Level.ORANGE


def test_it_gives_red_just_past_fifteen_points_behind() -> None:
    assert level_of(34.999) == Level.RED


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (100.0, 100.0, Level.GREEN),  # at the ceiling
        (80.0, 100.0, Level.GREEN),  # under it
        (100.0, 95.0, Level.YELLOW),  # completion 95%, gap exactly 5
        (100.0, 94.99, Level.ORANGE),
        (100.0, 85.0, Level.ORANGE),  # gap exactly 15
        (100.0, 84.99, Level.RED),
    ],
)
def test_it_mirrors_the_levels_when_lower_is_better(
    value: float, target: float, expected: Level
) -> None:
    assert level_of(value, target, schedule=1.0, higher_is_better=False) == expected


def test_it_treats_a_lower_is_better_value_of_zero_as_fully_compliant() -> None:
    batch = warning_levels([0.0], [3.0], [1.0], higher_is_better=False)
    assert batch.levels[0] == Level.GREEN
    assert batch.completion[0] == LOWER_IS_BETTER_MAX_COMPLETION
    assert "lower is better" in batch.explanations[0].arithmetic


def test_it_counts_any_excess_over_a_zero_ceiling_as_no_completion() -> None:
    batch = warning_levels([1.0], [0.0], [1.0], higher_is_better=False)
    assert batch.completion[0] == 0.0
    assert batch.levels[0] == Level.RED


def test_it_treats_a_zero_target_as_nothing_due() -> None:
    batch = warning_levels([0.0], [0.0], [1.0])
    assert batch.completion[0] == 1.0
    assert batch.levels[0] == Level.GREEN
    assert "target 0" in batch.explanations[0].arithmetic


def test_it_keeps_a_missing_value_apart_from_the_colours() -> None:
    batch = warning_levels([np.nan, 50.0], [100.0, 100.0], 0.5)
    assert batch.levels.tolist() == [NO_DATA, Level.GREEN]
    assert math.isnan(batch.completion[0])
    assert math.isnan(batch.gap[0])
    explanation = batch.explanations[0]
    assert explanation.arithmetic == "no value reported"
    assert explanation.inputs["value"] is None
    assert level_code(NO_DATA) == "no_data"


def test_it_marks_a_unit_without_a_target_as_no_data() -> None:
    batch = warning_levels([50.0], [np.nan], 0.5)
    assert batch.levels[0] == NO_DATA
    assert batch.explanations[0].arithmetic == "no target set"


def test_it_explains_the_colour_with_the_actual_numbers() -> None:
    batch = warning_levels([85.0], [200.0], [5 / 12])
    explanation = batch.explanations[0]
    assert explanation.method == "warning_schedule"
    assert explanation.arithmetic == (
        "completion 85 / 200 = 42.5%; schedule 41.7%; gap -0.83 pt ≤ 0 → green"
    )
    assert explanation.parameters == {
        "direction": "higher",
        "yellow": 0.0,
        "orange": 5.0,
        "red": 15.0,
    }
    assert int(explanation.result) == Level.GREEN
    json.dumps(explanation.as_dict(), allow_nan=False)


def test_it_shows_enough_digits_for_the_gap_not_to_contradict_its_band() -> None:
    arithmetic = warning_levels([44.999], [100.0], [0.5]).explanations[0].arithmetic
    assert "gap 5.001 pt in (5, 15] → orange" in arithmetic


def test_it_uses_the_schemes_own_thresholds() -> None:
    th = WarningThresholds(yellow=2, orange=10, red=20)
    assert [level_of(v, thresholds=th) for v in (48, 47.9, 40, 39.9, 30, 29.9)] == [
        Level.GREEN,
        Level.YELLOW,
        Level.YELLOW,
        Level.ORANGE,
        Level.ORANGE,
        Level.RED,
    ]


@pytest.mark.parametrize(
    ("yellow", "orange", "red"),
    [(6, 5, 15), (0, 16, 15), (-1, 5, 15), (0, 5, float("nan")), (0, 5, float("inf"))],
)
def test_it_refuses_thresholds_out_of_order(yellow: float, orange: float, red: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        WarningThresholds(yellow=yellow, orange=orange, red=red)


def test_it_gives_each_level_its_colour_code() -> None:
    assert [lv.code for lv in Level] == ["green", "yellow", "orange", "red"]


@pytest.mark.parametrize(
    ("values", "targets", "schedule", "message"),
    [
        ([1.0], [-1.0], [0.5], "targets"),
        ([np.inf], [1.0], [0.5], "values"),
        ([1.0], [1.0], [1.5], "schedule"),
        ([1.0], [1.0], [np.nan], "schedule"),
        ([[1.0]], [1.0], [0.5], "one-dimensional"),
    ],
)
def test_it_refuses_inputs_it_cannot_colour(
    values: object, targets: object, schedule: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        warning_levels(values, targets, schedule)  # type: ignore[arg-type]


def test_it_hands_back_read_only_int8_levels() -> None:
    batch = warning_levels([1.0, 2.0], [2.0, 2.0], 0.5)
    assert batch.levels.dtype == np.int8
    with pytest.raises(ValueError, match="read-only"):
        batch.levels[0] = 3


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
thresholds = st.lists(st.floats(min_value=0, max_value=100), min_size=3, max_size=3).map(
    lambda xs: WarningThresholds(*sorted(xs))
)


@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0.01, max_value=1e6),
    finite,
    finite,
    thresholds,
)
def test_it_never_gives_a_milder_colour_to_a_unit_further_behind(
    schedule: float, target: float, a: float, b: float, th: WarningThresholds
) -> None:
    ahead, behind = max(a, b), min(a, b)
    batch = warning_levels([ahead, behind], [target, target], schedule, thresholds=th)
    assert batch.gap[0] <= batch.gap[1]
    assert batch.levels[0] <= batch.levels[1]


rows = st.tuples(
    st.one_of(finite, st.just(float("nan"))),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=1),
    st.booleans(),
)


@given(st.lists(rows, min_size=1, max_size=30), thresholds)
def test_it_gives_the_same_warnings_vectorised_as_one_by_one(
    units: list[tuple[float, float, float, bool]], th: WarningThresholds
) -> None:
    x, t, s, hib = (list(col) for col in zip(*units, strict=True))
    batch = warning_levels(x, t, s, higher_is_better=hib, thresholds=th)
    for i, unit in enumerate(units):
        one = warning_levels(
            [unit[0]], [unit[1]], [unit[2]], higher_is_better=unit[3], thresholds=th
        )
        assert batch.levels[i] == one.levels[0]
        assert batch.explanations[i] == one.explanations[0]
        assert int(batch.explanations[i].result) == batch.levels[i]
