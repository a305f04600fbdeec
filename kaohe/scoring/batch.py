"""ScoreBatch, the result of every scoring method, and the helpers the methods share.

A method computes a whole category's raw scores vectorised (float64, nothing rounded along the
way), rounds them once at the end (kaohe.scoring.rounding), and hands back a ScoreBatch whose
Decimal ``scores`` and ``explanations`` are built lazily, item by item, when read.

Sums over several columns (kinds of event, indicators, components, groups) are taken one column
at a time, left to right, starting from 0: the same order as Python's ``sum`` over a unit's row,
so that a per-unit recomputation from an explanation gives the very same float.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from kaohe.scoring.explain import Explanation, ParamValue
from kaohe.scoring.lazy import LazySequence
from kaohe.scoring.rounding import (
    BLOCK,
    BlockRounder,
    check_places,
    round_half_up,
    round_half_up_array,
)

FloatArray = npt.NDArray[np.float64]
A = TypeVar("A", bound=np.ndarray[Any, Any])
BoolArray = npt.NDArray[np.bool_]
Inputs = Mapping[str, float | None]
Params = Mapping[str, ParamValue]
#: ``explain(i, score_text)`` gives unit i's inputs and its arithmetic ending in the score.
Explain = Callable[[int, str], tuple[Inputs, str]]


class ScoreBatch:
    """Scores of a whole category, one entry per unit in input order.

    - ``raw``: the unrounded float64 scores (read-only), for ties and diagnostics;
    - ``rounded``: the scores rounded half-up to ``places``, as float64 (read-only), computed
      vectorised; ``rounded[i] == float(scores[i])``;
    - ``scores``: the rounded scores as Decimals, ``round_half_up(raw[i], places)``, built when
      read (a lazy sequence that compares equal to a tuple of the same Decimals);
    - ``explanations`` / ``explain(i)``: unit i's Explanation, built when read, with
      ``explanations[i].result == scores[i]``.
    """

    __slots__ = ("_explanations", "_scores", "method", "places", "raw", "rounded")

    def __init__(
        self,
        method: str,
        raw: npt.ArrayLike,
        places: int,
        build: Callable[[int, Decimal], Explanation],
        *,
        rounded: npt.ArrayLike | None = None,
    ) -> None:
        check_places(places)
        self.method = method
        self.places = places
        self.raw: FloatArray = frozen(np.asarray(raw, dtype=np.float64))
        if rounded is None:
            rounded = round_scores(self.raw, places)
        self.rounded: FloatArray = frozen(np.asarray(rounded, dtype=np.float64))
        # The closures hold the arrays, never the batch itself: a reference cycle would keep a
        # country's arrays alive until the garbage collector happens to run.
        raw_scores = self.raw
        scores: LazySequence[Decimal] = LazySequence(
            raw_scores.size, lambda i: round_half_up(float(raw_scores[i]), places)
        )
        self._scores = scores
        self._explanations: LazySequence[Explanation] = LazySequence(
            raw_scores.size, lambda i: build(i, scores[i])
        )

    @property
    def scores(self) -> Sequence[Decimal]:
        """The rounded scores as Decimals, in input order (built when read)."""
        return self._scores

    @property
    def explanations(self) -> Sequence[Explanation]:
        """One Explanation per unit, in input order (built when read)."""
        return self._explanations

    def explain(self, i: int) -> Explanation:
        """Unit i's Explanation: inputs, method, parameters, arithmetic, and the score."""
        return self._explanations[i]

    def __len__(self) -> int:
        return int(self.raw.size)

    def __repr__(self) -> str:
        return f"<ScoreBatch {self.method}: {self.raw.size} units, places={self.places}>"


def make_batch(
    method: str,
    raw: npt.ArrayLike,
    places: int,
    parameters: Params | Callable[[int], Params],
    explain: Explain,
    *,
    rounded: npt.ArrayLike | None = None,
) -> ScoreBatch:
    """A ScoreBatch whose explanation i is built from ``explain(i, str(score))`` when read.

    ``parameters`` are the method's settings, shared by every unit, or a function giving unit
    i's (for points or directions that differ by unit); ``places`` is added to them.
    """

    def build(i: int, score: Decimal) -> Explanation:
        inputs, arithmetic = explain(i, str(score))
        params = parameters(i) if callable(parameters) else parameters
        return Explanation(
            method=method,
            inputs=inputs,
            parameters={**params, "places": places},
            arithmetic=arithmetic,
            result=score,
        )

    return ScoreBatch(method, raw, places, build, rounded=rounded)


def round_scores(raw: FloatArray, places: int) -> FloatArray:
    """``raw`` rounded half-up to ``places`` (rounding.round_half_up_array), block by block."""
    return round_half_up_array(np.reshape(raw, -1), places)


def blockwise(
    n: int, places: int, compute: Callable[[slice, FloatArray], object]
) -> tuple[FloatArray, FloatArray]:
    """Raw and rounded scores of n units, computed and rounded one cache-sized block at a time.

    ``compute(block, out)`` writes the raw scores of the units in the slice ``block`` into
    ``out``. Working block by block keeps every temporary in the processor's cache, which is
    what makes scoring a whole country at once cost about as much as a bare numpy pass.
    """
    raw, rounded = np.empty(n), np.empty(n)
    rounder = BlockRounder(places, n)
    for start in range(0, n, BLOCK):
        block = slice(start, min(n, start + BLOCK))
        compute(block, raw[block])
        rounder(raw[block], rounded[block])
    return raw, rounded


