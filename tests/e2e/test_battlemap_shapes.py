"""The big screen of a county of 40 townships, in Chromium at 1920x1080: every tile on screen.

The county comes from tests/shapes.py (40 townships in one category, six departments). The
office opens the battle map from the menu and the big screen from the map's own links; the
screenshot (tests/e2e/screenshots/screen-40-townships.png) was looked at: five columns of eight
tiles, names in 22px type, and the townships' grid turning over three numbered panels.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD
from tests.shapes import MANY_TOWNSHIPS, build_shape

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_shape(MANY_TOWNSHIPS)


def test_the_big_screen_of_40_townships_shows_every_tile_within_1920_by_1080(
    county: Any, browser: Any, live_server: Any, shot: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", county.user("office").username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.locator("nav.menu a", has_text="挂图作战").click()
    assert page.locator("[data-testid=tiles] a.tile").count() == 40
    with context.expect_page() as opened:
        page.locator(".subnav a", has_text="大屏").click()
    screen = opened.value
    screen.wait_for_load_state()
    assert screen.locator("h1").inner_text().startswith("云岭县")
    size = screen.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1080, size
    tiles = screen.locator(".screen .tile")
    assert tiles.count() == 40
    # Every tile lies wholly inside the left column and the screen, none on another.
    boxes = tiles.evaluate_all(
        "ts => ts.map(t => { const r = t.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom, t.querySelector('strong').scrollWidth"
        " <= t.querySelector('strong').clientWidth]; })"
    )
    column = screen.locator(".screen-left").bounding_box()
    assert column is not None
    for left, top, right, bottom, name_fits in boxes:
        assert column["x"] <= left and right <= column["x"] + column["width"]
        assert column["y"] <= top and bottom <= 1080 - 56  # above the footer
        assert name_fits  # the township's name is not cut off
    rows = {round(top) for _l, top, _r, _b, _f in boxes}
    cols = {round(left) for left, _t, _r, _b, _f in boxes}
    assert (len(cols), len(rows)) == (5, 8)
    # Readable from the back of the room: names of 20px or more.
    font = tiles.first.locator("strong").evaluate("s => parseFloat(getComputedStyle(s).fontSize)")
    assert font >= 20
    names = set(tiles.locator("strong").all_inner_texts())
    assert names == {u.name for u in county.townships}
    # The townships' grid turns over three panels that each fit the screen.
    titles = screen.locator(".panel").evaluate_all("ps => ps.map(p => p.dataset.title)")
    assert titles[:3] == ["乡镇（1/3）", "乡镇（2/3）", "乡镇（3/3）"]
    bottom = screen.locator(".panel.active table").evaluate("t => t.getBoundingClientRect().bottom")
    assert bottom <= 1080 - 56
    shot(screen, "screen-40-townships")
    context.close()
