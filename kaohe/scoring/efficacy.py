"""The efficacy-coefficient methods (功效系数法), SCORING.md methods 3 and 4.

Method 3, single band: ``P * (base + (1 - base) * (x - xs) / (xh - xs))`` with ``xh`` the
satisfactory value (满意值), ``xs`` the not-allowed value (不允许值) and base commonly 0.6. Below
``xs`` the score falls under the base and can go negative, above ``xh`` it exceeds P: floor and
cap are scheme parameters. Worked case (a published exam): x = 5.81, xh = 12, xs = 6 gives 58.73
on a 100-point scale.

Method 4, five standard values (the state-enterprise 综合绩效评价 pattern, 国资发评价〔2006〕157号):
standards A..E with coefficients 1.0, 0.8, 0.6, 0.4, 0.2 (the commonly quoted ones, parameters
here); a value in the band [lower standard, upper standard] scores
``P*c_low + (x - s_low) / (s_up - s_low) * (P * (c_up - c_low))``; at or beyond A it gets
``P * c_A`` (P with the usual coefficients), beyond E ``below_poor * P`` (0 unless the scheme
says otherwise).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import (
    FloatArray,
    Params,
    ScoreBatch,
    blockwise,
    category,
    direction,
    make_batch,
    numbers,
    per_unit,
)
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.rounding import check_places
from kaohe.scoring.stepped import stepped_completion

__all__ = [
    "FIVE_COEFFICIENTS",
    "efficacy_coefficient",
    "efficacy_five_standards",
    "five_standard_band",
    "stepped_completion",
]

#: The state-enterprise pattern's coefficients for excellent, good, average, low, poor (A..E).
FIVE_COEFFICIENTS = (1.0, 0.8, 0.6, 0.4, 0.2)


def efficacy_coefficient(
    values: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    satisfactory: float,
    not_allowed: float,
    base: float = 0.6,
    floor: float | None = None,
    cap: float | None = None,
    places: int = 2,
) -> ScoreBatch:
    """功效系数法, SCORING.md method 3: ``P * (base + (1 - base) * (x - xs) / (xh - xs))``.

    ``satisfactory`` is xh (满意值), ``not_allowed`` xs (不允许值); lower-is-better schemes set
    xh below xs and the formula mirrors by itself. Below xs the score falls under the base and
    may go negative, above xh it exceeds P: ``floor`` and ``cap`` (shares of P, None for no
    bound) bound the share when the scheme says so. A missing value (NaN) scores 0. Worked
    case: x = 5.81, xh = 12, xs = 6, P = 100 gives 58.73. Vectorised block by block; raises
    ValueError when xh = xs, base is outside [0, 1], floor > cap or places is outside 0..6.
    """
    check_places(places)
    if not (math.isfinite(satisfactory) and math.isfinite(not_allowed)):
        raise ValueError("the satisfactory and not-allowed values must be finite numbers")
    if satisfactory == not_allowed:
        raise ValueError("the satisfactory value and the not-allowed value must differ")
    if not 0 <= base <= 1:
        raise ValueError(f"base must be between 0 and 1, got {base}")
    lo = -math.inf if floor is None else float(floor)
    hi = math.inf if cap is None else float(cap)
    if lo > hi:
        raise ValueError(f"floor ({floor}) must not be above cap ({cap})")
    x = category(values, "values")
    p = per_unit(points, x.size, "points", minimum=0)
    width = satisfactory - not_allowed

    points_each = float(p[0]) if p.strides == (0,) else None

    def compute(block: slice, out: FloatArray) -> None:
        xs = x[block]
        np.subtract(xs, not_allowed, out=out)
        np.multiply(1 - base, out, out=out)
        np.divide(out, width, out=out)
        np.add(base, out, out=out)  # base + (1 - base) * (x - xs) / (xh - xs)
        np.maximum(out, lo, out=out)
        np.minimum(out, hi, out=out)
        np.multiply(p[block] if points_each is None else points_each, out, out=out)
        if np.isnan(np.add.reduce(xs)):
            out[np.isnan(xs)] = 0.0

    raw, rounded = blockwise(x.size, places, compute)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value, pts = float(x[i]), float(p[i])
        if math.isnan(value):
            return {"value": None}, "no value reported → 0"
        core = (
            f"{fmt(pts)} × ({fmt(base)} + {fmt(1 - base)} × ({fmt(value)} − {fmt(not_allowed)})"
            f" / ({fmt(satisfactory)} − {fmt(not_allowed)}))"
        )
        bounds = ""
        if floor is not None or cap is not None:
            bounds = f", bounded to [{fmt(pts * lo) if floor is not None else '−∞'}, "
            bounds += f"{fmt(pts * hi) if cap is not None else '∞'}]"
        return {"value": value}, f"{core}{bounds} = {score}"

    def parameters(i: int) -> dict[str, float | str | None]:
        return {
            "points": float(p[i]),
            "satisfactory": satisfactory,
            "not_allowed": not_allowed,
            "base": base,
            "floor": floor,
            "cap": cap,
        }

    return make_batch("efficacy_coefficient", raw, places, parameters, explain, rounded=rounded)


def five_standard_band(values: npt.ArrayLike, standards: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Each value's band by the standards (in order of merit, A..E): 0 at or beyond A, k
    (1..4) between standard k and the better standard k-1, 5 beyond E; -1 where missing."""
    s = np.asarray(standards, dtype=np.float64)
    x = np.asarray(values, dtype=np.float64)
    higher = bool(s[0] > s[-1])
    # On a scale where higher is better, the standards descend; count those at or below x.
    merit, scale = (x, s) if higher else (-x, -s)
    at_or_below = np.searchsorted(scale[::-1], merit, side="right")
    band = np.where(merit >= scale[0], 0, 5 - at_or_below)
    band = np.where(merit < scale[-1], 5, band)
    return np.where(np.isnan(x), -1, band).astype(np.int64)


