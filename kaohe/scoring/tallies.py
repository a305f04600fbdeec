"""Methods that count things: deductions, bonuses, events and checklists (SCORING.md 8, 9, 11, 12).

Each takes counts per unit (units × kinds, or units × kinds × levels where events have kinds and
levels) and the points each is worth, and never types a score in by hand: the assessor records
the events or ticks the conditions, and the score is derived. ``per_event`` (``worth`` for a
checklist) is a list, a table (kinds × levels), or a mapping from a kind's name to its points,
whose names then label the counts in the explanations (n1, n2, ... otherwise). Totals are summed
kind by kind, left to right (kaohe.scoring.batch). Floors here are in points, not shares of P.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import (
    FloatArray,
    Params,
    ScoreBatch,
    category,
    direction,
    frozen,
    left_sum,
    make_batch,
    numbers,
    per_unit,
)
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.rounding import check_places
from kaohe.scoring.stepped import STEP_TOLERANCE

PerEvent = Mapping[str, float] | Sequence[float] | Sequence[Sequence[float]] | npt.ArrayLike
CHECKLIST_MODES = ("met", "defects")


def tally_table(
    counts: npt.ArrayLike, per_event: PerEvent
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Counts as units × kinds, the points of each kind, and the kinds' names (flattened)."""
    if isinstance(per_event, Mapping):
        names = [str(k) for k in per_event]
        each = np.array([float(v) for v in per_event.values()], dtype=np.float64)
    else:
        each = np.array(per_event, dtype=np.float64).reshape(np.shape(per_event) or (1,))
        names = [f"n{'.'.join(str(k + 1) for k in ix)}" for ix in np.ndindex(each.shape)]
    if each.size == 0 or not np.all(np.isfinite(each)):
        raise ValueError("the points per event must be a non-empty list of finite numbers")
    table = np.array(counts, dtype=np.float64)
    if table.ndim == 1 and each.size == 1:
        table = table[:, None]
    # Units × the kinds' own shape, or units × all kinds flattened.
    if table.ndim < 2 or (table.shape[1:] != each.shape and table.shape[1:] != (each.size,)):
        raise ValueError(f"counts must be units × {' × '.join(map(str, each.shape))} kinds")
    table = table.reshape(table.shape[0], -1)
    if not np.all(np.isfinite(table)) or np.any(table < 0):
        raise ValueError("counts must be non-negative numbers")
    return frozen(table), frozen(each.reshape(-1)), names


def _terms(row: FloatArray, each: FloatArray) -> str:
    parts = [f"{fmt(n)} × {fmt(e)}" for n, e in zip(row, each, strict=True) if n]
    return " + ".join(parts) or "0"


def _inputs(names: list[str], row: FloatArray) -> dict[str, float | None]:
    return {name: float(v) for name, v in zip(names, row, strict=True)}


def deduction(
    counts: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    per_event: PerEvent,
    floor: float = 0.0,
    places: int = 2,
) -> ScoreBatch:
    """扣分制, SCORING.md method 8: P less a fixed amount per event, never below ``floor``.

    ``max(P - sum(n_k * d_k), floor)``: e.g. -0.5 per general accident and -2 per public
    criticism is ``per_event=[0.5, 2]`` (positive amounts) with counts in two columns. For a
    deduction per unit of shortfall against a target use ``shortfall_deduction``.
    """
    check_places(places)
    table, each, names = tally_table(counts, per_event)
    if np.any(each < 0):
        raise ValueError("per-event deductions are given as positive amounts")
    if not (math.isfinite(floor) and floor >= 0):
        raise ValueError(f"floor must be a number of points, not negative, got {floor}")
    p = per_unit(points, table.shape[0], "points", minimum=0)
    raw = np.maximum(p - left_sum(table, each), floor)
    return make_batch(
        "deduction",
        raw,
        places,
        lambda i: {"points": float(p[i]), "per_event": numbers(each), "floor": floor},
        lambda i, s: (
            _inputs(names, table[i]),
            f"{fmt(p[i])} − ({_terms(table[i], each)}), at least {fmt(floor)} = {s}",
        ),
    )


def shortfall_units(
    value: float, target: float, unit: float, relative: bool, whole: bool, higher: bool
) -> float:
    """One unit's shortfall in units, by the same float operations as ``shortfall_deduction``."""
    gap = target - value if higher else value - target
    if relative:
        gap = gap / target
    units = max(gap, 0.0) / unit
    return math.floor(units + STEP_TOLERANCE) if whole else units


