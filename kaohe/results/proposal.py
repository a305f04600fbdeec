"""A designer's change to one leaf, put as the scheme services take it: the change list for
``scheme_amend`` / ``scheme_edit``, the what-if overrides that show its effect on the ranks, and
what it does to the category's total. Read-only: nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kaohe.org.models import Category
from kaohe.results.whatif import Override
from kaohe.schemes.models import Indicator, IndicatorPoints, SchemeCategory
from kaohe.schemes.selectors import change_lines


def _normal(method: dict[str, Any] | None) -> dict[str, Any]:
    return {"kind": "completion_ratio", **(method or {})}


def _points(indicator: Indicator, category: Category) -> Decimal | None:
    row = IndicatorPoints.objects.filter(indicator=indicator, category=category).first()
    return row.points if row else None


@dataclass
class Proposal:
    indicator: Indicator
    category: Category
    method_before: dict[str, Any]
    method_after: dict[str, Any]
    points_before: Decimal | None
    points_after: Decimal
    balance: Indicator | None = None
    balance_before: Decimal | None = None
    total: Decimal | None = None  # the category's total in the scheme
    sum_after: Decimal = Decimal(0)  # what its leaves add up to after the change
    changes: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)

    @property
    def method_changed(self) -> bool:
        return self.method_before != self.method_after

    @property
    def points_changed(self) -> bool:
        return (self.points_before or Decimal(0)) != self.points_after

    def lines(self) -> list[str]:
        """The change as the amendment will record it, in sentences."""
        recorded: list[dict[str, Any]] = []
        if self.method_changed:
            recorded.append(
                {
                    "indicator": self.indicator.code,
                    "before": self.method_before,
                    "after": self.method_after,
                }
            )
        if self.points_changed:
            recorded.append(
                {
                    "indicator": self.indicator.code,
                    "category": self.category.code,
                    "before": self.points_before,
                    "after": self.points_after,
                }
            )
            if self.balance is not None and self.balance_after is not None:
                recorded.append(
                    {
                        "indicator": self.balance.code,
                        "category": self.category.code,
                        "before": self.balance_before,
                        "after": self.balance_after,
                    }
                )
        return change_lines(recorded, [self.category])

    @property
    def delta(self) -> Decimal:
        return self.points_after - (self.points_before or Decimal(0))

    @property
    def balanced(self) -> bool:
        return self.total is None or self.total == self.sum_after

    @property
    def balance_after(self) -> Decimal | None:
        if self.balance_before is None:
            return None
        return self.balance_before - self.delta


def leaf_proposal(
    *,
    indicator: Indicator,
    category: Category,
    method: dict[str, Any],
    points: float,
    balance: Indicator | None = None,
) -> Proposal:
    """The change of ``indicator``'s method and its points for ``category``; when ``balance``
    (another leaf of the category) is given, it gives up (or takes) the difference in points,
    so that the category's total still adds up (a published scheme's amendment must)."""
    p = Proposal(
        indicator=indicator,
        category=category,
        method_before=_normal(indicator.method),
        method_after=_normal(method),
        points_before=_points(indicator, category),
        points_after=Decimal(str(points)).quantize(Decimal("0.01")),
    )
    if p.method_changed:
        p.changes.append({"indicator": indicator.code, "method": p.method_after})
    if p.points_changed:
        p.changes.append(
            {"indicator": indicator.code, "category": category.code, "points": str(p.points_after)}
        )
        if balance is not None and balance.pk != indicator.pk:
            p.balance, p.balance_before = balance, _points(balance, category)
            if p.balance_before is not None:
                p.changes.append(
                    {
                        "indicator": balance.code,
                        "category": category.code,
                        "points": str(p.balance_after),
                    }
                )
    sc = SchemeCategory.objects.filter(scheme_id=indicator.scheme_id, category=category).first()
    p.total = sc.total_points if sc else None
    now = sum(
        IndicatorPoints.objects.filter(
            indicator__scheme_id=indicator.scheme_id, category=category
        ).values_list("points", flat=True),
        Decimal(0),
    )
    p.sum_after = now + (p.delta if p.points_changed else 0)
    if p.balance_before is not None:
        p.sum_after -= p.delta
    p.overrides.append(Override(indicator.pk, float(p.points_after), p.method_after))
    if p.balance is not None and p.balance_after is not None:
        p.overrides.append(Override(p.balance.pk, float(p.balance_after), {}))
    return p


def balance_choices(*, indicator: Indicator, category: Category) -> list[tuple[Indicator, Decimal]]:
    """The category's other leaves with their points: those a points change may balance against."""
    rows = (
        IndicatorPoints.objects.filter(indicator__scheme_id=indicator.scheme_id, category=category)
        .exclude(indicator=indicator)
        .select_related("indicator")
        .order_by("indicator__position")
    )
    return [(r.indicator, r.points) for r in rows]
