"""The battle map: every unit against the indicators, coloured by its latest warning.

A fixed number of queries whatever the number of units and indicators (asserted in tests):
the map, its rankings, its township tiles and its trends are all computed from one query of
the latest warnings and one aggregate of the warnings' history.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from django.db.models import Count, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode

from kaohe.monitoring.models import Level, Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.org.access import Permission, county_id_of, require, scope_of, unit_id_of
from kaohe.org.models import Cadre, Category, Scope, Unit, UnitKind, User
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.selectors import scheme_in_force
from kaohe.scoring.colours import level_share, overall_level, with_data
from kaohe.scoring.standings import competition_ranks

T = TypeVar("T")

COLOURS = {-1: "none", 0: "green", 1: "yellow", 2: "orange", 3: "red"}
LEVELS = (Level.RED, Level.ORANGE, Level.YELLOW, Level.GREEN)


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


@dataclass(frozen=True)
class MapFilters:
    """The battle map's filters (GET parameters): unit category, leader in charge, assessor."""

    category: int | None = None
    leader: int | None = None
    assessor: int | None = None

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> MapFilters:
        def number(name: str) -> int | None:
            raw = params.get(name) or ""
            return int(raw) if raw.isdigit() else None

        return cls(number("category"), number("leader"), number("assessor"))

    def params(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if v is not None}

    @property
    def query(self) -> str:
        return urlencode(self.params())


@dataclass
class BattleMap:
    scheme: Scheme | None
    columns: list[Indicator]
    rows: list[tuple[Unit, list[Cell]]]
    totals: dict[str, int]
    parent: Indicator | None = None
    filters: MapFilters = MapFilters()
    categories: list[Category] = field(default_factory=list)
    leaders: list[Cadre] = field(default_factory=list)
    assessors: list[Unit] = field(default_factory=list)
    # The leaves the map covers (after the filters) and each unit's count of leaves by level.
    leaf_ids: list[int] = field(default_factory=list)
    unit_counts: dict[int, dict[int, int]] = field(default_factory=dict)


def visible_units(user: User) -> list[Unit]:
    require(user, Permission.BATTLEMAP_VIEW)
    units = Unit.objects.filter(county_id=county_id_of(user), is_assessed=True).select_related(
        "category"
    )
    if scope_of(user) == Scope.OWN_UNIT:
        units = units.filter(pk=unit_id_of(user))
    # Townships first (as the wall chart lists them), then departments by category.
    return list(units.order_by("-kind", "category__code", "code"))


def current_scheme(user: User) -> Scheme | None:
    """The scheme in force (one published early for next year waits for 1 January)."""
    return scheme_in_force(county_id=county_id_of(user))


def _latest_warnings(user: User, scheme: Scheme, unit_ids: list[int]) -> QuerySet[Warning]:
    """The latest warning of each unit and indicator in the user's scope (one query)."""
    warnings = latest_warnings(county_id=county_id_of(user), scheme_id=scheme.pk, unit_ids=unit_ids)
    if scope_of(user) == Scope.OWN_INDICATORS:
        # An assessing department sees the colours of the indicators it checks, no others.
        warnings = warnings.filter(indicator__assessor_id=unit_id_of(user))
    return warnings


