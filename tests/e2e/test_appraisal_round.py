"""A round in Chromium: the office computes it from the menu (in the worker, with its progress
page), publishes it, a township appeals, the office upholds the appeal with a correction, and
the results become final, as each side sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kaohe.appraisal.models import Round
from kaohe.schemes.models import Scheme
from tests.appraisal.golden import RULES, build_golden
from tests.e2e.test_walking_chain import _login, _logout
from tests.factories import UserFactory, World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Last year's: a round can be published only once its period has ended.
    return build_world(year=timezone.localdate().year - 1)


def _grades(page: Any) -> dict[str, str]:
    rows = page.locator("[data-testid=results] tbody tr")
    out = {}
    for k in range(rows.count()):
        cells = rows.nth(k).locator("td")
        out[cells.nth(2).inner_text().split()[0]] = cells.nth(10).inner_text()
    return out


def test_publication_an_appeal_its_resolution_and_the_final_results(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    units = build_golden(county)
    # The scheme file set the annual round's rules.
    Scheme.objects.filter(pk=county.scheme.pk).update(appraisal_rules={"annual": RULES})
    appellant = UserFactory(username="t03", county=county.county, role="unit", unit=units["T03"])

    _login(page, base, county.user("office").username)
    page.click("nav.menu >> text=考核结果")
    page.select_option("#kind", label="年度考核")
    page.click("button:has-text('按已确认数据计算')")
    # The worker's progress page, then the link to the round.
    page.locator("[data-testid=job-status][data-status=done]").wait_for()
    assert "已按确认数据为5个单位计分。" in page.locator("[data-testid=job-summary]").inner_text()
    page.click("[data-testid=job-result]")
    page.locator("[data-testid=results]").wait_for()
    rnd = Round.objects.get(scheme=county.scheme, kind="annual")
    assert not rnd.provisional
    url = f"{base}/appraisal/rounds/{rnd.pk}/"
    assert page.url == url
    assert page.locator("[data-testid=provisional]").count() == 0
    assert _grades(page)["丙镇"] == "良好"  # cut by the quota
    shot(page, "round-computed-office")
    page.click("button:has-text('公示')")
    page.get_by_text("考核结果已公示。").wait_for()
    assert page.locator("[data-testid=round-status]").inner_text() == "公示中"
    shot(page, "round-published-office")
    _logout(page)

    _login(page, base, appellant.username)
    page.goto(url)
    assert _grades(page) == {"丙镇": "良好"}  # a unit sees its own result alone
    page.fill("#reason", "12月招商引资到位资金100万元，统计台账漏报，附到账凭证")
    page.click("button:has-text('提交申诉')")
    page.get_by_text("申诉已提交，绩效办将进行复核。").wait_for()
    shot(page, "round-appeal-unit")
    _logout(page)

    _login(page, base, county.user("office").username)
    page.goto(url)
    card = page.locator("[data-testid=appeal]")
    card.locator("textarea").fill("经复核，县统计局确认到位资金100万元")
    card.locator("input[value=uphold]").check()
    card.locator("select[name=indicator]").select_option(label="A01 招商引资到位资金")
    card.locator("input[name=value]").fill("100")
    card.locator("button[type=submit]").click()
    page.get_by_text("申诉已答复。").wait_for()
    grades = _grades(page)
    assert grades["丙镇"] == "优秀" and grades["丁镇"] == "良好"
    assert "95.80 优秀 → 95.80 良好" in page.locator("[data-testid=amendments]").inner_text()
    page.click("button:has-text('定稿')")
    page.get_by_text("公示期尚未结束。").wait_for()
    # The notice period passes.
    Round.objects.filter(pk=rnd.pk).update(notice_ends=timezone.localdate() - dt.timedelta(days=1))
    page.goto(url)
    page.click("button:has-text('定稿')")
    page.get_by_text("考核结果已定稿。").wait_for()
    assert page.locator("[data-testid=round-status]").inner_text() == "已定稿"
    shot(page, "round-final-office")
    _logout(page)

    _login(page, base, appellant.username)
    page.goto(url)
    assert _grades(page) == {"丙镇": "优秀"}
    assert "已支持" in page.locator("[data-testid=appeal]").inner_text()
