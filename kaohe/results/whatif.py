"""What-if standings for the scheme designer: change one indicator's points or method and see
which units' ranks in a category move. Read-only: nothing here writes.

The scores come from kaohe.scoring (each leaf scored for the whole category in one call) on
each unit's latest approved or confirmed value; ranks from kaohe.scoring.standings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from kaohe.org.models import Category, Unit
from kaohe.reporting.models import ProgressReport, ReportStatus, Target
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme
from kaohe.scoring.registry import score_method
from kaohe.scoring.standings import competition_ranks

APPROVED = [ReportStatus.APPROVED, ReportStatus.CONFIRMED]


@dataclass(frozen=True)
class Override:
    """The designer's change to one indicator: new points for the category and/or method."""

    indicator_id: int
    points: float | None = None
    method: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StandingRow:
    unit: Unit
    before_total: float
    before_rank: int
    after_total: float
    after_rank: int

    @property
    def moved(self) -> int:
        """Places gained (positive) or lost (negative)."""
        return self.before_rank - self.after_rank


def method_scores(
    method: Mapping[str, Any],
    values: npt.NDArray[np.float64],
    targets: npt.NDArray[np.float64],
    points: float,
    *,
    higher_is_better: bool,
    places: int,
) -> npt.NDArray[np.float64]:
    """Scores of one leaf for the units that have a target (raises ValueError on bad params)."""
    batch = score_method(
        {"kind": "completion_ratio", **method},
        values,
        targets,
        points,
        higher_is_better=higher_is_better,
        places=places,
    )
    return np.array([float(s) for s in batch.scores])


def _totals(
    leaves: list[tuple[Indicator, float, Mapping[str, Any]]],
    unit_ids: list[int],
    targets: dict[tuple[int, int], float],
    values: dict[tuple[int, int], float],
    places: int,
) -> npt.NDArray[np.float64]:
    totals = np.zeros(len(unit_ids))
    for indicator, points, method in leaves:
        has_target = np.array([(u, indicator.pk) in targets for u in unit_ids])
        if not has_target.any():
            continue
        ids = [u for u, ok in zip(unit_ids, has_target, strict=True) if ok]
        x = np.array([values.get((u, indicator.pk), np.nan) for u in ids])
        t = np.array([targets[(u, indicator.pk)] for u in ids])
        scores = method_scores(
            method, x, t, points, higher_is_better=indicator.higher_is_better, places=places
        )
        totals[has_target] += scores
    return totals


def category_standings(
    *, scheme: Scheme, category: Category, override: Override | None = None
) -> list[StandingRow]:
    """Every unit of the category with its total and rank now and under the override.

    Four queries whatever the size of the category; callers check access first.
    """
    units = list(
        Unit.objects.filter(
            county_id=scheme.county_id, category=category, is_assessed=True
        ).order_by("code")
    )
    unit_ids = [u.pk for u in units]
    rows = list(
        IndicatorPoints.objects.filter(indicator__scheme=scheme, category=category)
        .select_related("indicator")
        .order_by("indicator__position")
    )
    targets = {
        (u, i): float(t)
        for u, i, t in Target.objects.filter(scheme=scheme, unit_id__in=unit_ids).values_list(
            "unit_id", "indicator_id", "annual_target"
        )
    }
    values: dict[tuple[int, int], float] = {}
    for u, i, v in (
        ProgressReport.objects.filter(
            unit_id__in=unit_ids, indicator__scheme=scheme, status__in=APPROVED
        )
        .order_by("period__end")
        .values_list("unit_id", "indicator_id", "value")
    ):
        values[(u, i)] = float(v) if v is not None else np.nan  # the latest period wins
    before = [(r.indicator, float(r.points), r.indicator.method or {}) for r in rows]
    after = before
    if override is not None:
        after = [
            (
                ind,
                override.points
                if ind.pk == override.indicator_id and override.points is not None
                else pts,
                override.method if ind.pk == override.indicator_id and override.method else method,
            )
            for ind, pts, method in before
        ]
    places = scheme.score_places
    before_totals = _totals(before, unit_ids, targets, values, places)
    after_totals = _totals(after, unit_ids, targets, values, places)
    before_ranks = competition_ranks(before_totals)
    after_ranks = competition_ranks(after_totals)
    out = [
        StandingRow(unit, float(b), int(br), float(a), int(ar))
        for unit, b, br, a, ar in zip(
            units, before_totals, before_ranks, after_totals, after_ranks, strict=True
        )
    ]
    return sorted(out, key=lambda r: (r.after_rank, r.unit.code))