def battle_map(
    *, user: User, parent_code: str | None = None, filters: MapFilters | None = None
) -> BattleMap:
    """Units against first-level indicators (or the leaves under one), worst colour wins."""
    filters = filters or MapFilters()
    all_units = visible_units(user)
    categories = list({u.category_id: u.category for u in all_units if u.category}.values())
    units = [u for u in all_units if filters.category in (None, u.category_id)]
    # The current scheme comes with its indicators, in one query.
    # The scheme in force: as schemes.selectors.scheme_in_force, a scheme published for next
    # year is not shown before its year begins.
    published = Scheme.objects.filter(
        county_id=county_id_of(user), status="published", year__lte=timezone.localdate().year
    )
    indicators = list(
        Indicator.objects.filter(scheme_id=Subquery(published.order_by("-year").values("pk")[:1]))
        .select_related("scheme", "leader", "assessor")
        .order_by("position")
    )
    scheme = indicators[0].scheme if indicators else current_scheme(user)
    if scheme is None:
        return BattleMap(None, [], [], {}, filters=filters, categories=categories)
    by_id = {i.pk: i for i in indicators}
    has_children = {i.parent_id for i in indicators if i.parent_id is not None}
    leaves = [i for i in indicators if i.pk not in has_children]
    leaders = sorted({i.leader for i in leaves if i.leader}, key=lambda c: c.code)
    assessors = sorted({i.assessor for i in leaves if i.assessor}, key=lambda u: u.code)
    chosen = [
        i
        for i in leaves
        if filters.leader in (None, i.leader_id) and filters.assessor in (None, i.assessor_id)
    ]
    parent = None
    if parent_code:
        parent = next((i for i in indicators if i.code == parent_code), None)
    # Column of each chosen leaf: its first-level ancestor, or (drilled down) the leaf itself.
    column_of: dict[int, int] = {}
    for ind in chosen:
        node = ind
        chain = [node.pk]
        while node.parent_id is not None:
            node = by_id[node.parent_id]
            chain.append(node.pk)
        if parent is None:
            column_of[ind.pk] = chain[-1]
        elif parent.pk in chain:
            column_of[ind.pk] = ind.pk
    if parent is None:
        shown = set(column_of.values())
        filtered = filters.leader is not None or filters.assessor is not None
        columns = [i for i in indicators if i.parent_id is None and (not filtered or i.pk in shown)]
    else:
        columns = [by_id[pk] for pk in dict.fromkeys(column_of.values())]
    col_index = {c.pk: n for n, c in enumerate(columns)}
    rows_idx = {u.pk: n for n, u in enumerate(units)}
    grid = [[Cell(c) for c in columns] for _ in units]
    totals = {c: 0 for c in COLOURS.values() if c != "none"}
    unit_counts: dict[int, dict[int, int]] = {u.pk: {} for u in units}
    warnings = _latest_warnings(user, scheme, list(rows_idx))
    for unit_id, indicator_id, level in warnings.values_list("unit_id", "indicator_id", "level"):
        col = column_of.get(indicator_id)
        if col is None:
            continue
        cell = grid[rows_idx[unit_id]][col_index[col]]
        cell.level = max(cell.level, level)
        cell.counts[level] = cell.counts.get(level, 0) + 1
        unit_counts[unit_id][level] = unit_counts[unit_id].get(level, 0) + 1
        if level >= 0:
            totals[COLOURS[level]] += 1
    return BattleMap(
        scheme,
        columns,
        list(zip(units, grid, strict=True)),
        totals,
        parent,
        filters,
        categories,
        leaders,
        assessors,
        list(column_of),
        unit_counts,
    )


# --- rankings and tiles, from the map itself (no query) -----------------------------------------


@dataclass(frozen=True)
class Standing:
    """A unit's place by its share of green leaves (ties share the better rank)."""

    unit: Unit
    counts: dict[int, int]
    rank: int
    category_rank: int
    category_size: int

    @property
    def with_data(self) -> int:
        return with_data(self.counts)

    def share(self, level: int) -> float | None:
        return level_share(self.counts, level)


def _green_shares(counts: list[dict[int, int]]) -> np.ndarray:
    shares = [level_share(c, Level.GREEN) for c in counts]
    return np.array([np.nan if s is None else s for s in shares], dtype=np.float64)


def standings(data: BattleMap) -> list[Standing]:
    """Every unit of the map ranked in the county and in its category, best first."""
    units = [u for u, _cells in data.rows]
    counts = [data.unit_counts.get(u.pk, {}) for u in units]
    ranks = competition_ranks(_green_shares(counts)) if units else np.array([])
    in_category: dict[int, tuple[int, int]] = {}
    for cat in {u.category_id for u in units}:
        members = [n for n, u in enumerate(units) if u.category_id == cat]
        cat_ranks = competition_ranks(_green_shares([counts[n] for n in members]))
        for n, r in zip(members, cat_ranks, strict=True):
            in_category[n] = (int(r), len(members))
    out = [Standing(u, counts[n], int(ranks[n]), *in_category[n]) for n, u in enumerate(units)]
    return sorted(out, key=lambda s: (s.rank, s.unit.code))


