"""The round rules and the calendar in Chromium: the office opens the rules from the menu,
is refused evaluator-group weights that add up to 1.2 by the field, fixes them, previews which
units move, saves version 2 and finds it in the history; then computes the fourth quarter while
it is still running, sees it marked as a provisional preview, and cannot publish it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kaohe.appraisal import services as round_services
from kaohe.appraisal.models import Rating, RatingGroup, Round, RoundStatus, RulesVersion
from kaohe.schemes.models import Scheme
from tests.appraisal.golden import RULES, build_golden
from tests.e2e.test_walking_chain import _login
from tests.factories import World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The peers' ballots (one each) pull 甲镇 down and 丙镇 up as the peers weigh more.
PEERS = {"T01": 75, "T02": 96, "T03": 100, "T04": 85, "T05": 80}


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world(year=timezone.localdate().year - 1)
    units = build_golden(world)
    Scheme.objects.filter(pk=world.scheme.pk).update(appraisal_rules={"annual": RULES})
    RatingGroup.objects.filter(scheme=world.scheme).update(weight=Decimal("0.5"))
    peers = RatingGroup.objects.create(
        county=world.county, scheme=world.scheme, code="peers", name="单位互评", weight=0.5
    )
    for code, points in PEERS.items():
        Rating.objects.create(group=peers, unit=units[code], evaluator=1, points=points)
    return world


def _settled(page: Any) -> None:
    page.wait_for_function("!document.querySelector('.htmx-request')")


def test_the_office_changes_the_rules_from_the_menu_and_a_running_quarter_stays_a_preview(
    county: World, page: Any, live_server: Any, shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = live_server.url
    _login(page, base, county.user("office").username)
    page.click("nav.menu >> text=考核结果")
    page.click("[data-testid=rules-link]")
    page.get_by_role("heading", name="考核规则").wait_for()
    groups = page.locator(".card", has=page.locator("[data-testid=groups]"))
    assert groups.locator("input[name=group_code-1]").input_value() == "peers"

    page.fill("input[name=group_weight-1]", "0.7")  # 0.5 + 0.7
    page.click("button:has-text('按当前数据预览')")
    error = groups.locator("[data-testid=error-groups]")
    error.wait_for()
    assert error.inner_text() == "权重合计为1.2，须合计为1。"
    assert page.locator("[data-testid=preview]").count() == 0
    shot(page, "rules-weights-refused")

    page.fill("input[name=group_weight-0]", "0.3")
    page.click("button:has-text('按当前数据预览')")
    moved = page.locator("[data-testid=moved]")
    moved.wait_for()
    text = moved.inner_text()
    assert "甲镇" in text and "丙镇" in text and "丁镇" not in text
    assert "第2名" in text and "第3名" in text
    assert page.locator("[data-testid=error-groups]").count() == 0
    assert not RulesVersion.objects.exists()  # a preview writes nothing
    page.locator("[data-testid=preview]").scroll_into_view_if_needed()
    shot(page, "rules-preview")

    page.fill("#reason", "县考核委员会决定提高单位互评权重")
    page.click("button:has-text('保存为新版本')")
    page.get_by_text("考核规则第2版已保存，自下次计算起施行。").wait_for()
    row = page.locator("[data-testid=version-2]")
    assert "县考核委员会决定提高单位互评权重" in row.inner_text()
    assert "评议组" in row.inner_text()
    assert page.locator("[data-testid=version-1]").count() == 1
    assert page.locator("input[name=group_weight-1]").input_value() == "0.7"
    row.scroll_into_view_if_needed()
    shot(page, "rules-history")
    county.scheme.refresh_from_db()
    assert [g["weight"] for g in county.scheme.appraisal_rules["annual"]["rating_groups"]] == [
        0.3,
        0.7,
    ]

    # Mid-November of the scheme's year: the fourth quarter has not ended.
    november = dt.date(county.scheme.year, 11, 15)
    monkeypatch.setattr(round_services, "appraisal_today", lambda: november)
    page.click("nav.menu >> text=考核结果")
    page.select_option("#kind", label="季度考评")
    page.select_option("#number", "4")
    page.click("button:has-text('按已确认数据计算')")
    page.locator("[data-testid=job-status][data-status=done]").wait_for()
    assert "预览（未到期）" in page.locator("[data-testid=job-summary]").inner_text()
    page.click("[data-testid=job-result]")
    page.locator("[data-testid=provisional-note]").wait_for()
    assert page.locator("h1 [data-testid=provisional]").inner_text() == "预览 · 未到期"
    shot(page, "round-provisional")
    _settled(page)
    page.click("button:has-text('公示')")
    page.get_by_text("该轮考核是预览（未到期）").wait_for()
    assert page.locator("[data-testid=round-status]").inner_text() == "已计算"
    rnd = Round.objects.get(scheme=county.scheme, kind="quarterly", number=4)
    assert rnd.provisional and rnd.status == RoundStatus.COMPUTED
    page.click("nav.menu >> text=考核结果")
    assert "预览 · 未到期" in page.locator("[data-testid=rounds]").inner_text()
