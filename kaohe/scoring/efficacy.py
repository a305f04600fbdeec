"""Stepped completion and the efficacy-coefficient methods (SCORING.md methods 2, 3 and 4)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import as_array, make_batch
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.methods import ScoreBatch

#: The state-enterprise pattern's coefficients for excellent, good, average, low, poor (A..E).
FIVE_COEFFICIENTS = (1.0, 0.8, 0.6, 0.4, 0.2)


def stepped_completion(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float,
    *,
    step: float = 0.05,
    bonus_per_step: float = 0.0,
    penalty_step: float = 0.02,
    penalty_per_step: float = 1.0,
    ceiling: float = 1.2,
    linear: bool = False,
    places: int = 2,
) -> ScoreBatch:
    """阶梯计分, SCORING.md method 2: full points at target, steps above and below.

    ``+bonus_per_step`` points per whole ``step`` (a share of the target) above it, up to
    ``ceiling * P``; ``-penalty_per_step`` per whole ``penalty_step`` below it, floor 0. With
    ``linear`` the steps are proportional (a half step gives half the points). Example (a
    state-enterprise scheme): +5 per 5% above up to 120, -1 per 2% below. A missing value
    scores 0; a target must be positive.
    """
    if step <= 0 or penalty_step <= 0 or ceiling < 1 or bonus_per_step < 0 or penalty_per_step < 0:
        raise ValueError("steps must be positive, per-step points non-negative, ceiling >= 1")
    x = as_array(values, "values", allow_nan=True)
    t = as_array(targets, "targets")
    if np.any(t <= 0):
        raise ValueError("stepped completion needs positive targets")
    with np.errstate(invalid="ignore"):
        ratio = x / t
        above = np.maximum(ratio - 1, 0)
        below = np.maximum(1 - ratio, 0)
        up = above / step if linear else np.floor(above / step + 1e-9)
        down = below / penalty_step if linear else np.floor(below / penalty_step + 1e-9)
        raw = np.clip(points + up * bonus_per_step - down * penalty_per_step, 0, ceiling * points)
    raw = np.where(np.isnan(x), 0.0, raw)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        if math.isnan(x[i]):
            return {"value": None, "target": float(t[i])}, "no value reported → 0"
        r = float(ratio[i])
        text = f"{fmt(x[i])} / {fmt(t[i])} = {fmt(r * 100, 2)}%; "
        if r >= 1:
            text += f"{fmt(points)} + {fmt(up[i], 4)} × {fmt(bonus_per_step)}"
            text += f", at most {fmt(ceiling * points)} = {score}"
        else:
            text += (
                f"{fmt(points)} − {fmt(down[i], 4)} × {fmt(penalty_per_step)}, at least 0 = {score}"
            )
        return {"value": float(x[i]), "target": float(t[i])}, text

    params: dict[str, float | str | None] = {
        "points": points,
        "step": step,
        "bonus_per_step": bonus_per_step,
        "penalty_step": penalty_step,
        "penalty_per_step": penalty_per_step,
        "ceiling": ceiling,
        "linear": "yes" if linear else "no",
    }
    return make_batch("stepped_completion", raw, places, params, explain)


def efficacy_coefficient(
    values: npt.ArrayLike,
    points: float,
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
    may go negative, above xh it exceeds P: ``floor`` and ``cap`` (shares of P) bound it when the
    scheme says so. Worked case: x = 5.81, xh = 12, xs = 6, P = 100 gives 58.73.
    """
    if satisfactory == not_allowed:
        raise ValueError("the satisfactory value and the not-allowed value must differ")
    if not 0 <= base <= 1:
        raise ValueError("base must be between 0 and 1")
    x = as_array(values, "values", allow_nan=True)
    share = base + (1 - base) * (x - not_allowed) / (satisfactory - not_allowed)
    lo = -np.inf if floor is None else floor
    hi = np.inf if cap is None else cap
    raw = np.where(np.isnan(x), 0.0, points * np.clip(share, lo, hi))

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        if math.isnan(x[i]):
            return {"value": None}, "no value reported → 0"
        core = (
            f"{fmt(points)} × ({fmt(base)} + {fmt(1 - base)} × ({fmt(x[i])} − {fmt(not_allowed)})"
            f" / ({fmt(satisfactory)} − {fmt(not_allowed)}))"
        )
        bounds = ""
        if floor is not None or cap is not None:
            bounds = f", bounded to [{fmt(points * lo) if floor is not None else '−∞'}, "
            bounds += f"{fmt(points * hi) if cap is not None else '∞'}]"
        return {"value": float(x[i])}, f"{core}{bounds} = {score}"

    params: dict[str, float | str | None] = {
        "points": points,
        "satisfactory": satisfactory,
        "not_allowed": not_allowed,
        "base": base,
        "floor": floor,
        "cap": cap,
    }
    return make_batch("efficacy_coefficient", raw, places, params, explain)