# Where each of the demo county's twelve townships sits, roughly as on a map of Baojing
# (row, column; north at the top). A county whose townships are not all on it gets a grid.
TILE_LAYOUT: dict[str, tuple[int, int]] = {
    "水田河镇": (1, 1),
    "长潭河乡": (1, 2),
    "碗米坡镇": (1, 3),
    "葫芦镇": (2, 1),
    "阳朝乡": (2, 2),
    "迁陵镇": (2, 3),
    "清水坪镇": (2, 4),
    "普戎镇": (3, 1),
    "复兴镇": (3, 2),
    "毛沟镇": (3, 3),
    "比耳镇": (3, 4),
    "吕洞山镇": (4, 2),
}
# A grid never narrower than the demo's four columns; wider as townships grow, about 1.6 rows
# to a column, so 40 townships make 5 x 8 and still fit the big screen's left column.
TILE_MIN_COLUMNS = 4
TILE_ROWS_PER_COLUMN = 1.6


@dataclass(frozen=True)
class Tile:
    unit: Unit
    level: int
    counts: dict[int, int]
    row: int
    col: int

    @property
    def colour(self) -> str:
        return COLOURS[self.level]

    @property
    def colour_label(self) -> str:
        return str(Level(self.level).label)


@dataclass(frozen=True)
class TileMap:
    """The townships' tiles on a grid of ``rows`` x ``cols``; iterates over the tiles."""

    tiles: list[Tile]
    rows: int
    cols: int

    def __iter__(self) -> Iterator[Tile]:
        return iter(self.tiles)

    def __len__(self) -> int:
        return len(self.tiles)

    @property
    def density(self) -> str:
        """How crowded the grid is (l, m, s, xs): the templates size the type by it."""
        if self.cols <= 4 and self.rows <= 5:
            return "l"
        if self.cols <= 5 and self.rows <= 8:
            return "m"
        if self.cols <= 8 and self.rows <= 12:
            return "s"
        return "xs"


def tile_columns(n: int) -> int:
    """Columns of a grid of n tiles in code order: 4 up to 16 tiles, then about 1.6 rows each."""
    return max(TILE_MIN_COLUMNS, math.ceil(math.sqrt(n / TILE_ROWS_PER_COLUMN)))


