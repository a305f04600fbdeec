"""Composite scores and grades: thresholds, vetoes, then quotas, in SCORING.md's order."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring.grading import GradeRule, composite, grade, grade_index

RULES = [
    GradeRule("优秀", 95, quota=1),
    GradeRule("良好", 90, quota=2),
    GradeRule("一般", 80),
    GradeRule("较差", None),
]


def test_a_quota_cuts_an_excellent_grade_and_a_veto_caps_a_unit() -> None:
    result = grade([97, 96, 93, 91, 85, 70, 98], RULES, vetoes={6: "良好"})
    assert result.grades == ("优秀", "良好", "一般", "一般", "一般", "较差", "良好")
    assert "优秀 quota 1 filled by unit 1 (97)" in result.explanations[1]
    assert "veto caps it at 良好" in result.explanations[6]


def test_equal_scores_at_a_quota_boundary_stand_or_fall_together() -> None:
    result = grade([96, 96], RULES)
    assert result.grades == ("良好", "良好")


def test_a_share_quota_rounds_down() -> None:
    rules = [GradeRule("优秀", 90, share=0.3), GradeRule("合格", None)]
    assert grade([99, 98, 97, 96, 95], rules).grades.count("优秀") == 1  # 30% of 5 = 1.5 → 1


def test_the_composite_weighs_components_and_caps_bonus_and_deduction() -> None:
    batch = composite([[90, 80], [85, 95]], [0.7, 0.3], bonus=[3, 6], deduction=[1, 0], bonus_cap=5)
    # 63 + 24 + 3 − 1 = 89; 59.5 + 28.5 + 5 = 93
    assert batch.scores == (D("89.00"), D("93.00"))


SCORES = st.lists(st.integers(60, 100), min_size=1, max_size=25)


@given(SCORES, st.data())
def test_quotas_are_never_exceeded_and_vetoed_units_never_rise_above_their_cap(
    scores: list[int], data: st.DataObject
) -> None:
    vetoes = {
        i: data.draw(st.sampled_from([r.code for r in RULES]))
        for i in data.draw(st.sets(st.integers(0, len(scores) - 1)))
    }
    result = grade(scores, RULES, vetoes=vetoes)
    assert result.grades.count("优秀") <= 1 and result.grades.count("良好") <= 2
    index = grade_index(result.grades, RULES)
    codes = [r.code for r in RULES]
    for unit, cap in vetoes.items():
        assert index[unit] >= codes.index(cap)
    for i, s in enumerate(scores):  # nobody gets a grade above what the score qualifies for
        qualifies = next(k for k, r in enumerate(RULES) if r.minimum is None or s >= r.minimum)
        assert index[i] >= qualifies
