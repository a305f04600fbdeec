"""The standings a bulletin prints: each unit's total of its indicator scores as of a date,
ranked in its category, or the annual round's results once the round is published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from kaohe.appraisal.models import Round, RoundKind, RoundStatus
from kaohe.org.models import Unit
from kaohe.reporting.models import ProgressReport, ReportStatus, Target
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme
from kaohe.scoring.composite import composite
from kaohe.scoring.methods import completion_ratio
from kaohe.scoring.standings import competition_ranks

APPROVED = [ReportStatus.APPROVED, ReportStatus.CONFIRMED]


@dataclass(frozen=True)
class Standing:
    unit: Unit
    score: Decimal
    points: Decimal
    rank: int
    grade: str = ""


def _latest_values(scheme: Scheme, as_of: dt.date) -> dict[tuple[int, int], Decimal | None]:
    """Each unit's latest approved value of each indicator from periods ending by as_of."""
    latest: dict[tuple[int, int], Decimal | None] = {}
    rows = (
        ProgressReport.objects.filter(
            indicator__scheme=scheme, status__in=APPROVED, period__end__lte=as_of
        )
        .order_by("period__end")
        .values_list("unit_id", "indicator_id", "value")
    )
    for unit_id, indicator_id, value in rows:
        latest[(unit_id, indicator_id)] = value  # ordered by period end: the last one wins
    return latest


def scores_as_of(*, scheme: Scheme, as_of: dt.date) -> list[Standing]:
    """Every assessed unit's total of its leaf indicators' scores as of a date, ranked in its
    category (ties share the better rank). Five queries whatever the size of the county.

    Each indicator is scored as kaohe.results.selectors.indicator_score scores it (completion
    ratio of the latest approved value against the yearly target, the method's cap, the
    scheme's decimal places), but from the values approved for periods ending by ``as_of``; the
    total is kaohe.scoring's composite of those scores with unit weights.
    """
    units = list(
        Unit.objects.filter(county_id=scheme.county_id, is_assessed=True, category__isnull=False)
        .select_related("category")
        .order_by("category__code", "code")
    )
    leaves = [
        i
        for i in Indicator.objects.filter(scheme=scheme, children__isnull=True).order_by("position")
    ]
    points: dict[tuple[int, int | None], Decimal] = {
        (ind_id, cat_id): pts
        for ind_id, cat_id, pts in IndicatorPoints.objects.filter(
            indicator__scheme=scheme
        ).values_list("indicator_id", "category_id", "points")
    }
    goals = {
        (u, i): t
        for u, i, t in Target.objects.filter(scheme=scheme).values_list(
            "unit_id", "indicator_id", "annual_target"
        )
    }
    values = _latest_values(scheme, as_of)
    n, m = len(units), len(leaves)
    table = np.zeros((n, m))
    full = [Decimal(0)] * n
    for j, leaf in enumerate(leaves):
        rows = [
            i
            for i, u in enumerate(units)
            if (leaf.pk, u.category_id) in points and (u.pk, leaf.pk) in goals
        ]
        if not rows:
            continue
        vals = [values.get((units[i].pk, leaf.pk)) for i in rows]
        batch = completion_ratio(
            np.array([np.nan if v is None else float(v) for v in vals]),
            np.array([float(goals[(units[i].pk, leaf.pk)]) for i in rows]),
            np.array([float(points[(leaf.pk, units[i].category_id)]) for i in rows]),
            cap=float((leaf.method or {}).get("cap", 1.0)),
            higher_is_better=leaf.higher_is_better,
            places=scheme.score_places,
        )
        for k, i in enumerate(rows):
            table[i, j] = batch.rounded[k]
            full[i] += points[(leaf.pk, units[i].category_id)]
    if n == 0:
        return []
    totals = composite(table, [1.0] * m, places=scheme.score_places) if m else None
    scores = [totals.scores[i] if totals is not None else Decimal(0) for i in range(n)]
    ranks = [0] * n
    for cat in {u.category_id for u in units}:
        idx = [i for i, u in enumerate(units) if u.category_id == cat]
        for i, r in zip(idx, competition_ranks([float(scores[i]) for i in idx]), strict=True):
            ranks[i] = int(r)
    return [Standing(units[i], scores[i], full[i], ranks[i]) for i in range(n)]


def annual_standings(*, scheme: Scheme, as_of: dt.date) -> list[Standing]:
    """The annual ranking the annual results bulletin prints.

    The annual round's results (composite out of 100, rank and grade, after appeals) once it
    is published or final (kaohe.appraisal); until then the year's indicator scores as of its
    end (``scores_as_of``), without grades.
    """
    rnd = (
        Round.objects.filter(
            scheme=scheme,
            kind=RoundKind.ANNUAL,
            status__in=[RoundStatus.PUBLISHED, RoundStatus.FINAL],
        )
        .only("pk")
        .first()
    )
    if rnd is None:
        return scores_as_of(scheme=scheme, as_of=as_of)
    return [
        Standing(r.unit, r.composite.quantize(Decimal("0.01")), Decimal(100), r.rank, r.grade)
        for r in rnd.results.select_related("unit__category")
    ]
