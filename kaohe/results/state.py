"""The one read model of the year's state: value in force, warning and score of each unit × leaf.

``year_state`` answers, for a scheme, a set of units and a date: each unit's value in force of
each leaf (``reporting.selectors.values_in_force``), its latest warning
(``monitoring.selectors.latest_warnings``) and its score by the leaf's own method and points
(``kaohe.scoring.state.score_cells``, each leaf scored per category in one call), with each
unit's total and rank in its category. The battle map's cell page, the standings, the bulletins,
the designer's what-if and the rounds all read through it (the rounds through ``state_inputs``,
which they freeze), so a number never differs between two pages.

A page scores a value against the whole yearly target: the score is what the unit has earned of
the year so far, and the time schedule is the warnings' business. A round scores against the
part of the target due by its date on the target's schedule (``due_by_date``), which is the
whole target at the year's end: the final annual round and the pages then agree to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from kaohe.monitoring.models import Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.monitoring.services import schedule_share
from kaohe.org.models import Unit
from kaohe.reporting.models import Target
from kaohe.reporting.selectors import values_in_force
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme
from kaohe.scoring.state import CellScore, LeafRule, UnitTotal, score_cells, unit_totals


@dataclass(frozen=True)
class StateInputs:
    """Plain data the scoring core scores: what a round freezes, and what the what-if varies."""

    leaves: list[LeafRule]
    units: list[tuple[int, str]]  # (unit id, category code)
    values: dict[tuple[int, int], float | None]
    targets: dict[tuple[int, int], float | None]  # yearly, or due by the date on the schedule
    # What they came from, for the page: the values as stored and the targets' yearly amounts.
    stored: dict[tuple[int, int], Decimal | None] = field(default_factory=dict, compare=False)
    annual: dict[tuple[int, int], Decimal] = field(default_factory=dict, compare=False)

    def scored(self, places: int, rules: list[LeafRule] | None = None) -> dict[Any, CellScore]:
        """Every cell scored, with these leaves' rules or ``rules`` in their place."""
        return score_cells(
            self.leaves if rules is None else rules,
            self.units,
            self.values,
            self.targets,
            places=places,
        )


@dataclass(frozen=True)
class Cell:
    unit_id: int
    indicator_id: int
    value: Decimal | None
    annual_target: Decimal | None
    target: float | None  # the target scored against
    score: CellScore
    warning: Warning | None = None


@dataclass
class YearState:
    scheme: Scheme
    as_of: dt.date
    units: list[Unit]
    leaves: list[Indicator]
    rules: list[LeafRule] = field(default_factory=list)  # how each leaf was scored
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    totals: dict[int, UnitTotal] = field(default_factory=dict)

    def cell(self, unit_id: int, indicator_id: int) -> Cell | None:
        return self.cells.get((unit_id, indicator_id))


def assessed_units(scheme: Scheme, categories: Iterable[int] | None = None) -> list[Unit]:
    """The scheme's assessed units (with a category), townships first, then by code."""
    qs = Unit.objects.filter(
        county_id=scheme.county_id, is_assessed=True, category__isnull=False
    ).select_related("category")
    if categories is not None:
        qs = qs.filter(category_id__in=list(categories))
    return list(qs.order_by("category__code", "code"))


