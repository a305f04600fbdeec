"""Methods that score a unit against the others of its category (SCORING.md methods 5 and 6).

Rank points (排名赋分 / 争先进位): the units are ranked on their values and a table or a rule
maps the rank to points. Proportional to the best (标杆法): ``P * x / max(x)``, or
``P * min(x) / x`` when lower is better. The composite index (method 7) lives in
kaohe.scoring.index and is re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import ScoreBatch, category, direction, make_batch, numbers, per_unit
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.index import composite_index
from kaohe.scoring.rounding import check_places
from kaohe.scoring.standings import TiedError, check_ties, competition_ranks, tied_groups

__all__ = ["TiedError", "composite_index", "proportional_to_best", "rank_points", "rank_rule"]


def rank_rule(
    table: Sequence[float] | None,
    step_share: float | None,
    last_points: float | None,
    step_up: float | None,
) -> str:
    """Which rank rule the settings name: "table", "top" (1st gets P, each place lower
    ``step_share`` of P less) or "bottom" (last gets ``last_points``, each place up
    ``step_up`` more). ValueError unless exactly one is named."""
    named = [
        rule
        for rule, given in (
            ("table", table is not None),
            ("top", step_share is not None),
            ("bottom", step_up is not None),
        )
        if given
    ]
    if len(named) != 1:
        raise ValueError(
            "rank_points needs either table or step_share (or last_points with step_up), "
            "exactly one of them"
        )
    if named[0] == "bottom" and last_points is None:
        raise ValueError("rank_points: step_up needs last_points (the points of the last place)")
    if named[0] == "table" and last_points is not None:
        raise ValueError("rank_points: last_points goes with step_share or step_up, not a table")
    return named[0]


def rank_points(
    values: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    higher_is_better: bool = True,
    table: Sequence[float] | None = None,
    beyond_table: float = 0.0,
    step_share: float | None = None,
    last_points: float | None = None,
    step_up: float | None = None,
    ties: str = "share",
    places: int = 2,
) -> ScoreBatch:
    """排名赋分, SCORING.md method 5: rank the category on the value, then points by rank.

    The units are ranked on ``values`` (highest first, or lowest when lower is better; ties
    share the better rank, 1, 2, 2, 4, unless ``ties="forbid"``, which raises TiedError naming
    the tied units' indices). Points by one of three rules:

    - ``table``: the points of 1st, 2nd, ... (e.g. 60, 57, 54, 51, 48); ranks beyond the table
      get ``beyond_table`` (0 unless the scheme sets a floor);
    - ``step_share``: 1st gets P, each place lower ``step_share`` of P less, never below 0
      (``P * (1 - step_share * (rank - 1))``); with ``last_points`` the last place (the worst
      rank, when no unit ties it) gets exactly that;
    - ``last_points`` with ``step_up``: counted from the bottom, the last place gets
      ``last_points`` and each place up ``step_up`` more, never above P
      (``min(last_points + (ranked - rank) * step_up, P)``).

    A missing value (NaN) is not ranked and scores 0.
    """
    check_places(places)
    check_ties(ties)
    rule = rank_rule(table, step_share, last_points, step_up)
    x = category(values, "values")
    p = per_unit(points, x.size, "points", minimum=0)
    if ties == "forbid" and (groups := tied_groups(x)):
        raise TiedError(groups)
    ranks = competition_ranks(x, higher_is_better=higher_is_better)
    missing = np.isnan(x)
    ranked = int(np.sum(~missing))
    if rule == "table":
        assert table is not None
        points_by_rank = np.array([*numbers(table), beyond_table], dtype=np.float64)
        raw = points_by_rank[np.minimum(ranks, len(table) + 1) - 1]
    elif rule == "top":
        assert step_share is not None
        raw = np.maximum(p * (1 - step_share * (ranks - 1)), 0.0)
        if last_points is not None and ranked > 1:
            last = (ranks == ranked) & ~missing
            raw = np.where(last, last_points, raw)
    else:
        assert step_up is not None and last_points is not None
        raw = np.minimum(last_points + (ranked - ranks) * step_up, p)
    raw = np.where(missing, 0.0, raw)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value, rank, pts = float(x[i]), int(ranks[i]), float(p[i])
        if math.isnan(value):
            return {"value": None, "rank": None, "ranked": float(ranked)}, (
                "no value reported → not ranked → 0"
            )
        inputs: dict[str, float | None] = {
            "value": value,
            "rank": float(rank),
            "ranked": float(ranked),
        }
        head = f"{fmt(value)} ranks {rank} of {ranked}"
        if rule == "table":
            assert table is not None
            where = f"table[{rank}]" if rank <= len(table) else "beyond the table"
            return inputs, f"{head}; {where} = {score}"
        if rule == "top":
            if last_points is not None and rank == ranked and ranked > 1:
                return inputs, f"{head}; last place = {score}"
            text = f"{fmt(pts)} × (1 − {fmt(step_share or 0)} × {rank - 1}), at least 0"
            return inputs, f"{head}; {text} = {score}"
        text = f"{fmt(last_points or 0)} + {ranked - rank} × {fmt(step_up or 0)}"
        return inputs, f"{head}; {text}, at most {fmt(pts)} = {score}"

    shared = {
        "direction": direction(higher_is_better),
        "rule": rule,
        "table": numbers(table) if table is not None else None,
        "beyond_table": beyond_table,
        "step_share": step_share,
        "last_points": last_points,
        "step_up": step_up,
        "ties": ties,
    }
    return make_batch(
        "rank_points", raw, places, lambda i: {"points": float(p[i]), **shared}, explain
    )


def proportional_to_best(
    values: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    higher_is_better: bool = True,
    places: int = 2,
) -> ScoreBatch:
    """标杆法, SCORING.md method 6: ``P * (x / max(x))``, or ``P * (min(x) / x)`` if lower is
    better, the best being taken over the units with a value.

    Higher is better: values must not be negative (a ratio to the best means nothing then); if
    the best is 0, every unit scores 0. Lower is better: values must be positive. A missing
    value (NaN) scores 0.
    """
    check_places(places)
    x = category(values, "values")
    p = per_unit(points, x.size, "points", minimum=0)
    present = x[~np.isnan(x)]
    if higher_is_better and np.any(present < 0):
        raise ValueError("proportional-to-best needs values that are not negative")
    if not higher_is_better and np.any(present <= 0):
        raise ValueError("proportional-to-best needs positive values when lower is better")
    if present.size == 0:
        best = math.nan
    else:
        best = float(np.max(present) if higher_is_better else np.min(present))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = x / best if higher_is_better else best / x
    raw = np.where(np.isnan(x) | (best == 0), 0.0, p * share)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value = float(x[i])
        if math.isnan(value):
            return {"value": None, "best": None if math.isnan(best) else best}, (
                "no value reported → 0"
            )
        inputs: dict[str, float | None] = {"value": value, "best": best}
        if best == 0:
            return inputs, f"the best value is 0: nothing to compare with → {score}"
        ratio = f"{fmt(value)} / {fmt(best)}" if higher_is_better else f"{fmt(best)} / {fmt(value)}"
        return inputs, f"{fmt(float(p[i]))} × {ratio} = {score}"

    def parameters(i: int) -> dict[str, float | str | None]:
        return {"points": float(p[i]), "direction": direction(higher_is_better)}

    return make_batch("proportional_to_best", raw, places, parameters, explain)
