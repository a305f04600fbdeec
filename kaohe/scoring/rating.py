"""Ratings by evaluators (评议 / 民主测评), SCORING.md method 10.

Each evaluator group (county leaders, peer units, the assessment team...) rates every unit,
with points or with grades mapped to points (e.g. 100/80/60/40 for excellent/good/fair/poor);
a group's item score is the vote-weighted mean, optionally dropping the highest and the lowest
vote; the groups are then combined by their weights (e.g. leaders 0.2, peers 0.4, team 0.4).
Only aggregates leave this module: an evaluator's individual ratings are never part of a result.

Two ways to give a group's votes: ``ratings``, units × evaluators (points, or grade codes; NaN,
None or "" where an evaluator abstained), or ``votes``, units × grades, the number of votes for
each grade (columns in the order of ``grade_points``). Dropping the extremes needs at least
three votes and then removes exactly one highest and one lowest vote.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import FloatArray, ScoreBatch, frozen, left_sum, make_batch, numbers
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.rounding import check_places

#: The usual grade points: excellent, good, fair, poor.
GRADE_POINTS: Mapping[str, float] = MappingProxyType(
    {"excellent": 100.0, "good": 80.0, "fair": 60.0, "poor": 40.0}
)
_ABSTAINED = {"", "nan", "None"}


@dataclass(frozen=True)
class Group:
    """One evaluator group: its name, weight, and either ``ratings`` (units × evaluators) or
    ``votes`` (units × grades); ``grade_points`` maps grade codes to points."""

    name: str
    weight: float
    ratings: npt.ArrayLike | None = None
    drop_extremes: bool = False
    votes: npt.ArrayLike | None = None
    grade_points: Mapping[str, float] = field(default_factory=lambda: GRADE_POINTS)


def _points_table(group: Group) -> FloatArray:
    """A ratings table as points, grade codes mapped through ``grade_points``, NaN: abstained."""
    table = np.asarray(group.ratings)
    if table.dtype.kind in "fiub":
        return np.asarray(table, dtype=np.float64)
    codes, inverse = np.unique(table.astype(str), return_inverse=True)
    unknown = [c for c in codes if c not in group.grade_points and c not in _ABSTAINED]
    if unknown:
        raise ValueError(f"group {group.name}: unknown grades {unknown}")
    lookup = np.array([group.grade_points.get(c, math.nan) for c in codes], dtype=np.float64)
    return lookup[inverse].reshape(table.shape)


def group_means(group: Group) -> tuple[FloatArray, FloatArray]:
    """A group's mean rating per unit (NaN without votes) and the number of votes it counts."""
    if (group.ratings is None) == (group.votes is None):
        raise ValueError(f"group {group.name}: give either ratings or votes")
    if group.ratings is not None:
        table = _points_table(group)
        if table.ndim != 2:
            raise ValueError(f"group {group.name}: ratings must be units × evaluators")
        if np.any(np.isinf(table)):
            raise ValueError(f"group {group.name}: ratings must be finite numbers")
        ordered = np.sort(table, axis=1)  # NaN (abstained) sorts last
        count = np.sum(~np.isnan(table), axis=1)
        drop = np.where(group.drop_extremes & (count >= 3), 1, 0)
        total = np.zeros(table.shape[0])
        for j in range(table.shape[1]):  # left to right over the sorted votes kept
            keep = (j >= drop) & (j < count - drop)
            total += np.where(keep, ordered[:, j], 0.0)
        kept = (count - 2 * drop).astype(np.float64)
    else:
        counts = np.asarray(group.votes, dtype=np.float64)
        grades = np.array([float(v) for v in group.grade_points.values()])
        if counts.ndim != 2 or counts.shape[1] != grades.size:
            raise ValueError(f"group {group.name}: votes must be units × {grades.size} grades")
        if not np.all(np.isfinite(counts)) or np.any(counts < 0):
            raise ValueError(f"group {group.name}: votes must be non-negative counts")
        total = left_sum(counts, grades)
        kept = left_sum(counts, np.ones(grades.size))
        if group.drop_extremes:
            has = counts > 0
            by_points = np.argsort(-grades, kind="stable")
            highest = grades[by_points][np.argmax(has[:, by_points], axis=1)]
            lowest = grades[by_points[::-1]][np.argmax(has[:, by_points[::-1]], axis=1)]
            dropping = kept >= 3
            total = np.where(dropping, total - highest - lowest, total)
            kept = np.where(dropping, kept - 2, kept)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(kept > 0, total / kept, math.nan)
    return means, kept


