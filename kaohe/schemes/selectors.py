"""Reads on schemes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.org.models import Category
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme


@dataclass(frozen=True)
class TreeRow:
    indicator: Indicator
    points: list[Decimal | None]


def indicator_tree(*, scheme: Scheme) -> tuple[list[Category], list[TreeRow]]:
    """The scheme's indicators in tree order with points per category (three queries)."""
    categories = list(Category.objects.filter(county_id=scheme.county_id).order_by("code"))
    points: dict[tuple[int, int], Decimal] = {
        (p.indicator_id, p.category_id): p.points
        for p in IndicatorPoints.objects.filter(indicator__scheme=scheme)
    }
    rows = [
        TreeRow(ind, [points.get((ind.pk, c.pk)) for c in categories])
        for ind in Indicator.objects.filter(scheme=scheme)
        .select_related("assessor", "leader")
        .order_by("position")
    ]
    return categories, rows
