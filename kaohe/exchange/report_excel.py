"""A unit's period as an Excel file: downloaded pre-filled, filled in offline, uploaded back.

The upload is checked whole before anything is written: it must be this template (headers), for
this unit (the unit's code in B1) and only for indicators due now; cells hold plain numbers (no
formulas, no merged cells, no text where a number goes); the file is a real workbook within the
size and expansion limits. Then the rows go through reports_submit_grid: all or none.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from kaohe.exchange.workbook import (
    FileProblems,
    WorkbookRefused,
    cell_ref,
    is_formula,
    open_xlsx,
    parse_number,
)
from kaohe.org.models import Unit
from kaohe.reporting.selectors import DueItem
from kaohe.schemes.models import DataItem

#: One unit's period is small: these limits are tighter than the other exchange files'.
REPORT_MAX_BYTES = 2 * 1024 * 1024
REPORT_MAX_UNPACKED = 20 * 1024 * 1024
HEADERS = [
    "指标编码 code",
    "指标名称 indicator",
    "周期 period",
    "年度目标 target",
    "上期数值 previous",
    "本期数值 value",
    "进展情况 note",
]
FIRST_ROW = 5
VALUE_COL, NOTE_COL = 6, 7


class UploadError(FileProblems):
    """Every problem of an uploaded report file, each a line with its cell."""


@dataclass(frozen=True)
class UploadedRow:
    item: DueItem
    value: str
    note: str
    items: dict[str, str] | None = None  # data item values, for an indicator with a formula


ItemsOf = Mapping[int, list[DataItem]]  # indicator id -> its data items (reporting.items)
GREY = PatternFill("solid", fgColor="E5E7EB")


def _item_columns(items: list[DueItem], data_items: ItemsOf) -> list[DataItem]:
    """One column per data item any due indicator reads, in the order they first appear."""
    columns: dict[str, DataItem] = {}
    for item in items:
        for d in data_items.get(item.target.indicator_id, []):
            columns.setdefault(d.code, d)
    return list(columns.values())


def _item_header(d: DataItem) -> str:
    return f"{d.code} {d.name}" + (f"（{d.unit_of_measure}）" if d.unit_of_measure else "")


def _write_items(
    sheet: Any, r: int, first: int, columns: list[DataItem], item: DueItem, mine: list[DataItem]
) -> None:
    """A row's data item cells: the indicator's own are editable, the others greyed."""
    codes = {d.code for d in mine}
    known = (item.report.items or {}) if item.report else {}
    for n, d in enumerate(columns):
        cell = sheet.cell(r, first + n)
        if d.code in codes:
            if d.code in known:
                cell.value = float(known[d.code])
            cell.protection = Protection(locked=False)
        else:
            cell.fill = GREY


def _read_items(
    sheet: Any, r: int, positions: dict[str, int], mine: list[DataItem], problems: list[str]
) -> dict[str, str] | None:
    """The row's data item values; None when the row leaves them all empty."""
    raw: dict[str, str] = {}
    cells: dict[str, str] = {}
    for d in mine:
        col = positions.get(d.code)
        if col is None:
            problems.append(
                _(
                    "Row %(row)d: the file has no column for data item %(item)s; download a new "
                    "template."
                )
                % {"row": r, "item": d.code}
            )
            return None
        where = cell_ref(None, col, r)
        value = sheet.cell(r, col).value
        if is_formula(value):
            problems.append(_("%(cell)s holds a formula; type the value.") % {"cell": where})
            return None
        text = _number_text(value)
        if text is None:
            problems.append(
                _("%(cell)s: %(value)s is not a number.") % {"cell": where, "value": value}
            )
            return None
        raw[d.code], cells[d.code] = text, where
    if not any(raw.values()):
        return None
    missing = [d for d in mine if not raw[d.code]]
    for d in missing:
        problems.append(
            _("%(cell)s: enter the value of %(item)s.") % {"cell": cells[d.code], "item": d.name}
        )
    return None if missing else raw


