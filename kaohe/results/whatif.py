"""What-if standings for the scheme designer: change one indicator's points or method and see
which units' ranks in a category move. Read-only: nothing here writes.

The scores come from the year's one read model (results.state): each leaf by its own method,
scored for the whole category in one call, on each unit's value in force today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kaohe.org.models import Category, Unit
from kaohe.results.state import assessed_units, scheme_leaves, state_inputs
from kaohe.schemes.models import Scheme
from kaohe.scoring.state import LeafRule, unit_totals


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
    *,
    scheme: Scheme,
    category: Category,
    override: Override | None = None,
    overrides: Sequence[Override] = (),
) -> list[StandingRow]:
    """Every unit of the category with its total and rank now and under the override.

    Both from the year's one read model's inputs (results.state), read once and scored twice,
    the second time with the override's points or method in place of the leaf's: the same
    scores the map and the rounds show. ``overrides`` changes several leaves at once (an
    amendment that moves points from one leaf to another).
    A bounded number of queries whatever the size of the category; callers check access first.
    """
    units = assessed_units(scheme, [category.pk])
    inputs = state_inputs(scheme=scheme, as_of=None, units=units, leaves=scheme_leaves(scheme))
    rules = inputs.leaves
    for change in [*overrides, *([override] if override is not None else [])]:
        rules = [_overridden(r, change, category.code) for r in rules]
    places = scheme.score_places
    after_cells = inputs.scored(places, rules)
    # A method the designer typed that cannot score (bad parameters) is an error, not a 0.
    for cell in after_cells.values():
        if cell.gap.startswith("not scored: "):
            raise ValueError(cell.gap.removeprefix("not scored: "))
    before = {t.unit: t for t in unit_totals(inputs.scored(places), inputs.units)}
    after = {t.unit: t for t in unit_totals(after_cells, inputs.units)}
    out = [
        StandingRow(
            unit,
            float(before[unit.pk].total),
            before[unit.pk].rank,
            float(after[unit.pk].total),
            after[unit.pk].rank,
        )
        for unit in units
    ]
    return sorted(out, key=lambda r: (r.after_rank, r.unit.code))


def _overridden(rule: LeafRule, override: Override, category: str) -> LeafRule:
    """The leaf's rule with the override's points (only where the leaf applies: an override
    never adds it to a category) and method."""
    if rule.id != override.indicator_id:
        return rule
    points = dict(rule.points)
    if override.points is not None and category in points:
        points[category] = override.points
    return replace(rule, points=points, method=dict(override.method or rule.method))
