"""Methods that score a unit against the others of its category (SCORING.md methods 5, 6, 7)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import as_array, make_batch
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.methods import ScoreBatch
from kaohe.scoring.standings import competition_ranks


class TiedError(ValueError):
    """The scheme forbids tied values and some units tie; ``groups`` holds their indices."""

    def __init__(self, groups: list[list[int]]) -> None:
        super().__init__(f"tied values are not allowed: units {groups}")
        self.groups = groups


def _ties(values: npt.NDArray[np.float64]) -> list[list[int]]:
    groups: dict[float, list[int]] = {}
    for i, v in enumerate(values):
        if not math.isnan(v):
            groups.setdefault(float(v), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def rank_points(
    values: npt.ArrayLike,
    points: float,
    *,
    higher_is_better: bool = True,
    table: Sequence[float] | None = None,
    beyond_table: float = 0.0,
    step_share: float | None = None,
    last_points: float | None = None,
    ties: str = "share",
    places: int = 2,
) -> ScoreBatch:
    """排名赋分, SCORING.md method 5: rank the category on the value, then points by rank.

    Either a ``table`` (points of 1st, 2nd, ...; ranks beyond it get ``beyond_table``), or a rule:
    1st gets P and each place lower ``step_share`` of P less (floored at 0), optionally with the
    last place fixed at ``last_points``. Ties share the better rank (1, 2, 2, 4) unless
    ``ties="forbid"``, which raises TiedError naming the tied units. A missing value ranks last
    and scores 0.
    """
    if ties not in {"share", "forbid"}:
        raise ValueError("ties must be 'share' or 'forbid'")
    if (table is None) == (step_share is None):
        raise ValueError("give either a rank table or a step share, not both")
    x = as_array(values, "values", allow_nan=True)
    if ties == "forbid" and (groups := _ties(x)):
        raise TiedError(groups)
    ranks = competition_ranks(x, higher_is_better=higher_is_better)
    n_ranked = int(np.sum(~np.isnan(x)))
    raw = np.zeros(x.shape)
    for i, rank in enumerate(ranks):
        if math.isnan(x[i]):
            continue
        if table is not None:
            raw[i] = table[rank - 1] if rank <= len(table) else beyond_table
        else:
            assert step_share is not None
            raw[i] = max(points * (1 - step_share * (rank - 1)), 0.0)
            if last_points is not None and rank == n_ranked and n_ranked > 1:
                raw[i] = last_points

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        if math.isnan(x[i]):
            return {"value": None}, "no value reported → not ranked → 0"
        rank = int(ranks[i])
        head = f"{fmt(x[i])} ranks {rank} of {n_ranked}"
        if table is not None:
            rule = f"table[{rank}]" if rank <= len(table) else "beyond the table"
            return {"value": float(x[i])}, f"{head}; {rule} = {score}"
        assert step_share is not None
        if last_points is not None and rank == n_ranked and n_ranked > 1:
            return {"value": float(x[i])}, f"{head}; last place = {score}"
        rule = f"{fmt(points)} × (1 − {fmt(step_share)} × {rank - 1})"
        return {"value": float(x[i])}, f"{head}; {rule}, at least 0 = {score}"

    params: dict[str, float | str | None] = {
        "points": points,
        "direction": "higher" if higher_is_better else "lower",
        "table": ",".join(fmt(v) for v in table) if table is not None else None,
        "beyond_table": beyond_table,
        "step_share": step_share,
        "last_points": last_points,
        "ties": ties,
    }
    return make_batch("rank_points", raw, places, params, explain)


def proportional_to_best(
    values: npt.ArrayLike, points: float, *, higher_is_better: bool = True, places: int = 2
) -> ScoreBatch:
    """标杆法, SCORING.md method 6: ``P * x / max(x)``, or ``P * min(x) / x`` if lower is better.

    Values must be positive (a ratio to the best means nothing otherwise); a missing value
    scores 0.
    """
    x = as_array(values, "values", allow_nan=True)
    present = x[~np.isnan(x)]
    if present.size and np.any(present <= 0):
        raise ValueError("proportional-to-best needs positive values")
    best = (np.max(present) if higher_is_better else np.min(present)) if present.size else np.nan
    with np.errstate(invalid="ignore"):
        share = x / best if higher_is_better else best / x
    raw = np.where(np.isnan(x), 0.0, points * share)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        if math.isnan(x[i]):
            return {"value": None, "best": None}, "no value reported → 0"
        ratio = f"{fmt(x[i])} / {fmt(best)}" if higher_is_better else f"{fmt(best)} / {fmt(x[i])}"
        return {"value": float(x[i]), "best": float(best)}, f"{fmt(points)} × {ratio} = {score}"

    params: dict[str, float | str | None] = {
        "points": points,
        "direction": "higher" if higher_is_better else "lower",
    }
    return make_batch("proportional_to_best", raw, places, params, explain)


def composite_index(
    values: npt.ArrayLike,
    standards: Sequence[float],
    weights: Sequence[float],
    *,
    higher_is_better: Sequence[bool] | None = None,
    scale: float = 100.0,
    places: int = 2,
) -> ScoreBatch:
    """综合指数法, SCORING.md method 7: the weighted mean of indices ``x/s`` (``s/x`` lower).

    ``values`` is units × indicators; ``standards`` and ``weights`` one per indicator. The index
    is multiplied by ``scale`` (100 reads as a percentage of the standard). A unit missing any
    value scores 0.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("composite_index takes a units × indicators table")
    s = np.asarray(standards, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if s.shape != (x.shape[1],) or w.shape != (x.shape[1],):
        raise ValueError("one standard and one weight per indicator")
    if np.any(s <= 0) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("standards must be positive and weights non-negative, not all zero")
    higher = (
        np.ones(x.shape[1], dtype=bool)
        if higher_is_better is None
        else np.asarray(higher_is_better)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        index = np.where(higher, x / s, s / x)
    total = (index * w).sum(axis=1) / w.sum()
    missing = np.isnan(x).any(axis=1) | ~np.isfinite(total)
    raw = np.where(missing, 0.0, scale * total)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        inputs = {f"x{j + 1}": (None if math.isnan(v) else float(v)) for j, v in enumerate(x[i])}
        if missing[i]:
            return inputs, "a value is missing (or zero where lower is better) → 0"
        terms = " + ".join(
            f"{fmt(w[j])} × {fmt(x[i, j])}/{fmt(s[j])}"
            if higher[j]
            else f"{fmt(w[j])} × {fmt(s[j])}/{fmt(x[i, j])}"
            for j in range(x.shape[1])
        )
        return inputs, f"{fmt(scale)} × ({terms}) / {fmt(w.sum())} = {score}"

    params: dict[str, float | str | None] = {
        "standards": ",".join(fmt(v) for v in s),
        "weights": ",".join(fmt(v) for v in w),
        "scale": scale,
    }
    return make_batch("composite_index", raw, places, params, explain)
