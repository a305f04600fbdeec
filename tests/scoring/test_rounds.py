"""A round worked by hand: five townships, two leaves, one rating group, a bonus, a deduction,
a veto and a quota that cuts the excellent grade (issue 7's golden case, in pure maths)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kaohe.scoring.rounds import check_rules, compute_round, digest


def golden_inputs() -> dict[str, Any]:
    return {
        "rules": {
            "components": {"own": 0.8, "rating": 0.2},
            "grades": [["优秀", 95], ["良好", 90], ["一般", 80], ["较差", None]],
            "quotas": {"优秀": {"share": 0.4}},
            "vetoes": {"major_accident": "良好"},
            "bonus_cap": 3,
            "deduction_cap": 10,
            "places": 2,
        },
        "categories": {"T1": {"name": "一类乡镇", "total": 100}},
        "units": [{"id": u, "code": f"T0{u}", "category": "T1"} for u in range(1, 6)],
        "indicators": [
            {"id": 10, "code": "A", "method": {"kind": "completion_ratio"}, "points": {"T1": 60}},
            {"id": 11, "code": "B", "method": {"kind": "completion_ratio"}, "points": {"T1": 40}},
        ],
        "values": [
            [1, 10, 100, 100],
            [2, 10, 100, 100],
            [3, 10, 90, 100],
            [4, 10, 100, 100],
            [5, 10, 80, 100],
            [1, 11, 50, 50],
            [2, 11, 50, 50],
            [3, 11, 50, 50],
            [4, 11, 45, 50],
            [5, 11, 50, 50],
        ],
        "ratings": {
            "groups": [{"code": "leaders", "name": "县领导", "weight": 1.0}],
            "tables": {
                "leaders": {
                    "1": [90, 92, 94],
                    "2": [96, 96, 96],
                    "3": [90, 90, 90],
                    "4": [100, 90, 95],
                    "5": [80, 80, 80],
                }
            },
        },
        "adjustments": [
            {"unit": 3, "kind": "bonus", "points": 2, "code": "", "reason": "省级表彰"},
            {"unit": 5, "kind": "deduction", "points": 1.5, "code": "", "reason": "信访扣分"},
            {
                "unit": 2,
                "kind": "veto",
                "points": 0,
                "code": "major_accident",
                "reason": "较大事故",
            },
        ],
    }


def test_every_number_of_the_golden_round_matches_the_hand_working() -> None:
    units = compute_round(golden_inputs())["units"]
    own = {u: units[str(u)]["components"]["own"] for u in range(1, 6)}
    assert own == {1: 100.0, 2: 100.0, 3: 94.0, 4: 96.0, 5: 88.0}
    rating = {u: units[str(u)]["components"]["rating"] for u in range(1, 6)}
    assert rating == {1: 92.0, 2: 96.0, 3: 90.0, 4: 95.0, 5: 80.0}
    composite = {u: units[str(u)]["composite"] for u in range(1, 6)}
    # 0.8 × own + 0.2 × rating, + 2 bonus for T03, − 1.5 for T05
    assert composite == {1: "98.40", 2: "99.20", 3: "95.20", 4: "95.80", 5: "84.90"}
    assert {u: units[str(u)]["rank"] for u in range(1, 6)} == {1: 2, 2: 1, 3: 4, 4: 3, 5: 5}
    # T02 is vetoed down to 良好; of T01, T04 and T03 qualified for 优秀, the 40% quota of five
    # admits two: T03 (95.20, the lowest) is cut to 良好.
    grades = {u: units[str(u)]["grade"] for u in range(1, 6)}
    assert grades == {1: "优秀", 2: "良好", 3: "良好", 4: "优秀", 5: "一般"}
    assert units["2"]["veto"] == "≤ 良好 · 较大事故"
    assert units["3"]["veto"] == ""
    assert "quota" in units["3"]["explanation"]["grade"]


def test_the_same_snapshot_gives_the_same_results_and_hash() -> None:
    first = compute_round(golden_inputs())
    again = compute_round(copy.deepcopy(golden_inputs()))
    assert digest(first) == digest(again)
    changed = golden_inputs()
    changed["values"][2][2] = 91
    assert digest(compute_round(changed)) != digest(first)


def test_a_missing_target_scores_zero_and_says_so() -> None:
    inputs = golden_inputs()
    inputs["values"] = [v for v in inputs["values"] if not (v[0] == 5 and v[1] == 11)]
    unit = compute_round(inputs)["units"]["5"]
    assert unit["components"]["own"] == 48.0
    assert any(line["arithmetic"] == "no target → 0" for line in unit["explanation"]["own"])


def test_rules_are_checked_with_every_problem_named() -> None:
    rules = golden_inputs()["rules"] | {
        "components": {"own": -1, "luck": 0.2},
        "quotas": {"较差": {"count": 1}},
        "vetoes": {"x": "卓越"},
    }
    problems = check_rules(rules)
    assert len(problems) == 4
    with pytest.raises(ValueError):
        compute_round(golden_inputs() | {"rules": rules})


def test_a_leaf_whose_method_cannot_score_stops_the_round_instead_of_publishing_zeros() -> None:
    inputs = golden_inputs()
    inputs["indicators"][0]["method"] = {"kind": "efficacy_coefficient", "satisfactory": 6}
    with pytest.raises(ValueError, match=r"not scored: .*not_allowed"):
        compute_round(inputs)
