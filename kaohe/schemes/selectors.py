"""Reads on schemes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.org.models import Category
from kaohe.schemes.models import (
    Indicator,
    IndicatorPoints,
    Scheme,
    SchemeCategory,
    SourceIndicator,
)


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


@dataclass(frozen=True)
class CategoryTotal:
    category: Category
    total: Decimal
    points: Decimal

    @property
    def balanced(self) -> bool:
        return self.total == self.points


def category_totals(*, scheme: Scheme) -> list[CategoryTotal]:
    """Per category of the scheme: its total and what its applicable leaves add up to."""
    sums: dict[int, Decimal] = {}
    for category_id, points in IndicatorPoints.objects.filter(indicator__scheme=scheme).values_list(
        "category_id", "points"
    ):
        sums[category_id] = sums.get(category_id, Decimal(0)) + points
    return [
        CategoryTotal(sc.category, sc.total_points, sums.get(sc.category_id, Decimal(0)))
        for sc in SchemeCategory.objects.filter(scheme=scheme)
        .select_related("category")
        .order_by("category__code")
    ]


def coverage_list(*, scheme: Scheme) -> list[SourceIndicator]:
    """Higher-level indicators with no county indicator implementing them (two queries)."""
    implemented = set(
        Indicator.objects.filter(scheme=scheme)
        .exclude(source_code="")
        .values_list("source_code", flat=True)
    )
    return [s for s in SourceIndicator.objects.filter(scheme=scheme) if s.code not in implemented]
