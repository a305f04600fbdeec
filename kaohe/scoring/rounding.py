"""Rounding policy of the scoring core.

- Computation is in float64 (numpy), and nothing is rounded along the way: intermediate
  rounding would make a unit's score depend on the order of operations.
- Rounding happens once, at the end, to the number of decimal places the scheme sets (a scheme
  setting, SCORING.md "Composite, rank and grade": "fixed decimal precision (e.g. integers for
  indicators of 10 points or more)"), so ``places`` is always a parameter, 0 to ``MAX_PLACES``.
- The rule is 四舍五入, half-up (a half rounds away from zero, so -2.5 -> -3), applied to the
  decimal representation of the number, not to its binary value: 2.675 is stored as
  2.67499999... in binary, but an assessor reading "2.675" expects 2.68, and so does the scheme.
- Before rounding, a float is read at 15 significant digits (the precision float64 guarantees).
  This removes the noise of binary arithmetic, such as 10 * 0.8345 = 8.344999999999999, which
  would otherwise round down although the true result, 8.345, rounds up. Decimal inputs are
  taken exactly as they are.
- A rounded zero is always positive ("0.00", never "-0.00").
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np
import numpy.typing as npt

#: Most decimal places a scheme may ask for; beyond this float64 noise shows through.
MAX_PLACES = 6

# Digits float64 represents faithfully; reading a float at this precision drops binary noise.
_SIGNIFICANT_DIGITS = 15


def check_places(places: int) -> None:
    """Raise ValueError unless ``places`` is an int in 0..MAX_PLACES (a scheme setting)."""
    if isinstance(places, bool) or not isinstance(places, int):
        raise ValueError(f"places must be an integer, got {places!r}")
    if not 0 <= places <= MAX_PLACES:
        raise ValueError(f"places must be between 0 and {MAX_PLACES}, got {places}")


def round_half_up(value: float | Decimal, places: int) -> Decimal:
    """Round half-up (四舍五入) on the decimal representation: 2.675 -> 2.68, 0.125 -> 0.13.

    The rounding policy is the module docstring's. Raises ValueError for NaN or infinite values
    (a score is always a number) and for ``places`` outside 0..MAX_PLACES.
    """
    check_places(places)
    if isinstance(value, Decimal):
        exact = value
    else:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"cannot round a non-finite value: {number!r}")
        exact = Decimal(format(number, f".{_SIGNIFICANT_DIGITS}g"))
    if not exact.is_finite():
        raise ValueError(f"cannot round a non-finite value: {value!r}")
    # Enough digits for every integer digit plus the places, however large the number.
    context = Context(prec=max(28, exact.adjusted() + places + 2))
    rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, context)
    # -0.001 rounds to -0.00; a score of "minus zero" would only confuse.
    return abs(rounded) if rounded.is_zero() else rounded


def round_array(values: npt.ArrayLike, places: int) -> list[Decimal]:
    """Round every value of an array half-up to ``places`` (see ``round_half_up``), in order.

    Decimals are the output because a score shown, stored and summed must be exactly the
    rounded number, not its binary neighbour.
    """
    check_places(places)
    array = np.asarray(values, dtype=np.float64).ravel()
    return [round_half_up(float(v), places) for v in array]


def round_half_up_array(values: npt.ArrayLike, places: int) -> npt.NDArray[np.float64]:
    """Vectorised half-up rounding that agrees with ``round_half_up`` for scores.

    The scaled value is first rounded to 6 decimals, which removes binary noise such as
    2.675 * 100 = 267.49999999999997 (as reading 15 significant digits does in the Decimal path),
    then half-up is ``floor(|x| + 0.5)`` with the sign restored. Exact for magnitudes below 1e8
    after scaling (scores, points and values as schemes use them); larger magnitudes fall back to
    the Decimal path element by element.
    """
    check_places(places)
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0**places
    scaled = np.round(x * scale, 6)
    out = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale
    out = np.where(out == 0, 0.0, out)  # never "-0"
    big = np.abs(scaled) >= 1e8
    if np.any(big):
        out[big] = [float(round_half_up(float(v), places)) for v in x[big]]
    return out
