"""Properties every method keeps: bounds, monotonicity, mirroring, explanations that recompute."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.registry import METHODS, score_method, validate_method
from kaohe.scoring.rounding import round_half_up

VALUES = st.lists(st.integers(1, 100_000).map(lambda n: n / 100), min_size=2, max_size=20)
CASES = {
    "completion_ratio": ({"kind": "completion_ratio", "cap": 1.2}, 0.0, 1.2),
    "stepped_completion": (
        {"kind": "stepped_completion", "step": 0.05, "bonus_per_step": 1, "penalty_per_step": 1},
        0.0,
        1.2,
    ),
    "efficacy_coefficient": (
        {
            "kind": "efficacy_coefficient",
            "satisfactory": 800,
            "not_allowed": 100,
            "floor": 0,
            "cap": 1,
        },
        0.0,
        1.0,
    ),
    "efficacy_five_standards": (
        {"kind": "efficacy_five_standards", "standards": [800, 600, 400, 200, 100]},
        0.0,
        1.0,
    ),
    "rank_points": ({"kind": "rank_points", "step_share": 0.1}, 0.0, 1.0),
    "proportional_to_best": ({"kind": "proportional_to_best"}, 0.0, 1.0),
}


@pytest.mark.parametrize("kind", sorted(CASES))
@given(values=VALUES, points=st.integers(1, 100))
def test_scores_stay_within_the_methods_bounds(kind: str, values: list[float], points: int) -> None:
    method, low, high = CASES[kind]
    batch = score_method(method, values, [500.0] * len(values), float(points))
    raw = np.asarray(batch.raw)
    assert np.all(raw >= low * points - 1e-9) and np.all(raw <= high * points + 1e-9)


@pytest.mark.parametrize("kind", sorted(CASES))
@given(values=VALUES)
def test_a_higher_value_never_scores_less_when_higher_is_better(
    kind: str, values: list[float]
) -> None:
    method = CASES[kind][0]
    batch = score_method(method, values, [500.0] * len(values), 10.0)
    order = np.argsort(values, kind="stable")
    raw = np.asarray(batch.raw)[order]
    assert np.all(np.diff(raw) >= -1e-9)


@pytest.mark.parametrize(
    "kind", ["completion_ratio", "stepped_completion", "rank_points", "proportional_to_best"]
)
@given(values=VALUES)
def test_lower_is_better_mirrors_it(kind: str, values: list[float]) -> None:
    method = CASES[kind][0]
    batch = score_method(method, values, [500.0] * len(values), 10.0, higher_is_better=False)
    order = np.argsort(values, kind="stable")
    raw = np.asarray(batch.raw)[order]
    assert np.all(np.diff(raw) <= 1e-9)


@pytest.mark.parametrize("kind", sorted(CASES))
@given(values=VALUES)
def test_every_explanation_ends_in_its_rounded_score(kind: str, values: list[float]) -> None:
    batch = score_method(CASES[kind][0], values, [500.0] * len(values), 10.0)
    for score, raw, explanation in zip(batch.scores, batch.raw, batch.explanations, strict=True):
        assert explanation.result == score == round_half_up(float(raw), 2)
        assert explanation.arithmetic.endswith(str(score))


@given(values=VALUES)
def test_the_efficacy_explanation_recomputes_its_score(values: list[float]) -> None:
    method = CASES["efficacy_coefficient"][0]
    batch = score_method(method, values, [1.0] * len(values), 10.0)
    for e in batch.explanations:
        x, p = e.inputs["value"], e.parameters
        assert x is not None
        share = float(p["base"] or 0.6) + (1 - float(p["base"] or 0.6)) * (x - 100) / (800 - 100)
        expected = 10 * min(max(share, 0.0), 1.0)
        assert e.result == round_half_up(expected, 2)


@pytest.mark.parametrize(
    ("method", "problem"),
    [
        ({"kind": "magic"}, "unknown scoring method"),
        ({"kind": "completion_ratio", "cap": -1}, "cap must be at least"),
        ({"kind": "completion_ratio", "cap": "high"}, "cap must be a number"),
        ({"kind": "completion_ratio", "bogus": 1}, "unknown parameter"),
        ({"kind": "efficacy_coefficient", "satisfactory": 12}, "not_allowed is required"),
        ({"kind": "efficacy_five_standards", "standards": [1, 2]}, "must have 5 numbers"),
        ({"kind": "rank_points"}, "either table or step_share"),
        ({"kind": "rank_points", "table": [3, 2], "ties": "maybe"}, "ties must be one of"),
    ],
)
def test_a_bad_method_description_is_named_before_it_is_used(
    method: dict[str, object], problem: str
) -> None:
    assert any(problem in p for p in validate_method(method))
    with pytest.raises(ValueError):
        score_method(method, [1.0], [1.0], 10.0)


def test_every_registered_method_scores_a_small_category() -> None:
    samples = {
        "efficacy_coefficient": {"satisfactory": 12, "not_allowed": 6},
        "efficacy_five_standards": {"standards": [16, 12, 8, 4, 1]},
        "rank_points": {"table": [10, 8, 6]},
        "deduction": {"per_event": 0.5},
        "per_event_points": {"per_event": 1},
        "checklist": {"worth": 0.5, "mode": "defects"},
    }
    for kind in METHODS:
        method = {"kind": kind, **samples.get(kind, {})}
        batch = score_method(method, [5.0, 9.0, 1.0], [10.0, 10.0, 10.0], 10.0)
        assert len(batch.scores) == 3 and all(isinstance(s, Decimal) for s in batch.scores)
