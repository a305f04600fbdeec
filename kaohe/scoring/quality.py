"""Data-quality flags (数据质量提示): values worth a second look before they are trusted.

SCORING.md, "Warnings": values that jump against the unit's own history or lie far from the
category are found with a robust z-score on the median absolute deviation, because plain
min-max and mean z-scores raise too many false alarms on skewed or seasonal data (DHIS2's
data-quality documentation). The modified z-score is ``0.6745 * (x - median) / MAD`` (Iglewicz
and Hoaglin); ``|z| > 3.5`` is the usual outlier threshold. Flags never block a submission: the
unit sees them before submitting and the reviewer beside the value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

#: Iglewicz and Hoaglin's constant: makes the MAD comparable to a standard deviation.
MAD_SCALE: Final = 0.6745
#: Modified z-scores beyond this are flagged.
OUTLIER_Z: Final = 3.5
#: The fewest values a comparison needs before it says anything.
MIN_PEERS: Final = 5


@dataclass(frozen=True)
class Flag:
    """One reason to look again: ``code`` for translation, numbers for the message."""

    code: str  # "category_outlier", "history_outlier", "cumulative_fell", "out_of_bounds"
    value: float
    reference: float  # the median, the previous value or the bound it was compared with
    score: float | None = None  # the modified z-score where one applies

    def as_dict(self) -> dict[str, float | str | None]:
        return {
            "code": self.code,
            "value": self.value,
            "reference": self.reference,
            "score": self.score,
        }


def modified_z(values: npt.ArrayLike, reference: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Modified z-scores of ``values`` against the distribution of ``reference``.

    NaNs in the reference are ignored. When the MAD is 0 (most values equal), the mean absolute
    deviation stands in (scaled by 1.253314, as IBM's and DHIS2's variants do); when that is 0
    too, every value equal to the median scores 0 and any other value scores infinity.
    """
    ref = np.asarray(reference, dtype=np.float64)
    ref = ref[~np.isnan(ref)]
    x = np.asarray(values, dtype=np.float64)
    if ref.size == 0:
        return np.full(x.shape, np.nan)
    median = float(np.median(ref))
    mad = float(np.median(np.abs(ref - median)))
    if mad > 0:
        return MAD_SCALE * (x - median) / mad
    meanad = float(np.mean(np.abs(ref - median)))
    if meanad > 0:
        return (x - median) / (1.253314 * meanad)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == median, 0.0, np.inf * np.sign(x - median))


def value_flags(
    value: float,
    *,
    category_values: Sequence[float] = (),
    history: Sequence[float] = (),
    previous_cumulative: float | None = None,
    bounds: tuple[float | None, float | None] = (None, None),
) -> list[Flag]:
    """Every flag a value raises against its category, its unit's history, and its bounds.

    ``category_values``: the same item's current values in the unit's category (excluding this
    unit); ``history``: the unit's own earlier values of the item (e.g. the same month in earlier
    years, or recent periods' increments); ``previous_cumulative``: the last approved
    year-to-date value, which a cumulative item must not fall below; ``bounds``: plausible
    minimum and maximum (either may be None).
    """
    flags: list[Flag] = []
    if not math.isfinite(value):
        return flags
    for code, reference in (("category_outlier", category_values), ("history_outlier", history)):
        ref = np.asarray(reference, dtype=np.float64)
        ref = ref[~np.isnan(ref)]
        if ref.size >= MIN_PEERS:
            z = float(modified_z([value], ref)[0])
            if abs(z) > OUTLIER_Z:
                flags.append(Flag(code, value, float(np.median(ref)), round(z, 2)))
    if previous_cumulative is not None and value < previous_cumulative:
        flags.append(Flag("cumulative_fell", value, previous_cumulative))
    low, high = bounds
    if low is not None and value < low:
        flags.append(Flag("out_of_bounds", value, low))
    if high is not None and value > high:
        flags.append(Flag("out_of_bounds", value, high))
    return flags
