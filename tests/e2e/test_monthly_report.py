"""A township's monthly report in Chromium: the grid, submission, return, correction, approval
and the office's confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from kaohe.reporting.models import ProgressReport
from tests.e2e.test_walking_chain import _login, _logout
from tests.factories import World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(year=timezone.localdate().year)


def test_a_monthly_report_goes_from_the_grid_to_confirmation(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    _login(page, base, county.user("unit").username)
    page.goto(f"{base}/reports/grid/")
    value = page.locator("input.grid-value").first
    value.fill("十二")  # not a number: the grid refuses and keeps what was typed
    page.click("button[type=submit].primary")
    assert page.locator(".errorlist").count() == 1
    assert not ProgressReport.objects.exists()
    page.locator("input.grid-value").first.fill("1,100")
    page.keyboard.press("Enter")  # Enter moves on, it does not submit
    assert not ProgressReport.objects.exists()
    shot(page, "unit-grid-zh")
    page.click("button[type=submit].primary")
    page.get_by_text("已向考核责任部门提交1项填报").wait_for()
    _logout(page)

    _login(page, base, county.user("assessor").username)
    row = page.locator("tr", has_text="甲镇")
    row.locator("input[name=note]").fill("请附项目合同")
    row.locator("button[value=return]").click()
    page.get_by_text("已退回填报单位").wait_for()
    _logout(page)

    _login(page, base, county.user("unit").username)
    page.goto(f"{base}/reports/grid/")
    assert "已退回" in page.locator("[data-testid=grid]").inner_text()
    page.locator("input.grid-value").first.fill("1150")
    page.click("button[type=submit].primary")
    page.get_by_text("已向考核责任部门提交1项填报").wait_for()
    _logout(page)

    _login(page, base, county.user("assessor").username)
    page.locator("tr", has_text="甲镇").locator("button[value=approve]").click()
    page.get_by_text("已审核通过").wait_for()
    _logout(page)

    _login(page, base, county.user("office").username)
    page.goto(f"{base}/reports/confirm/")
    page.locator("tr", has_text="甲镇").get_by_role("button", name="确认").click()
    page.get_by_text("已确认。").wait_for()
    shot(page, "office-confirmed-zh")
    report = ProgressReport.objects.get()
    assert (report.status, str(report.value)) == ("confirmed", "1150.0000")
