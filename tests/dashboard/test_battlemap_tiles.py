"""The township tile map of any size, and the big screen's panels cut to fit the screen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.dashboard.selectors import (
    SCREEN_ROWS,
    TILE_LAYOUT,
    BattleMap,
    balanced_pages,
    township_tiles,
)
from kaohe.org.models import Unit
from tests.factories import World


def _map(names: list[str], departments: int = 0) -> BattleMap:
    towns = [
        Unit(pk=n + 1, code=f"T{n:03d}", name=name, kind="township") for n, name in enumerate(names)
    ]
    depts = [
        Unit(pk=1000 + n, code=f"D{n:03d}", name=f"局{n}", kind="department")
        for n in range(departments)
    ]
    # The first township has a red leaf, every other one a green leaf.
    counts = {u.pk: ({3: 1} if u.pk == 1 else {0: 1}) for u in towns}
    return BattleMap(None, [], [(u, []) for u in towns + depts], {}, unit_counts=counts)


@pytest.mark.parametrize(
    ("count", "cols", "rows"),
    [(1, 4, 1), (16, 4, 4), (19, 4, 5), (32, 5, 7), (33, 5, 7), (40, 5, 8), (120, 9, 14)],
)
def test_any_number_of_townships_gets_a_tile_each_on_a_grid_wide_enough(
    count: int, cols: int, rows: int
) -> None:
    tiles = township_tiles(_map([f"第{n}镇" for n in range(count)], departments=3))
    assert (len(tiles), tiles.cols, tiles.rows) == (count, cols, rows)
    places = [(t.row, t.col) for t in tiles]
    assert len(set(places)) == count  # no two tiles on one place
    assert all(1 <= r <= rows and 1 <= c <= cols for r, c in places)
    # In code order, row by row.
    assert places == sorted(places)
    assert [t.colour for t in tiles][:2] == ["red", "green"][: min(count, 2)]


def test_the_demo_countys_twelve_townships_sit_where_they_are_on_its_map() -> None:
    tiles = township_tiles(_map(list(TILE_LAYOUT)))
    assert {t.unit.name: (t.row, t.col) for t in tiles} == TILE_LAYOUT
    assert (tiles.cols, tiles.rows, tiles.density) == (4, 4, "l")


def test_a_county_whose_townships_are_not_all_on_the_demo_map_gets_a_grid() -> None:
    # 复兴镇 is a common name: one township of that name does not put a county on Baojing's map.
    tiles = township_tiles(_map(["复兴镇", "新城镇", "河口乡"]))
    assert [(t.row, t.col) for t in tiles] == [(1, 1), (1, 2), (1, 3)]


def test_the_grid_gets_denser_type_as_townships_grow() -> None:
    densities = [
        township_tiles(_map([f"{n}镇" for n in range(k)])).density for k in (12, 40, 80, 120)
    ]
    assert densities == ["l", "m", "s", "xs"]


def test_the_big_screens_panels_are_cut_into_near_equal_pages_that_fit() -> None:
    assert balanced_pages([]) == []
    assert [len(p) for p in balanced_pages(list(range(14)))] == [14]
    assert [len(p) for p in balanced_pages(list(range(17)))] == [9, 8]
    assert [len(p) for p in balanced_pages(list(range(40)))] == [14, 14, 12]
    pages = balanced_pages(list(range(120)))
    assert [n for p in pages for n in p] == list(range(120))
    assert max(map(len, pages)) <= SCREEN_ROWS


def test_a_department_without_a_category_still_gets_a_panel_on_the_big_screen(world: World) -> None:
    Unit.objects.create(county=world.county, code="D50", name="县档案馆", kind="department")
    client = Client()
    client.force_login(world.user("office"))
    panels = client.get(reverse("dashboard:screen")).context["panels"]
    assert [(title, [u.name for u, _c in rows]) for title, rows in panels] == [
        ("乡镇", ["甲镇", "乙镇"]),
        ("其他部门", ["县档案馆"]),
    ]
