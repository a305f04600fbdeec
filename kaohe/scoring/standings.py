"""Standings: units' values or totals within a category turned into ranks.

SCORING.md, "Composite, rank and grade": ranks are computed inside a category; tied units share
the better rank unless the scheme forbids ties (competition ranking: 1, 2, 2, 4), and a scheme
may fix the decimal precision at which scores are compared (two totals that read the same are
tied). Explanations number units from 1 in input order ("unit 3"); TiedError, meant for code,
gives 0-based indices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import FloatArray, direction, frozen
from kaohe.scoring.explain import Explanation
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.lazy import LazySequence
from kaohe.scoring.rounding import round_half_up_array

TIE_POLICIES = ("share", "forbid")


class TiedError(ValueError):
    """The scheme forbids tied values and some units tie; ``groups`` holds their 0-based
    indices, one list per tied value."""

    def __init__(self, groups: list[list[int]]) -> None:
        super().__init__(f"tied values are not allowed: units {groups}")
        self.groups = groups


def competition_ranks(
    totals: npt.ArrayLike, *, higher_is_better: bool = True
) -> npt.NDArray[np.int64]:
    """1-based ranks; equal totals share the better rank and the next rank skips (1, 2, 2, 4).

    A missing total (NaN) ranks after every unit with a total, all missing ones sharing a rank.
    """
    x = np.asarray(totals, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("competition_ranks takes one total per unit")
    key = np.where(np.isnan(x), -np.inf, x if higher_is_better else -x)
    # Count, for each unit, the units strictly ahead of it: its rank is that count plus one.
    ordered = np.sort(key)[::-1]
    ahead = np.searchsorted(-ordered, -key, side="left")
    return (ahead + 1).astype(np.int64)


def tied_groups(values: npt.ArrayLike) -> list[list[int]]:
    """Indices of units sharing a value (NaN never ties), each group in input order, groups in
    order of their first unit."""
    x = np.asarray(values, dtype=np.float64)
    present = np.flatnonzero(~np.isnan(x))
    order = present[np.argsort(x[present], kind="stable")]
    ordered = x[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    if same.size == 0:
        return []
    groups: dict[float, list[int]] = {}
    for j in same:
        group = groups.setdefault(float(ordered[j]), [int(order[j])])
        group.append(int(order[j + 1]))
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def check_ties(policy: str) -> None:
    """ValueError unless ``policy`` is a tie policy a scheme may set: "share" or "forbid"."""
    if policy not in TIE_POLICIES:
        raise ValueError(f"ties must be one of {', '.join(TIE_POLICIES)}, got {policy!r}")


@dataclass(frozen=True, eq=False)
class RankBatch:
    """Ranks of a category, one per unit in input order, with their explanations.

    ``ranks`` (int64, read-only) are 1-based; ``compared`` holds the values as compared (rounded
    to the scheme's places when it sets them); ``explanations[i]`` (built when read) gives the
    rank as its result.
    """

    ranks: npt.NDArray[np.int64]
    compared: FloatArray
    explanations: LazySequence[Explanation]

    def explain(self, i: int) -> Explanation:
        """Unit i's Explanation: its score, how many units are ahead, and its rank."""
        return self.explanations[i]


def rank_within(
    scores: npt.ArrayLike,
    *,
    higher_is_better: bool = True,
    ties: str = "share",
    places: int | None = None,
) -> RankBatch:
    """Rank every unit of a category (SCORING.md "Composite, rank and grade").

    Rank = 1 + the number of units strictly ahead, so ties share the better rank (1, 2, 2, 4);
    ``ties="forbid"`` raises TiedError (a ValueError) naming the tied units' indices instead.
    With ``places`` the scores are first rounded half-up to that precision, so units whose
    scores read the same are tied. A missing score (NaN) ranks after every scored unit.
    """
    check_ties(ties)
    raw = np.asarray(scores, dtype=np.float64)
    if raw.ndim != 1:
        raise ValueError("rank_within takes one score per unit")
    if np.any(np.isinf(raw)):
        raise ValueError("scores must be finite numbers or NaN (no score)")
    x = raw.copy()
    if places is not None:
        present = ~np.isnan(x)
        x[present] = round_half_up_array(x[present], places)
    if ties == "forbid" and (groups := tied_groups(x)):
        raise TiedError(groups)
    ranks = frozen(competition_ranks(x, higher_is_better=higher_is_better))
    frozen(x)
    scored = int(np.sum(~np.isnan(x)))

    def build(i: int) -> Explanation:
        value, rank = float(x[i]), int(ranks[i])
        if math.isnan(value):
            arithmetic = f"no score → rank {rank}, after the {scored} units with a score"
        else:
            ahead = rank - 1
            others = [j + 1 for j in np.flatnonzero(x == value) if j != i]
            tied = f", tied with unit{'s' if len(others) > 1 else ''} " if others else ""
            tied += ", ".join(str(j) for j in others)
            arithmetic = f"{fmt(value)}: {ahead} ahead → rank {rank} of {scored}{tied}"
        return Explanation(
            method="rank_within",
            inputs={"score": None if math.isnan(value) else value, "ahead": float(rank - 1)},
            parameters={
                "direction": direction(higher_is_better),
                "ties": ties,
                "places": places,
            },
            arithmetic=arithmetic,
            result=Decimal(rank),
        )

    return RankBatch(ranks, x, LazySequence(x.size, build))
