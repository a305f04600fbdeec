"""More worked cases of SCORING.md, each with the number a person gets by hand."""

from __future__ import annotations

import json
import math
from decimal import Decimal as D

import pytest

from kaohe.scoring import (
    Group,
    TiedError,
    composite,
    efficacy_coefficient,
    efficacy_five_standards,
    evaluator_rating,
    per_event_points,
    rank_points,
    rank_within,
    shortfall_deduction,
    stepped_completion,
    veto,
)
from kaohe.scoring.tallies import checklist


def test_the_exam_case_explains_itself_with_its_inputs_and_parameters() -> None:
    e = efficacy_coefficient([5.81], 100, satisfactory=12, not_allowed=6).explain(0)
    assert e.result == D("58.73")
    assert e.inputs == {"value": 5.81}
    assert e.parameters["satisfactory"] == 12 and e.parameters["not_allowed"] == 6
    assert e.parameters["base"] == 0.6 and e.parameters["places"] == 2


def test_efficacy_mirrors_when_the_satisfactory_value_is_the_lower_one() -> None:
    # Energy use: satisfactory 2, not allowed 5; 3 gives 60 + 40 × (3 − 5) / (2 − 5) = 86.67.
    assert efficacy_coefficient([3], 100, satisfactory=2, not_allowed=5).scores == (D("86.67"),)


def test_stepped_completion_plus_5_per_5_percent_up_to_120_and_minus_1_per_2_percent() -> None:
    batch = stepped_completion(
        [112, 115, 95, 99, 120, 125],
        100,
        100,
        step=0.05,
        bonus_per_step=5,
        penalty_step=0.02,
        penalty_per_step=1,
        ceiling=1.2,
    )
    # 112%: 2 whole steps → 110; 115%: 3 steps (not 2.9999…) → 115; 95%: 2 steps below → 98;
    # 99%: no whole step below → 100; 120% and 125%: the ceiling, 120.
    assert batch.scores == tuple(
        D(s) for s in ("110.00", "115.00", "98.00", "100.00", "120.00", "120.00")
    )
    assert batch.explain(1).arithmetic == "115 / 100 = 115%; 100 + 3 × 5, within [0, 120] = 115.00"


def test_stepped_completion_can_be_linear_inside_a_step_and_mirrors_for_lower() -> None:
    linear = stepped_completion([112, 95], 100, 100, bonus_per_step=5, linear=True)
    # 112%: 2.4 steps × 5 = +12; 95%: 2.5 steps of 2% × 1 = −2.5.
    assert linear.scores == (D("112.00"), D("97.50"))
    lower = stepped_completion([90], 100, 100, bonus_per_step=5, higher_is_better=False)
    # Energy use 90 against a ceiling of 100: completion 100 / 90 = 111.1%, 2 whole steps.
    assert lower.scores == (D("110.00"),)


def test_five_standard_values_mirror_when_lower_is_better() -> None:
    # A = 1 (best) ... E = 16; 3 lies between B (4, 0.8) and A (1, 1.0): 8 + 1/3 × 2 = 8.67.
    batch = efficacy_five_standards([3, 0.5, 20], 10, standards=[1, 4, 8, 12, 16])
    assert batch.scores == (D("8.67"), D("10.00"), D("0.00"))


def test_rank_points_table_with_ties_sharing_the_better_rank() -> None:
    batch = rank_points([95, 90, 90, 80, 70, 65], 60, table=[60, 57, 54, 51, 48], beyond_table=40)
    # Ranks 1, 2, 2, 4, 5, 6: the tied units both get 57, the next rank skips to 4.
    assert batch.scores == tuple(
        D(s) for s in ("60.00", "57.00", "57.00", "51.00", "48.00", "40.00")
    )


def test_rank_points_from_the_bottom_last_gets_a_floor_and_each_place_up_more() -> None:
    batch = rank_points([1, 3, 2, math.nan], 10, last_points=6, step_up=0.1, places=1)
    assert batch.scores == (D("6.0"), D("6.2"), D("6.1"), D("0.0"))


def test_a_scheme_that_forbids_ties_gets_the_tied_units_named() -> None:
    with pytest.raises(ValueError, match=r"units \[\[1, 3\]\]"):
        rank_points([5, 7, 6, 7], 10, step_share=0.1, ties="forbid")


def test_ranks_within_a_category_share_the_better_rank() -> None:
    ranks = rank_within([90, 95, 95, 80])
    assert ranks.ranks.tolist() == [3, 1, 1, 4]
    assert ranks.explain(1).arithmetic == "95: 0 ahead → rank 1 of 4, tied with unit 3"
    assert ranks.explain(1).result == D(1)
    assert rank_within([80, 90, 90, 95], higher_is_better=False).ranks.tolist() == [1, 2, 2, 4]


def test_ranks_compare_scores_at_the_schemes_precision() -> None:
    assert rank_within([95.004, 95.0, 94.996], places=2).ranks.tolist() == [1, 1, 1]
    assert rank_within([95.004, 95.0], places=3).ranks.tolist() == [1, 2]
    with pytest.raises(TiedError) as err:
        rank_within([95.004, 95.0], places=2, ties="forbid")
    assert err.value.groups == [[0, 1]]


