"""The chain walking in a real browser: a township reports, the assessor approves, the office
sees the colour and the score with its explanation; the interface is Chinese and switches to
English. Screenshots are kept in tests/e2e/screenshots/ and checked for what they show."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from tests.factories import PASSWORD, World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The warning colours of app.css, as a screenshot shows them.
CELL_RGB = {
    "green": (195, 250, 232),
    "yellow": (255, 243, 191),
    "orange": (255, 216, 168),
    "red": (255, 201, 201),
}


def _expected_colour(month_end: dt.date, completion_pct: float) -> str:
    """The scheme's default thresholds worked by hand: 0 / 5 / 15 points behind schedule."""
    year_days = (dt.date(month_end.year, 12, 31) - dt.date(month_end.year, 1, 1)).days + 1
    schedule_pct = 100 * ((month_end - dt.date(month_end.year, 1, 1)).days + 1) / year_days
    gap = schedule_pct - completion_pct
    return "green" if gap <= 0 else "yellow" if gap <= 5 else "orange" if gap <= 15 else "red"


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")


def _logout(page: Any) -> None:
    page.click("form[action$='/logout/'] button")


def _dominant_colour(png: bytes) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    _count, rgb = max(colours)
    return rgb  # type: ignore[no-any-return]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(year=timezone.localdate().year)


def test_the_login_page_is_chinese_with_cjk_glyphs_rendered(
    page: Any, live_server: Any, shot: Any
) -> None:
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "登录考核系统"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    path = shot(page, "login-zh")
    heading = page.locator("h1").screenshot()
    # Glyphs were drawn: the heading holds dark ink, not blank boxes of background.
    image = Image.open(io.BytesIO(heading)).convert("L")
    assert sum(1 for p in image.tobytes() if p < 100) > 200
    assert path.stat().st_size > 10_000


def test_the_chain_walks_from_report_to_colour_and_score(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    _login(page, base, county.user("unit").username)
    page.wait_for_url(f"{base}/reports/due/")
    assert "招商引资到位资金" in page.content()
    shot(page, "unit-due-zh")
    page.get_by_role("link", name="填报", exact=True).first.click()
    page.fill("input[name=value]", "60")
    page.fill("textarea[name=note]", "三个项目已签约，资金陆续到位")
    shot(page, "unit-fill-zh")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/reports/due/")
    assert "已提交" in page.locator("table").inner_text()
    _logout(page)

    _login(page, base, county.user("assessor").username)
    page.wait_for_url(f"{base}/reports/queue/")
    row = page.locator("tr", has_text="甲镇")
    assert "三个项目已签约" in row.inner_text()
    shot(page, "assessor-queue-zh")
    row.locator("button[value=approve]").click()
    page.wait_for_url(f"{base}/reports/queue/")
    assert "暂无待审核" in page.content() or "甲镇" not in page.locator("main").inner_text()
    _logout(page)

    _login(page, base, county.user("office").username)
    page.wait_for_url(f"{base}/map/")
    page.click("thead >> text=经济发展")
    cell = page.locator("td[data-level]").first
    level = cell.get_attribute("data-level")
    # 60 of 1200 (5%) reported for the current month, against the linear time schedule.
    month = next(p for p in county.months if p.start <= timezone.localdate() <= p.end)
    expected = _expected_colour(month.end, 5.0)
    assert level == expected
    assert _dominant_colour(cell.screenshot()) == CELL_RGB[expected]
    shot(page, "office-battlemap-zh")
    cell.locator("a").click()
    explanation = page.locator("[data-testid=score-explanation]").inner_text()
    assert "10 × min(60 / 1200" in explanation and "= 0.50" in explanation
    # The warning's arithmetic reads in Chinese, the interface's default language.
    chinese = {"green": "绿色", "yellow": "黄色", "orange": "橙色", "red": "红色"}[expected]
    warning = page.locator("[data-testid=warning-explanation]").inner_text()
    assert chinese in warning and "时序进度" in warning
    assert page.locator("[data-testid=score-method]").inner_text() == "完成率计分"
    shot(page, "office-cell-zh")

    page.click("button[value=en]")
    assert page.locator("h2").first.inner_text() == "Warning"
    shot(page, "office-cell-en")