def shortfall_deduction(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    per_unit_points: float = 1.0,
    unit: float = 1.0,
    relative: bool = False,
    whole_units: bool = False,
    higher_is_better: bool = True,
    floor: float = 0.0,
    places: int = 2,
) -> ScoreBatch:
    """扣分制 per unit of shortfall, SCORING.md method 8: ``max(P - units * d, floor)``.

    The shortfall is ``t - x`` (``x - t`` when lower is better), as a share of the target when
    ``relative``; ``units`` counts it in ``unit``s (whole ones only with ``whole_units``, with
    the tolerance of stepped completion): e.g. -1 point per 1% below target is
    ``per_unit_points=1, unit=0.01, relative=True``. Nothing is deducted at or beyond the
    target. A missing value (NaN) scores 0; relative shortfalls need positive targets.
    """
    check_places(places)
    if not (per_unit_points >= 0 and unit > 0 and floor >= 0):
        raise ValueError("per_unit_points and floor must not be negative, unit must be positive")
    x = category(values, "values")
    n = x.size
    t = per_unit(targets, n, "targets")
    p = per_unit(points, n, "points", minimum=0)
    if relative and np.any(t <= 0):
        raise ValueError("a relative shortfall needs positive targets")
    gap = t - x if higher_is_better else x - t
    if relative:
        gap = gap / t
    units = np.maximum(gap, 0.0) / unit
    if whole_units:
        units = np.floor(units + STEP_TOLERANCE)
    raw = np.where(np.isnan(x), 0.0, np.maximum(p - units * per_unit_points, floor))

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value, target = float(x[i]), float(t[i])
        if math.isnan(value):
            return {"value": None, "target": target}, "no value reported → 0"
        u = shortfall_units(value, target, unit, relative, whole_units, higher_is_better)
        diff = (
            f"{fmt(target)} − {fmt(value)}" if higher_is_better else f"{fmt(value)} − {fmt(target)}"
        )
        gap_text = f"({diff}) / {fmt(target)}" if relative else f"({diff})"
        text = (
            f"shortfall {gap_text} / {fmt(unit)} = {fmt(u, 4)} units; {fmt(p[i])} − {fmt(u, 4)}"
            f" × {fmt(per_unit_points)}, at least {fmt(floor)} = {score}"
        )
        return {"value": value, "target": target}, text

    shared = {
        "per_unit_points": per_unit_points,
        "unit": unit,
        "relative": "yes" if relative else "no",
        "whole_units": "yes" if whole_units else "no",
        "direction": direction(higher_is_better),
        "floor": floor,
    }
    return make_batch(
        "shortfall_deduction", raw, places, lambda i: {"points": float(p[i]), **shared}, explain
    )


def per_event_points(
    counts: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    per_event: PerEvent,
    places: int = 2,
) -> ScoreBatch:
    """计次计分, SCORING.md method 11: each event earns points by its kind and level, summed,
    capped at P: ``min(sum(n_k * e_k), P)``.

    E.g. work praised in a province / city / county bulletin earns 1 / 0.6 / 0.4 each time, in a
    newspaper 0.6 / 0.4 / 0.2: ``per_event=[[1, 0.6, 0.4], [0.6, 0.4, 0.2]]`` with counts of
    shape units × 2 × 3.
    """
    check_places(places)
    table, each, names = tally_table(counts, per_event)
    if np.any(each < 0):
        raise ValueError("points per event must not be negative")
    p = per_unit(points, table.shape[0], "points", minimum=0)
    raw = np.minimum(left_sum(table, each), p)
    return make_batch(
        "per_event_points",
        raw,
        places,
        lambda i: {"points": float(p[i]), "per_event": numbers(each)},
        lambda i, s: (
            _inputs(names, table[i]),
            f"min({_terms(table[i], each)}, {fmt(p[i])}) = {s}",
        ),
    )


