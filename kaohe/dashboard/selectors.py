"""The battle map: every unit against the indicators, coloured by its latest warning.

A fixed number of queries whatever the number of units and indicators (asserted in tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.http import Http404

from kaohe.monitoring.models import Level, Warning
from kaohe.org.access import Permission, county_id_of, require, scope_of, unit_id_of
from kaohe.org.models import Scope, Unit, User
from kaohe.schemes.models import Indicator, Scheme

COLOURS = {-1: "none", 0: "green", 1: "yellow", 2: "orange", 3: "red"}


@dataclass
class Cell:
    column: Indicator
    level: int = Level.NO_DATA
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def colour(self) -> str:
        return COLOURS[self.level]

    @property
    def colour_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def worst(self) -> int:
        """How many leaves carry the cell's (worst) colour."""
        return self.counts.get(self.level, 0)


@dataclass
class BattleMap:
    scheme: Scheme | None
    columns: list[Indicator]
    rows: list[tuple[Unit, list[Cell]]]
    totals: dict[str, int]
    parent: Indicator | None = None


def visible_units(user: User) -> list[Unit]:
    require(user, Permission.BATTLEMAP_VIEW)
    units = Unit.objects.filter(county_id=county_id_of(user), is_assessed=True).select_related(
        "category"
    )
    if scope_of(user) == Scope.OWN_UNIT:
        units = units.filter(pk=unit_id_of(user))
    return list(units.order_by("kind", "category__code", "code"))


def current_scheme(user: User) -> Scheme | None:
    return (
        Scheme.objects.filter(county_id=county_id_of(user), status="published")
        .order_by("-year")
        .first()
    )


def battle_map(*, user: User, parent_code: str | None = None) -> BattleMap:
    """Units against first-level indicators (or the leaves under one), worst colour wins."""
    units = visible_units(user)
    scheme = current_scheme(user)
    if scheme is None:
        return BattleMap(None, [], [], {})
    indicators = list(Indicator.objects.filter(scheme=scheme).order_by("position"))
    by_id = {i.pk: i for i in indicators}
    parent = None
    if parent_code:
        parent = next((i for i in indicators if i.code == parent_code), None)
    # Column of each leaf: its first-level ancestor, or (drilled down) the leaf itself.
    column_of: dict[int, int] = {}
    has_children = {i.parent_id for i in indicators if i.parent_id is not None}
    for ind in indicators:
        node = ind
        chain = [node.pk]
        while node.parent_id is not None:
            node = by_id[node.parent_id]
            chain.append(node.pk)
        if parent is None:
            column_of[ind.pk] = chain[-1]
        elif parent.pk in chain and ind.pk not in has_children:
            column_of[ind.pk] = ind.pk
    if parent is None:
        columns = [i for i in indicators if i.parent_id is None]
    else:
        columns = [by_id[pk] for pk in dict.fromkeys(column_of.values())]
    col_index = {c.pk: n for n, c in enumerate(columns)}
    latest = Warning.objects.filter(
        unit_id=OuterRef("unit_id"), indicator_id=OuterRef("indicator_id")
    ).order_by("-as_of")
    rows_idx = {u.pk: n for n, u in enumerate(units)}
    grid = [[Cell(c) for c in columns] for _ in units]
    totals = {c: 0 for c in COLOURS.values() if c != "none"}
    warnings = Warning.objects.filter(
        county_id=county_id_of(user),
        indicator__scheme=scheme,
        unit_id__in=list(rows_idx),
        pk=Subquery(latest.values("pk")[:1]),
    )
    if scope_of(user) == Scope.OWN_INDICATORS:
        # An assessing department sees the colours of the indicators it checks, no others.
        warnings = warnings.filter(indicator__assessor_id=unit_id_of(user))
    for unit_id, indicator_id, level in warnings.values_list("unit_id", "indicator_id", "level"):
        col = column_of.get(indicator_id)
        if col is None:
            continue
        cell = grid[rows_idx[unit_id]][col_index[col]]
        cell.level = max(cell.level, level)
        cell.counts[level] = cell.counts.get(level, 0) + 1
        if level >= 0:
            totals[COLOURS[level]] += 1
    return BattleMap(scheme, columns, list(zip(units, grid, strict=True)), totals, parent)


def unit_for_map(*, user: User, pk: int) -> Unit:
    for unit in visible_units(user):
        if unit.pk == pk:
            return unit
    raise Http404


def indicator_for_map(*, user: User, indicator: Indicator) -> Indicator:
    """The indicator if the user's scope covers it: an assessor only sees those it checks."""
    if scope_of(user) == Scope.OWN_INDICATORS and indicator.assessor_id != unit_id_of(user):
        raise Http404
    return indicator


def warning_history(*, unit: Unit, indicator: Indicator) -> list[Warning]:
    return list(Warning.objects.filter(unit=unit, indicator=indicator).order_by("as_of"))
