"""Stepped completion (阶梯计分), SCORING.md method 2.

Full points at the target; a fixed number of points added per step above it (e.g. +5 per 5%
above, up to a ceiling such as 120% of P) and removed per step below (e.g. -1 per 2% below),
floor 0; linear inside a step when the scheme says so (a state-enterprise scheme: "+5 per 5%
above target up to 120 and -1 per 2% below").

Steps are shares of the target: completion ``r = x / t`` (``t / x`` when lower is better), steps
above ``(r - 1) / step``, steps below ``(1 - r) / penalty_step``. Only whole steps count unless
``linear``; they are counted with a tolerance of STEP_TOLERANCE of a step, because binary
arithmetic makes 115% of a target 2.9999999999999996 steps of 5% above it, which a person counts
as 3.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import (
    FloatArray,
    ScoreBatch,
    blockwise,
    category,
    direction,
    make_batch,
    per_unit,
)
from kaohe.scoring.explain import format_number as fmt
from kaohe.scoring.rounding import check_places

#: Fraction of a step by which a count of whole steps may fall short and still count (above).
STEP_TOLERANCE = 1e-9


def unit_steps(gap: float, step: float, linear: bool) -> float:
    """Steps in ``gap`` (a share of the target): whole ones, or fractional if ``linear``."""
    steps = gap / step
    return steps if linear or math.isinf(steps) else math.floor(steps + STEP_TOLERANCE)


def stepped_completion(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float | npt.ArrayLike,
    *,
    step: float = 0.05,
    bonus_per_step: float = 0.0,
    penalty_step: float = 0.02,
    penalty_per_step: float = 1.0,
    ceiling: float = 1.2,
    floor: float = 0.0,
    linear: bool = False,
    higher_is_better: bool = True,
    places: int = 2,
) -> ScoreBatch:
    """阶梯计分, SCORING.md method 2: full points at target, steps above and below.

    ``P + up * bonus_per_step - down * penalty_per_step``, bounded to ``[floor * P, ceiling * P]``
    (``floor`` and ``ceiling`` are shares of P, as the caps of method 1), where ``up`` counts the
    ``step``s of completion above the target and ``down`` the ``penalty_step``s below it (module
    docstring). Example: +5 per 5% above up to 120, -1 per 2% below: ``step=0.05,
    bonus_per_step=5, penalty_step=0.02, penalty_per_step=1, ceiling=1.2``.

    Lower is better mirrors it with completion ``t / x`` (a value of 0 or less is the best there
    is and gets the ceiling). A missing value (NaN) scores 0; targets must be positive. Raises
    ValueError for a step that is not positive, negative points per step, a ceiling below 1, a
    floor below 0 or above 1, or places outside 0..6.
    """
    check_places(places)
    if not (step > 0 and penalty_step > 0):
        raise ValueError(f"step and penalty_step must be positive, got {step}, {penalty_step}")
    if not (bonus_per_step >= 0 and penalty_per_step >= 0):
        raise ValueError("bonus_per_step and penalty_per_step must not be negative")
    if not (math.isfinite(ceiling) and ceiling >= 1):
        raise ValueError(f"ceiling must be a share of the points of at least 1, got {ceiling}")
    if not 0 <= floor <= 1:
        raise ValueError(f"floor must be a share of the points between 0 and 1, got {floor}")
    x = category(values, "values")
    n = x.size
    t = per_unit(targets, n, "targets")
    if np.any(t <= 0):
        raise ValueError("stepped completion needs positive targets")
    p = per_unit(points, n, "points", minimum=0)

    def compute(block: slice, out: FloatArray) -> None:
        xs, ts, ps = x[block], t[block], p[block]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = xs / ts if higher_is_better else np.where(xs > 0, ts / xs, np.inf)
            up = np.maximum(ratio - 1, 0) / step
            down = np.maximum(1 - ratio, 0) / penalty_step
            if not linear:
                up = np.floor(up + STEP_TOLERANCE)
                down = np.floor(down + STEP_TOLERANCE)
            # A zero rate adds nothing, even for infinitely many steps (0 × ∞ would be NaN).
            raw = ps + (up * bonus_per_step if bonus_per_step else 0.0)
            raw = raw - (down * penalty_per_step if penalty_per_step else 0.0)
            raw = np.clip(raw, floor * ps, ceiling * ps)
        out[:] = np.where(np.isnan(xs), 0.0, raw)

    raw, rounded = blockwise(n, places, compute)

    def explain(i: int, score: str) -> tuple[dict[str, float | None], str]:
        value, target, pts = float(x[i]), float(t[i]), float(p[i])
        inputs: dict[str, float | None] = {"value": value, "target": target}
        if math.isnan(value):
            return inputs | {"value": None}, "no value reported → 0"
        if higher_is_better:
            ratio, text = value / target, f"{fmt(value)} / {fmt(target)}"
        elif value > 0:
            ratio, text = target / value, f"{fmt(target)} / {fmt(value)}"
        else:
            ratio, text = math.inf, f"value {fmt(value)} ≤ 0, lower is better"
        head = f"{text} = {fmt(ratio * 100, 2)}%; " if math.isfinite(ratio) else f"{text}; "
        if ratio >= 1:
            steps = unit_steps(max(ratio - 1, 0), step, linear)
            body = f"{fmt(pts)} + {fmt(steps, 4)} × {fmt(bonus_per_step)}"
        else:
            steps = unit_steps(max(1 - ratio, 0), penalty_step, linear)
            body = f"{fmt(pts)} − {fmt(steps, 4)} × {fmt(penalty_per_step)}"
        bounds = f"within [{fmt(floor * pts)}, {fmt(ceiling * pts)}]"
        return inputs, f"{head}{body}, {bounds} = {score}"

    def parameters(i: int) -> dict[str, float | str | None]:
        return {
            "points": float(p[i]),
            "step": step,
            "bonus_per_step": bonus_per_step,
            "penalty_step": penalty_step,
            "penalty_per_step": penalty_per_step,
            "ceiling": ceiling,
            "floor": floor,
            "linear": "yes" if linear else "no",
            "direction": direction(higher_is_better),
        }

    return make_batch("stepped_completion", raw, places, parameters, explain, rounded=rounded)