def efficacy_five_standards(
    values: npt.ArrayLike,
    points: float,
    *,
    standards: Sequence[float],
    coefficients: Sequence[float] = FIVE_COEFFICIENTS,
    below_poor: float = 0.0,
    places: int = 2,
) -> ScoreBatch:
    """功效系数法（五档标准值）, SCORING.md method 4, the state-enterprise pattern.

    ``standards`` are the values for excellent, good, average, low, poor (A..E), in order of
    merit (descending when higher is better, ascending when lower is better). A value between
    two standards scores ``P*c_low + (x - s_low)/(s_up - s_low) * P*(c_up - c_low)``; at or
    beyond A it gets ``P * c_A``; beyond E it gets ``below_poor * P`` (0 unless the scheme says
    otherwise).
    """
    s = np.asarray(standards, dtype=np.float64)
    c = np.asarray(coefficients, dtype=np.float64)
    if s.size != 5 or c.size != 5:
        raise ValueError("five standard values and five coefficients are needed (A..E)")
    steps = np.diff(s)
    if not (np.all(steps < 0) or np.all(steps > 0)):
        raise ValueError("standard values must be strictly ordered from excellent to poor")
    if np.any(np.diff(c) >= 0):
        raise ValueError("coefficients must fall from excellent to poor")
    higher = bool(steps[0] < 0)
    x = as_array(values, "values", allow_nan=True)
    # Work on a scale where higher is better, so one interpolation serves both directions.
    xs, ss = (x, s) if higher else (-x, -s)
    raw = np.empty_like(x)
    band = np.full(x.shape, -1)
    for i, v in enumerate(xs):
        if math.isnan(v):
            raw[i] = 0.0
        elif v >= ss[0]:
            raw[i] = points * c[0]
        elif v < ss[4]:
            raw[i] = points * below_poor
        else:
            k = int(np.nonzero(ss <= v)[0][0])  # the first standard at or below the value
            up = k - 1
            share = (v - ss[k]) / (ss[up] - ss[k])
            raw[i] = points * c[k] + share * points * (c[up] - c[k])
            band[i] = k

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        if math.isnan(x[i]):
            return {"value": None}, "no value reported → 0"
        k = int(band[i])
        if k < 0:
            where = "at or beyond A" if xs[i] >= ss[0] else "beyond E"
            factor = c[0] if xs[i] >= ss[0] else below_poor
            return {
                "value": float(x[i])
            }, f"{fmt(x[i])} {where} → {fmt(points)} × {fmt(factor)} = {score}"
        up = k - 1
        text = (
            f"{fmt(points)} × {fmt(c[k])} + ({fmt(x[i])} − {fmt(s[k])}) / ({fmt(s[up])} − "
            f"{fmt(s[k])}) × {fmt(points)} × ({fmt(c[up])} − {fmt(c[k])}) = {score}"
        )
        return {"value": float(x[i])}, text

    params: dict[str, float | str | None] = {
        "points": points,
        "standards": ",".join(fmt(v) for v in s),
        "coefficients": ",".join(fmt(v) for v in c),
        "below_poor": below_poor,
    }
    return make_batch("efficacy_five_standards", raw, places, params, explain)
