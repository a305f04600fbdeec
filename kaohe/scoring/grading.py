"""Grades with thresholds, quotas and vetoes (SCORING.md "Composite, rank and grade", method 13).

Thresholds: each grade but the last has a minimum score (e.g. 优秀 >= 95, 良好 >= 90, 一般 >= 80,
较差 below), best first; a unit qualifies for the first grade whose minimum its score reaches.
Quotas: a grade may admit at most a count of units, or a share of the category (e.g. 20%),
rounded down unless the scheme says otherwise ("up" or "half_up"); the share is of all the units
graded, taken on the decimal reading of the share (30% of 10 is exactly 3).

Order of application, exactly as SCORING.md states it: a vetoed unit is first removed from every
grade above its veto's cap; then each grade's quota is filled in score order from the units still
eligible for it; a unit pushed out of a full grade falls to the next grade it qualifies for (and
may be pushed on by that grade's quota). The last grade takes everyone left and has no quota.

Ties at a quota's boundary (``boundary_ties``):
- "together" (the default): units with the same score stand or fall together, so a quota never
  separates equal scores. When the units tied on the boundary would not all fit, none of them is
  admitted and all fall to the next grade: the grade may then admit fewer than its quota, never
  more. This is the fairer rule (equal scores, equal grades) and keeps every quota.
- "input_order": the quota is filled in score order and, among equal scores, in input order
  (the order the scheme lists its units): exactly the quota is admitted.
Scores are compared as given, or rounded half-up to ``places`` first when set, so scores that
read the same are tied. Explanations number units from 1 in input order ("unit 3").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from kaohe.scoring.composite import composite
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.lazy import LazySequence
from kaohe.scoring.rounding import round_half_up_array

__all__ = [
    "BOUNDARY_TIES",
    "SHARE_ROUNDING",
    "GradeResult",
    "GradeRule",
    "Quota",
    "composite",
    "grade",
    "grade_index",
]

SHARE_ROUNDING = {"down": ROUND_FLOOR, "up": ROUND_CEILING, "half_up": ROUND_HALF_UP}
BOUNDARY_TIES = ("together", "input_order")
_LISTED = 5  # units named in a "quota filled by" note before "and N more"


@dataclass(frozen=True)
class Quota:
    """A grade's quota: at most ``count`` units, or ``share`` of the category rounded by
    ``rounding`` ("down", as a rule; "up"; "half_up")."""

    count: int | None = None
    share: float | None = None
    rounding: str = "down"

    def __post_init__(self) -> None:
        if (self.count is None) == (self.share is None):
            raise ValueError("a quota is either a count or a share")
        if self.count is not None and (
            isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0
        ):
            raise ValueError(f"a quota count must be a whole number, not negative: {self.count}")
        if self.share is not None and not 0 <= self.share <= 1:
            raise ValueError(f"a quota share must lie between 0 and 1, got {self.share}")
        if self.rounding not in SHARE_ROUNDING:
            raise ValueError(f"rounding must be one of {', '.join(SHARE_ROUNDING)}")

    def capacity(self, units: int) -> int:
        """How many of ``units`` the grade may admit."""
        if self.count is not None:
            return self.count
        assert self.share is not None
        exact = Decimal(repr(float(self.share))) * units
        return int(exact.quantize(Decimal(1), rounding=SHARE_ROUNDING[self.rounding]))


@dataclass(frozen=True)
class GradeRule:
    """A grade, the least score it needs (None for the last grade, which takes everyone left),
    and its quota: a count, a share of the category (rounded by ``rounding``), or neither."""

    code: str
    minimum: float | None
    quota: int | None = None
    share: float | None = None
    rounding: str = "down"

    def as_quota(self) -> Quota | None:
        """The rule's quota, or None when it has none."""
        if self.quota is None and self.share is None:
            return None
        return Quota(self.quota, self.share, self.rounding)