def _votes(count: int) -> str:
    return "1 vote" if count == 1 else f"{count} votes"


def evaluator_rating(
    groups: Sequence[Group] | Mapping[str, npt.ArrayLike],
    *,
    weights: Mapping[str, float] | None = None,
    drop_extremes: bool = False,
    votes: bool = False,
    grade_points: Mapping[str, float] = GRADE_POINTS,
    points: float | None = None,
    full_marks: float = 100.0,
    places: int = 2,
) -> ScoreBatch:
    """评议 / 民主测评, SCORING.md method 10: the weighted mean over groups of each group's mean.

    ``groups`` is a list of Group, or a mapping from a group's name to its table with
    ``weights`` by name (and ``drop_extremes``, ``votes``, ``grade_points`` for every group).
    Group weights must be non-negative and add up to 1. A group with no votes for a unit leaves
    its weight out for that unit (the other groups' weights are renormalised), so an abstention
    neither helps nor hurts; a unit without any vote scores 0. The result is on the rating scale
    (points out of ``full_marks``), or ``points * (mean / full_marks)`` when ``points`` is given.
    """
    check_places(places)
    if isinstance(groups, Mapping):
        if weights is None or set(weights) != set(groups):
            raise ValueError("give one weight for each evaluator group, by name")
        groups = [
            Group(
                name,
                weights[name],
                None if votes else table,
                drop_extremes,
                table if votes else None,
                grade_points,
            )
            for name, table in groups.items()
        ]
    w = np.array([g.weight for g in groups], dtype=np.float64)
    if not groups or np.any(~np.isfinite(w)) or np.any(w < 0) or abs(w.sum() - 1) > 1e-9:
        raise ValueError("group weights must be non-negative and add up to 1")
    if points is not None and not (math.isfinite(points) and points >= 0):
        raise ValueError(f"points must be a non-negative number, got {points}")
    if not (math.isfinite(full_marks) and full_marks > 0):
        raise ValueError(f"full_marks must be positive, got {full_marks}")
    stats = [group_means(g) for g in groups]
    if len({m.size for m, _k in stats}) != 1:
        raise ValueError("every evaluator group must rate the same units")
    means = frozen(np.column_stack([m for m, _k in stats]))
    kept = frozen(np.column_stack([k for _m, k in stats]))
    present = ~np.isnan(means)
    used = left_sum(present.astype(np.float64), w)
    with np.errstate(invalid="ignore", divide="ignore"):  # no votes at all: 0, below
        combined = np.where(used > 0, left_sum(np.where(present, means, 0.0), w) / used, 0.0)
    raw = combined if points is None else points * (combined / full_marks)
    names = [g.name for g in groups]

    def explain(i: int, s: str) -> tuple[dict[str, float | None], str]:
        inputs: dict[str, float | None] = {}
        for k, name in enumerate(names):
            inputs[name] = float(means[i, k]) if present[i, k] else None
            inputs[f"{name} votes"] = float(kept[i, k])
        terms = [
            f"{fmt(w[k])} × {fmt(means[i, k], 4)} ({_votes(int(kept[i, k]))})"
            for k in range(len(names))
            if present[i, k]
        ]
        if not terms:
            return inputs, f"no votes → {s}"
        text = f"({' + '.join(terms)}) / {fmt(used[i])}"
        if points is not None:
            text = f"{fmt(points)} × {text} / {fmt(full_marks)}"
        return inputs, f"{text} = {s}"

    params = {
        "groups": tuple(names),
        "weights": numbers(w),
        "drop_extremes": tuple(g.name for g in groups if g.drop_extremes),
        "points": points,
        "full_marks": full_marks,
    }
    return make_batch("evaluator_rating", raw, places, params, explain)
