"""The organisation workbook: the template reads back, and every bad cell is named at once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kaohe.exchange.org_excel import OrgFileError, organisation_from_xlsx, roles_from_xlsx
from kaohe.exchange.org_template import org_template
from kaohe.org.models import County, Unit
from tests.exchange.onboarding_book import shaped, workbook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county() -> County:
    return County.objects.create(
        code="522701", name="新县", prefecture="新州", prefecture_code="522700", province="新省"
    )


def _problems(content: bytes, county: County) -> list[str]:
    with pytest.raises(OrgFileError) as caught:
        organisation_from_xlsx(content, county=county)
    return caught.value.lines()


def test_the_downloaded_template_has_instructions_chinese_headers_and_example_rows_that_read_back(
    county: County,
) -> None:
    content = org_template()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "说明 Instructions",
        "类别 Categories",
        "单位 Units",
        "干部 Cadres",
        "账号 Accounts",
    ]
    assert [c.value for c in book["单位 Units"][1]][:3] == ["编码 code", "名称 name", "类型 kind"]
    assert "每" in str(
        book["说明 Instructions"]["B2"].value or book["说明 Instructions"]["A2"].value
    )
    org = organisation_from_xlsx(content, county=county)
    assert [u.code for u in org.units] == ["T01", "T0101", "D01", "S01"]
    assert org.units[1].parent == "T01" and not org.units[1].assessed
    assert {a.username: a.role for a in org.accounts}["office"] == "office"
    assert org.cadres[0].county_leader and org.cadres[0].portfolio == "工业、招商引资"


def test_a_county_of_another_shape_reads_with_every_row(county: County) -> None:
    org = organisation_from_xlsx(workbook(shaped(townships=40, departments=12)), county=county)
    assert sum(u.kind == "township" for u in org.units) == 41  # 40 and the station
    assert len(org.categories) == 7 and len(org.accounts) == 9


def test_every_problem_is_listed_at_once_with_its_sheet_row_and_column(county: County) -> None:
    rows = shaped(townships=3, departments=3)
    rows["categories"].append(["XZ1", "重复类别", "乡镇"])  # row 9: a duplicate code
    rows["units"][1][3] = "T9"  # 单位 Units!D3: unknown category
    rows["units"][2][2] = "村"  # 单位 Units!C4: unknown kind
    rows["units"][3][3] = "XZ1"  # 单位 Units!D5: a department in a township category
    rows["units"][4][5] = "也许"  # 单位 Units!F6: not yes or no
    rows["units"][-1][4] = "T77"  # 单位 Units!E10: unknown parent
    rows["cadres"][5][2] = "T99"  # 干部 Cadres!C7: unknown unit
    rows["accounts"][0][2] = "not-an-address"  # 账号 Accounts!C2
    rows["accounts"][1][5] = "超级管理员"  # 账号 Accounts!F3: unknown role
    rows["accounts"][2][3] = ""  # 账号 Accounts!D4: an assessor without a unit
    rows["accounts"][3][4] = "L99"  # 账号 Accounts!E5: unknown cadre
    rows["accounts"].append(["office", "又一个", "", "S01", "", ""])  # duplicate user name
    problems = _problems(workbook(rows), county)
    expected = [
        "类别 Categories!A9: 编码XZ1重复出现",
        "单位 Units!D3: 类别T9不存在",
        "单位 Units!C4: 类型村",
        "单位 Units!D5: 类别XZ1适用于乡镇",
        "单位 Units!F6: 被考核 assessed",
        "单位 Units!E10: 单位T77不存在",
        "干部 Cadres!C7: 单位T99不存在",
        "账号 Accounts!C2: not-an-address",
        "账号 Accounts!F3: 角色超级管理员不存在",
        "账号 Accounts!D4:",
        "账号 Accounts!E5: 干部L99不存在",
        "账号 Accounts!A11: 用户名office重复出现",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected)
    assert not Unit.objects.filter(county=county).exists()


@pytest.mark.parametrize(
    ("spoil", "location", "words"),
    [
        (lambda r: r["units"][0].__setitem__(0, "=A2"), "单位 Units!A2", "公式"),
        (lambda r: r["units"][0].__setitem__(0, dt.date(2026, 1, 1)), "单位 Units!A2", "日期"),
        (lambda r: r["units"][0].__setitem__(1, ""), "单位 Units!B2", "缺少"),
        (lambda r: r["units"][0].__setitem__(1, "镇" * 65), "单位 Units!B2", "64"),
        (lambda r: r["units"][0].__setitem__(4, "T01"), "单位 Units!E2", "自身"),
        (lambda r: r["units"][0].__setitem__(3, ""), "单位 Units!D2", "类别"),
        (lambda r: r["accounts"][0].__setitem__(0, "bad name!"), "账号 Accounts!A2", "字母"),
        (lambda r: r["units"][1].__setitem__(0, "T01"), "单位 Units!A3", "重复"),
    ],
)
def test_a_bad_cell_is_named_and_explained(
    county: County, spoil: object, location: str, words: str
) -> None:
    rows = shaped(townships=3, departments=3)
    spoil(rows)  # type: ignore[operator]
    problems = _problems(workbook(rows), county)
    assert any(p.startswith(location) and words in p for p in problems), problems


def test_parent_units_in_a_cycle_are_refused(county: County) -> None:
    rows = shaped(townships=3, departments=3)
    rows["units"][0][4] = "T0101"  # T01 under its own station
    problems = _problems(workbook(rows), county)
    assert any("循环" in p for p in problems), problems


def test_a_file_that_is_not_a_workbook_or_too_large_is_refused_as_a_whole(county: County) -> None:
    assert _problems(b"%PDF-1.4 not a workbook", county) == [
        "文件: 文件不是Excel工作簿（.xlsx）或已损坏。"
    ]
    assert "5" in _problems(b"x" * (5 * 1024 * 1024 + 1), county)[0]


def test_a_missing_sheet_and_a_wrong_header_are_named(county: County) -> None:
    rows = shaped(townships=2, departments=2)
    bad_header = {"cadres": ["编码 code", "名字", "所在单位编码 unit"]}
    problems = _problems(workbook(rows, drop=("accounts",), headers=bad_header), county)
    assert any(p.startswith("账号 Accounts:") for p in problems), problems
    assert any(p.startswith("干部 Cadres!B1:") and "姓名 name" in p for p in problems), problems


def test_codes_and_user_names_that_exist_already_are_refused(county: County) -> None:
    Unit.objects.create(county=county, code="T01", name="老镇", kind="township")
    UserFactory(username="office")
    problems = _problems(workbook(shaped(townships=2, departments=2)), county)
    assert any(p.startswith("单位 Units!A2:") and "已存在" in p for p in problems), problems
    assert any(p.startswith("账号 Accounts!A2:") and "office" in p for p in problems), problems


def test_an_empty_workbook_is_refused(county: County) -> None:
    assert _problems(workbook({}), county)[0].startswith("文件:")


def test_the_roles_read_only_the_accounts_sheet_and_need_accounts_of_the_county(
    county: County,
) -> None:
    UserFactory(username="office", county=county)
    with pytest.raises(OrgFileError) as caught:
        roles_from_xlsx(
            workbook(shaped(townships=2, departments=2), drop=("units",)), county=county
        )
    lines = caught.value.lines()
    assert "账号 Accounts!A3: t01不是本县区的账号。" in lines
    assert "账号 Accounts!D2: 单位S01不存在。" in lines
    assert not any("Units" in line for line in lines)