def bonus(
    counts: npt.ArrayLike,
    *,
    per_event: PerEvent,
    cap: float,
    places: int = 2,
) -> ScoreBatch:
    """加分项, SCORING.md method 9: points outside the weighted sum, capped per unit per year.

    For recognitions by level (+1 / +3 / +5 for prefecture / province / national) give counts per
    level and ``per_event={"prefecture": 1, "province": 3, "national": 5}`` (or ``[1, 3, 5]``).
    The total is bounded to ``[-cap, cap]``. For ranks in the higher-level appraisal (+5..+1 for
    1st..5th, -5..-1 for the last five) use ``rank_bonus``.
    """
    check_places(places)
    table, each, names = tally_table(counts, per_event)
    if not (math.isfinite(cap) and cap >= 0):
        raise ValueError("the bonus cap must not be negative")
    raw = np.clip(left_sum(table, each), -cap, cap)
    return make_batch(
        "bonus",
        raw,
        places,
        {"per_event": numbers(each), "cap": cap},
        lambda i, s: (
            _inputs(names, table[i]),
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
    """Bonus by rank in the higher-level appraisal (SCORING.md method 9): ``top[r-1]`` for the
    first places, ``-bottom[-1 - k]`` for the k-th from last (k = 0 for the last place): the
    defaults give +5..+1 for 1st..5th and -1..-5 from the fifth-from-last to the last place.

    A rank in both ranges (a short list) takes the top one; ranks are 1..out_of, NaN for a unit
    not ranked (0 points).
    """
    check_places(places)
    r = np.array(ranks, dtype=np.float64)
    present = ~np.isnan(r)
    if r.ndim != 1 or np.any(r[present] != np.round(r[present])):
        raise ValueError("ranks must be whole numbers, one per unit")
    if out_of < 1 or np.any(r[present] < 1) or np.any(r[present] > out_of):
        raise ValueError("ranks must lie between 1 and the number ranked")
    tops = np.array(numbers(top), dtype=np.float64)
    bottoms = np.array(numbers(bottom), dtype=np.float64)
    rank = np.where(present, r, out_of + 1).astype(np.int64)
    from_last = out_of - rank  # 0 for the last place, -1 for an unranked unit
    in_top = present & (rank <= tops.size)
    in_bottom = ~in_top & (from_last >= 0) & (from_last < bottoms.size)
    raw = np.zeros(r.shape)
    raw[in_top] = tops[rank[in_top] - 1]
    raw[in_bottom] = -bottoms[bottoms.size - 1 - from_last[in_bottom]]
    frozen(r)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        if not present[i]:
            return {"rank": None}, "not ranked → 0"
        return {"rank": float(r[i])}, f"rank {int(r[i])} of {out_of} → {score}"

    params: Params = {"out_of": float(out_of), "top": numbers(top), "bottom": numbers(bottom)}
    return make_batch("rank_bonus", raw, places, params, explain)


def checklist(
    ticks: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    worth: PerEvent,
    mode: str = "met",
    floor: float = 0.0,
    places: int = 2,
) -> ScoreBatch:
    """达标计分 / 缺项扣分, SCORING.md method 12, from conditions the assessor ticks.

    ``mode="met"``: each met condition earns its ``worth``, at most P: ``min(sum, P)``.
    ``mode="defects"``: P less ``worth`` for each defect found, never below ``floor`` (0):
    ``max(P - sum, floor)``; a defect that forfeits the item ("no plan submitted: 0") is worth P.
    ``ticks`` is units × conditions of 0/1 (or counts of a defect, e.g. missing items).
    """
    check_places(places)
    if mode not in CHECKLIST_MODES:
        raise ValueError(f"mode must be one of {', '.join(CHECKLIST_MODES)}, got {mode!r}")
    table, each, names = tally_table(ticks, worth)
    if np.any(each < 0):
        raise ValueError("what a condition is worth must not be negative")
    if not (math.isfinite(floor) and floor >= 0):
        raise ValueError(f"floor must be a number of points, not negative, got {floor}")
    p = per_unit(points, table.shape[0], "points", minimum=0)
    total = left_sum(table, each)
    raw = np.minimum(total, p) if mode == "met" else np.maximum(p - total, floor)

    def explain(i: int, s: str) -> tuple[dict[str, float | None], str]:
        inputs = _inputs(names, table[i])
        if mode == "met":
            return inputs, f"min({_terms(table[i], each)}, {fmt(p[i])}) = {s}"
        return inputs, f"{fmt(p[i])} − ({_terms(table[i], each)}), at least {fmt(floor)} = {s}"

    return make_batch(
        "checklist",
        raw,
        places,
        lambda i: {"points": float(p[i]), "worth": numbers(each), "mode": mode, "floor": floor},
        explain,
    )
