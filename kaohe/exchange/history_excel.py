"""Earlier years' monthly values (the forecast's history) as an Excel workbook: the template the
office downloads, pre-filled with the county's units and indicators, and the check of the file it
uploads back.

The data sheet has one row per unit x indicator x year: the twelve month-end cumulative values
and the year's target. The check reads the whole sheet and lists every problem with its cell
(``数据!F12: 不是数字 '12,3a'``) before anything is written; the rows go in through
``historical_values_import`` only when there is none. The sheet and column headers are part of
the file format the parser reads, so they are Chinese whatever the page's language (as in
report_excel.py); the problems are translated.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kaohe.exchange.workbook import (
    FileProblems,
    cell_ref,
    cell_text,
    is_formula,
    merged_ranges,
    open_xlsx,
    parse_number,
)
from kaohe.monitoring.forecast import (
    FOUR_PLACES,
    HISTORY_LIMIT,
    HistoryRow,
    history_latest_year,
    history_scheme,
)
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import County, Unit, User
from kaohe.reporting.models import Target
from kaohe.schemes.models import Indicator

MAX_ROWS = 50_000
#: Past this many, the rest of the problems are counted, not listed: the job page stays readable
#: and a file that wrong is better fixed from its first thousand.
MAX_LISTED = 1000
FIRST_YEAR = 1990

SHEET = "数据"
INSTRUCTIONS = "说明"
CODES = "代码表"
MONTHS = [f"{m}月" for m in range(1, 13)]
HEADERS = ["单位编码", "单位名称", "指标编码", "指标名称", "年度", *MONTHS, "年度目标"]
UNIT_COL, UNIT_NAME_COL, CODE_COL, NAME_COL, YEAR_COL = 1, 2, 3, 4, 5
JANUARY_COL = 6  # F
TARGET_COL = JANUARY_COL + 12  # R
#: Empty rows the template leaves below the pre-filled ones, with the same validation lists, for
#: units or indicators the clerk adds by hand.
SPARE_ROWS = 200

HEAD = PatternFill("solid", fgColor="EEF2F7")
GREY = PatternFill("solid", fgColor="F1F3F5")


@dataclass(frozen=True)
class HistoryBook:
    """What the template and the check know of a county: its scheme's year, the last year that
    counts as history, its assessed units and its scheme's cumulative leaf indicators."""

    county_name: str
    scheme_year: int
    latest_year: int
    units: dict[str, tuple[int, str]]  # code -> (id, name)
    indicators: dict[str, tuple[str, str]]  # code -> (name, unit of measure)
    other_codes: frozenset[str]  # the scheme's other indicators: a clearer message than unknown
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (unit, indicator) to pre-fill

    def years(self, count: int) -> list[int]:
        """The `count` latest years of history, oldest first."""
        return list(range(self.latest_year - count + 1, self.latest_year + 1))


def history_book(*, user: User, today: Any = None) -> HistoryBook | None:
    """The county's units and indicators for the history workbook; None before it has a scheme.

    The pre-filled pairs are the scheme's targets on cumulative leaves (what each unit is
    appraised on), else every assessed unit with every such indicator."""
    require(user, Permission.SCHEME_MANAGE)
    county_id = county_id_of(user)
    scheme = history_scheme(county_id)
    if scheme is None:
        return None
    leaves = list(
        Indicator.objects.filter(scheme=scheme, children__isnull=True, cumulative=True)
        .order_by("position", "code")
        .values_list("code", "name", "unit_of_measure")
    )
    units = {
        code: (pk, name)
        for pk, code, name in Unit.objects.filter(county_id=county_id, is_assessed=True)
        .order_by("-kind", "code")
        .values_list("pk", "code", "name")
    }
    indicators = {code: (name, measure) for code, name, measure in leaves}
    order = {code: i for i, (code, _n, _m) in enumerate(leaves)}
    unit_order = {code: i for i, code in enumerate(units)}
    pairs = sorted(
        set(
            Target.objects.filter(
                scheme=scheme, indicator__code__in=indicators, unit__code__in=units
            ).values_list("unit__code", "indicator__code")
        ),
        key=lambda p: (unit_order[p[0]], order[p[1]]),
    ) or [(u, c) for u in units for c in indicators]
    others = set(Indicator.objects.filter(scheme=scheme).values_list("code", flat=True))
    return HistoryBook(
        county_name=County.objects.get(pk=county_id).name,
        scheme_year=scheme.year,
        latest_year=history_latest_year(county_id, today),
        units=units,
        indicators=indicators,
        other_codes=frozenset(others - set(indicators)),
        pairs=pairs,
    )


