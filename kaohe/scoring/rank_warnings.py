"""Warning by rank (排名预警): for an indicator scored among peers, the colour of a unit is its
standing in its category, not its pace against a schedule.

An indicator scored relatively (rank points, proportional to the best) has no meaningful time
schedule for a single unit: what matters is where it stands. With ``RankBands(yellow, orange,
red)`` as shares of the category counted from the bottom, the last ``floor(red × n)`` places are
red (at least the last place once the category has three units), the next up to
``floor(orange × n)`` orange, up to ``floor(yellow × n)`` yellow, the rest green. Ranks are
competition ranks (ties share the better rank, kaohe.scoring.standings), so units tied across a
boundary all take the milder colour. A unit without a value has ``NO_DATA``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kaohe.scoring.explain import Explanation
from kaohe.scoring.lazy import LazySequence
from kaohe.scoring.standings import competition_ranks
from kaohe.scoring.warnings import NO_DATA, Level

#: Scoring methods whose indicators warn by rank.
RELATIVE_METHODS = frozenset({"rank_points", "proportional_to_best"})


@dataclass(frozen=True)
class RankBands:
    """Shares of a category from the bottom that are yellow, orange and red (nested)."""

    yellow: float = 0.5
    orange: float = 0.25
    red: float = 0.1

    def __post_init__(self) -> None:
        if not 0 <= self.red <= self.orange <= self.yellow <= 1:
            raise ValueError("rank bands need 0 <= red <= orange <= yellow <= 1")

    def counts(self, n: int) -> tuple[int, int, int]:
        """How many places from the bottom are red, orange or worse, yellow or worse."""
        red = math.floor(Decimal(repr(self.red)) * n)
        if n >= 3 and self.red > 0:
            red = max(red, 1)
        orange = max(red, math.floor(Decimal(repr(self.orange)) * n))
        yellow = max(orange, math.floor(Decimal(repr(self.yellow)) * n))
        return red, orange, yellow


@dataclass(frozen=True, eq=False)
class RankWarnings:
    levels: npt.NDArray[np.int8]
    ranks: npt.NDArray[np.int64]
    explanations: LazySequence[Explanation]


def rank_warning_levels(
    values: npt.ArrayLike, *, higher_is_better: bool = True, bands: RankBands | None = None
) -> RankWarnings:
    """The colour of each unit of one category by its rank among those with a value."""
    bands = bands or RankBands()
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("one value per unit")
    present = ~np.isnan(x)
    n = int(present.sum())
    ranks = competition_ranks(x, higher_is_better=higher_is_better)
    red, orange, yellow = bands.counts(n)
    # Places from the bottom: the last unit is 1. Ties share the better rank, so the milder colour.
    from_bottom = n - ranks + 1
    levels = np.full(x.size, NO_DATA, dtype=np.int8)
    levels[present] = Level.GREEN
    levels[present & (from_bottom <= yellow)] = Level.YELLOW
    levels[present & (from_bottom <= orange)] = Level.ORANGE
    levels[present & (from_bottom <= red)] = Level.RED

    def build(i: int) -> Explanation:
        if not present[i]:
            text = "no value reported"
        else:
            text = (
                f"rank {int(ranks[i])} of {n}; the last {red} red, {orange} orange or worse, "
                f"{yellow} yellow or worse → {Level(int(levels[i])).name.lower()}"
            )
        return Explanation(
            method="rank_warning",
            inputs={"value": None if not present[i] else float(x[i]), "rank": float(ranks[i])},
            parameters={"yellow": bands.yellow, "orange": bands.orange, "red": bands.red},
            arithmetic=text,
            result=Decimal(int(levels[i])),
        )

    return RankWarnings(levels, ranks, LazySequence(x.size, build))
