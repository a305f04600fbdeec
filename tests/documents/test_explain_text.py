"""Explanations in the reader's language: every phrase the scoring core writes reads in Chinese.

Every leaf method of the registry (with the parameters and inputs that reach each branch of its
explanation), the other methods, grades, ranks, warnings, forecasts, a whole round and the cells
that cannot be scored write their arithmetic; each line, translated into Chinese, must keep no
English word. A new English phrase in kaohe.scoring fails here until it is added to
kaohe.documents.explain_text.PHRASES and translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from django.utils import translation

from kaohe.documents.explain_text import (
    METHOD_NAMES,
    PHRASES,
    component_name,
    explain,
    explain_text,
    localized_name,
    method_name,
    other_name,
)
from kaohe.scoring.composite import composite
from kaohe.scoring.forecast import forecast_year_end, seasonal_profile
from kaohe.scoring.grading import grade
from kaohe.scoring.index import composite_index
from kaohe.scoring.rank_warnings import rank_warning_levels
from kaohe.scoring.rating import Group, evaluator_rating
from kaohe.scoring.registry import METHODS, REGISTRY, score_method
from kaohe.scoring.rounds import compute_round
from kaohe.scoring.standings import rank_within
from kaohe.scoring.state import LeafRule, score_cells
from kaohe.scoring.tallies import bonus, checklist, deduction, per_event_points, rank_bonus
from kaohe.scoring.veto import veto
from kaohe.scoring.warnings import WarningThresholds, warning_levels

NAN = float("nan")
#: Function names that stay in the arithmetic in every language.
ALLOWED = {"min", "max", "NaN"}
WORD = re.compile(r"[A-Za-z]{3,}")

#: Parameter sets that reach every branch of each leaf method's explanation.
LEAF_PARAMS: dict[str, list[dict[str, Any]]] = {
    "completion_ratio": [
        {},
        {"cap": 1.2, "floor": 0.5},
        {"all_or_nothing": True},
        {"all_or_nothing": True, "floor": 0.5},
        {"all_or_nothing": True, "cap": 0.8},
    ],
    "stepped_completion": [
        {"bonus_per_step": 5},
        {"bonus_per_step": 5, "linear": True, "floor": 0.2},
    ],
    "efficacy_coefficient": [
        {"satisfactory": 120, "not_allowed": 60},
        {"satisfactory": 120, "not_allowed": 60, "floor": 0, "cap": 1.2},
        {"satisfactory": 120, "not_allowed": 60, "floor": 0},
    ],
    "efficacy_five_standards": [{"standards": [150, 120, 100, 80, 60]}],
    "rank_points": [
        {"table": [10, 8, 6]},
        {"step_share": 0.1},
        {"step_share": 0.1, "last_points": 2},
        {"last_points": 2, "step_up": 1},
    ],
    "proportional_to_best": [{}],
    "deduction": [{"per_event": 0.5}],
    "per_event_points": [{"per_event": 2}],
    "checklist": [{"worth": 0.5, "mode": "defects"}, {"worth": 1, "mode": "met"}],
    "shortfall_deduction": [
        {},
        {"relative": True, "unit": 0.01, "whole_units": True},
    ],
}
VALUES = np.array([150.0, 100.0, 80.0, 50.0, 0.0, NAN, 100.0])
TARGETS = np.array([100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 0.0])


def _leaf_lines() -> Iterator[str]:
    assert set(LEAF_PARAMS) == set(METHODS), "give sample parameters for every leaf method"
    for code, variants in LEAF_PARAMS.items():
        for params in variants:
            for higher in (True, False):
                targets = TARGETS if code not in {"stepped_completion"} else TARGETS[:-1]
                values = VALUES[: targets.size]
                if code == "shortfall_deduction" and params.get("relative"):
                    values, targets = values[:-1], targets[:-1]
                if code == "proportional_to_best" and not higher:
                    values, targets = values[values > 0], targets[values > 0]
                batch = score_method(
                    {"kind": code, **params}, values, targets, 10.0, higher_is_better=higher
                )
                yield from (e.arithmetic for e in batch.explanations)
    # The best value is 0: nothing to compare with.
    batch = score_method({"kind": "proportional_to_best"}, [0.0, 0.0], [1.0, 1.0], 10.0)
    yield from (e.arithmetic for e in batch.explanations)


def _other_method_lines() -> Iterator[str]:
    yield from (
        e.arithmetic
        for e in composite_index(
            [[90, 5], [110, 4], [NAN, 3]],
            [100, 4],
            [0.6, 0.4],
            higher_is_better=[True, False],
            index_cap=1.2,
        ).explanations
    )
    yield from (
        e.arithmetic for e in bonus([[1, 0, 2], [0, 0, 0]], per_event=[1, 3, 5], cap=5).explanations
    )
    yield from (e.arithmetic for e in rank_bonus([1, 3, 10, NAN], out_of=10).explanations)
    for mode in ("met", "defects"):
        yield from (
            e.arithmetic
            for e in checklist([[1, 0], [1, 1]], 10, worth=[4, 6], mode=mode).explanations
        )
    yield from (e.arithmetic for e in deduction([[1, 2]], 10, per_event=[0.5, 2]).explanations)
    yield from (
        e.arithmetic
        for e in per_event_points(
            [[[1, 0], [0, 2]]], 5, per_event=[[1, 0.6], [0.6, 0.4]]
        ).explanations
    )
    groups = [
        Group(
            "县领导",
            0.4,
            ratings=[[90, 80, 70], [NAN, NAN, NAN], [95, NAN, NAN]],
            drop_extremes=True,
        ),
        Group("部门", 0.6, votes=[[1, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]),
    ]
    yield from (e.arithmetic for e in evaluator_rating(groups).explanations)
    yield from (e.arithmetic for e in evaluator_rating(groups, points=20).explanations)
    caps = veto(
        [[True, False], [True, True], [False, False]], ["良好", "较差"], ["优秀", "良好", "较差"]
    )
    yield from caps.explanations
    yield from veto([[True]], {"重大事故": "较差"}, ["优秀", "较差"]).explanations
    yield from (
        e.arithmetic
        for e in composite(
            [[90, 80], [70, 60]],
            [0.6, 0.4],
            bonus=[4, 1],
            deduction=[0, 12],
            bonus_cap=3,
            deduction_cap=10,
        ).explanations
    )
    yield from (e.arithmetic for e in rank_within([90, 80, 80, 80, NAN, 70]).explanations)
    yield from (e.arithmetic for e in rank_within([90, 90]).explanations)
    scores = [99, 98, 97, 97, 96, 90, 80, 60]
    rules = [("优秀", 95), ("良好", 85), ("一般", 70), ("较差", None)]
    for ties in ("together", "input_order"):
        yield from grade(
            scores,
            rules,
            quotas={"优秀": {"count": 3}, "良好": {"count": 1}},
            vetoes=[None, "良好", None, None, None, "一般", "优秀", None],
            boundary_ties=ties,
        ).explanations
    # Units tied on a quota's boundary fall together; a long list of admitted units is cut.
    yield from grade([99, 98, 97, 97, 90], rules, quotas={"优秀": {"count": 3}}).explanations
    many = [99.0 - k / 10 for k in range(40)]
    yield from grade(many, rules, quotas={"优秀": {"count": 30}}).explanations
    yield from grade([99, 90], rules, quotas={"优秀": {"count": 0}}).explanations


def _warning_lines() -> Iterator[str]:
    thresholds = WarningThresholds(yellow=0, orange=5, red=15)
    values = [60, 48, 40, 20, NAN, 10, 0, 10, 30, 0]
    targets = [100, 100, 100, 100, 100, NAN, 0, 0, 20, 20]
    higher = [True, True, True, True, True, True, True, False, False, False]
    batch = warning_levels(values, targets, 0.5, higher_is_better=higher, thresholds=thresholds)
    yield from (e.arithmetic for e in batch.explanations)
    ranked = rank_warning_levels([90, 80, 70, 60, 50, 40, 30, 20, 10, NAN])
    yield from (e.arithmetic for e in ranked.explanations)


def _forecast_lines() -> Iterator[str]:
    shape = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 1.0])
    twelfths = np.arange(1, 13) / 12.0

    def upto(path: np.ndarray, month: int) -> np.ndarray:
        return np.where(np.arange(1, 13) <= month, path, np.nan)

    trajectories = np.array(
        [
            upto(shape * 300, 5),
            upto(shape * 300, 5),
            upto(shape * 300, 5),
            upto(shape * 300, 5),
            np.full(12, np.nan),
            upto(shape * 50, 1),
        ]
    )
    history = np.stack([np.array([shape * t for t in (100.0, 200.0, 50.0)])] * 6)
    profile = seasonal_profile(history)
    targets = [350.0, 250.0, NAN, 0.0, 100.0, 100.0]
    for prof in (profile, None):
        for month in (5, 2):
            batch = forecast_year_end(
                trajectories,
                month,
                targets,
                twelfths,
                profile=prof,
                higher_is_better=[True, True, True, True, True, False],
            )
            yield from (e.arithmetic for e in batch.explanations)
    # Nothing is expected by the end of January: no forecast.
    empty_start = np.zeros(12)
    empty_start[0] = 0.0
    batch = forecast_year_end(
        upto(np.arange(1, 13) * 10.0, 1)[None], 1, [100.0], np.r_[0.0, twelfths[1:]]
    )
    yield from (e.arithmetic for e in batch.explanations)


def _round() -> dict[str, Any]:
    return {
        "rules": {
            "components": {"own": 0.6, "quarterly": 0.1, "higher": 0.1, "rating": 0.2},
            "grades": [["优秀", 95], ["良好", 90], ["一般", 80], ["较差", None]],
            "quotas": {"优秀": {"share": 0.4}},
            "vetoes": {"重大事故": "良好"},
            "bonus_cap": 3,
            "deduction_cap": 10,
            "places": 2,
        },
        "categories": {"T1": {"name": "一类乡镇", "total": 100}},
        "units": [{"id": u, "code": f"T0{u}", "category": "T1"} for u in range(1, 6)],
        "indicators": [
            {"id": 10, "code": "A", "method": {"kind": "completion_ratio"}, "points": {"T1": 60}},
            {
                "id": 11,
                "code": "B",
                "method": {"kind": "rank_points", "table": [40, 30]},
                "points": {"T1": 40},
            },
        ],
        "values": [
            [1, 10, 100, 100],
            [2, 10, 100, 100],
            [3, 10, 90, 100],
            [4, 10, None, 100],
            [5, 10, 80, None],
            [1, 11, 50, 50],
            [2, 11, 40, 50],
            [3, 11, 50, 50],
        ],
        "quarterly": {"1": 90, "2": 95},
        "higher": {"1": 90},
        "ratings": {
            "groups": [{"code": "leaders", "name": "县领导", "weight": 1.0}],
            "tables": {"leaders": {"1": [90, 92, 94], "2": [96, 96, 96], "3": [90]}},
        },
        "adjustments": [
            {"unit": 3, "kind": "bonus", "points": 2, "code": "", "reason": "省级表彰"},
            {"unit": 5, "kind": "deduction", "points": 1.5, "code": "D1", "reason": "信访扣分"},
            {"unit": 2, "kind": "veto", "points": 0, "code": "重大事故", "reason": "事故"},
        ],
    }


def _round_lines() -> Iterator[str]:
    for unit in compute_round(_round())["units"].values():
        e = unit["explanation"]
        yield e["composite"]
        yield e["rank"]
        yield e["grade"]
        yield from e["components"].values()
        yield from (line["arithmetic"] for line in e["own"])
        yield from e["adjustments"]
    rules = _round()["rules"] | {"components": {"rating": 1.0}}
    for unit in compute_round(_round() | {"rules": rules, "ratings": {}})["units"].values():
        yield from unit["explanation"]["components"].values()


def _state_lines() -> Iterator[str]:
    leaves = [
        LeafRule(1, "A", {"kind": "completion_ratio"}, True, {"T1": 10.0}),
        LeafRule(2, "B", {"kind": "stepped_completion"}, True, {"T1": 10.0}),
    ]
    units = [(1, "T1"), (2, "T1"), (3, "T1")]
    values = {(1, 1): 50.0, (2, 1): None, (3, 1): 60.0, (1, 2): 1.0}
    targets = {(1, 1): 100.0, (2, 1): 100.0, (3, 1): None, (1, 2): 0.0}
    for cell in score_cells(leaves, units, values, targets).values():
        yield cell.arithmetic
    # Valid methods that cannot score the data they are given: "not scored: <problem>".
    failing = [
        (
            LeafRule(3, "C", {"kind": "shortfall_deduction", "relative": True}, True, {"T1": 5.0}),
            [1.0, 2.0],
            [0.0, 1.0],
        ),
        (
            LeafRule(4, "D", {"kind": "proportional_to_best"}, True, {"T1": 5.0}),
            [-1.0, 2.0],
            [1.0, 1.0],
        ),
        (
            LeafRule(5, "E", {"kind": "proportional_to_best"}, False, {"T1": 5.0}),
            [0.0, 2.0],
            [1.0, 1.0],
        ),
        (
            LeafRule(
                6,
                "F",
                {"kind": "rank_points", "table": [5, 3], "ties": "forbid"},
                True,
                {"T1": 5.0},
            ),
            [1.0, 1.0],
            [1.0, 1.0],
        ),
        (
            LeafRule(7, "G", {"kind": "deduction", "per_event": 1}, True, {"T1": 5.0}),
            [-1.0, 1.0],
            [1.0, 1.0],
        ),
        (
            LeafRule(8, "H", {"kind": "completion_ratio"}, True, {"T1": 5.0}),
            [1.0, 1.0],
            [-1.0, 1.0],
        ),
    ]
    two = [(1, "T1"), (2, "T1")]
    for leaf, xs, ts in failing:
        data = {(u, leaf.id): x for (u, _c), x in zip(two, xs, strict=True)}
        goals = {(u, leaf.id): t for (u, _c), t in zip(two, ts, strict=True)}
        for cell in score_cells([leaf], two, data, goals).values():
            assert cell.gap.startswith("not scored: "), cell
            yield cell.arithmetic


def all_lines() -> list[str]:
    lines = [
        *_leaf_lines(),
        *_other_method_lines(),
        *_warning_lines(),
        *_forecast_lines(),
        *_round_lines(),
        *_state_lines(),
    ]
    return [line for line in lines if line]


def _english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def test_every_line_the_scoring_core_writes_reads_in_chinese() -> None:
    lines = all_lines()
    assert len(lines) > 300
    with translation.override("zh-hans"):
        left = {line: explain_text(line) for line in lines if _english_words(explain_text(line))}
    assert left == {}, "add these phrases to kaohe.documents.explain_text.PHRASES"


def test_every_phrase_is_used_by_some_line() -> None:
    """A phrase no line contains any more is dead weight in the catalogue."""
    text = "\n".join(all_lines())
    with translation.override("en"):
        unused = []
        for msgid in PHRASES:
            literal = re.split(r"%\(\w+\)s", msgid)
            if not all(part in text for part in literal if part.strip()):
                unused.append(msgid)
    assert unused == []


def test_english_reads_the_lines_as_the_core_wrote_them() -> None:
    with translation.override("en"):
        for line in all_lines():
            assert explain_text(line) == line


def test_numbers_symbols_and_data_pass_through_untouched() -> None:
    with translation.override("zh-hans"):
        assert explain_text(
            "value 0 ≤ 0, lower is better → ratio = cap; 10 × 1.0 = 10 × 1 = 10.00"
        ) == ("数值 0 ≤ 0，越低越好 → 比率取上限; 10 × 1.0 = 10 × 1 = 10.00")
        assert explain_text("no value reported → 0") == "未报送数值 → 0"
        assert explain_text("no value → 0") == "无数值 → 0"
        assert explain_text("no target → 0") == "无目标值 → 0"
        assert explain_text("not scored: no value reported") == "未计分：未报送数值"
        # A reason typed by a person stays as typed, English words and all.
        assert explain_text("bonus : 省级 bonus 表彰") == "加分 ：省级 bonus 表彰"
        assert (
            explain_text("score 96 ≥ 95 qualifies 优秀 → 优秀") == "得分 96 ≥ 95，达到优秀 → 优秀"
        )
        assert explain_text("") == ""


def test_explain_reads_strings_explanations_stored_dicts_and_scores() -> None:
    batch = score_method({"kind": "completion_ratio"}, [NAN], [100.0], 10.0)
    e = batch.explanations[0]

    class Score:
        explanation = e

    with translation.override("zh-hans"):
        for value in (e.arithmetic, e, e.as_dict(), Score(), {"explanation": e.as_dict()}):
            assert explain(value) == "未报送数值 → 0"
        assert explain(None) == ""


def test_methods_and_components_have_names_in_both_languages() -> None:
    assert set(METHOD_NAMES) >= set(REGISTRY)
    batch = score_method({"kind": "rank_points", "table": [1]}, [1.0], [1.0], 1.0)
    with translation.override("zh-hans"):
        assert method_name("completion_ratio") == "完成率计分"
        assert method_name(batch.explanations[0]) == "排名赋分"
        assert method_name(batch.explanations[0].as_dict()) == "排名赋分"
        assert method_name("unknown_code") == "unknown_code"
        assert method_name(None) == ""
        assert component_name("own") == "县级指标考核"
    with translation.override("en"):
        assert method_name("completion_ratio") == "Completion ratio"
        assert component_name("quarterly") == "Quarterly rounds"


@pytest.mark.parametrize(
    ("lang", "shown", "other"),
    [("zh-hans", "招商引资", "Investment"), ("en", "Investment", "招商引资")],
)
def test_names_follow_the_reader_s_language(lang: str, shown: str, other: str) -> None:
    item = {"name": "招商引资", "name_en": "Investment"}
    with translation.override(lang):
        assert localized_name(item) == shown
        assert other_name(item) == other
        # No English name: the Chinese one in every language, and no other name to add.
        assert localized_name({"name": "招商引资", "name_en": ""}) == "招商引资"
        assert other_name({"name": "招商引资", "name_en": ""}) == ""
        assert localized_name(None) == ""
