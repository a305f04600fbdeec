"""Scores of indicators, read from the year's one read model (results.state), with explanations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kaohe.org.models import Unit
from kaohe.results.state import cell_state
from kaohe.schemes.models import Indicator
from kaohe.scoring.explain import Explanation
from kaohe.scoring.state import method_of


@dataclass(frozen=True)
class IndicatorScore:
    points: Decimal
    score: Decimal
    explanation: Explanation | None
    method: str
    gap: str = ""  # why the leaf could not be scored ("no value", "no target"), if it could not
    arithmetic: str = ""


def indicator_score(
    *, unit: Unit, indicator: Indicator, as_of: dt.date | None = None
) -> IndicatorScore | None:
    """A unit's score on a leaf by the leaf's own method, as of a date (now by default), as
    the standings, bulletins and rounds score it.

    None when the indicator does not apply to the unit's category. Callers load unit and
    indicator through their access helpers first.
    """
    cell = cell_state(unit=unit, indicator=indicator, as_of=as_of)
    if cell is None:
        return None
    s = cell.score
    return IndicatorScore(
        points=Decimal(str(s.points)).quantize(Decimal("0.01")),
        score=s.score,
        explanation=s.explanation,
        method=method_of(indicator.method)["kind"],
        gap=s.gap,
        arithmetic=s.arithmetic,
    )
