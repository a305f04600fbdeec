"""The office imports earlier years from the menu: template, a file with bad cells refused cell
by cell, a good one previewed, confirmed, and the years shown as held."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kaohe.monitoring.models import HistoricalValue
from tests.e2e.test_walking_chain import _login
from tests.factories import World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(year=timezone.localdate().year)


def _filled(template: bytes, path: Path, *, bad: bool) -> Path:
    """The downloaded template filled as a clerk would: 甲镇's year of running totals (with
    separators), and, when `bad`, a typo in February and 乙镇's row moved to this year."""
    wb = load_workbook(io.BytesIO(template))
    data = wb["数据"]
    for row in data.iter_rows(min_row=2):
        r = row[0].row
        if row[0].value == "T01":
            for month in range(1, 13):
                data.cell(r, 5 + month, f"{month * 100:,}")
            data.cell(r, 18, 1200)
            if bad:
                data.cell(r, 7, "12,3a")
        elif bad and row[0].value == "T02":
            data.cell(r, 5, timezone.localdate().year)
            data.cell(r, 6, 5)
    wb.save(path)
    return path


def test_the_office_imports_history_from_the_menu(
    county: World, page: Any, live_server: Any, shot: Any, tmp_path: Path
) -> None:
    year = timezone.localdate().year
    last = year - 1
    _login(page, live_server.url, county.user("office").username)
    page.click("nav.menu >> text=历史数据")
    page.get_by_test_id("history-empty").wait_for()
    page.select_option("select[name=years]", "1")
    with page.expect_download() as download:
        page.get_by_test_id("history-template").click()
    template = Path(download.value.path()).read_bytes()
    rows = [
        [c.value for c in r[:5]] for r in load_workbook(io.BytesIO(template))["数据"].iter_rows(2)
    ]
    assert [r for r in rows if r[0]] == [
        ["T01", "甲镇", "A01", "招商引资到位资金（万元）", last],
        ["T02", "乙镇", "A01", "招商引资到位资金（万元）", last],
    ]

    page.get_by_test_id("history-file").set_input_files(
        _filled(template, tmp_path / "历史数据-有误.xlsx", bad=True)
    )
    page.click("button:has-text('上传并检查')")
    problems = page.get_by_test_id("job-problems")
    problems.wait_for()
    assert problems.locator("li").all_inner_texts() == [
        "数据!G2: 不是数字 '12,3a'",
        f"数据!E3: 年度 {year} 不早于方案年度 {year}，只有以前年度才是历史数据",
    ]
    assert "未导入任何数据" in page.get_by_test_id("job-summary").inner_text()
    assert page.get_by_test_id("job-confirm").count() == 0
    assert not HistoricalValue.objects.exists()
    shot(page, "office-history-problems")

    page.get_by_test_id("job-result").click()  # back to the history page
    page.get_by_test_id("history-file").set_input_files(
        _filled(template, tmp_path / "历史数据.xlsx", bad=False)
    )
    page.click("button:has-text('上传并检查')")
    preview = page.get_by_test_id("job-table")
    preview.wait_for()
    assert preview.locator("tbody tr").first.locator("td").all_inner_texts() == [
        str(last),
        "1",
        "12",
        "1",
        "0",
        "0",
        "0",
    ]
    shot(page, "office-history-preview")
    page.get_by_test_id("job-confirm").click()
    page.get_by_text("已导入 12 个数值").wait_for()
    page.get_by_test_id("job-result").click()
    held = page.locator(f"[data-testid=history-years] tr[data-year='{last}']")
    held.wait_for()
    assert held.locator("td").all_inner_texts()[:4] == [str(last), "1", "1", "12"]
    assert "导入 12" in held.inner_text()
    assert HistoricalValue.objects.filter(unit=county.town, year=last).count() == 12
    shot(page, "office-history-held")
