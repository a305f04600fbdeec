"""The composite index (综合指数法), SCORING.md method 7.

Each indicator's index is ``x / s`` against a standard ``s`` (``s / x`` when lower is better),
optionally capped; the unit's index is the weighted mean of its indicators' indices, times a
scale (100 reads as a percentage of the standard).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import Params, ScoreBatch, frozen, left_sum, make_batch, numbers
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.rounding import check_places


def composite_index(
    values: npt.ArrayLike,
    standards: Sequence[float],
    weights: Sequence[float],
    *,
    higher_is_better: Sequence[bool] | None = None,
    scale: float = 100.0,
    index_cap: float | None = None,
    names: Sequence[str] | None = None,
    places: int = 2,
) -> ScoreBatch:
    """综合指数法, SCORING.md method 7: the weighted mean of indices ``x/s`` (``s/x`` lower).

    ``values`` is units × indicators; ``standards``, ``weights`` and ``higher_is_better`` (all
    higher by default) one per indicator. ``scale * sum(w_j * index_j) / sum(w_j)``, the sums
    taken left to right; with ``index_cap`` each index counts at most that much (e.g. 1.2).
    ``names`` label the indicators in the explanations' inputs (x1, x2, ... otherwise). A unit
    missing a value (NaN), or with a value of 0 or less where lower is better, scores 0.
    """
    check_places(places)
    x = np.array(values, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("composite_index takes a units × indicators table")
    m = x.shape[1]
    s = np.asarray(standards, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if s.shape != (m,) or w.shape != (m,):
        raise ValueError("one standard and one weight per indicator")
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(w))) or np.any(s <= 0):
        raise ValueError("standards must be positive numbers and weights finite")
    if np.any(w < 0) or not w.sum() > 0:
        raise ValueError("weights must not be negative, nor all zero")
    if np.any(np.isinf(x)):
        raise ValueError("values must be finite numbers or NaN (no value reported)")
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale}")
    if index_cap is not None and not index_cap > 0:
        raise ValueError(f"index_cap must be positive, got {index_cap}")
    higher = (
        np.ones(m, dtype=bool)
        if higher_is_better is None
        else np.array(higher_is_better, dtype=bool)
    )
    if higher.shape != (m,):
        raise ValueError("one direction per indicator")
    labels = list(names) if names is not None else [f"x{j + 1}" for j in range(m)]
    if len(labels) != m:
        raise ValueError("one name per indicator")
    frozen(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = np.where(higher, x / s, s / x)
    if index_cap is not None:
        index = np.minimum(index, index_cap)
    weight_sum = sum(float(v) for v in w)
    missing = np.isnan(x).any(axis=1) | np.any(~higher & (x <= 0), axis=1)
    raw = np.where(missing, 0.0, scale * (left_sum(index, w) / weight_sum))

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        inputs = {labels[j]: (None if math.isnan(v) else float(v)) for j, v in enumerate(x[i])}
        if missing[i]:
            return inputs, "a value is missing (or not above 0 where lower is better) → 0"
        terms = []
        for j in range(m):
            v, st = fmt(x[i, j]), fmt(s[j])
            term = f"{v} / {st}" if higher[j] else f"{st} / {v}"
            if index_cap is not None:
                term = f"min({term}, {fmt(index_cap)})"
            terms.append(f"{fmt(w[j])} × {term}")
        return inputs, f"{fmt(scale)} × ({' + '.join(terms)}) / {fmt(weight_sum)} = {score}"

    params: Params = {
        "standards": numbers(s),
        "weights": numbers(w),
        "directions": tuple("higher" if h else "lower" for h in higher),
        "scale": scale,
        "index_cap": index_cap,
    }
    return make_batch("composite_index", raw, places, params, explain)
