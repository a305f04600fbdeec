"""Counties of any shape: every page opens on a county of 19 townships and 85 departments, and
on one of 40 townships, as each role that may open it; the battle map and the big screen show
every township's tile and every unit's row.

The route table is tests/test_access_routes.py's; its argument builders get the shape's objects
(tests/shapes.py builds a ShapeWorld, a World of any size).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.dashboard.selectors import SCREEN_ROWS
from kaohe.org.models import Role
from tests.shapes import MANY_DEPARTMENTS, MANY_TOWNSHIPS, ShapeWorld, built_once, walked
from tests.test_access_routes import LOGGED_IN_STATUS, OWNED_BY, PUBLIC, ROUTES

built = built_once(
    MANY_DEPARTMENTS, MANY_TOWNSHIPS, ids=["19-townships-85-departments", "40-townships"]
)
GET_ROUTES = sorted(name for name, (_a, method, _r, _s) in ROUTES.items() if method == "get")
TILE = re.compile(r'<a class="tile t-(\w+)"[^>]*title="([^"]+) · ')


@pytest.fixture
def county(built: ShapeWorld, db: None) -> ShapeWorld:
    return walked(built)


def _get(world: ShapeWorld, role: str, url: str) -> Any:
    client = Client()
    client.force_login(world.user(role))
    return client.get(url)


@pytest.mark.parametrize("name", GET_ROUTES)
def test_every_page_opens_for_each_role_that_may_open_it(county: ShapeWorld, name: str) -> None:
    args_of, _method, allowed, ok_status = ROUTES[name]
    url = reverse(name, args=args_of(county))
    roles = Role.values if allowed == PUBLIC else sorted(allowed)
    for role in roles:
        status = _get(county, role, url).status_code
        if name in OWNED_BY and role != OWNED_BY[name]:
            assert status == 404, f"{name} as {role}: {status}"
        else:
            assert status == LOGGED_IN_STATUS.get(name, ok_status), f"{name} as {role}: {status}"


@pytest.mark.parametrize("page", ["dashboard:battlemap", "dashboard:screen"])
def test_the_battle_map_and_the_big_screen_show_a_tile_for_every_township(
    county: ShapeWorld, page: str
) -> None:
    html = _get(county, "office", reverse(page)).content.decode()
    tiles = TILE.findall(html)
    assert sorted(name for _colour, name in tiles) == sorted(u.name for u in county.townships)
    # In their colours: the first township is far behind on every leaf, the others are not.
    colours = dict((name, colour) for colour, name in tiles)
    assert colours[county.town.name] == "red"
    assert {"green", "yellow"} & set(colours.values())


def test_the_big_screen_turns_every_unit_through_panels_that_fit_the_screen(
    county: ShapeWorld,
) -> None:
    response = _get(county, "office", reverse("dashboard:screen"))
    panels = response.context["panels"]
    shown = [unit.name for _title, rows in panels for unit, _cells in rows]
    assert sorted(shown) == sorted(u.name for u in county.assessed)
    assert all(len(rows) <= SCREEN_ROWS for _title, rows in panels)
    # A group longer than one panel is numbered: 乡镇（1/3）, 乡镇（2/3）...
    titles = [title for title, _rows in panels]
    if len(county.townships) > SCREEN_ROWS:
        pages = -(-len(county.townships) // SCREEN_ROWS)
        assert titles[:pages] == [f"乡镇（{n}/{pages}）" for n in range(1, pages + 1)]


def test_a_unit_of_a_large_county_sees_its_own_tile_only(county: ShapeWorld) -> None:
    html = _get(county, "unit", reverse("dashboard:battlemap")).content.decode()
    assert [name for _colour, name in TILE.findall(html)] == [county.town.name]
