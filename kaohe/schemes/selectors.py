"""Reads on schemes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.documents.explain_text import localized_name, method_name, reads_english
from kaohe.documents.parameter_text import parameters_words
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import Category, User
from kaohe.schemes.models import (
    Indicator,
    IndicatorPoints,
    Scheme,
    SchemeAmendment,
    SchemeCategory,
    SchemeStatus,
    SourceIndicator,
)


def scheme_in_force(*, county_id: int, today: dt.date | None = None) -> Scheme | None:
    """The county's scheme in force on ``today`` (the local date by default): the published
    scheme of today's year; failing that the newest published one of an earlier year (last
    year's, until this year's is published); failing that the newest closed one. Never a draft,
    and never a scheme of a later year: one published in December for next year takes over on
    1 January of its year. Two queries at most."""
    year = (today or timezone.localdate()).year
    earlier = Scheme.objects.filter(county_id=county_id, year__lte=year)
    published = earlier.filter(status=SchemeStatus.PUBLISHED).order_by("-year").first()
    if published is not None:
        return published
    return earlier.filter(status=SchemeStatus.CLOSED).order_by("-year").first()


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


@dataclass(frozen=True)
class SchemeRow:
    scheme: Scheme
    indicators: int
    totals: list[CategoryTotal]
    amendments: list[SchemeAmendment]

    @property
    def balanced(self) -> bool:
        return all(t.balanced for t in self.totals)

    @property
    def unbalanced(self) -> list[CategoryTotal]:
        return [t for t in self.totals if not t.balanced]


def scheme_list(*, user: User) -> list[SchemeRow]:
    """Every scheme of the user's county, newest year first, with its indicator count, its
    categories' totals against their leaves' points and its amendments (five queries)."""
    require(user, Permission.SCHEME_VIEW)
    schemes = list(
        Scheme.objects.filter(county_id=county_id_of(user))
        .annotate(n_indicators=Count("indicators"))
        .prefetch_related(
            Prefetch(
                "amendments",
                queryset=SchemeAmendment.objects.select_related("created_by").order_by("number"),
            ),
            Prefetch("categories", queryset=SchemeCategory.objects.select_related("category")),
        )
        .order_by("-year")
    )
    sums: dict[tuple[int, int], Decimal] = {}
    for scheme_id, category_id, points in IndicatorPoints.objects.filter(
        indicator__scheme__in=schemes
    ).values_list("indicator__scheme_id", "category_id", "points"):
        key = (scheme_id, category_id)
        sums[key] = sums.get(key, Decimal(0)) + points
    return [
        SchemeRow(
            scheme=s,
            indicators=s.n_indicators,
            totals=[
                CategoryTotal(
                    sc.category, sc.total_points, sums.get((s.pk, sc.category_id), Decimal(0))
                )
                for sc in sorted(s.categories.all(), key=lambda sc: sc.category.code)
            ],
            amendments=list(s.amendments.all()),
        )
        for s in schemes
    ]


def method_text(method: Any) -> str:
    """A scoring method as people read it: its name and its parameters in words, in their
    language ("完成率计分（封顶 120%，保底 0）")."""
    if not isinstance(method, dict):
        return "—"
    name = method_name(method.get("kind", "completion_ratio"))
    if not (params := parameters_words(method)):
        return name
    return f"{name} ({params})" if reads_english() else f"{name}（{params}）"


def _num(value: Any) -> str:
    if value is None:
        return "—"
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return f"{d:f}".rstrip("0").rstrip(".") if "." in f"{d:f}" else f"{d:f}"


def change_lines(changes: list[dict[str, Any]], categories: Iterable[Category] = ()) -> list[str]:
    """An amendment's recorded changes as sentences in the reader's language (categories by
    their names where ``categories`` gives them, else by their codes)."""
    names = {c.code: localized_name(c) for c in categories}
    lines = []
    for c in changes:
        if "category" in c:
            lines.append(
                _("%(code)s points for %(category)s: %(before)s → %(after)s")
                % {
                    "code": c.get("indicator"),
                    "category": names.get(str(c.get("category")), c.get("category")),
                    "before": _num(c.get("before")),
                    "after": _num(c.get("after")),
                }
            )
        else:
            lines.append(
                _("%(code)s scoring method: %(before)s → %(after)s")
                % {
                    "code": c.get("indicator"),
                    "before": method_text(c.get("before")),
                    "after": method_text(c.get("after")),
                }
            )
    return lines
