"""The registry: a scheme names a method and its parameters, and they are checked before use."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import numpy as np
import pytest

from kaohe.scoring import METHODS, REGISTRY, bind_method, check_method, score_method
from kaohe.scoring.registry import validate_method

SAMPLES: dict[str, dict[str, Any]] = {
    "completion_ratio": {"cap": 1.2},
    "stepped_completion": {"bonus_per_step": 5},
    "efficacy_coefficient": {"satisfactory": 12, "not_allowed": 6},
    "efficacy_five_standards": {"standards": [16, 12, 8, 4, 1]},
    "rank_points": {"table": [60, 57, 54]},
    "proportional_to_best": {},
    "deduction": {"per_event": 0.5},
    "shortfall_deduction": {"per_unit_points": 1, "unit": 0.01, "relative": True},
    "per_event_points": {"per_event": 0.6},
    "composite_index": {"standards": [100, 50], "weights": [0.6, 0.4]},
    "bonus": {"per_event": {"prefecture": 1, "province": 3, "national": 5}, "cap": 5},
    "rank_bonus": {"out_of": 14},
    "checklist": {"worth": [1, 0.5], "mode": "met"},
    "evaluator_rating": {"weights": {"leaders": 0.2, "peers": 0.4, "team": 0.4}},
    "veto": {"caps": {"accident": "较差"}, "grades": ["优秀", "良好", "一般", "较差"]},
    "composite": {"weights": [0.7, 0.3], "bonus_cap": 5},
    "rank_within": {"ties": "forbid", "places": 2},
    "grade": {"thresholds": {"优秀": 95, "良好": 90, "较差": None}, "quotas": {"优秀": 1}},
}


def test_every_method_of_scoring_md_is_registered_with_a_valid_sample() -> None:
    assert set(REGISTRY) == set(SAMPLES)
    for code, params in SAMPLES.items():
        # The checklist's sample weighs each condition, as bind_method takes it; as a leaf's
        # method it takes one worth (the leaf test below).
        assert validate_method({"kind": code, **params}, leaf=code != "checklist") == [], code


def test_the_designer_offers_only_methods_a_leafs_value_and_target_drive() -> None:
    assert set(METHODS) == {
        "completion_ratio",
        "stepped_completion",
        "efficacy_coefficient",
        "efficacy_five_standards",
        "rank_points",
        "proportional_to_best",
        "deduction",
        "shortfall_deduction",
        "per_event_points",
        "checklist",
    }


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ({"kind": "magic"}, "unknown scoring method 'magic'"),
        ({"kind": "completion_ratio", "cap": 0}, "cap must be at least 0.01, got 0"),
        (
            {"kind": "completion_ratio", "capp": 1.2},
            "unknown parameter 'capp' for completion_ratio",
        ),
        (
            {"kind": "completion_ratio", "cap": 0.5, "floor": 0.6},
            "cap (0.5) must not be below floor",
        ),
        (
            {"kind": "completion_ratio", "all_or_nothing": "yes"},
            "all_or_nothing must be true or false",
        ),
        ({"kind": "stepped_completion", "step": 0}, "step must be at least 0.0001"),
        ({"kind": "efficacy_coefficient", "satisfactory": 6, "not_allowed": 6}, "must differ"),
        ({"kind": "efficacy_coefficient", "satisfactory": 12}, "not_allowed is required"),
        ({"kind": "efficacy_five_standards", "standards": [1, 2, 3]}, "standards must have 5"),
        ({"kind": "efficacy_five_standards", "standards": [1, 3, 2, 4, 5]}, "strictly ordered"),
        ({"kind": "rank_points", "table": [3, 2], "step_share": 0.1}, "either table or step_share"),
        ({"kind": "rank_points", "step_up": 0.1}, "step_up needs last_points"),
        (
            {"kind": "rank_points", "table": [3], "ties": "maybe"},
            "ties must be one of share, forbid",
        ),
        ({"kind": "rank_bonus", "out_of": 2.5}, "out_of must be a whole number"),
        ({"kind": "checklist", "worth": [1, -1]}, "each of worth must be at least 0"),
        ({"kind": "evaluator_rating", "weights": {"a": 0.5, "b": 0.4}}, "must add up to 1"),
        ({"kind": "veto", "caps": {"x": "优"}, "grades": ["优秀"]}, "not in grades"),
        ({"kind": "grade", "thresholds": {"A": 90, "B": 95, "C": None}}, "must fall"),
        ({"kind": "grade", "thresholds": {"A": 90, "B": None}, "quotas": {"B": 1}}, "no quota"),
        (
            {"kind": "grade", "thresholds": {"A": 90, "B": None}, "quotas": {"A": {"share": 2}}},
            "share",
        ),
        ({"kind": "composite", "weights": [1, 2], "names": ["a"]}, "one entry per item"),
    ],
)
def test_a_bad_method_is_refused_with_a_sentence_naming_the_parameter(
    method: dict[str, Any], message: str
) -> None:
    assert any(message in problem for problem in validate_method(method)), validate_method(method)
    with pytest.raises(ValueError, match="scoring method"):
        check_method(method)


def test_every_leaf_method_scores_a_category_through_the_registry() -> None:
    # On a leaf a checklist's value is one count, so each condition is worth the same.
    leaf_samples = SAMPLES | {"checklist": {"worth": 0.5, "mode": "defects"}}
    for code in METHODS:
        batch = score_method(
            {"kind": code, **leaf_samples[code]}, [5.0, 12.0, 1.0], [10.0] * 3, 10.0
        )
        assert len(batch.scores) == 3 and batch.explain(0).method == code


def test_a_method_that_is_not_a_leafs_is_bound_and_called_with_its_own_inputs() -> None:
    with pytest.raises(ValueError, match="bind_method"):
        score_method({"kind": "bonus", **SAMPLES["bonus"]}, [1.0], [1.0], 10.0)
    award = bind_method({"kind": "bonus", **SAMPLES["bonus"]})
    assert award([[1, 1, 0], [0, 1, 1]]).scores == (D("4.00"), D("5.00"))
    graded = bind_method({"kind": "grade", **SAMPLES["grade"]})([97, 96, 80])
    assert graded.grades == ("优秀", "良好", "较差")
    ranks = bind_method({"kind": "rank_bonus", "out_of": 14.0})([1, 14])
    assert ranks.scores == (D("5.00"), D("-5.00"))
    table = {"kind": "per_event_points", "per_event": [[1, 0.6], [0.4, 0.2]]}
    assert any("one number" in p for p in validate_method(table))  # not as a leaf's method
    assert bind_method(table)([[[1, 1], [1, 1]]], 5).scores == (D("2.20"),)
    rating = bind_method({"kind": "evaluator_rating", **SAMPLES["evaluator_rating"]})(
        {"leaders": [[90]], "peers": [[80]], "team": [[np.nan]]}
    )
    assert rating.scores == (D("83.33"),)  # (0.2 × 90 + 0.4 × 80) / 0.6
