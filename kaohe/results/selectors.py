"""Scores of indicators, computed by kaohe.scoring from approved values, with explanations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from kaohe.org.models import Unit
from kaohe.reporting.models import ProgressReport, ReportStatus, Target
from kaohe.schemes.models import Indicator, IndicatorPoints
from kaohe.scoring.explain import Explanation
from kaohe.scoring.methods import completion_ratio


@dataclass(frozen=True)
class IndicatorScore:
    points: Decimal
    score: Decimal
    explanation: Explanation


def indicator_score(*, unit: Unit, indicator: Indicator) -> IndicatorScore | None:
    """The completion-ratio score of a unit's latest approved value of a leaf indicator.

    None when the indicator does not apply to the unit's category or has no target. Callers load
    unit and indicator through their access helpers first.
    """
    if unit.category_id is None:
        return None
    points_row = IndicatorPoints.objects.filter(
        indicator=indicator, category_id=unit.category_id
    ).first()
    target = Target.objects.filter(unit=unit, indicator=indicator).first()
    if points_row is None or target is None:
        return None
    latest = (
        ProgressReport.objects.filter(
            unit=unit,
            indicator=indicator,
            status__in=[ReportStatus.APPROVED, ReportStatus.CONFIRMED],
        )
        .order_by("-period__end")
        .values_list("value", flat=True)
        .first()
    )
    method = indicator.method or {}
    batch = completion_ratio(
        np.array([np.nan if latest is None else float(latest)]),
        np.array([float(target.annual_target)]),
        float(points_row.points),
        cap=float(method.get("cap", 1.0)),
        higher_is_better=indicator.higher_is_better,
        places=indicator.scheme.score_places,
    )
    return IndicatorScore(points_row.points, batch.scores[0], batch.explanations[0])