def frozen(array: A) -> A:
    """``array``, made read-only (a result is stored beside its explanation, never changed)."""
    array.setflags(write=False)
    return array


def as_array(
    values: npt.ArrayLike, name: str, *, allow_nan: bool = False
) -> npt.NDArray[np.float64]:
    """A one-dimensional float array, checked: finite (or NaN for 'not reported' if allowed)."""
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if array.ndim != 1:
        raise ValueError(f"{name} must be one value per unit")
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if np.any(bad):
        raise ValueError(f"{name} must be finite numbers")
    return array


def category(values: npt.ArrayLike, name: str, *, allow_nan: bool = True) -> FloatArray:
    """One value per unit, read-only, that the caller cannot change (NaN: not reported, if
    allowed): the lazy explanations read it later. Copied only when ``must_copy`` says so."""
    array = as_array(values, name, allow_nan=allow_nan)
    return frozen(array.copy() if must_copy(values, array) else array)


def per_unit(
    value: float | npt.ArrayLike, n: int, name: str, *, minimum: float | None = None
) -> FloatArray:
    """A setting given once or once per unit (points, typically), as n read-only floats.

    A single number is broadcast without copying. Raises ValueError unless every value is finite
    (and at least ``minimum`` when given) or the length is not n.
    """
    array = np.asarray(value, dtype=np.float64)
    if array.size == 1:
        array = np.broadcast_to(array.reshape(()).copy(), (n,))
    elif array.ndim != 1 or array.size != n:
        raise ValueError(f"{name} must be one number, or one per unit ({n})")
    else:
        array = frozen(array.copy() if must_copy(value, array) else array)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers")
    if minimum is not None and np.any(array < minimum):
        floor = "negative" if minimum == 0 else f"below {minimum:g}"
        raise ValueError(f"{name} must not be {floor}")
    return array


def left_sum(table: FloatArray, weights: FloatArray) -> FloatArray:
    """``sum(table[:, j] * weights[j] for j)``, column by column, left to right (module doc)."""
    total = np.zeros(table.shape[0])
    for j in range(table.shape[1]):
        total += table[:, j] * weights[j]
    return total


def numbers(values: Sequence[float] | npt.ArrayLike) -> tuple[float, ...]:
    """A list setting as a tuple of plain floats, for an explanation's parameters."""
    return tuple(float(v) for v in np.asarray(values, dtype=np.float64).ravel())


def direction(higher_is_better: bool) -> str:
    """The direction code of an explanation's parameters: "higher" or "lower"."""
    return "higher" if higher_is_better else "lower"


def broadcast_units(method: str, *arrays: npt.NDArray[Any]) -> int:
    """The number of units the inputs describe; ValueError unless they are one-dimensional
    and broadcast together (a single value applies to every unit)."""
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise ValueError(f"{method}: the inputs must have one entry per unit") from None
    if len(shape) > 1:
        raise ValueError(f"{method} takes one-dimensional arrays (one entry per unit)")
    return int(shape[0]) if shape else 1


def must_copy(given: object, array: npt.NDArray[Any]) -> bool:
    """Whether ``array`` (made from the caller's ``given``) must be copied to stay unchanged.

    The lazy explanations read a batch's inputs later, so the batch must not share memory the
    caller may still write to. An array numpy made afresh (from a list, or converting another
    dtype) is the batch's own; a read-only array the caller hands over is kept by reference,
    which spares a whole country's copy (a caller who makes it writable again and changes it
    changes the explanations too); only the caller's writable memory is copied.
    """
    return (
        isinstance(given, np.ndarray)
        and array.flags.writeable
        and np.may_share_memory(given, array)
    )


class Staged:
    """An input kept for the explanations, copied block by block while the block is scored.

    Copying each block as it is scored costs far less than a separate pass over a country's
    values; nothing is copied when ``must_copy`` says the batch may keep the array itself. A
    single value for every unit is kept as a read-only broadcast view.
    """

    __slots__ = ("_source", "array", "single")

    def __init__(self, given: object, array: npt.NDArray[Any], n: int) -> None:
        self.single = array.size == 1
        self._source = None
        if self.single:
            self.array: npt.NDArray[Any] = np.broadcast_to(array.reshape(()).copy(), (n,))
        elif must_copy(given, array):
            self._source = array.reshape(n)
            self.array = np.empty(n, dtype=array.dtype)
        else:
            self.array = array.reshape(n)

    def block(self, block: slice) -> npt.NDArray[Any]:
        """Copy the block in (if there is anything to copy) and return it."""
        if self._source is not None:
            self.array[block] = self._source[block]
        return self.array[block]

    def done(self) -> npt.NDArray[Any]:
        """The whole private copy, now read-only."""
        self._source = None
        return frozen(self.array) if not self.single else self.array
