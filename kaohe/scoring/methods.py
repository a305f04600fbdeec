"""Completion ratio (完成率计分), SCORING.md method 1, and the ScoreBatch every method returns.

Each method of SCORING.md is a function over a whole category at once (numpy arrays in, a
ScoreBatch out): method 1 here, stepped completion in kaohe.scoring.stepped, the efficacy
coefficients in kaohe.scoring.efficacy, rank points and proportional-to-best in
kaohe.scoring.relative, the composite index in kaohe.scoring.index, deductions, bonuses, events
and checklists in kaohe.scoring.tallies, evaluators' ratings in kaohe.scoring.rating and vetoes in
kaohe.scoring.veto. All follow the rounding policy of kaohe.scoring.rounding: float64 throughout,
half-up rounding to the scheme's places once at the end.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import (
    FloatArray,
    ScoreBatch,
    Staged,
    blockwise,
    broadcast_units,
    direction,
    make_batch,
)
from kaohe.scoring.explain import format_number
from kaohe.scoring.rounding import check_places

__all__ = ["ScoreBatch", "completion_ratio", "completion_ratio_array"]


def _ratio_text(
    value: float, target: float, ratio: float, cap: float, floor: float, higher: bool
) -> tuple[str, str]:
    """A note on special cases, and ``min(x / t, cap)`` (floored if set or biting)."""
    cap_text = format_number(cap, min_decimals=1)
    if higher and target == 0:
        inner = f"min(1, {cap_text})"
        note = "target 0, nothing due → ratio 1; "
    elif not higher and value <= 0:
        inner = cap_text
        note = f"value {format_number(value)} ≤ 0, lower is better → ratio = cap; "
    else:
        x, t = format_number(value), format_number(target)
        inner = f"min({x} / {t}, {cap_text})" if higher else f"min({t} / {x}, {cap_text})"
        note = ""
    if floor != 0 or ratio < floor:
        inner = f"max({inner}, {format_number(floor, min_decimals=1)})"
    return note, inner


def unit_ratio(
    value: float, target: float, higher: bool, cap: float, all_or_nothing: bool
) -> float:
    """One unit's ratio before cap and floor, by the same float operations as the batch."""
    if all_or_nothing:
        return 1.0 if (value >= target if higher else value <= target) else 0.0
    if higher:
        return value / target if target > 0 else 1.0
    return target / value if value > 0 else cap


