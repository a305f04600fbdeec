"""The scheme designer in Chromium: edit a method, see the preview check it, see the ranks move."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_walking_chain import _login
from tests.factories import World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(year=timezone.localdate().year)


def test_the_office_edits_a_method_and_sees_the_preview_and_the_ranks(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    _login(page, live_server.url, county.user("office").username)
    page.goto(f"{live_server.url}/scheme/designer/")
    page.click("text=A01 招商引资到位资金")
    arithmetic = page.locator("[data-testid=preview-arithmetic]")
    arithmetic.wait_for()
    assert "10 × min(85 / 100, 1.0) = 10 × 0.85 = 8.50" in arithmetic.inner_text()
    # The parameters are labelled fields, the cap in per cent; a bad one is named in Chinese.
    cap = page.get_by_label("封顶", exact=False).first
    assert cap.input_value() == "100"
    cap.fill("-1")
    page.locator("[data-testid=method-errors]").wait_for()
    assert "封顶不得小于1%" in page.locator("[data-testid=method-errors]").inner_text()
    # Another method shows its own fields; the completion ratio's are gone with it.
    page.select_option("select[name=kind]", "efficacy_coefficient")
    assert page.locator("[data-testid=params-completion_ratio]").is_hidden()
    page.fill("input[name=efficacy_coefficient__satisfactory]", "12")
    page.fill("input[name=efficacy_coefficient__not_allowed]", "6")
    page.fill("input[name=points]", "100")
    page.fill("input[name=sample_value]", "5.81")
    page.get_by_text("= 58.73").wait_for()
    # Typing fires a preview per change; let them finish before the what-if. The test server's
    # in-memory SQLite locks a table against concurrent writers, which a real server does not.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.click("button:has-text('模拟')")
    page.locator("[data-testid=whatif]").wait_for()
    assert "甲镇" in page.locator("[data-testid=whatif]").inner_text()
    shot(page, "office-designer-zh")
