"""Properties of every method, called directly: scores stay within the method's bounds, never fall
when a higher-is-better value rises, and lower-is-better mirrors it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring import (
    Group,
    ScoreBatch,
    bonus,
    checklist,
    completion_ratio,
    composite,
    composite_index,
    deduction,
    efficacy_coefficient,
    efficacy_five_standards,
    evaluator_rating,
    per_event_points,
    proportional_to_best,
    rank_points,
    shortfall_deduction,
    stepped_completion,
)

P = 20.0
TARGET = 500.0
values = st.lists(st.integers(1, 100_000).map(lambda n: n / 100), min_size=2, max_size=25)

# Each method scoring a category of values, for one direction, and the bounds of its scores.
Scorer = Callable[[list[float], bool], ScoreBatch]
METHODS: dict[str, tuple[Scorer, tuple[float, float]]] = {
    "completion_ratio": (
        lambda x, h: completion_ratio(x, TARGET, P, cap=1.2, floor=0.1, higher_is_better=h),
        (0.1 * P, 1.2 * P),
    ),
    "stepped_completion": (
        lambda x, h: stepped_completion(
            x, TARGET, P, bonus_per_step=1, penalty_per_step=0.5, floor=0.2, higher_is_better=h
        ),
        (0.2 * P, 1.2 * P),
    ),
    "stepped_completion linear": (
        lambda x, h: stepped_completion(
            x, TARGET, P, bonus_per_step=5, linear=True, ceiling=1.5, higher_is_better=h
        ),
        (0.0, 1.5 * P),
    ),
    "efficacy_coefficient": (
        lambda x, h: efficacy_coefficient(
            x,
            P,
            satisfactory=800 if h else 100,
            not_allowed=100 if h else 800,
            floor=0.3,
            cap=1.1,
        ),
        (0.3 * P, 1.1 * P),
    ),
    "efficacy_five_standards": (
        lambda x, h: efficacy_five_standards(
            x, P, standards=[800, 600, 400, 200, 100] if h else [100, 200, 400, 600, 800]
        ),
        (0.0, P),
    ),
    "rank_points table": (
        lambda x, h: rank_points(
            x, P, table=[20, 18, 16, 14, 12], beyond_table=10, higher_is_better=h
        ),
        (10.0, 20.0),
    ),
    "rank_points top rule": (
        lambda x, h: rank_points(x, P, step_share=0.05, higher_is_better=h),
        (0.0, P),
    ),
    "rank_points bottom rule": (
        lambda x, h: rank_points(x, P, last_points=12, step_up=0.5, higher_is_better=h),
        (12.0, P),
    ),
    "proportional_to_best": (
        lambda x, h: proportional_to_best(x, P, higher_is_better=h),
        (0.0, P),
    ),
    "shortfall_deduction": (
        lambda x, h: shortfall_deduction(
            x, TARGET, P, per_unit_points=1, unit=0.05, relative=True, floor=2, higher_is_better=h
        ),
        (2.0, P),
    ),
    "composite_index": (
        lambda x, h: composite_index(
            [[v, 50.0] for v in x],
            [TARGET, 40.0],
            [0.7, 0.3],
            higher_is_better=[h, True],
            index_cap=1.2,
        ),
        (0.0, 120.0),
    ),
}


@pytest.mark.parametrize("name", sorted(METHODS))
@given(x=values, higher=st.booleans())
def test_scores_never_leave_the_methods_bounds(name: str, x: list[float], higher: bool) -> None:
    score, (low, high) = METHODS[name]
    batch = score(x, higher)
    assert np.all(batch.raw >= low - 1e-9) and np.all(batch.raw <= high + 1e-9)
    assert np.all(batch.rounded >= low - 1e-9) and np.all(batch.rounded <= high + 1e-9)


@pytest.mark.parametrize("name", sorted(METHODS))
@given(x=values)
def test_a_higher_value_never_scores_less_when_higher_is_better(name: str, x: list[float]) -> None:
    batch = METHODS[name][0](x, True)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(batch.raw[order]) >= -1e-9)
    assert np.all(np.diff(batch.rounded[order]) >= 0)


@pytest.mark.parametrize("name", sorted(METHODS))
@given(x=values)
def test_a_higher_value_never_scores_more_when_lower_is_better(name: str, x: list[float]) -> None:
    batch = METHODS[name][0](x, False)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(batch.raw[order]) <= 1e-9)
    assert np.all(np.diff(batch.rounded[order]) <= 0)


counts = st.lists(st.lists(st.integers(0, 9), min_size=3, max_size=3), min_size=1, max_size=20)


def _one_more(table: list[list[int]], kind: int) -> list[list[int]]:
    return [[c + (j == kind) for j, c in enumerate(row)] for row in table]


@given(counts, st.integers(0, 2))
def test_events_and_ticks_move_the_score_one_way_within_bounds(
    table: list[list[int]], kind: int
) -> None:
    more = _one_more(table, kind)
    each = [0.5, 2.0, 0.1]
    cases: list[tuple[Callable[[list[list[int]]], ScoreBatch], int, tuple[float, float]]] = [
        (lambda t: deduction(t, P, per_event=each, floor=1), -1, (1.0, P)),
        (lambda t: per_event_points(t, P, per_event=each), 1, (0.0, P)),
        (lambda t: bonus(t, per_event=each, cap=5), 1, (-5.0, 5.0)),
        (lambda t: checklist(t, P, worth=each), 1, (0.0, P)),
        (lambda t: checklist(t, P, worth=each, mode="defects"), -1, (0.0, P)),
    ]
    for score, sign, (low, high) in cases:
        before, after = score(table).raw, score(more).raw
        assert np.all(sign * (after - before) >= -1e-9)
        assert np.all((before >= low) & (before <= high))


@given(
    st.lists(st.lists(st.integers(0, 100), min_size=2, max_size=2), min_size=1, max_size=10),
    st.integers(0, 1),
)
def test_a_better_component_never_lowers_the_composite(rows: list[list[int]], j: int) -> None:
    better = [[c + 5 * (k == j) for k, c in enumerate(r)] for r in rows]
    before = composite(rows, [0.6, 0.4], bonus=[2] * len(rows), bonus_cap=1).raw
    after = composite(better, [0.6, 0.4], bonus=[2] * len(rows), bonus_cap=1).raw
    assert np.all(after >= before)


@given(
    st.lists(st.lists(st.sampled_from([40, 60, 80, 100]), min_size=5, max_size=5), min_size=1),
    st.booleans(),
)
def test_a_better_vote_never_lowers_the_rating_and_it_stays_on_the_scale(
    rows: list[list[int]], drop: bool
) -> None:
    better = [[min(r[0] + 20, 100), *r[1:]] for r in rows]

    def score(table: list[list[int]]) -> np.ndarray:
        return evaluator_rating([Group("all", 1.0, table, drop_extremes=drop)]).raw

    assert np.all(score(better) >= score(rows))
    assert np.all((score(rows) >= 40) & (score(rows) <= 100))
