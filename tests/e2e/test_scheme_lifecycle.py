"""A scheme's lifecycle in Chromium, as the office clicks it from the menu: import a file with
errors and see every problem, import a good one, publish it, amend a leaf in the designer seeing
the ranks that move, find the amendment listed, close an old year, copy to next year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kaohe.schemes.models import Scheme, SchemeAmendment, SchemeCategory
from tests.e2e.test_walking_chain import _login
from tests.factories import World, build_world
from tests.results.test_designer import _second_leaf_with_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "scheme.json"


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    """This year's scheme in force: two leaves worth 10 and 5 of the category's 15 points, with
    values on which 甲镇 leads 乙镇 (10.5 against 10)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world(year=timezone.localdate().year)
    _second_leaf_with_data(world)
    SchemeCategory.objects.create(scheme=world.scheme, category=world.category, total_points=15)
    return world


def _scheme_file(tmp_path: Path, year: int, spoil: bool) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["year"] = year
    if spoil:
        data["indicators"][1]["points"] = {"XZ": -1}
        data["indicators"][2]["method"] = {"kind": "nonsense"}
    path = tmp_path / ("bad.json" if spoil else "good.json")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _menu(page: Any, label: str) -> None:
    page.click(f"nav.menu >> text={label}")


def _idle(page: Any) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def test_the_office_runs_a_schemes_year_from_the_browser(
    county: World, page: Any, live_server: Any, shot: Any, tmp_path: Path
) -> None:
    base, year = live_server.url, county.scheme.year
    old = year - 1  # last year's scheme arrives as a file, to keep its record and close it
    _login(page, base, county.user("office").username)

    # A file with errors: every problem is listed, with where it is, and nothing is imported.
    _menu(page, "考核方案")
    page.click("text=导入方案文件")
    page.set_input_files("input[name=file]", str(_scheme_file(tmp_path, old, spoil=True)))
    page.click("button:has-text('上传并检查')")
    problems = page.locator("[data-testid=job-problems]")
    problems.wait_for()
    assert "indicators[1].points" in problems.inner_text()
    assert "indicators[2].method" in problems.inner_text()
    assert page.locator("[data-testid=job-confirm]").count() == 0
    shot(page, "scheme-import-problems")

    # A good file: previewed, then imported as a draft on confirmation.
    _menu(page, "考核方案")
    page.click("text=导入方案文件")
    page.set_input_files("input[name=file]", str(_scheme_file(tmp_path, old, spoil=False)))
    page.click("button:has-text('上传并检查')")
    page.locator("[data-testid=job-table]").wait_for()
    assert "类别总分" in page.locator("[data-testid=job-table]").inner_text()
    shot(page, "scheme-import-preview")
    page.click("[data-testid=job-confirm]")
    page.click("[data-testid=job-result]")
    card = page.locator(f"[data-testid=scheme-{old}]")
    assert card.locator("[data-testid=status]").inner_text() == "草稿"

    # Publish the draft, confirming it: the form says when it becomes the scheme in force.
    card.locator("summary:has-text('发布本方案')").click()
    publish = card.locator("[data-testid=publish-form]")
    assert "现行方案" in publish.locator("[data-testid=publish-when]").inner_text()
    publish.locator("input[name=confirm]").check()
    publish.locator("button:has-text('发布方案')").click()
    page.get_by_text("已发布。").first.wait_for()
    assert card.locator("[data-testid=status]").inner_text() == "已发布"

    # Amend this year's scheme in the designer: A02 worth 13, the 2 points... taken from A01.
    _menu(page, "方案设计")
    page.click("text=A02 新增市场主体")
    page.locator("[data-testid=preview-arithmetic]").wait_for()
    page.fill("input[name=points]", "13")
    _idle(page)
    page.click("[data-testid=review]")
    page.locator("[data-testid=save-review] [data-testid=unbalanced]").wait_for()
    page.select_option("select[name=balance]", label="A01 招商引资到位资金 (10)")
    _idle(page)
    moved = page.locator("table[data-testid=ranks-moved]")
    moved.wait_for()
    rows = moved.locator("tbody tr")
    assert [rows.nth(k).locator("td").nth(0).inner_text() for k in range(2)] == ["乙镇", "甲镇"]
    assert rows.nth(0).locator("td").nth(1).inner_text() == "2"
    assert rows.nth(0).locator("td").nth(2).inner_text() == "1"
    page.fill("textarea[name=reason]", "州考核办调整市场主体权重")
    shot(page, "scheme-amend-review")
    page.click("button:has-text('保存为第 1 号修订')")
    page.get_by_text("已保存为第 1 号修订").wait_for()

    # The amendment is listed with its number, reason and changes.
    _menu(page, "考核方案")
    amendments = page.locator(f"[data-testid=scheme-{year}] [data-testid=amendments]")
    text = amendments.inner_text()
    assert "州考核办调整市场主体权重" in text and "A02" in text and "13" in text
    shot(page, "scheme-amendments")

    # Close last year's scheme, confirming the year is over.
    card = page.locator(f"[data-testid=scheme-{old}]")
    card.locator("summary:has-text('关闭本方案')").click()
    card.locator("input[name=confirm]").check()
    card.locator("button:has-text('关闭方案')").click()
    page.get_by_text("已关闭。").first.wait_for()
    assert card.locator("[data-testid=status]").inner_text() == "已关闭"

    # Copy this year's scheme to next year as a draft.
    page.click(f"button:has-text('复制为{year + 1}年度草稿')")
    page.locator(f"[data-testid=scheme-{year + 1}]").wait_for()
    assert (
        page.locator(f"[data-testid=scheme-{year + 1}] [data-testid=status]").inner_text() == "草稿"
    )
    shot(page, "scheme-list")
    assert SchemeAmendment.objects.get(scheme=county.scheme).number == 1
    assert Scheme.objects.get(county=county.county, year=year + 1).status == "draft"

    # Publish next year's scheme early (the office does so in December): the page says it takes
    # over on 1 January, and until then this year's stays the one in force everywhere.
    card = page.locator(f"[data-testid=scheme-{year + 1}]")
    card.locator("summary:has-text('发布本方案')").click()
    when = card.locator("[data-testid=publish-when]").inner_text()
    assert f"自{year + 1}年1月1日起成为现行方案" in when
    card.locator("input[name=confirm]").check()
    card.locator("button:has-text('发布方案')").click()
    page.get_by_text(f"自{year + 1}年1月1日起成为现行方案").first.wait_for()
    assert card.locator("[data-testid=status]").inner_text() == "已发布"
    assert page.locator(f"[data-testid=scheme-{year}] [data-testid=in-force]").count() == 1
    assert card.locator("[data-testid=in-force]").count() == 0
    _menu(page, "方案设计")
    assert f"{year}年度" in page.locator("h1").inner_text()
