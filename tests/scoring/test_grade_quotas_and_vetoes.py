"""Grades in SCORING.md's order: vetoes first, then each grade's quota in score order, a unit
pushed out falling to the next grade it qualifies for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kaohe.scoring import Quota, grade, veto
from kaohe.scoring.grading import GradeRule

THRESHOLDS = {"优秀": 95, "良好": 90, "一般": 80, "较差": None}
CODES = list(THRESHOLDS)


def test_a_quota_cuts_the_excellent_grade_and_a_veto_caps_one_unit() -> None:
    scores = [97.0, 96.2, 93, 91, 85, 70, 98]
    caps = veto([[0], [0], [0], [0], [0], [0], [1]], {"major accident": "良好"}, CODES).caps
    result = grade(scores, THRESHOLDS, quotas={"优秀": 1, "良好": 2}, vetoes=caps)
    # Unit 7 (98) is vetoed down to 良好 before any quota; 优秀's one place goes to unit 1
    # (97); unit 2 (96.2) falls to 良好, whose two places go to units 7 (98) and 2 (96.2);
    # units 3 and 4 (93, 91) are pushed on to 一般.
    assert result.grades == ("优秀", "良好", "一般", "一般", "一般", "较差", "良好")
    assert result.explain(1) == (
        "score 96.2 ≥ 95 qualifies 优秀; 优秀 quota 1 filled by unit 1 (97) → 良好"
    )
    assert result.explain(2) == (
        "score 93 ≥ 90 qualifies 良好; 良好 quota 2 filled by unit 2 (96.2), unit 7 (98) → 一般"
    )
    assert result.explain(6) == "score 98 ≥ 95 qualifies 优秀; veto caps it at 良好 → 良好"
    assert result.explain(5) == "score 70 < 80 qualifies 较差 → 较差"
    assert result.capacities == (1, 2, None, None)


def test_a_unit_pushed_out_of_two_full_grades_falls_twice() -> None:
    result = grade([99, 98, 97], THRESHOLDS, quotas={"优秀": 1, "良好": 1})
    assert result.grades == ("优秀", "良好", "一般")
    assert result.explain(2) == (
        "score 97 ≥ 95 qualifies 优秀; 优秀 quota 1 filled by unit 1 (99); "
        "良好 quota 1 filled by unit 2 (98) → 一般"
    )


def test_tied_units_on_a_quota_boundary_fall_together_by_default() -> None:
    result = grade([97, 96, 96, 91], THRESHOLDS, quotas={"优秀": 2})
    assert result.grades == ("优秀", "良好", "良好", "良好")
    assert "units tied at 96 on its boundary fall together (admitted: unit 1 (97))" in (
        result.explain(1)
    )


def test_tied_units_on_a_boundary_can_be_separated_by_input_order() -> None:
    result = grade([97, 96, 96, 91], THRESHOLDS, quotas={"优秀": 2}, boundary_ties="input_order")
    assert result.grades == ("优秀", "优秀", "良好", "良好")


def test_a_share_quota_rounds_down_unless_the_scheme_says_otherwise() -> None:
    scores = [99, 98, 97, 96, 95]
    down = grade(scores, THRESHOLDS, quotas={"优秀": Quota(share=0.3)})
    assert down.grades.count("优秀") == 1  # 30% of 5 = 1.5 → 1
    up = grade(scores, THRESHOLDS, quotas={"优秀": {"share": 0.3, "rounding": "up"}})
    assert up.grades.count("优秀") == 2
    half = grade(scores, THRESHOLDS, quotas={"优秀": Quota(share=0.3, rounding="half_up")})
    assert half.grades.count("优秀") == 2
    # 30% of 10 is exactly 3, although 0.3 × 10 is 3.0000000000000004 in binary.
    assert grade(list(range(100, 90, -1)), THRESHOLDS, quotas={"优秀": Quota(share=0.3)}).grades[
        :4
    ] == ("优秀", "优秀", "优秀", "良好")


def test_thresholds_may_be_rules_pairs_or_a_mapping() -> None:
    scores = [96, 92, 85, 60]
    as_rules = grade(scores, [GradeRule(c, m) for c, m in THRESHOLDS.items()])
    as_pairs = grade(scores, list(THRESHOLDS.items()))
    as_mapping = grade(scores, THRESHOLDS)
    assert (
        as_rules.grades == as_pairs.grades == as_mapping.grades == ("优秀", "良好", "一般", "较差")
    )


def test_scores_are_compared_at_the_schemes_precision() -> None:
    result = grade([94.996, 94.994], THRESHOLDS, places=2)
    assert result.grades == ("优秀", "良好")  # 94.996 reads 95.00


def test_a_veto_that_does_not_bind_says_so() -> None:
    result = grade([85], THRESHOLDS, vetoes={0: "良好"})
    assert result.grades == ("一般",)
    assert "veto (at most 良好) does not lower it" in result.explain(0)


@given(
    st.lists(st.integers(60, 100), min_size=1, max_size=30),
    st.integers(0, 3),
    st.integers(0, 4),
    st.sampled_from([0.1, 0.2, 0.3, 0.5]),
    st.sampled_from(["together", "input_order"]),
    st.data(),
)
def test_quotas_are_never_exceeded_and_no_unit_rises_above_its_veto_or_its_score(
    scores: list[int],
    excellent: int,
    good: int,
    share: float,
    ties: str,
    data: st.DataObject,
) -> None:
    vetoes = data.draw(
        st.lists(st.sampled_from([None, *CODES]), min_size=len(scores), max_size=len(scores))
    )
    quotas: dict[str, int | Quota] = {"优秀": excellent, "良好": good, "一般": Quota(share=share)}
    result = grade(scores, THRESHOLDS, quotas=quotas, vetoes=vetoes, boundary_ties=ties)
    capacity = [excellent, good, int(share * len(scores) + 1e-9)]
    for k in range(3):
        assert result.grades.count(CODES[k]) <= capacity[k]
    for i, (score, cap) in enumerate(zip(scores, vetoes, strict=True)):
        qualifies = next(k for k, m in enumerate(THRESHOLDS.values()) if m is None or score >= m)
        assert result.index[i] >= qualifies
        if cap is not None:
            assert result.index[i] >= CODES.index(cap)
        assert result.explain(i).endswith(f"→ {result.grades[i]}")


@given(st.lists(st.integers(60, 100), min_size=1, max_size=30), st.integers(0, 4))
def test_a_higher_score_never_gets_a_worse_grade_without_a_veto(
    scores: list[int], excellent: int
) -> None:
    result = grade(scores, THRESHOLDS, quotas={"优秀": excellent, "良好": 3})
    for i, a in enumerate(scores):
        for j, b in enumerate(scores):
            if a > b:
                assert result.index[i] <= result.index[j]
