"""The composite score (综合得分), SCORING.md "Composite, rank and grade".

Composite = the weighted sum of the components the scheme names (for example the county's own
indicator appraisal, the day-to-day quarterly appraisal, the higher-level appraisal results and
the evaluators' rating), plus bonuses, minus deductions, each capped per unit when the scheme
says so: ``sum(w_j * c_j) + min(bonus, bonus_cap) - min(deduction, deduction_cap)``, the sum
taken left to right (kaohe.scoring.batch).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import FloatArray, ScoreBatch, frozen, left_sum, make_batch, numbers
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.rounding import check_places


def _extra(values: npt.ArrayLike | None, n: int, name: str) -> FloatArray:
    if values is None:
        return np.zeros(n)
    array = np.broadcast_to(np.asarray(values, dtype=np.float64), (n,)).copy()
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers (0 where there is none)")
    return frozen(array)


def _cap(cap: float | None, name: str) -> float:
    if cap is None:
        return math.inf
    if not (math.isfinite(cap) and cap >= 0):
        raise ValueError(f"{name} must be a non-negative number, got {cap}")
    return float(cap)


def composite(
    components: npt.ArrayLike,
    weights: Sequence[float],
    *,
    bonus: npt.ArrayLike | None = None,
    deduction: npt.ArrayLike | None = None,
    bonus_cap: float | None = None,
    deduction_cap: float | None = None,
    names: Sequence[str] | None = None,
    places: int = 2,
) -> ScoreBatch:
    """综合得分: the weighted sum of the components, plus bonuses, minus deductions, each capped.

    ``components`` is units × components, ``weights`` one per component (shares such as 0.7 /
    0.3, or multipliers; not required to add up to 1). ``bonus`` (which may be negative, e.g.
    a rank penalty from ``tallies.rank_bonus``) counts at most ``bonus_cap``; ``deduction``
    (non-negative) at most ``deduction_cap``. ``names`` label the components in the
    explanations' inputs (c1, c2, ... otherwise). Every component needs a score: ValueError for
    NaN (give 0 where the scheme gives none).
    """
    check_places(places)
    c = np.array(components, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("components must be units × components")
    n, m = c.shape
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (m,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("one non-negative weight per component")
    if not np.all(np.isfinite(c)):
        raise ValueError("every component needs a score (0 where the scheme gives none)")
    labels = list(names) if names is not None else [f"c{j + 1}" for j in range(m)]
    if len(labels) != m or {"bonus", "deduction"} & set(labels):
        raise ValueError("one name per component, other than 'bonus' and 'deduction'")
    b, d = _extra(bonus, n, "bonus"), _extra(deduction, n, "deduction")
    if np.any(d < 0):
        raise ValueError("deductions are given as non-negative amounts")
    b_cap, d_cap = _cap(bonus_cap, "bonus_cap"), _cap(deduction_cap, "deduction_cap")
    frozen(c)
    b_used, d_used = np.minimum(b, b_cap), np.minimum(d, d_cap)
    raw = left_sum(c, w) + b_used - d_used

    def explain(i: int, s: str) -> tuple[dict[str, float | None], str]:
        inputs: dict[str, float | None] = {labels[j]: float(c[i, j]) for j in range(m)}
        inputs.update(bonus=float(b[i]), deduction=float(d[i]))
        terms = " + ".join(f"{fmt(w[j])} × {fmt(c[i, j])}" for j in range(m))
        bonus_text = fmt(b_used[i])
        if b_used[i] != b[i]:
            bonus_text = f"min({fmt(b[i])}, {fmt(b_cap)})"
        deduction_text = fmt(d_used[i])
        if d_used[i] != d[i]:
            deduction_text = f"min({fmt(d[i])}, {fmt(d_cap)})"
        return inputs, f"{terms} + {bonus_text} − {deduction_text} = {s}"

    params = {
        "weights": numbers(w),
        "bonus_cap": bonus_cap,
        "deduction_cap": deduction_cap,
    }
    return make_batch("composite", raw, places, params, explain)
