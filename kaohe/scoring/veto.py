"""Vetoes (一票否决), SCORING.md method 13.

A listed event (a major accident, a disciplinary case, a score below a floor) caps the grade,
"not 优秀" or "较差 outright", whatever the score. Each kind of event names the best grade a unit
with such an event may still get; a unit with several takes the strictest. The caps feed
``grading.grade(..., vetoes=...)``, which removes a vetoed unit from every grade above its cap
before any quota is filled. A veto for "a score below a floor" is a flag column computed by the
caller (``scores < floor``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import frozen
from kaohe.scoring.lazy import LazySequence


@dataclass(frozen=True, eq=False)
class VetoBatch:
    """Per unit, the best grade still allowed (None: no veto), with a sentence saying why.

    ``caps`` can be passed as it is to ``grade(..., vetoes=caps)``; ``index`` holds the cap as a
    position in the grades, best first (-1 for no veto).
    """

    caps: tuple[str | None, ...]
    index: npt.NDArray[np.int64]
    explanations: LazySequence[str]

    def explain(self, i: int) -> str:
        """Why unit i's grade is capped, or that it is not."""
        return self.explanations[i]


def veto(
    flags: npt.ArrayLike,
    caps: Mapping[str, str] | Sequence[str],
    grades: Sequence[str],
) -> VetoBatch:
    """一票否决, SCORING.md method 13: each flagged event caps the unit's grade.

    ``flags`` is units × kinds of event (true where the unit had one); ``caps`` gives each
    kind's best allowed grade, by kind name (mapping, in column order) or in column order;
    ``grades`` are the scheme's grade codes, best first. Vectorised: the cap of a unit is the
    strictest (lowest) cap among its flagged kinds. Raises ValueError for a cap that is not one
    of the grades or a table of the wrong shape.
    """
    names = [str(k) for k in caps] if isinstance(caps, Mapping) else None
    cap_codes = list(caps.values()) if isinstance(caps, Mapping) else list(caps)
    codes = list(grades)
    if len(set(codes)) != len(codes) or not codes:
        raise ValueError("grades must be distinct codes, best first")
    unknown = [c for c in cap_codes if c not in codes]
    if unknown:
        raise ValueError(f"veto caps name unknown grades: {unknown}")
    table = np.asarray(flags, dtype=np.bool_)
    if table.ndim == 1 and len(cap_codes) == 1:
        table = table[:, None]
    if table.ndim != 2 or table.shape[1] != len(cap_codes):
        raise ValueError(f"flags must be units × {len(cap_codes)} kinds of event")
    kinds = names or [f"event {k + 1}" for k in range(len(cap_codes))]
    cap_index = np.array([codes.index(c) for c in cap_codes], dtype=np.int64)
    index = frozen(np.max(np.where(table, cap_index, -1), axis=1, initial=-1))
    result = tuple(None if k < 0 else codes[k] for k in index.tolist())
    frozen(table)

    def build(i: int) -> str:
        if index[i] < 0:
            return "no veto"
        reasons = [
            f"{kinds[k]} → at most {cap_codes[k]}" for k in np.flatnonzero(table[i]).tolist()
        ]
        if len(reasons) == 1:
            return reasons[0]
        return f"{'; '.join(reasons)} → at most {result[i]}"

    return VetoBatch(result, index, LazySequence(len(result), build))
