"""The closed loop in Chromium: a red indicator's drafted reminder is issued by the office, the
township answers with its rectification, the office accepts, and the next month's approved value
turns the indicator green."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from kaohe.monitoring.models import Warning
from kaohe.reporting.services import report_approve, report_submit
from kaohe.supervision.cadence import cadence_run
from kaohe.supervision.models import Notice
from tests.e2e.test_walking_chain import _login, _logout
from tests.factories import World, build_world
from tests.supervision.helpers import PDF, office

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world(year=timezone.localdate().year)
    world.county.short_name = "示"
    world.county.save()
    office(world)
    return world


def _approve(world: World, month: int, value: str) -> None:
    report = report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[month - 1],
        value=value,
        note="",
    )
    report_approve(user=world.user("assessor"), report=report, version=report.version)


def test_a_red_indicator_goes_round_the_loop_to_green(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    year = county.scheme.year
    _approve(county, 5, "100")  # 100 of 1200 by the end of May: red
    cadence_run(job="nightly", today=dt.date(year, 6, 1))
    notice = Notice.objects.get()
    assert notice.status == "draft"

    _login(page, base, county.user("office").username)
    page.goto(f"{base}/supervision/notices/")
    page.locator("[data-testid=notices] a", has_text="招商引资到位资金").first.click()
    assert page.locator("[data-testid=colour-A01]").get_attribute("class") == "lv lv-red"
    page.fill("input[name=deadline]", (timezone.localdate() + dt.timedelta(days=15)).isoformat())
    shot(page, "closed-loop-1-draft")
    page.click("[data-testid=issue]")
    page.get_by_text(f"已签发，文号示绩提〔{timezone.localdate().year}〕1号").wait_for()
    assert page.get_by_test_id("notice-status").inner_text() == "已签发"
    _logout(page)

    _login(page, base, county.user("unit").username)
    page.goto(f"{base}/supervision/notices/")
    page.locator("[data-testid=notices] a", has_text="示绩提").first.click()
    page.click("[data-testid=rectify]")
    page.fill("textarea[name=plan]", "倒排工期，主要领导包保重点项目")
    page.fill("textarea[name=actions]", "新签约项目两个，到位资金600万元")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    shot(page, "closed-loop-2-rectify")
    page.click("[data-testid=rectify-form] button[type=submit]")
    page.get_by_text("整改情况已报送签发单位").wait_for()
    assert page.get_by_test_id("notice-status").inner_text() == "已报送整改"
    _logout(page)

    _login(page, base, county.user("office").username)
    page.goto(f"{base}/supervision/notices/{notice.pk}/")
    assert "整改报告.pdf" in page.get_by_test_id("rectification").inner_text()
    page.click("[data-testid=accept]")
    page.get_by_text("整改已通过，闭环完成").wait_for()
    assert page.get_by_test_id("notice-status").inner_text() == "整改通过"
    shot(page, "closed-loop-3-accepted")

    # The next month's value is approved: 700 of 1200 by the end of June is ahead of schedule.
    _approve(county, 6, "700")
    latest = Warning.objects.filter(unit=county.town, indicator=county.leaf).order_by("-as_of")[0]
    assert (latest.as_of, latest.level) == (dt.date(year, 6, 30), 0)
    page.reload()
    assert page.locator("[data-testid=colour-A01]").get_attribute("class") == "lv lv-green"
    shot(page, "closed-loop-4-green")
    page.goto(f"{base}/map/{county.town.pk}/{county.leaf.pk}/")
    assert re.search(r"lv-green", page.locator(".card").first.inner_html())
    shot(page, "closed-loop-5-battlemap-cell")
    page.goto(f"{base}/supervision/loops/")
    row = page.locator("[data-testid=loops-unit] tr", has_text="甲镇")
    assert row.locator("td").nth(3).inner_text() == "1"  # one closed loop
