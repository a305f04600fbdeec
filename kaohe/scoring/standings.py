"""Standings: units' totals within a category turned into ranks.

SCORING.md, "Composite, rank and grade": ranks are computed inside a category, and tied units
share the better rank unless the scheme forbids ties (competition ranking: 1, 2, 2, 4).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def competition_ranks(
    totals: npt.ArrayLike, *, higher_is_better: bool = True
) -> npt.NDArray[np.int64]:
    """1-based ranks; equal totals share the better rank and the next rank skips (1, 2, 2, 4).

    A missing total (NaN) ranks after every unit with a total, all missing ones sharing a rank.
    """
    x = np.asarray(totals, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("competition_ranks takes one total per unit")
    key = np.where(np.isnan(x), -np.inf, x if higher_is_better else -x)
    # Count, for each unit, the units strictly ahead of it: its rank is that count plus one.
    ordered = np.sort(key)[::-1]
    ahead = np.searchsorted(-ordered, -key, side="left")
    return (ahead + 1).astype(np.int64)
