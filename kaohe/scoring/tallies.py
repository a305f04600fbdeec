"""Methods that count things: deductions, bonuses, events and checklists (SCORING.md 8, 9, 11, 12).

Each takes counts per unit (a 2-D table, units × kinds, where there are several kinds of event
or condition) and the points each is worth, and never types a score in by hand: the assessor
records the events or ticks the conditions, and the score is derived.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import make_batch
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.methods import ScoreBatch


def _counts(counts: npt.ArrayLike, kinds: int) -> npt.NDArray[np.float64]:
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim == 1:
        table = table[:, None]
    if table.ndim != 2 or table.shape[1] != kinds:
        raise ValueError(f"counts must be units × {kinds} kinds")
    if np.any(~np.isfinite(table)) or np.any(table < 0):
        raise ValueError("counts must be non-negative numbers")
    return table


def _terms(row: npt.NDArray[np.float64], each: npt.NDArray[np.float64]) -> str:
    parts = [f"{fmt(n)} × {fmt(e)}" for n, e in zip(row, each, strict=True) if n]
    return " + ".join(parts) or "0"


def deduction(
    counts: npt.ArrayLike,
    points: float,
    *,
    per_event: Sequence[float],
    floor: float = 0.0,
    places: int = 2,
) -> ScoreBatch:
    """扣分制, SCORING.md method 8: P less a fixed amount per event (or per unit of shortfall).

    E.g. −0.5 per general accident and −2 per public criticism: ``per_event=[0.5, 2]`` and
    counts with two columns. The score never falls below ``floor`` (0 unless stated).
    """
    each = np.asarray(per_event, dtype=np.float64)
    table = _counts(counts, each.size)
    if np.any(each < 0):
        raise ValueError("per-event deductions are given as positive amounts")
    raw = np.maximum(points - table @ each, floor)
    params: dict[str, float | str | None] = {
        "points": points,
        "per_event": ",".join(fmt(v) for v in each),
        "floor": floor,
    }
    return make_batch(
        "deduction",
        raw,
        places,
        params,
        lambda i, s: (
            {f"n{j + 1}": float(v) for j, v in enumerate(table[i])},
            f"{fmt(points)} − ({_terms(table[i], each)}), at least {fmt(floor)} = {s}",
        ),
    )


def per_event_points(
    counts: npt.ArrayLike,
    points: float,
    *,
    per_event: Sequence[float],
    places: int = 2,
) -> ScoreBatch:
    """计次计分, SCORING.md method 11: each event earns points by its level, summed, capped at P.

    E.g. praise in a province / city / county bulletin: 1 / 0.6 / 0.4 each time.
    """
    each = np.asarray(per_event, dtype=np.float64)
    table = _counts(counts, each.size)
    raw = np.minimum(table @ each, points)
    params: dict[str, float | str | None] = {
        "points": points,
        "per_event": ",".join(fmt(v) for v in each),
    }
    return make_batch(
        "per_event_points",
        raw,
        places,
        params,
        lambda i, s: (
            {f"n{j + 1}": float(v) for j, v in enumerate(table[i])},
            f"min({_terms(table[i], each)}, {fmt(points)}) = {s}",
        ),
    )


def bonus(
    counts: npt.ArrayLike,
    *,
    per_event: Sequence[float],
    cap: float,
    places: int = 2,
) -> ScoreBatch:
    """加分项, SCORING.md method 9: points outside the weighted sum, capped per unit per year.

    For recognitions by level (+1 / +3 / +5 for prefecture / province / national) give counts
    per level and ``per_event=[1, 3, 5]``. For ranks in the higher-level appraisal (+5..+1 for
    1st..5th, −5..−1 for the last five) use ``rank_bonus``. The cap bounds both directions.
    """
    each = np.asarray(per_event, dtype=np.float64)
    table = _counts(counts, each.size)
    if cap < 0:
        raise ValueError("the bonus cap must not be negative")
    raw = np.clip(table @ each, -cap, cap)
    params: dict[str, float | str | None] = {
        "per_event": ",".join(fmt(v) for v in each),
        "cap": cap,
    }
    return make_batch(
        "bonus",
        raw,
        places,
        params,
        lambda i, s: (
            {f"n{j + 1}": float(v) for j, v in enumerate(table[i])},
            f"{_terms(table[i], each)}, within ±{fmt(cap)} = {s}",
        ),
    )


def rank_bonus(
    ranks: npt.ArrayLike,
    *,
    out_of: int,
    top: Sequence[float] = (5, 4, 3, 2, 1),
    bottom: Sequence[float] = (1, 2, 3, 4, 5),
    places: int = 2,
) -> ScoreBatch:
    """Bonus by rank in the higher-level appraisal: ``top[r-1]`` for the first places and
    ``-bottom[k]`` for the k-th from last (e.g. +5..+1 for 1st..5th, −5..−1 for the last five:
    the last place gets −5). A rank in both ranges (a short list) takes the top one."""
    r = np.asarray(ranks, dtype=np.int64)
    if np.any(r < 1) or np.any(r > out_of):
        raise ValueError("ranks must lie between 1 and the number ranked")
    raw = np.zeros(r.shape, dtype=np.float64)
    for i, rank in enumerate(r):
        from_last = out_of - rank  # 0 for the last place
        if rank <= len(top):
            raw[i] = top[rank - 1]
        elif from_last < len(bottom):
            raw[i] = -bottom[len(bottom) - 1 - from_last]
    params: dict[str, float | str | None] = {
        "out_of": out_of,
        "top": ",".join(fmt(v) for v in top),
        "bottom": ",".join(fmt(v) for v in bottom),
    }
    return make_batch(
        "rank_bonus",
        raw,
        places,
        params,
        lambda i, s: ({"rank": float(r[i])}, f"rank {int(r[i])} of {out_of} → {s}"),
    )


def checklist(
    ticks: npt.ArrayLike,
    points: float,
    *,
    worth: Sequence[float],
    mode: str = "met",
    places: int = 2,
) -> ScoreBatch:
    """达标计分 / 缺项扣分, SCORING.md method 12, from conditions the assessor ticks.

    ``mode="met"``: each met condition earns its ``worth``, at most P. ``mode="defects"``: P less
    ``worth`` for each defect found, at least 0. ``ticks`` is units × conditions of 0/1 (or
    counts of a defect).
    """
    if mode not in {"met", "defects"}:
        raise ValueError("mode must be 'met' or 'defects'")
    each = np.asarray(worth, dtype=np.float64)
    table = _counts(ticks, each.size)
    total = table @ each
    raw = np.minimum(total, points) if mode == "met" else np.maximum(points - total, 0.0)
    params: dict[str, float | str | None] = {
        "points": points,
        "worth": ",".join(fmt(v) for v in each),
        "mode": mode,
    }

    def explain(i: int, s: str) -> tuple[dict[str, float | None], str]:
        inputs: dict[str, float | None] = {f"c{j + 1}": float(v) for j, v in enumerate(table[i])}
        if mode == "met":
            return inputs, f"min({_terms(table[i], each)}, {fmt(points)}) = {s}"
        return inputs, f"{fmt(points)} − ({_terms(table[i], each)}), at least 0 = {s}"

    return make_batch("checklist", raw, places, params, explain)
