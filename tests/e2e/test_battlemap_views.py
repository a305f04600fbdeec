"""The battle map, the big screen and the views by role of the demo county, in Chromium.

Screenshots land in tests/e2e/screenshots/ (battlemap, screen-1920, screen-ranking, leader-view,
unit-view) and were looked at; the assertions check what they show.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from kaohe.dashboard import selectors
from kaohe.demo.builder import demo_build
from kaohe.org.models import User
from tests.e2e.test_walking_chain import _login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 11, 24)
COLOURS = {"green", "yellow", "orange", "red", "none"}


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_build(today=TODAY, password=PASSWORD)


def test_the_office_battle_map_drills_down_and_ranks(
    demo: None, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    _login(page, base, "office")
    page.goto(f"{base}/map/")
    grid = page.locator("[data-testid=battlemap]")
    headers = grid.locator("thead th").all_inner_texts()
    assert headers[:2] == ["单位", "类别"] and "经济发展" in headers
    assert grid.locator("tbody tr").count() == 44
    levels = set(grid.locator("td[data-level]").evaluate_all("cs => cs.map(c => c.dataset.level)"))
    assert levels <= COLOURS and {"green", "red"} <= levels
    # Twelve township tiles, each in its overall colour, laid out on a grid.
    tiles = page.locator("[data-testid=tiles] a.tile")
    assert tiles.count() == 12
    assert tiles.filter(has_text="迁陵镇").get_attribute("class").split()[1].startswith("t-")
    ranking = page.locator("[data-testid=ranking]")
    assert ranking.locator("thead th").first.inner_text() == "名次"
    assert ranking.locator("tbody tr").first.locator("td").first.inner_text() == "1"
    page.locator("#trend-chart canvas").wait_for()
    shot(page, "battlemap")

    # Filter by category, then drill down into a first-level indicator: its leaves appear.
    page.select_option("select[name=category]", label="一类乡镇")
    page.click("[data-testid=filters] button[type=submit]")
    assert page.locator("[data-testid=battlemap] tbody tr").count() == 6
    page.locator("[data-testid=battlemap] thead a", has_text="经济发展").click()
    assert "parent=I1" in page.url and "category=" in page.url
    leaf_headers = page.locator("[data-testid=battlemap] thead th").all_inner_texts()
    assert len(leaf_headers) > 3 and all(h.startswith("I1") for h in leaf_headers[2:])
    # A leaf cell opens the reports and evidence behind it.
    page.locator("[data-testid=battlemap] tbody td[data-level] a").first.click()
    page.wait_for_url(re.compile(r"/map/\d+/\d+/$"))
    assert page.locator("[data-testid=warning-explanation]").count() == 1


def test_the_big_screen_fills_1920_by_1080_and_turns_its_panels(
    demo: None, browser: Any, live_server: Any, shot: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", reduced_motion="reduce"
    )
    page = context.new_page()
    base = live_server.url
    _login(page, base, "office")
    page.goto(f"{base}/map/screen/?refresh=10&rotate=30")
    assert page.locator("meta[http-equiv=refresh]").get_attribute("content") == "600"
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1080, size
    assert "保靖县" in page.locator("h1").inner_text()
    assert page.locator(".screen-totals").inner_text().startswith("绿色")
    assert page.locator(".screen .tile").count() == 12
    frame = page.locator("[data-testid=screen]")
    panels = page.locator(".panel")
    count = panels.count()
    assert count >= 5  # townships, three department categories, ranking, trend
    assert page.locator(".panel.active").get_attribute("data-title") == "乡镇"
    # Big type: a battle map cell is at least 24px.
    font = page.locator(".panel.active td.c").first.evaluate(
        "c => parseFloat(getComputedStyle(c).fontSize)"
    )
    assert font >= 24
    shot(page, "screen-1920")
    page.hover("[data-testid=panels]")
    assert frame.get_attribute("data-paused") == "true"
    page.mouse.move(5, 5)
    assert frame.get_attribute("data-paused") == "false"
    page.evaluate(f"() => window.kaoheScreen.show({count - 2})")
    assert page.locator(".panel.active").get_attribute("data-title") == "排名"
    top = page.locator("[data-testid=screen-top] tbody tr")
    assert top.count() == 10 and top.first.locator("td").first.inner_text() == "1"
    shot(page, "screen-ranking")
    page.evaluate(f"() => window.kaoheScreen.show({count - 1})")
    page.locator(".panel.active canvas").wait_for()
    shot(page, "screen-trend")
    context.close()


def test_a_leader_sees_the_portfolio_lagging_first(
    demo: None, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    _login(page, base, "leader")  # the home page of a leader is the portfolio
    page.wait_for_url("**/map/leader/")
    leader = User.objects.get(username="leader").cadre
    assert leader is not None and leader.name in page.locator("h1").inner_text()
    table = page.locator("[data-testid=portfolio]")
    assert table.locator("thead th").all_inner_texts()[:3] == ["指标", "一级指标", "考核责任部门"]
    rows = table.locator("tbody tr")
    # This year's portfolio (the demo also keeps last year's scheme, closed).
    assert rows.count() == leader.indicators.filter(scheme__status="published").count()
    reds = [int(t) for t in table.locator("tbody td[data-level=red]").all_inner_texts()]
    assert reds == sorted(reds, reverse=True) and reds[0] > 0
    shot(page, "leader-view")


def test_a_unit_sees_its_indicators_history_and_rank(
    demo: None, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    _login(page, base, "unit")
    page.goto(f"{base}/map/mine/")
    user = User.objects.get(username="unit")
    assert page.url.endswith(f"/map/units/{user.unit_id}/")
    office = User.objects.get(username="office")
    standing = next(
        s
        for s in selectors.standings(selectors.battle_map(user=office))
        if s.unit.pk == user.unit_id
    )
    rank = page.locator("[data-testid=category-rank] strong").inner_text()
    assert rank == f"一类乡镇{standing.category_size}个单位中第{standing.category_rank}名"
    table = page.locator("[data-testid=unit-indicators]")
    first = table.locator("tbody tr").first.locator("td[data-level]").get_attribute("data-level")
    levels = table.locator("td[data-level]").evaluate_all("cs => cs.map(c => c.dataset.level)")
    order = ["red", "orange", "yellow", "green", "none"]
    assert first == min(levels, key=order.index)
    assert [order.index(x) for x in levels] == sorted(order.index(x) for x in levels)
    history = page.locator("[data-testid=unit-history] tbody tr")
    assert history.count() >= 10 and history.first.inner_text().startswith("2026年1月")
    page.locator("#history-chart canvas").wait_for()
    shot(page, "unit-view")