def _item_positions(sheet: Any, first: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    for c in range(first, first + 200):
        header = sheet.cell(FIRST_ROW - 1, c).value
        if header in (None, ""):
            break
        positions[str(header).split()[0]] = c
    return positions


def template(
    unit: Unit,
    items: list[DueItem],
    period_labels: dict[int, str],
    data_items: ItemsOf | None = None,
) -> bytes:
    """The unit's due items as a workbook to fill in (only value and note are editable).

    An indicator with a formula is filled in through its data items, one column each after
    the note: its value cell is computed on upload and greyed.
    """
    data_items = data_items or {}
    columns = _item_columns(items, data_items)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "填报 Report"
    sheet["A1"], sheet["B1"], sheet["C1"] = "单位 unit", unit.code, unit.name
    sheet["A2"] = (
        "请只填写“本期数值”和“进展情况”两列，不要改动其他单元格。Fill in value and note only."
        if not columns
        else "请填写“本期数值”（灰色的由数据项自动计算，请填写右侧数据项列）和“进展情况”。"
        "Fill in value and note; a grey value is computed from the data item columns."
    )
    for c, header in enumerate(HEADERS + [_item_header(d) for d in columns], start=1):
        cell = sheet.cell(FIRST_ROW - 1, c, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    for r, item in enumerate(items, start=FIRST_ROW):
        ind = item.target.indicator
        mine = data_items.get(ind.pk, [])
        sheet.cell(r, 1, ind.code)
        sheet.cell(r, 2, ind.name)
        sheet.cell(r, 3, period_labels.get(item.period.pk, str(item.period)))
        sheet.cell(r, 4, float(item.target.annual_target))
        sheet.cell(
            r,
            5,
            float(item.previous.value)
            if item.previous and item.previous.value is not None
            else None,
        )
        if item.report and item.report.value is not None:
            sheet.cell(r, VALUE_COL, float(item.report.value))
            sheet.cell(r, NOTE_COL, item.report.note)
        sheet.cell(r, NOTE_COL).protection = Protection(locked=False)
        if mine:
            sheet.cell(r, VALUE_COL).fill = GREY  # computed from the data items on upload
            _write_items(sheet, r, NOTE_COL + 1, columns, item, mine)
        else:
            sheet.cell(r, VALUE_COL).protection = Protection(locked=False)
    sheet.protection.sheet = True  # a guard against slips, not security: the upload is checked
    for c, width in enumerate([14, 32, 14, 12, 12, 14, 40] + [16] * len(columns), start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number_text(value: object) -> str | None:
    """A value cell as the grid takes it: "" when empty, None when it is not a number."""
    try:
        number = parse_number(value)
    except ValueError:
        return None
    return "" if number is None else f"{number:f}"


def read_upload(
    content: bytes, unit: Unit, items: list[DueItem], data_items: ItemsOf | None = None
) -> list[UploadedRow]:
    """The filled rows of an uploaded template, or UploadError listing every problem."""
    data_items = data_items or {}
    book = _open(content)
    sheet = book.worksheets[0]
    problems: list[str] = []
    headers = [sheet.cell(FIRST_ROW - 1, c).value for c in range(1, len(HEADERS) + 1)]
    if headers != HEADERS:
        raise UploadError(
            [_("This is not the report template Kaohe gave out: its headers differ.")]
        )
    if str(sheet["B1"].value or "") != unit.code:
        raise UploadError(
            [_("This file is for unit %(code)s, not yours.") % {"code": sheet["B1"].value}]
        )
    for merged in sheet.merged_cells.ranges:
        if merged.max_row >= FIRST_ROW:
            problems.append(
                _("Cells %(range)s are merged; unmerge them.") % {"range": merged.coord}
            )
    due = {item.target.indicator.code: item for item in items}
    positions = _item_positions(sheet, NOTE_COL + 1)
    rows: list[UploadedRow] = []
    seen: set[str] = set()
    for r in range(FIRST_ROW, min(sheet.max_row, FIRST_ROW + 1000) + 1):
        code = sheet.cell(r, 1).value
        value = sheet.cell(r, VALUE_COL).value
        note = sheet.cell(r, NOTE_COL).value
        if code in (None, "") and value in (None, ""):
            continue
        where = f"F{r}"
        for c in (VALUE_COL, NOTE_COL):
            cell = sheet.cell(r, c).value
            if is_formula(cell):
                problems.append(
                    _("%(cell)s holds a formula; type the value.") % {"cell": cell_ref(None, c, r)}
                )
        item = due.get(str(code))
        if item is None:
            problems.append(
                _("Row %(row)d: %(code)s is not due from your unit now.") % {"row": r, "code": code}
            )
            continue
        if str(code) in seen:
            problems.append(_("Row %(row)d: %(code)s appears twice.") % {"row": r, "code": code})
            continue
        seen.add(str(code))
        mine = data_items.get(item.target.indicator_id, [])
        if mine:
            raw = _read_items(sheet, r, positions, mine, problems)
            if raw is not None and item.editable:
                rows.append(UploadedRow(item, "", str(note or "")[:2000], raw))
            continue
        text = _number_text(value)
        if text is None:
            problems.append(
                _("%(cell)s: %(value)s is not a number.") % {"cell": where, "value": value}
            )
            continue
        if text == "" or not item.editable or is_formula(value):
            continue
        rows.append(UploadedRow(item, text, str(note or "")[:2000]))
    if problems:
        raise UploadError(problems)
    return rows


ASSESSOR_HEADERS = [
    "单位编码 unit",
    "单位名称 unit name",
    "指标编码 code",
    "指标名称 indicator",
    "周期 period",
    "年度目标 target",
    "本期数值 value",
    "说明 note",
]
A_VALUE, A_NOTE = 7, 8


def assessor_template(
    assessor: Unit,
    items: list[DueItem],
    period_labels: dict[int, str],
    data_items: ItemsOf | None = None,
) -> bytes:
    """All units' rows of the indicators an assessing department owns, to fill in at once;
    an indicator with a formula through its data items, one column each after the note."""
    data_items = data_items or {}
    columns = _item_columns(items, data_items)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "录入 Data"
    sheet["A1"], sheet["B1"], sheet["C1"] = "考核责任部门 assessor", assessor.code, assessor.name
    sheet["A2"] = (
        "请只填写“本期数值”和“说明”两列。Fill in value and note only."
        if not columns
        else "请填写“本期数值”（灰色的由数据项自动计算，请填写右侧数据项列）和“说明”。"
        "Fill in value and note; a grey value is computed from the data item columns."
    )
    for c, header in enumerate(ASSESSOR_HEADERS + [_item_header(d) for d in columns], start=1):
        cell = sheet.cell(FIRST_ROW - 1, c, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    for r, item in enumerate(items, start=FIRST_ROW):
        t = item.target
        for c, value in enumerate(
            [
                t.unit.code,
                t.unit.name,
                t.indicator.code,
                t.indicator.name,
                period_labels.get(item.period.pk, str(item.period)),
                float(t.annual_target),
            ],
            start=1,
        ):
            sheet.cell(r, c, value)
        if item.report and item.report.value is not None:
            sheet.cell(r, A_VALUE, float(item.report.value))
            sheet.cell(r, A_NOTE, item.report.note)
        mine = data_items.get(t.indicator_id, [])
        if mine:
            sheet.cell(r, A_VALUE).fill = GREY
            _write_items(sheet, r, A_NOTE + 1, columns, item, mine)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open(content: bytes) -> Any:
    # Full mode: the checks read merged cells and cells by position; the file is small.
    try:
        return open_xlsx(
            content,
            max_bytes=REPORT_MAX_BYTES,
            max_unpacked=REPORT_MAX_UNPACKED,
            read_only=False,
        )
    except WorkbookRefused as exc:
        raise UploadError(exc.lines()) from None


def read_assessor_upload(
    content: bytes, assessor: Unit, items: list[DueItem], data_items: ItemsOf | None = None
) -> list[UploadedRow]:
    """The filled rows of an assessing department's upload, or UploadError with every problem."""
    data_items = data_items or {}
    sheet = _open(content).worksheets[0]
    headers = [sheet.cell(FIRST_ROW - 1, c).value for c in range(1, len(ASSESSOR_HEADERS) + 1)]
    if headers != ASSESSOR_HEADERS:
        raise UploadError(
            [_("This is not the report template Kaohe gave out: its headers differ.")]
        )
    if str(sheet["B1"].value or "") != assessor.code:
        raise UploadError(
            [_("This file is for unit %(code)s, not yours.") % {"code": sheet["B1"].value}]
        )
    problems: list[str] = []
    for merged in sheet.merged_cells.ranges:
        if merged.max_row >= FIRST_ROW:
            problems.append(
                _("Cells %(range)s are merged; unmerge them.") % {"range": merged.coord}
            )
    due = {(i.target.unit.code, i.target.indicator.code): i for i in items}
    positions = _item_positions(sheet, A_NOTE + 1)
    rows: list[UploadedRow] = []
    seen: set[tuple[str, str]] = set()
    for r in range(FIRST_ROW, min(sheet.max_row, FIRST_ROW + 20000) + 1):
        unit_code, code = sheet.cell(r, 1).value, sheet.cell(r, 3).value
        value, note = sheet.cell(r, A_VALUE).value, sheet.cell(r, A_NOTE).value
        if unit_code in (None, "") and value in (None, ""):
            continue
        for c in (A_VALUE, A_NOTE):
            cell = sheet.cell(r, c).value
            if is_formula(cell):
                problems.append(
                    _("%(cell)s holds a formula; type the value.") % {"cell": cell_ref(None, c, r)}
                )
        key = (str(unit_code), str(code))
        item = due.get(key)
        if item is None:
            problems.append(
                _("Row %(row)d: %(code)s is not due from your unit now.")
                % {"row": r, "code": f"{unit_code} {code}"}
            )
            continue
        if key in seen:
            problems.append(
                _("Row %(row)d: %(code)s appears twice.")
                % {"row": r, "code": f"{unit_code} {code}"}
            )
            continue
        seen.add(key)
        mine = data_items.get(item.target.indicator_id, [])
        if mine:
            raw = _read_items(sheet, r, positions, mine, problems)
            if raw is not None:
                rows.append(UploadedRow(item, "", str(note or "")[:2000], raw))
            continue
        text = _number_text(value)
        if text is None:
            problems.append(
                _("%(cell)s: %(value)s is not a number.") % {"cell": f"G{r}", "value": value}
            )
            continue
        if text and not is_formula(value):
            rows.append(UploadedRow(item, text, str(note or "")[:2000]))
    if problems:
        raise UploadError(problems)
    return rows
