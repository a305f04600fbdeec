"""Ratings by evaluators (评议 / 民主测评), SCORING.md method 10.

Each evaluator group (county leaders, peer units, the assessment team...) gives every unit
grades or points; a group's item score is the vote-weighted mean, optionally dropping the highest
and the lowest; the groups are then combined by their weights (e.g. 0.2 / 0.4 / 0.4). Only
aggregates leave this module: an evaluator's individual ratings are never part of a result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import make_batch
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.methods import ScoreBatch

#: The usual grade points: excellent, good, fair, poor.
GRADE_POINTS: Mapping[str, float] = {"excellent": 100, "good": 80, "fair": 60, "poor": 40}


@dataclass(frozen=True)
class Group:
    """One evaluator group's ratings: units × evaluators, NaN where an evaluator abstained."""

    name: str
    weight: float
    ratings: npt.ArrayLike
    drop_extremes: bool = False


def _group_means(group: Group) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    r = np.asarray(group.ratings, dtype=np.float64)
    if r.ndim != 2:
        raise ValueError(f"group {group.name}: ratings must be units × evaluators")
    means = np.full(r.shape[0], np.nan)
    counts = np.zeros(r.shape[0], dtype=np.int64)
    for i, row in enumerate(r):
        votes = np.sort(row[~np.isnan(row)])
        if group.drop_extremes and votes.size >= 3:
            votes = votes[1:-1]  # drop one highest and one lowest
        counts[i] = votes.size
        if votes.size:
            means[i] = float(votes.mean())
    return means, counts


def evaluator_rating(groups: Sequence[Group], *, places: int = 2) -> ScoreBatch:
    """The weighted mean over groups of each group's mean rating (points on the rating scale).

    Group weights must sum to 1. A group with no votes for a unit leaves its weight out for that
    unit (the other groups' weights are renormalised), so an abstention neither helps nor hurts.
    """
    weights = np.array([g.weight for g in groups], dtype=np.float64)
    if not groups or np.any(weights < 0) or abs(weights.sum() - 1) > 1e-9:
        raise ValueError("group weights must be non-negative and add up to 1")
    per_group = [_group_means(g) for g in groups]
    means = np.column_stack([m for m, _c in per_group])
    counts = np.column_stack([c for _m, c in per_group])
    present = ~np.isnan(means)
    used = (present * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(used > 0, np.nansum(means * weights, axis=1) / used, 0.0)

    def explain(i: int, s: str) -> tuple[dict[str, float | None], str]:
        inputs: dict[str, float | None] = {
            g.name: (None if np.isnan(means[i, k]) else float(means[i, k]))
            for k, g in enumerate(groups)
        }
        terms = [
            f"{fmt(g.weight)} × {fmt(means[i, k], 4)} ({counts[i, k]} votes)"
            for k, g in enumerate(groups)
            if present[i, k]
        ]
        if not terms:
            return inputs, f"no votes → {s}"
        return inputs, f"({' + '.join(terms)}) / {fmt(used[i])} = {s}"

    params: dict[str, float | str | None] = {
        "groups": ",".join(f"{g.name}:{fmt(g.weight)}" for g in groups),
        "drop_extremes": ",".join(g.name for g in groups if g.drop_extremes) or None,
    }
    return make_batch("evaluator_rating", raw, places, params, explain)