def township_tiles(data: BattleMap) -> TileMap:
    """The map's townships as tiles in their overall colour, placed as on the county's map
    (the demo's layout) or, for any other county, in code order on a grid as wide as needed."""
    towns = [u for u, _cells in data.rows if u.kind == UnitKind.TOWNSHIP]
    if towns and all(u.name in TILE_LAYOUT for u in towns):
        places = [TILE_LAYOUT[u.name] for u in towns]
        cols = max(TILE_MIN_COLUMNS, *(c for _r, c in places))
    else:
        cols = tile_columns(len(towns))
        places = [(1 + n // cols, 1 + n % cols) for n in range(len(towns))]
    tiles = []
    for unit, (row, col) in zip(towns, places, strict=True):
        counts = data.unit_counts.get(unit.pk, {})
        tiles.append(Tile(unit, overall_level(counts), counts, row, col))
    return TileMap(tiles, max((t.row for t in tiles), default=0), cols)


# The big screen's panels hold at most this many rows: 15 rows of 26px type fit 1080 pixels.
SCREEN_ROWS = 15


def balanced_pages(rows: list[T], size: int = SCREEN_ROWS) -> list[list[T]]:
    """The rows cut into as few pages of at most ``size`` as possible, of near-equal length
    (17 rows: 9 and 8, not 15 and 2)."""
    if not rows:
        return []
    count = math.ceil(len(rows) / size)
    each = math.ceil(len(rows) / count)
    return [rows[i : i + each] for i in range(0, len(rows), each)]


# --- trends: each unit's share of green and red leaves per month --------------------------------


@dataclass
class Trend:
    months: list[dt.date]
    units: list[tuple[Unit, list[float | None], list[float | None]]]
    county_green: list[float | None]
    county_red: list[float | None]

    def chart(self) -> dict[str, object]:
        """The trend as the ECharts script reads it (percentages, one decimal)."""

        def pct(values: list[float | None]) -> list[float | None]:
            return [None if v is None else round(v * 100, 1) for v in values]

        return {
            "months": [f"{m.month}月" for m in self.months],
            "county": {"green": pct(self.county_green), "red": pct(self.county_red)},
            "units": [{"name": u.name, "green": pct(g), "red": pct(r)} for u, g, r in self.units],
        }


def _shares(
    by_month: dict[dt.date, dict[int, int]], months: list[dt.date], level: int
) -> list[float | None]:
    return [level_share(by_month.get(m, {}), level) for m in months]


def trend(*, user: User, data: BattleMap, unit_ids: list[int] | None = None) -> Trend:
    """Per unit and month, the share of its warnings that month which were green or red."""
    units = [u for u, _cells in data.rows if unit_ids is None or u.pk in unit_ids]
    if data.scheme is None or not units:
        return Trend([], [], [], [])
    history = Warning.objects.filter(
        county_id=county_id_of(user),
        indicator_id__in=data.leaf_ids,
        unit_id__in=[u.pk for u in units],
    )
    if scope_of(user) == Scope.OWN_INDICATORS:
        history = history.filter(indicator__assessor_id=unit_id_of(user))
    # Grouped by date (warnings fall on period ends: a few dates a month), months in Python:
    # cheaper than truncating every row's date in the database.
    rows = history.values_list("unit_id", "as_of", "level").annotate(n=Count("pk")).order_by()
    per_unit: dict[int, dict[dt.date, dict[int, int]]] = {}
    county: dict[dt.date, dict[int, int]] = {}
    for unit_id, as_of, level, n in rows:
        month = as_of.replace(day=1)
        cell = per_unit.setdefault(unit_id, {}).setdefault(month, {})
        cell[level] = cell.get(level, 0) + n
        total = county.setdefault(month, {})
        total[level] = total.get(level, 0) + n
    months = sorted(county)
    return Trend(
        months,
        [
            (
                u,
                _shares(per_unit.get(u.pk, {}), months, Level.GREEN),
                _shares(per_unit.get(u.pk, {}), months, Level.RED),
            )
            for u in units
        ],
        _shares(county, months, Level.GREEN),
        _shares(county, months, Level.RED),
    )


# --- views by role -------------------------------------------------------------------------------


@dataclass
class PortfolioRow:
    indicator: Indicator
    first_level: Indicator
    counts: dict[int, int]
    lagging: list[tuple[Unit, int]]  # units at orange or red, worst first

    def key(self) -> tuple[int, ...]:
        return tuple(-self.counts.get(level, 0) for level in LEVELS)


@dataclass
class Portfolio:
    cadre: Cadre | None
    leaders: list[Cadre]
    rows: list[PortfolioRow]


def county_leaders(user: User) -> list[Cadre]:
    return list(
        Cadre.objects.filter(county_id=county_id_of(user), is_county_leader=True).order_by("code")
    )


def portfolio(*, user: User, cadre: Cadre | None, leaders: list[Cadre]) -> Portfolio:
    """The leaves whose responsible leader is the cadre, lagging first (red, orange, yellow)."""
    require(user, Permission.BATTLEMAP_VIEW)
    scheme = current_scheme(user)
    if cadre is None or scheme is None:
        return Portfolio(cadre, leaders, [])
    indicators = list(
        Indicator.objects.filter(scheme=scheme).select_related("assessor").order_by("position")
    )
    by_id = {i.pk: i for i in indicators}
    mine = [i for i in indicators if i.leader_id == cadre.pk]

    def first_level(ind: Indicator) -> Indicator:
        while ind.parent_id is not None:
            ind = by_id[ind.parent_id]
        return ind

    units = {u.pk: u for u in visible_units(user)}
    rows = {i.pk: PortfolioRow(i, first_level(i), {}, []) for i in mine}
    warnings = _latest_warnings(user, scheme, list(units)).filter(indicator_id__in=list(rows))
    for unit_id, indicator_id, level in warnings.values_list("unit_id", "indicator_id", "level"):
        row = rows[indicator_id]
        row.counts[level] = row.counts.get(level, 0) + 1
        if level >= Level.ORANGE:
            row.lagging.append((units[unit_id], level))
    for row in rows.values():
        row.lagging.sort(key=lambda p: (-p[1], p[0].code))
    ordered = sorted(rows.values(), key=lambda r: (r.key(), r.indicator.position))
    return Portfolio(cadre, leaders, ordered)


@dataclass
class UnitRow:
    indicator: Indicator
    first_level: Indicator
    warning: Warning | None

    @property
    def level(self) -> int:
        return self.warning.level if self.warning else Level.NO_DATA


@dataclass
class UnitOverview:
    unit: Unit
    scheme: Scheme | None
    rows: list[UnitRow]
    history: list[tuple[dt.date, dict[int, int]]]
    rank: int | None = None
    category_size: int = 0


def unit_overview(*, user: User, unit: Unit) -> UnitOverview:
    """A unit's leaves lagging first, its colours month by month and its rank in its category."""
    scheme = current_scheme(user)
    if scheme is None:
        return UnitOverview(unit, None, [], [])
    indicators = list(Indicator.objects.filter(scheme=scheme).order_by("position"))
    by_id = {i.pk: i for i in indicators}

    def first_level(ind: Indicator) -> Indicator:
        while ind.parent_id is not None:
            ind = by_id[ind.parent_id]
        return ind

    latest = list(_latest_warnings(user, scheme, [unit.pk]))
    rows = [UnitRow(by_id[w.indicator_id], first_level(by_id[w.indicator_id]), w) for w in latest]
    rows.sort(key=lambda r: (-r.level, r.indicator.position))
    history_qs = Warning.objects.filter(
        county_id=county_id_of(user), unit=unit, indicator__scheme=scheme
    )
    if scope_of(user) == Scope.OWN_INDICATORS:
        history_qs = history_qs.filter(indicator__assessor_id=unit_id_of(user))
    months: dict[dt.date, dict[int, int]] = {}
    for as_of, level, n in (
        history_qs.values_list("as_of", "level").annotate(n=Count("pk")).order_by()
    ):
        month = months.setdefault(as_of.replace(day=1), {})
        month[level] = month.get(level, 0) + n
    overview = UnitOverview(unit, scheme, rows, sorted(months.items()))
    if unit.category_id is None or scope_of(user) == Scope.OWN_INDICATORS:
        return overview
    # The rank needs the category's other units; only the rank itself is shown.
    peers = list(
        Unit.objects.filter(
            county_id=county_id_of(user), category_id=unit.category_id, is_assessed=True
        ).values_list("pk", flat=True)
    )
    counts: dict[int, dict[int, int]] = {pk: {} for pk in peers}
    everyone = _latest_warnings_all(user, scheme, peers)
    for unit_id, level in everyone.values_list("unit_id", "level"):
        counts[unit_id][level] = counts[unit_id].get(level, 0) + 1
    ranks = competition_ranks(_green_shares([counts[pk] for pk in peers]))
    overview.rank = int(ranks[peers.index(unit.pk)])
    overview.category_size = len(peers)
    return overview


def _latest_warnings_all(user: User, scheme: Scheme, unit_ids: list[int]) -> QuerySet[Warning]:
    """The latest warnings of units beyond the user's own, for a rank only (never shown)."""
    return latest_warnings(county_id=county_id_of(user), scheme_id=scheme.pk, unit_ids=unit_ids)


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
    # With each warning's year-end forecast, if any, for the cell page (one query).
    return list(
        Warning.objects.filter(unit=unit, indicator=indicator)
        .select_related("forecast")
        .order_by("as_of")
    )