def test_a_deduction_per_percent_of_shortfall() -> None:
    # −1 point per 1% below target, 10 points: 92% of target → 2; at or above target → 10.
    batch = shortfall_deduction(
        [92, 100.5, 79], 100, 10, per_unit_points=1, unit=0.01, relative=True
    )
    assert batch.scores == (D("2.00"), D("10.00"), D("0.00"))


def test_per_event_points_by_kind_and_level() -> None:
    # A county township scheme: bulletin province/city/county 1/0.6/0.4, newspaper 0.6/0.4/0.2,
    # website 0.1 at any level. One province bulletin, two city newspapers, three websites.
    table = [[1, 0.6, 0.4], [0.6, 0.4, 0.2], [0.1, 0.1, 0.1]]
    counts = [[[1, 0, 0], [0, 2, 0], [1, 1, 1]]]
    batch = per_event_points(counts, 5, per_event=table)
    assert batch.scores == (D("2.10"),)
    assert batch.explain(0).inputs["n2.2"] == 2.0


def test_a_defect_that_forfeits_the_item_is_worth_its_points() -> None:
    # No plan submitted: 0; late: −0.1; each missing item: −0.1 (a published county scheme).
    worth = {"no plan": 2.0, "late": 0.1, "missing item": 0.1}
    batch = checklist([[0, 1, 3], [1, 0, 0]], 2, worth=worth, mode="defects")
    assert batch.scores == (D("1.60"), D("0.00"))
    assert batch.explain(0).inputs == {"no plan": 0.0, "late": 1.0, "missing item": 3.0}


def test_evaluator_votes_by_grade_drop_the_extremes_and_weigh_the_groups() -> None:
    # Votes for excellent/good/fair/poor (100/80/60/40), the highest and lowest vote dropped.
    # Leaders, 4 votes: 3 × 100, 1 × 80 → drop a 100 and the 80 → 100. Peers, 10 votes:
    # 5 × 100, 3 × 80, 2 × 60 → drop a 100 and a 60 → (400 + 240 + 60) / 8 = 87.5. Team,
    # 4 votes: 2 × 80, 2 × 60 → drop an 80 and a 60 → 70.
    batch = evaluator_rating(
        {"leaders": [[3, 1, 0, 0]], "peers": [[5, 3, 2, 0]], "team": [[0, 2, 2, 0]]},
        weights={"leaders": 0.2, "peers": 0.4, "team": 0.4},
        votes=True,
        drop_extremes=True,
    )
    # 0.2 × 100 + 0.4 × 87.5 + 0.4 × 70 = 83.
    assert batch.scores == (D("83.00"),)
    graded = evaluator_rating(
        [Group("leaders", 0.5, [["excellent", "good", ""]]), Group("peers", 0.5, [[90, 70]])],
        points=10,
    )
    # leaders (100 + 80) / 2 = 90 (one abstained); peers 80 → 85 of 100 → 8.5 of 10 points.
    assert graded.scores == (D("8.50"),)


def test_a_composite_worked_by_hand() -> None:
    # Own appraisal 92.5 × 0.6 + quarterly 88 × 0.2 + higher-level 90 × 0.1 + rating 84 × 0.1
    # = 55.5 + 17.6 + 9 + 8.4 = 90.5; bonus 6 capped at 5; deduction 1.5 → 94.00.
    batch = composite(
        [[92.5, 88, 90, 84]],
        [0.6, 0.2, 0.1, 0.1],
        bonus=[6],
        deduction=[1.5],
        bonus_cap=5,
        names=["own", "quarterly", "higher", "rating"],
    )
    assert batch.scores == (D("94.00"),)
    assert batch.explain(0).arithmetic == (
        "0.6 × 92.5 + 0.2 × 88 + 0.1 × 90 + 0.1 × 84 + min(6, 5) − 1.5 = 94.00"
    )


def test_a_veto_caps_the_grade_at_the_strictest_of_its_events() -> None:
    grades = ["优秀", "良好", "一般", "较差"]
    caps = {"major accident": "较差", "disciplinary case": "良好"}
    result = veto([[False, True], [False, False], [True, True]], caps, grades)
    assert result.caps == ("良好", None, "较差")
    assert result.explain(0) == "disciplinary case → at most 良好"
    assert result.explain(1) == "no veto"
    assert result.explain(2).endswith("→ at most 较差")


def test_an_explanation_with_a_rank_table_turns_into_json() -> None:
    e = rank_points([95, 90], 60, table=[60, 57, 54]).explain(1)
    data = json.loads(json.dumps(e.as_dict(), allow_nan=False))
    assert data["parameters"]["table"] == [60.0, 57.0, 54.0]
    assert data["inputs"] == {"value": 90.0, "rank": 2.0, "ranked": 2.0}
    assert data["result"] == "57.00"