# ---------------------------------------------------------------------------------------------
# The template


def template(book: HistoryBook, years: list[int]) -> bytes:
    """The workbook to fill in: instructions, the data sheet pre-filled with one row per unit x
    indicator x year (numbers left empty), and the code lists its validation reads."""
    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = SHEET
    _instructions(wb.create_sheet(INSTRUCTIONS, 0), book, years)
    codes = wb.create_sheet(CODES)
    _codes(codes, book)
    for c, header in enumerate(HEADERS, start=1):
        cell = data.cell(1, c, header)
        cell.font, cell.fill = Font(bold=True), HEAD
        cell.alignment = Alignment(horizontal="center")
    r = 1
    for unit_code, code in book.pairs:
        name, measure = book.indicators[code]
        for year in years:
            r += 1
            data.cell(r, UNIT_COL, unit_code)
            data.cell(r, UNIT_NAME_COL, book.units[unit_code][1]).fill = GREY
            data.cell(r, CODE_COL, code)
            data.cell(r, NAME_COL, f"{name}（{measure}）" if measure else name).fill = GREY
            data.cell(r, YEAR_COL, year)
    last = r + SPARE_ROWS
    _validations(data, book, last)
    for c, width in enumerate([10, 18, 10, 34, 8] + [11] * 12 + [12], start=1):
        data.column_dimensions[get_column_letter(c)].width = width
    data.freeze_panes = "F2"
    wb.active = wb.index(data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions(sheet: Any, book: HistoryBook, years: list[int]) -> None:
    lines = [
        f"{book.county_name} 历年月度数据（预测预警的历史数据）导入模板",
        "",
        "1. 在“数据”工作表中，每一行是一个单位、一个指标、一个年度。",
        "2. 单位、指标、年度已按本县被考核单位和"
        f"{book.scheme_year}年度方案的累计型末级指标预先填好，只需填写数字。",
        "3. “1月”至“12月”填写各月末的年内累计值（不是当月值），数值应逐月不减、不为负数；"
        "没有数据的月份留空。",
        "4. “年度目标”填写该年度的目标值，不知道可留空。",
        f"5. 年度须早于方案年度 {book.scheme_year} 年（不晚于 {book.latest_year} 年）。"
        "需要更多年度时，复制整行并改年度。",
        "6. 单位编码、指标编码见“代码表”；不要改动表头，不要合并单元格，不要使用公式。",
        "7. 数字可带千位分隔符（如 1,234.5），全角数字也可识别。",
        "8. 上传后系统先检查全部单元格，逐一列出有问题的单元格；"
        "全部无误才显示预览，确认后一次性导入。文件有任何问题时不写入任何数据。",
        "9. 上传的行整行替换系统中该单位、指标、年度已有的数据；"
        "只有单位、指标、年度而没有数字的行不导入。",
        "",
        f"本模板预填年度：{'、'.join(str(y) for y in years)}；"
        f"生成时间：{timezone.localtime():%Y年%m月%d日 %H:%M}。",
        "",
        "Kaohe history template: one row per unit, indicator and year; fill in the month-end "
        "running totals of the year (January to December) and the year's target.",
    ]
    for r, line in enumerate(lines, start=1):
        sheet.cell(r, 1, line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _codes(sheet: Any, book: HistoryBook) -> None:
    for c, header in enumerate(["单位编码", "单位名称", "", "指标编码", "指标名称", "计量单位"], 1):
        if header:
            cell = sheet.cell(1, c, header)
            cell.font, cell.fill = Font(bold=True), HEAD
    for r, (code, (_pk, name)) in enumerate(book.units.items(), start=2):
        sheet.cell(r, 1, code)
        sheet.cell(r, 2, name)
    for r, (code, (name, measure)) in enumerate(book.indicators.items(), start=2):
        sheet.cell(r, 4, code)
        sheet.cell(r, 5, name)
        sheet.cell(r, 6, measure)
    for col, width in zip("ABCDEF", [10, 20, 3, 10, 40, 10], strict=True):
        sheet.column_dimensions[col].width = width


def _code_list(column: str, count: int, title: str, what: str) -> DataValidation:
    """A drop-down of the codes in one column of the code sheet."""
    return DataValidation(
        type="list",
        formula1=f"'{CODES}'!${column}$2:${column}${count + 1}",
        showErrorMessage=True,
        errorTitle=title,
        error=f"请从下拉列表选择{what}（见“代码表”）。",
    )


def _validations(sheet: Any, book: HistoryBook, last: int) -> None:
    """Drop-down lists of the county's codes and a year and number check, as a help while typing
    (Excel does not apply them to pasted cells; the upload checks everything again)."""
    units = _code_list("A", len(book.units), "单位编码", "本县被考核单位的编码")
    indicators = _code_list("D", len(book.indicators), "指标编码", "累计型末级指标的编码")
    years = DataValidation(
        type="whole",
        operator="between",
        formula1=str(FIRST_YEAR),
        formula2=str(book.latest_year),
        showErrorMessage=True,
        errorTitle="年度",
        error=f"年度须在 {FIRST_YEAR} 至 {book.latest_year} 之间（早于方案年度）。",
    )
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="数值",
        error="累计值和目标应为不小于零的数字。",
    )
    for dv, cells in (
        (units, f"A2:A{last}"),
        (indicators, f"C2:C{last}"),
        (years, f"E2:E{last}"),
        (numbers, f"F2:{get_column_letter(TARGET_COL)}{last}"),
    ):
        dv.add(cells)
        sheet.add_data_validation(dv)


# ---------------------------------------------------------------------------------------------
# Reading an upload


@dataclass(frozen=True)
class HistoryLine:
    """One filled row of the data sheet: its values by month (1-12) and its target."""

    row: int
    unit_code: str
    indicator_code: str
    year: int
    values: dict[int, Decimal]
    target: Decimal | None

    def history_rows(self) -> list[HistoryRow]:
        return [
            HistoryRow(self.unit_code, self.indicator_code, self.year, m, v, self.target)
            for m, v in sorted(self.values.items())
        ]


class HistoryFileError(FileProblems):
    """An uploaded history workbook that cannot be imported; ``problems`` lists every reason,
    each a line with its cell."""


_MONTH = re.compile(r"(\d+)\s*月?")
_text = cell_text


def _year(raw: object) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _text(raw).removesuffix("年").strip()
    return int(text) if text.isdigit() else None


def _show(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _cell(col: int, row: int) -> str:
    return cell_ref(SHEET, col, row)


def _header_problems(head: tuple[Any, ...]) -> list[str]:
    """Each header cell that is not the template's; a month column past December or headed with
    a month outside 1-12 is named as such."""
    problems: list[str] = []
    head = (*head, *[None] * (TARGET_COL - len(head)))
    for c, expected in enumerate(HEADERS, start=1):
        found = _text(head[c - 1])
        if found == expected:
            continue
        month = _MONTH.fullmatch(found)
        if JANUARY_COL <= c < TARGET_COL and month and not 1 <= int(month[1]) <= 12:
            problems.append(
                _("%(cell)s: month %(month)s is out of range (1-12).")
                % {"cell": _cell(c, 1), "month": month[1]}
            )
        else:
            problems.append(
                _("%(cell)s: the column should be headed “%(expected)s”, not “%(found)s”.")
                % {"cell": _cell(c, 1), "expected": expected, "found": found}
            )
    for c, raw in enumerate(head[TARGET_COL:], start=TARGET_COL + 1):
        month = _MONTH.fullmatch(_text(raw))
        if month and "月" in _text(raw):
            problems.append(
                _("%(cell)s: month %(month)s is out of range (1-12).")
                % {"cell": _cell(c, 1), "month": month[1]}
            )
    return problems


class _Check:
    """The checks of one data row, each problem with its cell."""

    def __init__(self, book: HistoryBook, problems: list[str]) -> None:
        self.book = book
        self.problems = problems

    def add(self, col: int, r: int, message: str, **params: Any) -> None:
        self.problems.append(message % {"cell": _cell(col, r), **params})

    def unit(self, raw: object, r: int) -> str | None:
        code = _text(raw)
        if not code:
            self.add(UNIT_COL, r, _("%(cell)s: the unit code is missing."))
        elif code not in self.book.units:
            self.add(
                UNIT_COL,
                r,
                _("%(cell)s: unit code '%(code)s' is not an assessed unit of the county."),
                code=code,
            )
        else:
            return code
        return None

    def indicator(self, raw: object, r: int) -> str | None:
        code = _text(raw)
        if not code:
            self.add(CODE_COL, r, _("%(cell)s: the indicator code is missing."))
        elif code in self.book.other_codes:
            self.add(
                CODE_COL,
                r,
                _(
                    "%(cell)s: indicator %(code)s is not a cumulative leaf indicator: it has no "
                    "running total to forecast."
                ),
                code=code,
            )
        elif code not in self.book.indicators:
            self.add(
                CODE_COL,
                r,
                _("%(cell)s: indicator code '%(code)s' is not in the %(year)s scheme."),
                code=code,
                year=self.book.scheme_year,
            )
        else:
            return code
        return None

    def year(self, raw: object, r: int) -> int | None:
        year = _year(raw)
        if raw in (None, ""):
            self.add(YEAR_COL, r, _("%(cell)s: the year is missing."))
        elif year is None:
            self.add(YEAR_COL, r, _("%(cell)s: '%(value)s' is not a year."), value=raw)
        elif year >= self.book.scheme_year:
            self.add(
                YEAR_COL,
                r,
                _(
                    "%(cell)s: year %(year)s is not earlier than the scheme year "
                    "%(scheme_year)s; only earlier years are history."
                ),
                year=year,
                scheme_year=self.book.scheme_year,
            )
        elif year > self.book.latest_year:
            self.add(YEAR_COL, r, _("%(cell)s: year %(year)s has not ended yet."), year=year)
        elif year < FIRST_YEAR:
            self.add(
                YEAR_COL,
                r,
                _("%(cell)s: year %(year)s is before %(first)s."),
                year=year,
                first=FIRST_YEAR,
            )
        else:
            return year
        return None

    def number(self, raw: object, col: int, r: int) -> tuple[Decimal | None, bool]:
        """The cell's number (None when empty) and whether it is right (a problem recorded)."""
        if is_formula(raw):
            self.add(col, r, _("%(cell)s: a formula; type or paste the value instead."))
            return None, False
        try:
            number = parse_number(raw)
        except ValueError:
            self.add(col, r, _("%(cell)s: not a number '%(value)s'"), value=raw)
            return None, False
        if number is None:
            return None, True
        if number < 0:
            self.add(col, r, _("%(cell)s: negative value %(value)s."), value=_show(number))
            return None, False
        if number >= HISTORY_LIMIT:
            self.add(col, r, _("%(cell)s: %(value)s is too large."), value=_show(number))
            return None, False
        return number.quantize(FOUR_PLACES), True

    def months(self, cells: tuple[Any, ...], r: int) -> tuple[dict[int, Decimal], bool]:
        """The row's month-end values, and whether all of them were right; a running total that
        falls below an earlier month's is named at the month where it falls."""
        values: dict[int, Decimal] = {}
        ok = True
        before: tuple[Decimal, int] | None = None
        for month in range(1, 13):
            col = JANUARY_COL + month - 1
            number, right = self.number(cells[col - 1], col, r)
            ok = ok and right
            if number is None:
                continue
            if before is not None and number < before[0]:
                self.add(
                    col,
                    r,
                    _(
                        "%(cell)s: the running total falls to %(value)s from %(previous)s in "
                        "%(previous_cell)s; a month-end cumulative value cannot be less than an "
                        "earlier month's."
                    ),
                    value=_show(number),
                    previous=_show(before[0]),
                    previous_cell=_cell(before[1], r),
                )
                ok = False
            values[month] = number
            before = (number, col)
        return values, ok


def read_history(content: bytes, book: HistoryBook) -> list[HistoryLine]:
    """The filled rows of an uploaded history workbook, or HistoryFileError listing every problem
    with its cell. A row with a unit, indicator and year but no number is a pre-filled row left
    empty, and is skipped."""
    try:
        # Read-only: the rows stream from the file, so a large upload is never held whole.
        wb = open_xlsx(content)
    except FileProblems as exc:
        raise HistoryFileError(exc.lines()) from None
    try:
        return _read_sheet(wb, content, book)
    finally:
        wb.close()


def _read_sheet(wb: Any, content: bytes, book: HistoryBook) -> list[HistoryLine]:
    if SHEET not in wb.sheetnames:
        raise HistoryFileError(
            [
                _(
                    "The workbook has no sheet “%(sheet)s” (it has: %(sheets)s); fill in the "
                    "template downloaded from this page."
                )
                % {"sheet": SHEET, "sheets": "、".join(wb.sheetnames)}
            ]
        )
    sheet = wb[SHEET]
    head = next(sheet.iter_rows(max_row=1, max_col=TARGET_COL + 50, values_only=True), ())
    problems = _header_problems(head)
    if problems:
        raise HistoryFileError(problems)
    for merged in merged_ranges(content, SHEET):
        problems.append(
            _("Cells %(range)s are merged; unmerge them.") % {"range": f"{SHEET}!{merged}"}
        )
    check = _Check(book, problems)
    lines: list[HistoryLine] = []
    seen: dict[tuple[str, str, int], int] = {}
    for r, row in enumerate(
        sheet.iter_rows(min_row=2, max_col=TARGET_COL, values_only=True), start=2
    ):
        if r > MAX_ROWS + 1:
            raise HistoryFileError(
                [
                    _("Sheet %(sheet)s has more than %(limit)s rows.")
                    % {"sheet": SHEET, "limit": MAX_ROWS}
                ]
            )
        cells = (*row, *[None] * (TARGET_COL - len(row)))
        numbers = cells[JANUARY_COL - 1 : TARGET_COL]
        if all(v is None or _text(v) == "" for v in numbers):
            continue  # a pre-filled row left empty, or a blank row
        unit = check.unit(cells[UNIT_COL - 1], r)
        code = check.indicator(cells[CODE_COL - 1], r)
        year = check.year(cells[YEAR_COL - 1], r)
        values, months_ok = check.months(cells, r)
        target, target_ok = check.number(cells[TARGET_COL - 1], TARGET_COL, r)
        if unit is None or code is None or year is None:
            continue
        key = (unit, code, year)
        if key in seen:
            check.add(
                UNIT_COL,
                r,
                _(
                    "%(cell)s: the row repeats row %(row)s (unit %(unit)s, indicator %(code)s, "
                    "%(year)s)."
                ),
                row=seen[key],
                unit=unit,
                code=code,
                year=year,
            )
            continue
        seen[key] = r
        if months_ok and target_ok and values:
            lines.append(HistoryLine(r, unit, code, year, values, target))
        elif months_ok and target_ok:
            check.add(
                JANUARY_COL,
                r,
                _("%(cell)s: the row has a target but no month's value."),
            )
    if not problems and not lines:
        problems.append(
            _("Sheet %(sheet)s has no filled rows: fill in at least one month's value.")
            % {"sheet": SHEET}
        )
    if problems:
        raise HistoryFileError(_capped(problems))
    return lines


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_LISTED:
        return problems
    rest = len(problems) - MAX_LISTED
    return [
        *problems[:MAX_LISTED],
        _("… and %(n)s more problems; correct these first.") % {"n": rest},
    ]
