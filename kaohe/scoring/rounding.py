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

Two implementations of the one rule, held equal by a property test:
- ``round_half_up`` (and ``round_array``) go through ``decimal``, one value at a time. This is the
  definition; a ScoreBatch's ``scores`` (Decimals) come from it.
- ``round_half_up_array`` is the vectorised twin for whole provinces: it returns, as float64,
  exactly ``float(round_half_up(v, places))`` for every ``v``. The argument: scale by
  ``10**places`` (one correctly rounded multiplication, relative error below 1.2e-16) and round
  half-up with ``floor(s + 0.5)``. Reading at 15 significant digits moves a value by less than
  5e-15 of itself, so the result can only differ from the Decimal path when the scaled value lies
  within ``1e-14 * s`` of a half (or is so large that 15 digits no longer reach the last place,
  which the same test catches: ``s >= 1e14``); the test uses the largest ``s`` of each block,
  which only sends a few more values down the exact path. Those values are rounded exactly from
  their 15-digit decimal mantissa in integer arithmetic (or, when only a few, through the Decimal
  path), and the handful whose mantissa cannot be decided in float64 go through the Decimal path.
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


_POW10 = np.array([float(10**k) for k in range(23)])  # exact in float64 up to 1e22
_IPOW10 = np.array([10**k for k in range(17)], dtype=np.int64)
#: Values per block in the vectorised paths: each block's temporaries stay in the CPU's cache.
BLOCK = 1 << 16
# How far (relative) the 15-digit reading and the scaling may move a scaled value; see above.
_NEAR_HALF = 1e-14
# Up to this many values a block sends to the exact path go one by one through the Decimal path:
# cheaper than the forty array operations of the vectorised exact path (exact halves such as
# 2.675 are common in two-decimal data, a few per block).
_FEW = 32


def round_half_up_array(values: npt.ArrayLike, places: int) -> npt.NDArray[np.float64]:
    """Vectorised ``round_half_up``: the same numbers, as float64, in the input's shape.

    ``round_half_up_array(v, p)[i] == float(round_half_up(v[i], p))`` for every finite value (the
    argument is the module docstring's; a property test holds it). Raises ValueError for NaN or
    infinite values and for ``places`` outside 0..MAX_PLACES.
    """
    check_places(places)
    x = np.asarray(values, dtype=np.float64)
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    rounder = BlockRounder(places, flat.size)
    for start in range(0, flat.size, BLOCK):
        block = slice(start, start + BLOCK)
        rounder(flat[block], out[block])
    return out.reshape(x.shape)