def efficacy_five_standards(
    values: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    standards: Sequence[float],
    coefficients: Sequence[float] = FIVE_COEFFICIENTS,
    below_poor: float = 0.0,
    places: int = 2,
) -> ScoreBatch:
    """功效系数法（五档标准值）, SCORING.md method 4, the state-enterprise pattern.

    ``standards`` are the values for excellent, good, average, low, poor (A..E), in order of
    merit: descending when higher is better, ascending when lower is better (the order sets the
    direction). A value between two standards scores ``P*c_low + (x - s_low) / (s_up - s_low) *
    (P * (c_up - c_low))``; at or beyond A it gets ``P * c_A``; beyond E it gets
    ``below_poor * P`` (0 unless the scheme says otherwise). A missing value (NaN) scores 0.
    Raises ValueError unless there are five strictly ordered standards and five strictly falling
    coefficients, and ``below_poor`` lies in [0, coefficient of E].
    """
    check_places(places)
    s = np.asarray(standards, dtype=np.float64)
    c = np.asarray(coefficients, dtype=np.float64)
    if s.shape != (5,) or c.shape != (5,):
        raise ValueError("five standard values and five coefficients are needed (A..E)")
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(c))):
        raise ValueError("standard values and coefficients must be finite numbers")
    steps = np.diff(s)
    if not (np.all(steps < 0) or np.all(steps > 0)):
        raise ValueError("standard values must be strictly ordered from excellent to poor")
    if np.any(np.diff(c) >= 0):
        raise ValueError("coefficients must fall from excellent to poor")
    if not 0 <= below_poor <= c[4]:
        raise ValueError(f"below_poor must lie between 0 and the coefficient of E, {c[4]:g}")
    x = category(values, "values")
    p = per_unit(points, x.size, "points", minimum=0)
    band = five_standard_band(x, s)
    # Lower and upper standard (and coefficient) of each unit's band; ends use A or E.
    k = np.clip(band, 1, 4)
    s_low, s_up, c_low, c_up = s[k], s[k - 1], c[k], c[k - 1]
    inside = p * c_low + (x - s_low) / (s_up - s_low) * (p * (c_up - c_low))
    raw = np.select(
        [band < 0, band == 0, band == 5],
        [np.zeros_like(x), p * c[0], p * below_poor],
        default=inside,
    )

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value, pts, b = float(x[i]), float(p[i]), int(band[i])
        if b < 0:
            return {"value": None}, "no value reported → 0"
        if b in (0, 5):
            where, factor = ("at or beyond A", c[0]) if b == 0 else ("beyond E", below_poor)
            return {"value": value}, f"{fmt(value)} {where} → {fmt(pts)} × {fmt(factor)} = {score}"
        lo, up = b, b - 1
        text = (
            f"{fmt(pts)} × {fmt(c[lo])} + ({fmt(value)} − {fmt(s[lo])}) / ({fmt(s[up])} − "
            f"{fmt(s[lo])}) × {fmt(pts)} × ({fmt(c[up])} − {fmt(c[lo])}) = {score}"
        )
        return {"value": value}, text

    shared: Params = {
        "standards": numbers(s),
        "coefficients": numbers(c),
        "below_poor": below_poor,
        "direction": direction(bool(s[0] > s[-1])),
    }
    return make_batch(
        "efficacy_five_standards",
        raw,
        places,
        lambda i: {"points": float(p[i]), **shared},
        explain,
    )