def scheme_leaves(scheme: Scheme, ids: Iterable[int] | None = None) -> list[Indicator]:
    qs = Indicator.objects.filter(scheme=scheme, children__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return list(qs.order_by("position", "code"))


def state_inputs(
    *,
    scheme: Scheme,
    as_of: dt.date | None,
    units: list[Unit],
    leaves: list[Indicator],
    confirmed_only: bool = False,
    due_by_date: bool = False,
) -> StateInputs:
    """The scoring core's inputs for these units and leaves as of a date (three queries)."""
    unit_ids = [u.pk for u in units]
    leaf_ids = [i.pk for i in leaves]
    points: dict[int, dict[str, float]] = {}
    for ind_id, code, pts in IndicatorPoints.objects.filter(indicator_id__in=leaf_ids).values_list(
        "indicator_id", "category__code", "points"
    ):
        points.setdefault(ind_id, {})[code] = float(pts)
    by_id = {i.pk: i for i in leaves}
    target_rows = {
        (t.unit_id, t.indicator_id): t
        for t in Target.objects.filter(indicator_id__in=leaf_ids, unit_id__in=unit_ids).only(
            "unit_id", "indicator_id", "annual_target", "schedule", "monthly_shares", "milestones"
        )
    }
    due = as_of or timezone.localdate()
    targets: dict[tuple[int, int], float | None] = {
        key: float(t.annual_target)
        * (schedule_share(by_id[key[1]], scheme, due, t.profile) if due_by_date else 1.0)
        for key, t in target_rows.items()
    }
    raw = values_in_force(
        scheme_id=scheme.pk,
        as_of=as_of,
        unit_ids=unit_ids,
        indicator_ids=leaf_ids,
        confirmed_only=confirmed_only,
    )
    values = {k: None if v is None else float(v) for k, v in raw.items()}
    rules = [
        LeafRule(
            id=i.pk,
            code=i.code,
            method=i.method or {},
            higher_is_better=i.higher_is_better,
            points=points.get(i.pk, {}),
        )
        for i in leaves
    ]
    pairs = [(u.pk, u.category.code) for u in units if u.category is not None]
    annual = {key: t.annual_target for key, t in target_rows.items()}
    return StateInputs(rules, pairs, values, targets, raw, annual)


def year_state(
    *,
    scheme: Scheme,
    as_of: dt.date | None = None,
    units: list[Unit] | None = None,
    leaves: list[Indicator] | None = None,
    confirmed_only: bool = False,
    with_warnings: bool = True,
) -> YearState:
    """The state of the year as of a date for the given units (every assessed unit by default)
    and leaves (every leaf by default); a bounded number of queries. Without a date, the state
    now: every value approved so far counts, a period still running included.

    Pass whole categories of units: the methods that compare units score a category together.
    Callers check access.
    """
    units = assessed_units(scheme) if units is None else units
    leaves = scheme_leaves(scheme) if leaves is None else leaves
    inputs = state_inputs(
        scheme=scheme, as_of=as_of, units=units, leaves=leaves, confirmed_only=confirmed_only
    )
    scored = inputs.scored(scheme.score_places)
    warnings: dict[tuple[int, int], Warning] = {}
    if with_warnings and scored:
        warnings = {
            (w.unit_id, w.indicator_id): w
            for w in latest_warnings(
                county_id=scheme.county_id,
                scheme_id=scheme.pk,
                as_of=as_of,
                unit_ids=[u.pk for u in units],
                indicator_ids=[i.pk for i in leaves],
            )
        }
    state = YearState(scheme, as_of or timezone.localdate(), units, leaves, inputs.leaves)
    for key, score in scored.items():
        u, i = cast(int, key[0]), cast(int, key[1])
        state.cells[(u, i)] = Cell(
            unit_id=u,
            indicator_id=i,
            value=inputs.stored.get((u, i)),
            annual_target=inputs.annual.get((u, i)),
            target=inputs.targets.get((u, i)),
            score=score,
            warning=warnings.get((u, i)),
        )
    state.totals = {cast(int, t.unit): t for t in unit_totals(scored, inputs.units)}
    return state


def cell_state(*, unit: Unit, indicator: Indicator, as_of: dt.date | None = None) -> Cell | None:
    """One unit's cell, scored with its category's peers (the methods that compare units need
    them). None when the leaf does not apply to the unit's category."""
    if unit.category_id is None:
        return None
    state = year_state(
        scheme=indicator.scheme,
        as_of=as_of,
        units=assessed_units(indicator.scheme, [unit.category_id]),
        leaves=[indicator],
        with_warnings=False,  # the cell page reads the warning's whole history itself
    )
    return state.cell(unit.pk, indicator.pk)


def rule_of(
    indicator: Indicator, points: Mapping[str, float], method: Mapping[str, Any]
) -> LeafRule:
    """A leaf's scoring rule with other points or another method (the designer's what-if)."""
    return LeafRule(indicator.pk, indicator.code, method, indicator.higher_is_better, points)