@dataclass(frozen=True, eq=False)
class GradeResult:
    """Grades of a category, one per unit in input order, with a sentence each saying why.

    ``index`` is each final grade's position (0 = best); ``qualified`` the grade each score
    reaches by thresholds alone; ``capped`` the best grade left after vetoes; ``capacities`` the
    quota of each grade in units (None: no quota).
    """

    grades: tuple[str, ...]
    explanations: Sequence[str]
    index: npt.NDArray[np.int64]
    qualified: npt.NDArray[np.int64]
    capped: npt.NDArray[np.int64]
    capacities: tuple[int | None, ...]

    def explain(self, i: int) -> str:
        """Why unit i has its grade."""
        return self.explanations[i]


Thresholds = Sequence[GradeRule] | Sequence[tuple[str, float | None]] | Mapping[str, float | None]
QuotaLike = int | Quota | Mapping[str, Any]


def _rules(thresholds: Thresholds, quotas: Mapping[str, QuotaLike] | None) -> list[GradeRule]:
    items: list[Any] = (
        list(thresholds.items()) if isinstance(thresholds, Mapping) else list(thresholds)
    )
    rules = [r if isinstance(r, GradeRule) else GradeRule(str(r[0]), r[1]) for r in items]
    codes = [r.code for r in rules]
    if not rules or len(set(codes)) != len(codes):
        raise ValueError("grades need distinct codes, best first")
    if rules[-1].minimum is not None or any(r.minimum is None for r in rules[:-1]):
        raise ValueError("every grade but the last needs a minimum; the last takes everyone left")
    minimums = [float(r.minimum) for r in rules[:-1] if r.minimum is not None]
    if not all(math.isfinite(m) for m in minimums) or any(a <= b for a, b in pairwise(minimums)):
        raise ValueError("grade minimums must be finite and fall from the best grade down")
    for code in quotas or {}:
        if code not in codes:
            raise ValueError(f"a quota names an unknown grade {code!r}")
    return rules


def _quota(rule: GradeRule, given: QuotaLike | None) -> Quota | None:
    if given is None:
        return rule.as_quota()
    if isinstance(given, Quota):
        return given
    if isinstance(given, Mapping):
        return Quota(given.get("count"), given.get("share"), given.get("rounding", "down"))
    return Quota(count=given)


def _veto_index(
    vetoes: Mapping[int, str] | Sequence[str | None] | None, n: int, codes: list[str]
) -> npt.NDArray[np.int64]:
    index = np.zeros(n, dtype=np.int64)
    if vetoes is None:
        return index
    pairs = vetoes.items() if isinstance(vetoes, Mapping) else enumerate(vetoes)
    if not isinstance(vetoes, Mapping) and len(vetoes) != n:
        raise ValueError("give one veto (or None) per unit")
    for unit, cap in pairs:
        if cap is None:
            continue
        if cap not in codes:
            raise ValueError(f"veto of unit {unit} names an unknown grade {cap!r}")
        if not 0 <= unit < n:
            raise ValueError(f"veto names unit {unit}, outside the category")
        index[unit] = codes.index(cap)
    return index


