"""Cadence without cron in Chromium: the office moves the weekly push to Friday 09:00 and has
escalations left as drafts, runs the nightly job now (progress page, then back), sees it
succeeded with its counts and its period as a Chinese date, and finds the escalated supervision
order among the loop's drafts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from kaohe.supervision.models import CadenceSchedule, Notice
from kaohe.supervision.services import settings_of
from tests.e2e.test_walking_chain import _login
from tests.factories import World, build_world
from tests.supervision import helpers as h

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world(year=timezone.localdate().year)
    world.county.short_name = "示"
    world.county.save()
    return world


def test_the_office_sets_the_cadence_runs_a_job_now_and_finds_the_escalated_draft(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    # A reminder issued in June with a fortnight to rectify: long overdue by now.
    reminder = h.issued(county)
    assert reminder.deadline < timezone.localdate()

    _login(page, base, county.user("office").username)
    page.get_by_role("link", name="督查闭环").click()
    page.get_by_test_id("supervision-nav").get_by_role("link", name="节奏任务").click()
    weekly = page.get_by_test_id("schedule-weekly")
    assert "星期一" in weekly.locator("select[name=weekly-weekday] option:checked").inner_text()
    weekly.locator("select[name=weekly-weekday]").select_option(label="星期五")
    weekly.locator("input[name=weekly-at]").fill("09:00")
    page.get_by_label("留作草稿，由绩效办审阅后印发").check()
    shot(page, "cadence-1-settings")
    page.get_by_test_id("save-settings").click()
    page.get_by_text("节奏任务设置已保存。").wait_for()
    assert re.fullmatch(
        r"\d{4}年\d{1,2}月\d{1,2}日 09:00（星期五）",
        page.get_by_test_id("next-weekly").inner_text(),
    )
    assert settings_of(county.county).escalation_issue is False
    assert CadenceSchedule.objects.get(county=county.county, job="weekly").weekday == 4

    page.get_by_test_id("run-nightly").click()
    status = page.get_by_test_id("job-status")
    status.and_(page.locator("[data-status=done]")).wait_for()
    assert "运行成功" in page.get_by_test_id("job-summary").inner_text()
    assert "升级的督办" in page.get_by_test_id("job-table").inner_text()
    shot(page, "cadence-2-job-done")
    page.get_by_test_id("job-result").click()

    page.get_by_test_id("outcome-nightly").wait_for()
    assert page.get_by_test_id("outcome-nightly").inner_text() == "成功"
    counts = page.get_by_test_id("counts-nightly").inner_text()
    assert "升级的督办 1" in counts and "刷新的预警" in counts
    assert "由绩效办立即运行" in page.get_by_test_id("last-nightly").inner_text()
    today = timezone.localdate()
    assert page.get_by_test_id("period-nightly").inner_text() == (
        f"{today.year}年{today.month}月{today.day}日"
    )
    assert "kaohe cadence" not in page.content()  # no command line for the office
    shot(page, "cadence-3-last-run")

    page.get_by_role("link", name="督查闭环").click()
    page.select_option("#f-status", label="草稿")
    page.get_by_role("button", name="筛选").click()
    page.locator("[data-testid=notices] a", has_text="督办单：").first.click()
    assert page.get_by_test_id("notice-status").inner_text() == "草稿"
    page.get_by_role("link", name=reminder.number).wait_for()  # escalated from the reminder
    shot(page, "cadence-4-escalated-draft")
    order = Notice.objects.get(kind="order")
    assert (order.status, order.parent_id) == ("draft", reminder.pk)
