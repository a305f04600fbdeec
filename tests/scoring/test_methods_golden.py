"""Worked cases of SCORING.md's methods, each with the number a person gets by hand."""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pytest

from kaohe.scoring.efficacy import efficacy_coefficient, efficacy_five_standards, stepped_completion
from kaohe.scoring.rating import Group, evaluator_rating
from kaohe.scoring.relative import TiedError, composite_index, proportional_to_best, rank_points
from kaohe.scoring.tallies import bonus, checklist, deduction, per_event_points, rank_bonus


def test_the_published_efficacy_coefficient_exam_case_gives_58_73() -> None:
    batch = efficacy_coefficient([5.81], 100, satisfactory=12, not_allowed=6)
    assert batch.scores == (D("58.73"),)
    assert batch.explanations[0].arithmetic == "100 × (0.6 + 0.4 × (5.81 − 6) / (12 − 6)) = 58.73"


def test_efficacy_below_the_not_allowed_value_is_floored_only_when_the_scheme_says_so() -> None:
    assert efficacy_coefficient([0], 100, satisfactory=12, not_allowed=6).scores == (D("20.00"),)
    assert efficacy_coefficient([0], 100, satisfactory=12, not_allowed=6, floor=0.4).scores == (
        D("40.00"),
    )
    assert efficacy_coefficient([20], 100, satisfactory=12, not_allowed=6, cap=1).scores == (
        D("100.00"),
    )


def test_five_standard_values_interpolate_inside_a_band() -> None:
    batch = efficacy_five_standards([15, 9, 3, 20, 0.5], 10, standards=[16, 12, 8, 4, 1])
    # 15: between A (16, 1.0) and B (12, 0.8): 8 + 3/4 × 2 = 9.5; 9: 6 + 1/4 × 2 = 6.5;
    # 3: 2 + 2/3 × 2 = 3.33; above A: 10; below E: 0.
    assert batch.scores == (D("9.50"), D("6.50"), D("3.33"), D("10.00"), D("0.00"))


def test_stepped_completion_gives_plus_5_per_5_percent_above_and_minus_1_per_2_percent_below() -> (
    None
):
    batch = stepped_completion(
        [112, 95, 100, 130, 50],
        [100] * 5,
        100,
        step=0.05,
        bonus_per_step=5,
        penalty_step=0.02,
        penalty_per_step=1,
        ceiling=1.2,
    )
    # 112%: two whole steps → 110; 95%: two whole steps below → 98; 130% capped at 120;
    # 50%: 25 steps below → 75.
    assert batch.scores == (D("110.00"), D("98.00"), D("100.00"), D("120.00"), D("75.00"))


def test_rank_points_by_table_60_57_54_51_48() -> None:
    batch = rank_points([90, 80, 95, 70, 85, 60], 60, table=[60, 57, 54, 51, 48])
    assert batch.scores == (D("57.00"), D("51.00"), D("60.00"), D("48.00"), D("54.00"), D("0.00"))


def test_rank_points_by_rule_ties_share_the_better_rank_and_the_last_has_a_floor() -> None:
    batch = rank_points([90, 90, 80, 70], 10, step_share=0.05, last_points=6)
    assert batch.scores == (D("10.00"), D("10.00"), D("9.00"), D("6.00"))


def test_a_scheme_that_forbids_ties_names_the_tied_units() -> None:
    with pytest.raises(TiedError) as err:
        rank_points([1, 1, 2], 10, table=[10, 9, 8], ties="forbid")
    assert err.value.groups == [[0, 1]]


def test_proportional_to_the_best_mirrors_for_lower_is_better() -> None:
    assert proportional_to_best([50, 100, 80], 10).scores == (D("5.00"), D("10.00"), D("8.00"))
    assert proportional_to_best([2, 4], 10, higher_is_better=False).scores == (
        D("10.00"),
        D("5.00"),
    )


def test_composite_index_is_the_weighted_mean_of_indices() -> None:
    batch = composite_index([[110, 90]], [100, 100], [0.6, 0.4], higher_is_better=[True, False])
    # 100 × (0.6 × 1.1 + 0.4 × 100/90) = 66 + 44.44 = 110.44
    assert batch.scores == (D("110.44"),)


def test_deductions_per_event_stop_at_the_floor() -> None:
    batch = deduction([[1, 0], [3, 2], [0, 0]], 5, per_event=[0.5, 2])
    assert batch.scores == (D("4.50"), D("0.00"), D("5.00"))


def test_bonuses_for_recognitions_are_capped_per_unit() -> None:
    assert bonus([[1, 1, 0], [0, 1, 1]], per_event=[1, 3, 5], cap=5).scores == (
        D("4.00"),
        D("5.00"),
    )


def test_rank_bonus_gives_5_to_1_to_the_first_five_and_minus_1_to_minus_5_to_the_last_five() -> (
    None
):
    scores = rank_bonus([1, 5, 6, 10, 14], out_of=14).scores
    assert scores == (D("5.00"), D("1.00"), D("0.00"), D("-1.00"), D("-5.00"))


def test_per_event_points_sum_by_level_up_to_the_points() -> None:
    # Praised in province, city and county bulletins: 1 + 2 × 0.6 + 3 × 0.4 = 3.4, capped at 3.
    assert per_event_points([[1, 2, 3]], 3, per_event=[1, 0.6, 0.4]).scores == (D("3.00"),)
    assert per_event_points([[0, 1, 1]], 3, per_event=[1, 0.6, 0.4]).scores == (D("1.00"),)


def test_checklists_score_met_conditions_or_deduct_defects() -> None:
    assert checklist([[1, 0, 1]], 2, worth=[1, 0.5, 0.5]).scores == (D("1.50"),)
    assert checklist([[0, 3]], 1, worth=[1, 0.1], mode="defects").scores == (D("0.70"),)


def test_evaluator_ratings_drop_extremes_and_weigh_groups() -> None:
    batch = evaluator_rating(
        [
            Group("leaders", 0.2, [[100, 80, 60]], drop_extremes=True),
            Group("peers", 0.4, [[100, 80]]),
            Group("team", 0.4, [[80, 80, 60, 100]]),
        ]
    )
    # leaders: 80 (100 and 60 dropped); peers 90; team 80 → 0.2 × 80 + 0.4 × 90 + 0.4 × 80 = 84
    assert batch.scores == (D("84.00"),)


def test_an_abstaining_group_leaves_its_weight_out() -> None:
    nan = np.nan
    batch = evaluator_rating([Group("a", 0.5, [[90]]), Group("b", 0.5, [[nan]])])
    assert batch.scores == (D("90.00"),)
