"""Onboarding a county in Chromium, from the menu only: the platform system administrator
creates it, downloads the template, uploads a file with mistakes and sees each with its cell,
fixes it and imports, issues the initial passwords; the platform security administrator grants
the roles from the same file; the new county's office logs in and sees its battle map."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kaohe.org.models import Unit, User
from tests.e2e.test_walking_chain import _logout
from tests.exchange.onboarding_book import shaped, workbook
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platform(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(
        username="platform-sys", county=None, role="sysadmin", display_name="平台系统管理员"
    )
    UserFactory(
        username="platform-sec", county=None, role="secadmin", display_name="平台安全管理员"
    )


def _login(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")


def test_a_county_is_onboarded_from_the_browser_and_its_office_sees_its_battle_map(
    platform: None, page: Any, live_server: Any, shot: Any, tmp_path: Path
) -> None:
    base = live_server.url
    _login(page, base, "platform-sys")
    page.get_by_test_id("counties").wait_for()  # the platform's home is the counties page
    page.click("nav.menu >> text=县区管理")
    page.get_by_test_id("county-new").click()
    for name, value in {
        "code": "522701",
        "name": "新岭县",
        "short_name": "岭",
        "prefecture": "黔南布依族苗族自治州",
        "prefecture_code": "522700",
        "province": "贵州省",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.click("button:has-text('创建县区')")
    page.get_by_test_id("import-card").wait_for()
    assert "新岭县" in page.locator("h1").inner_text()

    with page.expect_download() as download:
        page.get_by_test_id("template-link").click()
    template = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "单位 Units" in template.sheetnames and "说明 Instructions" in template.sheetnames

    rows = shaped(townships=19, township_categories=2, departments=85)
    rows["units"][6][3] = "T9"  # 单位 Units!D8
    rows["accounts"][2][2] = "d01@"  # 账号 Accounts!C4
    bad = tmp_path / "新岭县-有误.xlsx"
    bad.write_bytes(workbook(rows))
    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.click("button:has-text('检查文件')")
    problems = page.get_by_test_id("job-problems")
    problems.wait_for()
    assert problems.locator("li").all_inner_texts() == [
        "单位 Units!D8: 类别T9不存在。",
        "账号 Accounts!C4: d01@不是有效的电子邮箱地址。",
    ]
    assert page.get_by_test_id("job-confirm").count() == 0
    shot(page, "platform-onboarding-problems")
    assert not Unit.objects.filter(county__code="522701").exists()

    page.get_by_test_id("job-result").click()  # back to the county page
    good = tmp_path / "新岭县.xlsx"
    good.write_bytes(workbook(shaped(townships=19, township_categories=2, departments=85)))
    page.get_by_test_id("import-file").set_input_files(str(good))
    page.click("button:has-text('检查文件')")
    preview = page.get_by_test_id("job-table")
    preview.wait_for()
    assert "107个单位" in page.get_by_test_id("job-summary").inner_text()
    shot(page, "platform-onboarding-preview")
    page.get_by_test_id("job-confirm").click()
    page.get_by_text("已导入7个类别、107个单位").wait_for()
    page.get_by_test_id("job-result").click()
    counts = page.get_by_test_id("county-counts").inner_text()
    assert "被考核乡镇19个、县直单位85个" in counts
    page.get_by_test_id("issue-passwords").click()
    passwords = page.get_by_test_id("initial-passwords")
    passwords.wait_for()
    office_row = passwords.locator("tr", has_text="office")
    initial = office_row.locator("code").inner_text()
    shot(page, "platform-onboarding-passwords")
    _logout(page)

    _login(page, base, "platform-sec")
    page.get_by_test_id("counties").wait_for()
    page.click("text=新岭县")
    page.get_by_test_id("roles-file").set_input_files(str(good))
    page.click("button:has-text('检查角色')")
    table = page.get_by_test_id("job-table")
    table.wait_for()
    assert table.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "office",
        "绩效办",
        "—",
        "绩效办",
        "S01",
    ]
    page.get_by_test_id("job-confirm").click()
    page.get_by_text("已授予9个角色").wait_for()
    assert User.objects.get(username="office").role == "office"
    _logout(page)

    _login(page, base, "office", initial)
    page.locator("input[name=new_password2]").wait_for()  # sent to choose a password of its own
    page.click("nav.menu >> text=挂图作战")  # no page opens before the password is its own
    page.locator("input[name=new_password2]").wait_for()
    assert page.url.endswith("/password/")
    page.fill("input[name=old_password]", initial)
    page.fill("input[name=new_password]", "Xinling@2026!")
    page.fill("input[name=new_password2]", "Xinling@2026!")
    page.click("button:has-text('保存')")
    page.click("nav.menu >> text=挂图作战")
    page.locator(".countybar").wait_for()
    assert "新岭县" in page.locator(".countybar").inner_text()
    assert "县区管理" not in page.locator("nav.menu").inner_text()
    shot(page, "new-county-office-battlemap")
