"""Scoring methods: each turns a category's values into points, with an explanation per unit.

SCORING.md lists the methods real appraisal schemes use; each function here implements one for
a whole category at once (numpy arrays in, a ScoreBatch out), following the rounding policy of
kaohe.scoring.rounding: float64 throughout, half-up rounding to the scheme's places at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kaohe.scoring.explain import Explanation, format_number
from kaohe.scoring.rounding import check_places, round_array, round_half_up_array


@dataclass(frozen=True)
class ScoreBatch:
    """Scores of a whole category, one entry per unit in input order.

    ``scores`` are rounded to the scheme's places; ``raw`` holds the unrounded float64 scores
    (read-only), for ranking ties and diagnostics; ``explanations[i].result == scores[i]``.
    """

    scores: tuple[Decimal, ...]
    raw: npt.NDArray[np.float64]
    explanations: tuple[Explanation, ...]


def _check_finite(name: str, array: npt.NDArray[np.float64]) -> None:
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers")


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
    and ``higher_is_better`` broadcast together. Raises ValueError when cap <= 0, cap < floor,
    floor < 0, places is outside 0..6, a target or points value is missing, negative or not
    finite, or a value is infinite.
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

    arrays = np.broadcast_arrays(
        np.asarray(values, dtype=np.float64),
        np.asarray(targets, dtype=np.float64),
        np.asarray(points, dtype=np.float64),
        np.asarray(higher_is_better, dtype=np.bool_),
    )
    if arrays[0].ndim > 1:
        raise ValueError("completion_ratio takes one-dimensional arrays (one entry per unit)")
    x, t, p, higher = (np.atleast_1d(a).copy() for a in arrays)
    if np.any(np.isinf(x)):
        raise ValueError("values must be finite numbers or NaN (no value reported)")
    # A missing or negative target is a scheme error, not a unit's shortfall: refuse to score.
    _check_finite("targets", t)
    if np.any(t < 0):
        raise ValueError("targets must not be negative for a completion ratio")
    _check_finite("points", p)
    if np.any(p < 0):
        raise ValueError("points must not be negative")

    missing = np.isnan(x)
    # Division by zero and overflow (a subnormal target) are handled by the np.where choices
    # or give ±inf, which the clip below turns into the cap or the floor.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if all_or_nothing:
            met = np.where(higher, x >= t, x <= t)
            ratio = np.where(met, 1.0, 0.0)
        else:
            ratio = np.where(
                higher,
                np.where(t > 0, x / t, 1.0),
                np.where(x > 0, t / x, cap),
            )
    bounded = np.clip(ratio, floor, cap)
    raw = np.where(missing, 0.0, p * bounded)
    scores = round_array(raw, places)

    explanations = []
    for i in range(x.size):
        value, target, pts, score = float(x[i]), float(t[i]), float(p[i]), scores[i]
        is_higher = bool(higher[i])
        if math.isnan(value):
            arithmetic = "no value reported → 0"
        elif all_or_nothing:
            sign = "≥" if is_higher else "≤"
            met_text = "yes" if ratio[i] == 1.0 else "no"
            factor = format_number(float(bounded[i]))
            # Say which bound moved the 1 or 0, so the line explains itself.
            if bounded[i] != ratio[i]:
                factor += " (floor)" if ratio[i] < floor else " (cap)"
            arithmetic = (
                f"{format_number(value)} {sign} {format_number(target)}? {met_text} → "
                f"{format_number(pts)} × {factor} = {score}"
            )
        else:
            note, inner = _ratio_text(value, target, float(ratio[i]), cap, floor, is_higher)
            pts_text, factor = format_number(pts), format_number(float(bounded[i]))
            arithmetic = f"{note}{pts_text} × {inner} = {pts_text} × {factor} = {score}"
        explanations.append(
            Explanation(
                method="completion_ratio",
                inputs={"value": None if math.isnan(value) else value, "target": target},
                parameters={
                    "points": pts,
                    "cap": cap,
                    "floor": floor,
                    "direction": "higher" if is_higher else "lower",
                    "variant": "all_or_nothing" if all_or_nothing else "ratio",
                    "places": places,
                },
                arithmetic=arithmetic,
                result=score,
            )
        )
    raw.setflags(write=False)
    return ScoreBatch(tuple(scores), raw, tuple(explanations))


CHUNK = 1 << 16  # values per block: keeps each block's temporaries in the CPU's cache


def completion_ratio_array(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float,
    *,
    cap: float = 1.0,
    floor: float = 0.0,
    higher_is_better: bool = True,
    places: int = 2,
) -> npt.NDArray[np.float64]:
    """The same scores as ``completion_ratio``, as rounded floats, without explanations.

    For scoring a whole province or country at once: vectorised over blocks of values that fit
    in the processor's cache, with in-place operations, and the same half-up rounding
    (rounding.round_half_up_array). ``completion_ratio`` on the same inputs explains each of
    these numbers; a test holds the two equal.
    """
    if cap <= 0 or floor < 0 or cap < floor:
        raise ValueError("cap must be positive and not below the floor, the floor not negative")
    check_places(places)
    x = np.asarray(values, dtype=np.float64).ravel()
    t = np.asarray(targets, dtype=np.float64).ravel()
    out = np.empty_like(x)
    scale = 10.0**places
    for start in range(0, x.size, CHUNK):
        xs, ts, o = x[start : start + CHUNK], t[start : start + CHUNK], out[start : start + CHUNK]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if higher_is_better:
                np.divide(xs, ts, out=o)
                o[ts <= 0] = 1.0
            else:
                np.divide(ts, xs, out=o)
                o[xs <= 0] = cap
        np.clip(o, floor, cap, out=o)
        np.multiply(o, points * scale, out=o)
        o[np.isnan(xs)] = 0.0
        # Half-up on the 6-decimal value, as round_half_up_array does (scores are non-negative).
        np.round(o, 6, out=o)
        np.add(o, 0.5, out=o)
        np.floor(o, out=o)
        np.divide(o, scale, out=o)
    if np.any(out * scale >= 1e8):
        return round_half_up_array(
            completion_ratio(
                x, t, points, cap=cap, floor=floor, higher_is_better=higher_is_better, places=places
            ).raw,
            places,
        )
    return out
