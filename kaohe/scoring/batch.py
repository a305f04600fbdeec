"""Building a ScoreBatch: round once at the end, explain every unit from the same numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from kaohe.scoring.explain import Explanation
from kaohe.scoring.methods import ScoreBatch
from kaohe.scoring.rounding import check_places, round_array

Explain = Callable[[int, str], tuple[Mapping[str, float | None], str]]


def make_batch(
    method: str,
    raw: npt.ArrayLike,
    places: int,
    parameters: Mapping[str, float | str | None],
    explain: Explain,
) -> ScoreBatch:
    """Round ``raw`` half-up to ``places`` and explain each unit.

    ``explain(i, rounded_text)`` returns unit i's inputs and the arithmetic ending in the rounded
    score, so every explanation shows exactly the number the unit gets.
    """
    check_places(places)
    values = np.array(raw, dtype=np.float64)
    scores = round_array(values, places)
    explanations = []
    for i, score in enumerate(scores):
        inputs, arithmetic = explain(i, str(score))
        explanations.append(
            Explanation(
                method=method,
                inputs=inputs,
                parameters={**parameters, "places": places},
                arithmetic=arithmetic,
                result=score,
            )
        )
    values.setflags(write=False)
    return ScoreBatch(tuple(scores), values, tuple(explanations))


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
