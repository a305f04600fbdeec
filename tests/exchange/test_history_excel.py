"""The history workbook: a template pre-filled with the county's units and indicators, and a check
that names every bad cell of an upload."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kaohe.exchange.history_excel import (
    CODES,
    HEADERS,
    INSTRUCTIONS,
    SHEET,
    HistoryBook,
    HistoryFileError,
    history_book,
    read_history,
    template,
)
from kaohe.exchange.workbook import parse_number
from kaohe.schemes.models import Indicator
from tests.factories import World

TODAY = dt.date(2026, 6, 3)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """The problems are read in Chinese, the default language, whatever ran before."""
    with translation.override("zh-hans"):
        yield


def book_of(world: World) -> HistoryBook:
    book = history_book(user=world.user("office"), today=TODAY)
    assert book is not None
    return book


def workbook(rows: list[list[Any]], headers: list[str] | None = None, sheet: str = SHEET) -> bytes:
    """A history file as a clerk saves it: the data sheet with these rows under the headers."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def year_row(unit: str, code: str, year: Any, months: list[Any], target: Any = 1200) -> list[Any]:
    return [unit, "", code, "", year, *months, *[None] * (12 - len(months)), target]


def problems_of(content: bytes, book: HistoryBook) -> list[str]:
    with pytest.raises(HistoryFileError) as exc:
        read_history(content, book)
    return exc.value.problems


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (1234, Decimal(1234)),
        (12.5, Decimal("12.5")),
        ("1,234.5", Decimal("1234.5")),
        ("12 345", Decimal(12345)),
        ("１２３．５", Decimal("123.5")),
        ("１，２３４", Decimal(1234)),
        (" 7 ", Decimal(7)),
        ("12.5%", Decimal("12.5")),
        ("８５．５％", Decimal("85.5")),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_numbers_as_clerks_type_them(raw: Any, number: Decimal | None) -> None:
    assert parse_number(raw) == number


@pytest.mark.parametrize("raw", ["12,3a", "12,3", "1.2.3", "abc", "#DIV/0!", "%", "5%%", True])
def test_it_refuses_what_is_not_a_number(raw: Any) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


@pytest.mark.django_db
def test_the_template_is_pre_filled_with_the_units_and_cumulative_leaves(world: World) -> None:
    Indicator.objects.create(  # a rate: no running total, so not in the template
        county=world.county,
        scheme=world.scheme,
        parent=world.root,
        code="A02",
        name="优良天数比例",
        level=2,
        position=3,
        cumulative=False,
    )
    book = book_of(world)
    wb = load_workbook(io.BytesIO(template(book, book.years(3))))
    assert wb.sheetnames == [INSTRUCTIONS, SHEET, CODES]
    data = wb[SHEET]
    assert [c.value for c in data[1]] == HEADERS
    rows = [[c.value for c in row[:5]] for row in data.iter_rows(min_row=2, max_row=data.max_row)]
    assert rows == [
        ["T01", "甲镇", "A01", "招商引资到位资金（万元）", 2023],
        ["T01", "甲镇", "A01", "招商引资到位资金（万元）", 2024],
        ["T01", "甲镇", "A01", "招商引资到位资金（万元）", 2025],
        ["T02", "乙镇", "A01", "招商引资到位资金（万元）", 2023],
        ["T02", "乙镇", "A01", "招商引资到位资金（万元）", 2024],
        ["T02", "乙镇", "A01", "招商引资到位资金（万元）", 2025],
    ]
    assert all(c.value is None for row in data.iter_rows(min_row=2, min_col=6) for c in row)
    lists = {dv.formula1 for dv in data.data_validations.dataValidation}
    assert f"'{CODES}'!$A$2:$A$3" in lists and f"'{CODES}'!$D$2:$D$2" in lists
    assert "2026" in "".join(str(c.value) for c in wb[INSTRUCTIONS]["A"])


@pytest.mark.django_db
def test_a_filled_template_reads_back_as_its_rows(world: World) -> None:
    book = book_of(world)
    wb = load_workbook(io.BytesIO(template(book, [2025])))
    data = wb[SHEET]
    for m in range(1, 13):
        data.cell(2, 5 + m, f"{m * 100:,}")  # typed as text with separators
    data.cell(2, 18, 1200)
    out = io.BytesIO()
    wb.save(out)
    (line,) = read_history(out.getvalue(), book)  # T02's row was left empty: skipped
    assert (line.row, line.unit_code, line.indicator_code, line.year) == (2, "T01", "A01", 2025)
    assert line.values[12] == Decimal(1200) and line.target == Decimal(1200)
    assert len(line.history_rows()) == 12


@pytest.mark.django_db
def test_every_bad_cell_is_named_at_once(world: World) -> None:
    book = book_of(world)
    content = workbook(
        [
            year_row("T01", "A01", 2025, [100, "12,3a", 300]),
            year_row("X99", "A01", 2024, [1]),
            year_row("T01", "Z99", 2024, [1]),
            year_row("T01", "A01", 2026, [1]),
            year_row("T01", "A01", 2023, [500, 400]),
            year_row("T02", "A01", 2023, [-5], target="-1"),
            year_row("T01", "A01", 2025, [1]),
            year_row("T02", "A01", 2024, ["=F2+1"]),
        ]
    )
    problems = problems_of(content, book)
    assert problems == [
        "数据!G2: 不是数字 '12,3a'",
        "数据!A3: 单位编码 'X99' 不是本县的被考核单位",
        "数据!C4: 指标编码 'Z99' 不在 2026 年度方案中",
        "数据!E5: 年度 2026 不早于方案年度 2026，只有以前年度才是历史数据",
        "数据!G6: 累计值降到 400，而 数据!F6 为 500：月末累计值不能小于此前月份",
        "数据!F7: 负数 -5",
        "数据!R7: 负数 -1",
        "数据!A8: 与第 2 行重复（单位 T01、指标 A01、2025年）",
        "数据!F9: 是公式，请填写数值（或“选择性粘贴”为数值）",
    ]


@pytest.mark.django_db
def test_a_month_out_of_range_and_a_wrong_header_are_named(world: World) -> None:
    headers = list(HEADERS)
    headers[16] = "13月"  # the December column
    headers[0] = "单位"
    problems = problems_of(workbook([], headers=[*headers, "14月"]), book_of(world))
    assert problems == [
        "数据!A1: 该列的表头应为“单位编码”，而不是“单位”",
        "数据!Q1: 月份 13 超出范围（1-12）",
        "数据!S1: 月份 14 超出范围（1-12）",
    ]


@pytest.mark.django_db
def test_a_workbook_without_the_data_sheet_is_refused(world: World) -> None:
    problems = problems_of(workbook([], sheet="Sheet1"), book_of(world))
    assert problems == ["工作簿中没有“数据”工作表（现有：Sheet1），请填写本页下载的模板"]


@pytest.mark.django_db
def test_what_is_not_an_xlsx_or_too_large_is_refused(world: World) -> None:
    book = book_of(world)
    assert problems_of(b"name,value\nT01,1\n", book) == ["文件不是Excel工作簿（.xlsx）或已损坏。"]
    assert problems_of(b"PK" + b"0" * (5 * 1024 * 1024), book) == ["文件超过5 MB。"]


@pytest.mark.django_db
def test_an_empty_sheet_is_a_problem_not_an_empty_import(world: World) -> None:
    book = book_of(world)
    assert problems_of(template(book, [2025]), book) == [
        "数据工作表没有填写任何行：请至少填写一个月的数值"
    ]