def grade(
    scores: npt.ArrayLike,
    thresholds: Thresholds,
    *,
    quotas: Mapping[str, QuotaLike] | None = None,
    vetoes: Mapping[int, str] | Sequence[str | None] | None = None,
    boundary_ties: str = "together",
    places: int | None = None,
) -> GradeResult:
    """Grades for a category: thresholds, then vetoes, then quotas, in SCORING.md's order.

    ``thresholds`` lists the grades best first: GradeRule objects, ``(code, minimum)`` pairs or
    a mapping ``{code: minimum}``, the last grade's minimum None (e.g. ``{"优秀": 95, "良好":
    90, "一般": 80, "较差": None}``). ``quotas`` maps a grade to a count, a Quota, or
    ``{"count": n}`` / ``{"share": 0.2, "rounding": "down"}`` (overriding a GradeRule's own).
    ``vetoes`` gives the best grade allowed per unit: a mapping from a unit's index, or one
    entry per unit (None for no veto), e.g. ``veto(...).caps``. Ties at a quota boundary follow
    ``boundary_ties`` (module docstring). Every unit's explanation says why it got its grade.
    """
    if boundary_ties not in BOUNDARY_TIES:
        raise ValueError(f"boundary_ties must be one of {', '.join(BOUNDARY_TIES)}")
    rules = _rules(thresholds, quotas)
    codes = [r.code for r in rules]
    x = np.array(scores, dtype=np.float64)
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise ValueError("grade takes one finite score per unit")
    if places is not None:
        x = round_half_up_array(x, places)
    n = x.size
    plan = [_quota(r, (quotas or {}).get(r.code)) for r in rules]
    if plan[-1] is not None:
        raise ValueError(f"the last grade, {codes[-1]}, takes everyone left: it has no quota")
    capacities = tuple(None if q is None else q.capacity(n) for q in plan)
    minimums = np.array([r.minimum for r in rules[:-1]], dtype=np.float64)
    # The first grade whose minimum the score reaches: the count of minimums above the score.
    qualified = np.sum(x[:, None] < minimums[None, :], axis=1).astype(np.int64)
    veto_index = _veto_index(vetoes, n, codes)
    capped = np.maximum(qualified, veto_index)
    final = np.full(n, -1, dtype=np.int64)
    filled: list[tuple[npt.NDArray[np.int64], float | None]] = []
    for k, capacity in enumerate(capacities):
        candidates = np.flatnonzero((final < 0) & (capped <= k))
        if capacity is None or candidates.size <= capacity:
            final[candidates] = k
            filled.append((candidates, None))
            continue
        # Score order, then input order (lexsort sorts by its last key first).
        ordered = candidates[np.lexsort((candidates, -x[candidates]))]
        admitted, edge = ordered[:capacity], None
        tied = capacity > 0 and x[ordered[capacity]] == x[ordered[capacity - 1]]
        if boundary_ties == "together" and tied:
            edge = float(x[ordered[capacity]])
            admitted = admitted[x[admitted] > edge]
        final[admitted] = k
        filled.append((np.sort(admitted), edge))
    for array in (final, qualified, capped, x):
        array.setflags(write=False)

    def build(i: int) -> str:
        q = int(qualified[i])
        if rules[q].minimum is not None:
            notes = [f"score {fmt(x[i])} ≥ {fmt(minimums[q])} qualifies {codes[q]}"]
        else:
            notes = [f"score {fmt(x[i])} < {fmt(minimums[-1])} qualifies {codes[q]}"]
        if veto_index[i] > q:
            notes.append(f"veto caps it at {codes[veto_index[i]]}")
        elif vetoes is not None and veto_index[i] > 0:
            notes.append(f"veto (at most {codes[veto_index[i]]}) does not lower it")
        for k in range(int(capped[i]), int(final[i])):
            admitted, edge = filled[k]
            named = [f"unit {j + 1} ({fmt(x[j])})" for j in admitted[:_LISTED].tolist()]
            if admitted.size > _LISTED:
                named.append(f"and {admitted.size - _LISTED} more")
            who = ", ".join(named) or "no unit"
            if edge is not None and x[i] == edge:
                notes.append(
                    f"{codes[k]} quota {capacities[k]}: units tied at {fmt(edge)} on its "
                    f"boundary fall together (admitted: {who})"
                )
            else:
                notes.append(f"{codes[k]} quota {capacities[k]} filled by {who}")
        return f"{'; '.join(notes)} → {codes[final[i]]}"

    return GradeResult(
        tuple(codes[k] for k in final.tolist()),
        LazySequence(n, build),
        final,
        qualified,
        capped,
        capacities,
    )


def grade_index(grades: Sequence[str], rules: Sequence[GradeRule]) -> npt.NDArray[np.int64]:
    """Each grade's position in the rules (0 = best), for comparing grades."""
    codes = [r.code for r in rules]
    return np.array([codes.index(g) for g in grades], dtype=np.int64)
