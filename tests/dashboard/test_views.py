"""Battle map filters, rankings, tiles and trends; the big screen; the views by role; exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.dashboard import selectors
from kaohe.monitoring.models import Warning
from kaohe.org.models import Cadre, Category, Unit
from kaohe.schemes.models import Indicator
from tests.dashboard.tables import page_tables, workbook_sheets
from tests.factories import World

GREEN, YELLOW, ORANGE, RED = 0, 1, 2, 3


def _warn(world: World, unit: Unit, leaf: Indicator, as_of: dt.date, level: int) -> None:
    Warning.objects.create(
        county=world.county,
        unit=unit,
        indicator=leaf,
        as_of=as_of,
        level=level,
        target=Decimal("100"),
        schedule=0.5,
        completion=0.5,
    )


@pytest.fixture
def county(world: World) -> World:
    """Two first-level indicators with a leaf each, under two leaders and two assessors; a
    third township of another category; warnings over September and October."""
    w = world
    other_leader = Cadre.objects.create(
        county=w.county,
        code="L02",
        name="李四",
        post="副县长",
        rank="副处级",
        is_county_leader=True,
    )
    other_assessor = Unit.objects.create(
        county=w.county, code="D02", name="县财政局", kind="department", is_assessing=True,
        is_assessed=False,
    )  # fmt: skip
    w.second_category = Category.objects.create(  # type: ignore[attr-defined]
        county=w.county, code="T2", name="二类乡镇", kind="township"
    )
    w.third_town = Unit.objects.create(  # type: ignore[attr-defined]
        county=w.county, code="T03", name="丙乡", kind="township", category=w.second_category
    )
    root_b = Indicator.objects.create(
        county=w.county, scheme=w.scheme, code="B", name="民生保障", level=1, position=3
    )
    w.leaf_b = Indicator.objects.create(  # type: ignore[attr-defined]
        county=w.county, scheme=w.scheme, parent=root_b, code="B01", name="城镇新增就业",
        level=2, position=4, assessor=other_assessor, leader=other_leader,
    )  # fmt: skip
    w.other_leader = other_leader  # type: ignore[attr-defined]
    w.other_assessor = other_assessor  # type: ignore[attr-defined]
    sep, octo = dt.date(2026, 9, 30), dt.date(2026, 10, 31)
    _warn(w, w.town, w.leaf, sep, GREEN)
    _warn(w, w.town, w.leaf, octo, RED)  # the latest counts: red
    _warn(w, w.town, w.leaf_b, octo, GREEN)  # type: ignore[attr-defined]
    _warn(w, w.other_town, w.leaf, octo, GREEN)
    _warn(w, w.other_town, w.leaf_b, octo, GREEN)  # type: ignore[attr-defined]
    _warn(w, w.third_town, w.leaf, octo, YELLOW)  # type: ignore[attr-defined]
    return w


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def test_filters_narrow_the_units_and_the_columns(county: World) -> None:
    office = county.user("office")
    full = selectors.battle_map(user=office)
    assert [c.code for c in full.columns] == ["A", "B"]
    assert {c.name for c in full.categories} == {"一类乡镇", "二类乡镇"}
    assert {c.code for c in full.leaders} == {"L01", "L02"}
    by_category = selectors.battle_map(
        user=office,
        filters=selectors.MapFilters(category=county.second_category.pk),  # type: ignore[attr-defined]
    )
    assert [u.code for u, _c in by_category.rows] == ["T03"]
    by_leader = selectors.battle_map(
        user=office,
        filters=selectors.MapFilters(leader=county.other_leader.pk),  # type: ignore[attr-defined]
    )
    assert [c.code for c in by_leader.columns] == ["B"]
    assert by_leader.totals == {"green": 2, "yellow": 0, "orange": 0, "red": 0}
    by_assessor = selectors.battle_map(
        user=office, filters=selectors.MapFilters(assessor=county.assessor_unit.pk)
    )
    assert [c.code for c in by_assessor.columns] == ["A"]
    page = _client(county, "office").get(
        reverse("dashboard:battlemap"),
        {"leader": county.other_leader.pk},  # type: ignore[attr-defined]
    )
    # The column header drills down and keeps the filter.
    assert f"?leader={county.other_leader.pk}&amp;parent=B" in page.content.decode()  # type: ignore[attr-defined]


def test_rankings_tiles_and_trend_come_from_the_latest_and_the_history(county: World) -> None:
    data = selectors.battle_map(user=county.user("office"))
    standings = {s.unit.code: s for s in selectors.standings(data)}
    # 甲镇 has one red and one green (50%), 乙镇 two greens (100%), 丙乡 a yellow (0%).
    assert standings["T02"].rank == 1 and standings["T01"].rank == 2 and standings["T03"].rank == 3
    assert (standings["T01"].category_rank, standings["T01"].category_size) == (2, 2)
    assert (standings["T03"].category_rank, standings["T03"].category_size) == (1, 1)
    tiles = {t.unit.code: t for t in selectors.township_tiles(data)}
    # Mean level: 甲镇 (3 + 0) / 2 = 1.5 rounds half up to orange; 乙镇 green; 丙乡 yellow.
    assert [tiles[c].colour for c in ("T01", "T02", "T03")] == ["orange", "green", "yellow"]
    trend = selectors.trend(user=county.user("office"), data=data)
    assert [m.month for m in trend.months] == [9, 10]
    town = next(t for t in trend.units if t[0].code == "T01")
    assert town[1] == [1.0, 0.5] and town[2] == [0.0, 0.5]
    # October, county-wide: 3 greens, 1 yellow and 1 red of 5 warnings.
    assert trend.county_green[1] == pytest.approx(0.6)
    assert trend.county_red[1] == pytest.approx(0.2)


def test_an_assessor_sees_only_the_colours_of_the_indicators_it_checks(county: World) -> None:
    data = selectors.battle_map(user=county.user("assessor"))
    # Leaf A01 only (red, green, yellow), nothing of B01, which another department checks.
    assert data.totals == {"green": 1, "yellow": 1, "orange": 0, "red": 1}
    trend = selectors.trend(user=county.user("assessor"), data=data)
    assert trend.county_green[1] == pytest.approx(1 / 3)


def test_a_leader_sees_the_indicators_of_the_portfolio_lagging_first(county: World) -> None:
    leader = county.user("leader")
    leader.cadre = county.leader
    leader.save()
    page = _client(county, "leader").get(reverse("dashboard:portfolio"))
    data = page.context["data"]
    assert data.cadre == county.leader and [r.indicator.code for r in data.rows] == ["A01"]
    row = data.rows[0]
    assert row.counts == {RED: 1, GREEN: 1, YELLOW: 1}
    assert [u.code for u, _level in row.lagging] == ["T01"]
    # Leaders cannot look at another's portfolio; the office chooses whose it sees.
    other = county.other_leader.pk  # type: ignore[attr-defined]
    again = _client(county, "leader").get(reverse("dashboard:portfolio"), {"leader": other})
    assert again.context["data"].cadre == county.leader
    office = _client(county, "office").get(reverse("dashboard:portfolio"), {"leader": other})
    assert [r.indicator.code for r in office.context["data"].rows] == ["B01"]
    assert _client(county, "leader").get(reverse("dashboard:home")).url == reverse(
        "dashboard:portfolio"
    )


def test_a_unit_sees_its_indicators_history_and_rank_but_not_anothers(county: World) -> None:
    client = _client(county, "unit")
    mine = client.get(reverse("dashboard:mine"))
    assert mine.url == reverse("dashboard:unit", args=[county.town.pk])
    page = client.get(mine.url)
    data = page.context["data"]
    assert [r.indicator.code for r in data.rows] == ["A01", "B01"]  # red before green
    assert (data.rank, data.category_size) == (2, 2)
    assert [(m.month, c) for m, c in data.history] == [(9, {GREEN: 1}), (10, {RED: 1, GREEN: 1})]
    assert client.get(reverse("dashboard:unit", args=[county.other_town.pk])).status_code == 404


def test_the_big_screen_takes_its_refresh_and_rotation_from_the_query(county: World) -> None:
    client = _client(county, "office")
    page = client.get(reverse("dashboard:screen"), {"refresh": "2", "rotate": "15"})
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="120">' in html
    assert 'data-rotate="15"' in html
    assert [title for title, _rows in page.context["panels"]] == ["乡镇"]
    clamped = client.get(reverse("dashboard:screen"), {"refresh": "0", "rotate": "abc"})
    assert clamped.context["refresh_seconds"] == 60 and clamped.context["rotate_seconds"] == 20


@pytest.mark.parametrize(
    ("name", "args", "params", "role"),
    [
        ("dashboard:battlemap", [], {}, "office"),
        ("dashboard:battlemap", [], {"parent": "A", "category": "1"}, "office"),
        ("dashboard:portfolio", [], {}, "office"),
        ("dashboard:unit", ["town"], {}, "unit"),
    ],
)
def test_each_table_downloads_with_the_same_header_and_rows(
    county: World, name: str, args: list[str], params: dict[str, str], role: str
) -> None:
    client = _client(county, role)
    url = reverse(name, args=[getattr(county, a).pk for a in args])
    if "category" in params:
        params = {**params, "category": str(county.category.pk)}
    page = client.get(url, params)
    tables = page_tables(page.content.decode())
    download = client.get(url, {**params, "format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = workbook_sheets(download.content)
    shown = list(tables.values())
    assert len(sheets) == len(shown) and len(shown) >= 1
    for rows, sheet in zip(shown, sheets, strict=True):
        assert sheet[0] == rows[0]  # the header row, in Chinese
        assert sheet[1:] == rows[1:] and len(rows) > 1


def test_the_exported_headers_are_chinese(county: World) -> None:
    download = _client(county, "office").get(reverse("dashboard:battlemap"), {"format": "xlsx"})
    grid, ranking = workbook_sheets(download.content)
    assert grid[0] == ["单位", "类别", "经济发展", "民生保障"]
    assert ranking[0][:4] == ["名次", "单位", "类别", "类别内名次"]
    assert ranking[1][:2] == ["1", "乙镇"]
