"""What-if standings for the scheme designer: change one indicator's points or method and see
which units' ranks in a category move. Read-only: nothing here writes.

The scores come from the year's one read model (results.state): each leaf by its own method,
scored for the whole category in one call, on each unit's value in force today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kaohe.org.models import Category, Unit
from kaohe.results.state import assessed_units, rule_of, year_state
from kaohe.schemes.models import Scheme
from kaohe.scoring.state import LeafRule


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


def category_standings(
    *, scheme: Scheme, category: Category, override: Override | None = None
) -> list[StandingRow]:
    """Every unit of the category with its total and rank now and under the override.

    Both from the year's one read model (results.state), the second with the override's
    points or method in place of the leaf's: the same scores the map and the rounds show.
    A bounded number of queries whatever the size of the category; callers check access first.
    """
    units = assessed_units(scheme, [category.pk])
    before = year_state(scheme=scheme, units=units, with_warnings=False)
    overrides: dict[int, LeafRule] = {}
    if override is not None:
        indicator = next((i for i in before.leaves if i.pk == override.indicator_id), None)
        if indicator is not None:
            rule = next(r for r in before.rules if r.id == indicator.pk)
            points = dict(rule.points)
            # New points only where the leaf applies: an override never adds it to a category.
            if override.points is not None and category.code in points:
                points[category.code] = override.points
            method = dict(override.method) if override.method else dict(rule.method)
            overrides[indicator.pk] = rule_of(indicator, points, method)
    after = (
        year_state(scheme=scheme, units=units, with_warnings=False, overrides=overrides)
        if overrides
        else before
    )
    # A method the designer typed that cannot score (bad parameters) is an error, not a 0.
    for cell in after.cells.values():
        if cell.score.gap.startswith("not scored: "):
            raise ValueError(cell.score.gap.removeprefix("not scored: "))
    out = [
        StandingRow(
            unit,
            float(before.totals[unit.pk].total),
            before.totals[unit.pk].rank,
            float(after.totals[unit.pk].total),
            after.totals[unit.pk].rank,
        )
        for unit in units
    ]
    return sorted(out, key=lambda r: (r.after_rank, r.unit.code))