def completion_ratio(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    cap: float = 1.0,
    floor: float = 0.0,
    higher_is_better: bool | npt.ArrayLike = True,
    places: int = 2,
    all_or_nothing: bool = False,
) -> ScoreBatch:
    """Completion-ratio scores (完成率计分), SCORING.md method 1, for a whole category.

    Higher is better: ``P * min(x / t, cap)``; lower is better mirrors it as ``P * min(t / x,
    cap)``, with ``x <= 0`` scoring the cap (nothing beats zero). The score never falls below
    ``floor * P`` (``floor`` is a fraction of P, SCORING.md's floor being 0). Common caps are 1.0
    (no credit for over-completion) and 1.2. A target of 0 with higher-is-better means nothing is
    due: ratio 1, full points.

    ``all_or_nothing`` is the variant "target met or nothing" (目标完成计分法): P if ``x >= t``
    (``x <= t`` when lower is better), else 0; the cap and floor still bound it, so the score
    stays in ``[floor * P, cap * P]`` for every variant.

    A missing value (NaN) scores 0 whatever the floor: "no value reported → 0". Scores are rounded
    half-up to ``places`` (a scheme setting) at the end only. ``values``, ``targets``, ``points``
    and ``higher_is_better`` broadcast together. Vectorised block by block; explanations are
    built when read. Raises ValueError when cap <= 0, cap < floor, floor < 0, places is outside
    0..6, a target or points value is missing, negative or not finite, or a value is infinite.
    """
    check_places(places)
    if not (math.isfinite(cap) and math.isfinite(floor)):
        raise ValueError(f"cap and floor must be finite numbers, got cap={cap}, floor={floor}")
    if cap <= 0:
        raise ValueError(f"cap must be greater than 0, got {cap}")
    if floor < 0:
        raise ValueError(f"floor must not be negative (a fraction of the points), got {floor}")
    if cap < floor:
        raise ValueError(f"cap ({cap}) must not be below floor ({floor})")

    given = (
        np.asarray(values, dtype=np.float64),
        np.asarray(targets, dtype=np.float64),
        np.asarray(points, dtype=np.float64),
        np.asarray(higher_is_better, dtype=np.bool_),
    )
    n = broadcast_units("completion_ratio", *given)
    originals = (values, targets, points, higher_is_better)
    staged = [Staged(g, a, n) for g, a in zip(originals, given, strict=True)]
    one_direction = bool(given[3].reshape(-1)[0]) if given[3].size == 1 else None
    for name, column in (("targets", staged[1]), ("points", staged[2])):
        if column.single:  # one value for every unit: check it once
            _check_setting(name, column.array[:1])

    target_zero = staged[1].single and float(staged[1].array[0]) == 0
    points_each = float(staged[2].array[0]) if staged[2].single else None

    def compute(block: slice, out: FloatArray) -> None:
        xs, ts, ps, hs = (column.block(block) for column in staged)
        # One reduction tells whether every value is finite (an overflowing sum of finite
        # values only sends the block to the exact check); NaN means "no value reported".
        with np.errstate(over="ignore", invalid="ignore"):
            clean = bool(np.isfinite(np.add.reduce(xs)))
        if not clean and np.any(np.isinf(xs)):
            raise ValueError("values must be finite numbers or NaN (no value reported)")
        has_zero = target_zero
        if not staged[1].single:
            lowest = ts.min()
            with np.errstate(over="ignore"):
                if not (lowest >= 0 and np.isfinite(np.add.reduce(ts))):
                    _check_setting("targets", ts)
            has_zero = lowest == 0
        if points_each is None:
            _check_setting("points", ps)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            _ratios(xs, ts, hs, one_direction, cap, all_or_nothing, has_zero, out)
        np.maximum(out, floor, out=out)
        np.minimum(out, cap, out=out)
        np.multiply(out, ps if points_each is None else points_each, out=out)
        if not clean:
            out[np.isnan(xs)] = 0.0  # no value reported → 0

    raw, rounded = blockwise(n, places, compute)
    x, t, p, h = (column.done() for column in staged)
    variant = "all_or_nothing" if all_or_nothing else "ratio"

    def parameters(i: int) -> dict[str, float | str | None]:
        return {
            "points": float(p[i]),
            "cap": cap,
            "floor": floor,
            "direction": direction(bool(h[i])),
            "variant": variant,
        }

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value, target, pts, is_higher = float(x[i]), float(t[i]), float(p[i]), bool(h[i])
        inputs: dict[str, float | None] = {
            "value": None if math.isnan(value) else value,
            "target": target,
        }
        if math.isnan(value):
            return inputs, "no value reported → 0"
        ratio = unit_ratio(value, target, is_higher, cap, all_or_nothing)
        bounded = min(max(ratio, floor), cap)
        if all_or_nothing:
            sign = "≥" if is_higher else "≤"
            met_text = "yes" if ratio == 1.0 else "no"
            factor = format_number(bounded)
            # Say which bound moved the 1 or 0, so the line explains itself.
            if bounded != ratio:
                factor += " (floor)" if ratio < floor else " (cap)"
            return inputs, (
                f"{format_number(value)} {sign} {format_number(target)}? {met_text} → "
                f"{format_number(pts)} × {factor} = {score}"
            )
        note, inner = _ratio_text(value, target, ratio, cap, floor, is_higher)
        pts_text, factor = format_number(pts), format_number(bounded)
        return inputs, f"{note}{pts_text} × {inner} = {pts_text} × {factor} = {score}"

    return make_batch("completion_ratio", raw, places, parameters, explain, rounded=rounded)


def _check_setting(name: str, column: FloatArray) -> None:
    # A missing or negative target is a scheme error, not a unit's shortfall: refuse to score.
    if not np.all(np.isfinite(column)):
        raise ValueError(f"{name} must be finite numbers")
    if np.any(column < 0):
        what = "targets must not be negative for a completion ratio" if name == "targets" else ""
        raise ValueError(what or f"{name} must not be negative")


def _ratios(
    x: FloatArray,
    t: FloatArray,
    h: npt.NDArray[np.bool_],
    one_direction: bool | None,
    cap: float,
    all_or_nothing: bool,
    has_zero: bool,
    out: FloatArray,
) -> None:
    """Each unit's ratio before cap and floor into ``out`` (``unit_ratio`` over a block)."""
    if all_or_nothing:
        if one_direction is None:
            out[:] = np.where(h, x >= t, x <= t)
        else:
            out[:] = x >= t if one_direction else x <= t
        return
    if one_direction is not False:
        np.divide(x, t, out=out)
        if has_zero:
            out[t <= 0] = 1.0  # nothing due: ratio 1
        if one_direction:
            return
        higher = out.copy()
    np.divide(t, x, out=out)
    if not x.min() > 0:  # NaN or a value of 0 or less: nothing beats zero
        out[x <= 0] = cap
    if one_direction is None:
        np.copyto(out, higher, where=h)


def completion_ratio_array(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float,
    *,
    cap: float = 1.0,
    floor: float = 0.0,
    higher_is_better: bool = True,
    places: int = 2,
) -> FloatArray:
    """The rounded scores of ``completion_ratio`` as float64, for callers that want only them.

    The same call as ``completion_ratio(...).rounded``: since explanations are built only when
    read, the explained path is as fast as this one.
    """
    return completion_ratio(
        values,
        targets,
        points,
        cap=cap,
        floor=floor,
        higher_is_better=higher_is_better,
        places=places,
    ).rounded