class BlockRounder:
    """Half-up rounding of one block at a time into ``out``, reusing its scratch space.

    The block form of ``round_half_up_array``, for methods that compute and round block by block
    while the numbers are still in the cache (allocating fresh temporaries for every block costs
    more than the arithmetic). Blocks are 1-D and at most BLOCK long.
    """

    def __init__(self, places: int, size: int = BLOCK) -> None:
        check_places(places)
        self.places = places
        size = max(1, min(size, BLOCK))  # a small category needs no block-sized scratch
        self._scratch = np.empty((2, size))
        self._flags = np.empty(size, dtype=np.bool_)

    def __call__(self, x: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> None:
        """Write the rounding of ``x`` into ``out`` (another array of the same length)."""
        # Huge values overflow when scaled and infinities give NaN: both take the exact path
        # (or are refused there), so numpy need not warn about them.
        with np.errstate(over="ignore", invalid="ignore"):
            self._round(x, out)

    def _round(self, x: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> None:
        n = x.size
        if n == 0:
            return
        s, d = self._scratch[0, :n], self._scratch[1, :n]
        flags = self._flags[:n]
        scale = _POW10[self.places]
        # Scores are rarely negative: when none is (NaN counts as "maybe"), skip the signs.
        signed = not x.min() >= 0
        if signed:
            np.abs(x, out=s)
            np.multiply(s, scale, out=s)
        else:
            np.multiply(x, scale, out=s)
        np.add(s, 0.5, out=out)
        np.floor(out, out=out)
        # Distance from the integer chosen. Within _NEAR_HALF * s of a half (the block's
        # largest s bounds it for every value) the 15-digit reading decides: exact path.
        np.subtract(s, out, out=d)
        np.abs(d, out=d)
        # NaN fails every comparison: a NaN or an infinity anywhere sends the block there too.
        np.less(d, 0.5 - _NEAR_HALF * s.max(), out=flags)
        hard = None if flags.all() else np.flatnonzero(~flags)
        np.divide(out, scale, out=out)
        if hard is not None:
            if not np.all(np.isfinite(x[hard])):
                raise ValueError("cannot round a non-finite value")
            if hard.size <= _FEW:
                out[hard] = [float(round_half_up(abs(float(v)), self.places)) for v in x[hard]]
            else:
                out[hard] = _round_exact(x[hard], self.places)
        if signed:
            np.less(x, 0.0, out=flags)
            # Half-up rounds away from zero: negate the magnitudes of negative values; a value
            # that rounds to zero stays +0.0 (never "minus zero").
            np.negative(out, out=out, where=flags)
            np.add(out, 0.0, out=out)


def _round_exact(x: npt.NDArray[np.float64], places: int) -> npt.NDArray[np.float64]:
    """Half-up from each value's 15-significant-digit decimal mantissa, in integer arithmetic.

    ``y = m * 10**-k`` with ``m`` the 15-digit integer mantissa (``10**14 <= m < 10**15``, found as
    ``rint(y * 10**k)``: one correctly rounded operation, off by at most 0.0625 from the exact
    product, so ``rint`` is the true 15-digit rounding unless the product lies within that of a
    half). Then ``r = (m + q/2) // q`` with ``q = 10**(k - places)`` is the half-up rounding, and
    ``r / 10**places`` its nearest float, as ``float(Decimal)`` is. Values whose mantissa is
    ambiguous (and whose result depends on it) or out of float64's exact powers of ten go through
    the Decimal path.
    """
    y = np.abs(x)
    out = np.zeros_like(y)
    positive = y > 0
    with np.errstate(divide="ignore"):
        e = np.floor(np.log10(np.where(positive, y, 1.0))).astype(np.int64)
    k = 14 - e
    scaled = _scale(y, k)
    # log10 may be one off next to a power of ten: move the mantissa into [1e14, 1e15).
    k = np.where(scaled >= 1e15, k - 1, np.where(scaled < 1e14, k + 1, k))
    fallback = ~positive | (k < -22) | (k > 22)
    k = np.clip(k, -22, 22)
    scaled = _scale(y, k)
    low = np.floor(scaled)
    ambiguous = np.abs(scaled - low - 0.5) <= 0.07
    m = np.rint(scaled)
    drop = k - places
    rounding = drop > 0
    q = _IPOW10[np.clip(drop, 0, 16)]
    half = q // 2

    def digits(mantissa: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
        result: npt.NDArray[np.int64] = (mantissa.astype(np.int64) + half) // q
        return result

    r = digits(m)
    # An ambiguous mantissa only matters where its two candidates round differently.
    differ = digits(low) != digits(low + 1)
    fallback |= ambiguous & (~rounding | differ)
    with np.errstate(over="ignore", invalid="ignore"):
        whole = np.where(k >= 0, m / _POW10[np.abs(k)], m * _POW10[np.abs(k)])
        out = np.where(rounding, r / _POW10[places], whole)
    out = np.where(positive, out, 0.0)
    for i in np.flatnonzero(fallback & positive):
        out[i] = float(round_half_up(float(x[i]), places))
    return np.abs(out)


def _scale(y: npt.NDArray[np.float64], k: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """``y * 10**k`` with one correctly rounded operation (an exact power of ten, |k| <= 22)."""
    kk = np.clip(k, -22, 22)
    power = _POW10[np.abs(kk)]
    with np.errstate(over="ignore"):
        scaled: npt.NDArray[np.float64] = np.where(kk >= 0, y * power, y / power)
    return scaled
