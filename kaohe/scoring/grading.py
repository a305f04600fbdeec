"""The composite score and grades with thresholds, quotas and vetoes (SCORING.md "Composite,
rank and grade" and method 13).

Order of grading, as SCORING.md states it: a vetoed unit is first removed from every grade above
its veto's cap; then each grade's quota is filled in score order from the units still eligible for
it; a unit pushed out of a full grade falls to the next grade it qualifies for (and may be pushed
on by that grade's quota). Ties at a quota's boundary: units with the same score are admitted or
refused together, so a quota never separates equal scores (it may then admit fewer than its
number, never more). A share quota rounds down unless the scheme says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import make_batch
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.methods import ScoreBatch


def composite(
    components: npt.ArrayLike,
    weights: Sequence[float],
    *,
    bonus: npt.ArrayLike | None = None,
    deduction: npt.ArrayLike | None = None,
    bonus_cap: float | None = None,
    deduction_cap: float | None = None,
    places: int = 2,
) -> ScoreBatch:
    """综合得分: the weighted sum of the components, plus bonuses, minus deductions, each capped.

    ``components`` is units × components (e.g. the county's own appraisal, the quarterly rounds,
    the higher-level results, the evaluators' rating), ``weights`` one per component.
    """
    c = np.asarray(components, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("components must be units × components")
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (c.shape[1],) or np.any(w < 0):
        raise ValueError("one non-negative weight per component")
    if np.any(~np.isfinite(c)):
        raise ValueError("every component needs a score (0 where the scheme gives none)")
    n = c.shape[0]
    b = np.zeros(n) if bonus is None else np.asarray(bonus, dtype=np.float64)
    d = np.zeros(n) if deduction is None else np.asarray(deduction, dtype=np.float64)
    b_used = b if bonus_cap is None else np.minimum(b, bonus_cap)
    d_used = d if deduction_cap is None else np.minimum(d, deduction_cap)
    raw = c @ w + b_used - d_used

    def explain(i: int, s: str) -> tuple[dict[str, float | None], str]:
        inputs: dict[str, float | None] = {f"c{j + 1}": float(v) for j, v in enumerate(c[i])}
        inputs.update(bonus=float(b[i]), deduction=float(d[i]))
        terms = " + ".join(f"{fmt(w[j])} × {fmt(c[i, j])}" for j in range(c.shape[1]))
        return inputs, f"{terms} + {fmt(b_used[i])} − {fmt(d_used[i])} = {s}"

    params: dict[str, float | str | None] = {
        "weights": ",".join(fmt(v) for v in w),
        "bonus_cap": bonus_cap,
        "deduction_cap": deduction_cap,
    }
    return make_batch("composite", raw, places, params, explain)


@dataclass(frozen=True)
class GradeRule:
    """A grade, the least score it needs, and its quota: a count, a share of the category, or
    None for no quota. Rules are listed best first; the last is the grade everyone else gets."""

    code: str
    minimum: float | None
    quota: int | None = None
    share: float | None = None


@dataclass(frozen=True)
class GradeResult:
    grades: tuple[str, ...]
    explanations: tuple[str, ...]


def _capacity(rule: GradeRule, n: int) -> int | None:
    if rule.quota is not None:
        return rule.quota
    if rule.share is not None:
        return math.floor(rule.share * n + 1e-9)  # a share quota rounds down
    return None


def grade(
    scores: npt.ArrayLike,
    rules: Sequence[GradeRule],
    *,
    vetoes: Mapping[int, str] | None = None,
) -> GradeResult:
    """Grades for a category: thresholds, then vetoes, then quotas, in SCORING.md's order.

    ``vetoes`` maps a unit's index to the best grade it may have (一票否决 caps the grade, e.g.
    not 优秀, or 较差 outright). Every unit's explanation says why it got its grade.
    """
    x = np.asarray(scores, dtype=np.float64)
    codes = [r.code for r in rules]
    if len(set(codes)) != len(codes) or not rules or rules[-1].minimum is not None:
        raise ValueError("grades need distinct codes, best first, the last without a minimum")
    vetoes = dict(vetoes or {})
    for unit, cap in vetoes.items():
        if cap not in codes:
            raise ValueError(f"veto of unit {unit} names an unknown grade {cap!r}")
    n = x.size
    # Best grade each unit qualifies for by score and veto (index into rules).
    best = []
    notes: list[list[str]] = [[] for _ in range(n)]
    for i in range(n):
        k = next(j for j, r in enumerate(rules) if r.minimum is None or x[i] >= r.minimum)
        notes[i].append(f"score {fmt(x[i])} qualifies {rules[k].code}")
        if i in vetoes and codes.index(vetoes[i]) > k:
            k = codes.index(vetoes[i])
            notes[i].append(f"veto caps it at {rules[k].code}")
        best.append(k)
    assigned: dict[int, int] = {}
    order = sorted(range(n), key=lambda i: (-x[i], i))
    for k, rule in enumerate(rules):
        candidates = [i for i in order if i not in assigned and best[i] <= k]
        capacity = _capacity(rule, n)
        if capacity is None or len(candidates) <= capacity:
            for i in candidates:
                assigned[i] = k
            continue
        # Fill in score order; equal scores stand or fall together at the boundary.
        admitted = candidates[:capacity]
        if capacity < len(candidates) and capacity > 0:
            edge = x[candidates[capacity]]
            admitted = [i for i in admitted if x[i] > edge]
        for i in admitted:
            assigned[i] = k
        filled = ", ".join(f"unit {i + 1} ({fmt(x[i])})" for i in admitted) or "no unit"
        for i in candidates:
            if i not in assigned:
                notes[i].append(f"{rule.code} quota {capacity} filled by {filled}")
    grades = tuple(rules[assigned[i]].code for i in range(n))
    explanations = tuple(f"{'; '.join(notes[i])} → {grades[i]}" for i in range(n))
    return GradeResult(grades, explanations)


def grade_index(grades: Sequence[str], rules: Sequence[GradeRule]) -> npt.NDArray[np.int64]:
    """Each grade's position in the rules (0 = best), for comparing grades."""
    codes = [r.code for r in rules]
    return np.array([codes.index(g) for g in grades], dtype=np.int64)


__all__ = ["GradeResult", "GradeRule", "ScoreBatch", "composite", "grade", "grade_index"]
