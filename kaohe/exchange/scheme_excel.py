"""The Excel scheme template: the same scheme as the JSON file, in sheets a clerk can fill in.

Sheets (headers in Chinese and English; a header cell may also hold just the English key):
方案 Scheme (key/value), 类别 Categories, 数据项 Data items, 上级指标 Higher-level, 指标 Indicators
(one row per indicator; the method's parameters as ``cap=1.2; floor=0``; one points column per
category, headed by the category's code). Cells are read as values: a cell holding an Excel
formula is refused, never evaluated.
"""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kaohe.exchange.problems import Problem, SchemeFileError
from kaohe.exchange.scheme_json import spec_from_data, spec_to_data
from kaohe.exchange.spec import FORMAT, VERSION, SchemeSpec
from kaohe.exchange.workbook import WorkbookRefused, cell_ref, header, is_formula, open_xlsx
from kaohe.scoring.registry import parameters_text, parse_parameters

MAX_ROWS = 5000
SCHEME = "方案 Scheme"
SHEETS = {
    "categories": (
        "类别 Categories",
        [
            ("code", "编码"),
            ("name", "名称"),
            ("name_en", "英文名称"),
            ("kind", "类型"),
            ("total_points", "总分"),
        ],
    ),
    "data_items": (
        "数据项 Data items",
        [
            ("code", "编码"),
            ("name", "名称"),
            ("unit_of_measure", "计量单位"),
            ("cumulative", "累计"),
        ],
    ),
    "source_indicators": ("上级指标 Higher-level", [("code", "编码"), ("name", "名称")]),
    "indicators": (
        "指标 Indicators",
        [
            ("code", "编码"),
            ("parent", "上级编码"),
            ("name", "名称"),
            ("name_en", "英文名称"),
            ("unit_of_measure", "计量单位"),
            ("direction", "方向"),
            ("frequency", "频次"),
            ("cumulative", "累计"),
            ("assessor", "考核责任部门"),
            ("leader", "分管县领导"),
            ("source", "上级指标"),
            ("evidence_required", "须附佐证"),
            ("formula", "公式"),
            ("method", "评分方法"),
            ("parameters", "参数"),
        ],
    ),
}
SETTINGS = [
    ("year", "年度"),
    ("name", "名称"),
    ("rules_text", "考核管理办法"),
    ("score_places", "小数位数"),
    ("warning_yellow", "黄色预警阈值"),
    ("warning_orange", "橙色预警阈值"),
    ("warning_red", "红色预警阈值"),
    # settings.appraisal (the round rules) as the JSON file writes it, so both files carry them.
    ("appraisal", "考核规则"),
]


def _label(key: str, zh: str) -> str:
    return header(zh, key)


def _cell_value(value: Any, where: str, problems: list[Problem]) -> Any:
    if is_formula(value):
        problems.append(Problem(where, "excel_formula"))
        return None
    return value


def parse_xlsx(content: bytes) -> SchemeSpec:
    """Parse an Excel scheme template into a checked SchemeSpec, or SchemeFileError."""
    try:
        book = open_xlsx(content)
    except WorkbookRefused as exc:
        raise SchemeFileError([Problem("file", exc.code, exc.params)]) from None
    problems: list[Problem] = []
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if SCHEME not in book.sheetnames:
        problems.append(Problem(SCHEME, "missing_sheet", {"sheet": SCHEME}))
    else:
        settings: dict[str, Any] = {}
        for n, row in enumerate(
            book[SCHEME].iter_rows(min_row=2, max_row=50, values_only=True), start=2
        ):
            if not row or row[0] is None:
                continue
            key = str(row[0]).split()[-1]
            settings[key] = _cell_value(
                row[1] if len(row) > 1 else None, f"{SCHEME}!B{n}", problems
            )
        data["year"] = settings.get("year")
        data["name"] = settings.get("name")
        data["rules_text"] = settings.get("rules_text") or ""
        data["settings"] = {
            "score_places": settings.get("score_places", 2),
            "warning": {
                k: settings.get(f"warning_{k}")
                for k in ("yellow", "orange", "red")
                if settings.get(f"warning_{k}") is not None
            },
        }
        appraisal = settings.get("appraisal")
        if isinstance(appraisal, str) and appraisal.strip():
            try:
                data["settings"]["appraisal"] = json.loads(appraisal)
            except ValueError:
                problems.append(
                    Problem(SCHEME, "wrong_type", {"field": "appraisal", "expected": "JSON"})
                )
    for key, (sheet, columns) in SHEETS.items():
        if sheet not in book.sheetnames:
            problems.append(Problem(sheet, "missing_sheet", {"sheet": sheet}))
            continue
        rows = list(book[sheet].iter_rows(max_row=MAX_ROWS + 2, values_only=True))
        if len(rows) > MAX_ROWS + 1:
            problems.append(Problem(sheet, "too_many_rows", {"sheet": sheet, "limit": MAX_ROWS}))
            continue
        header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
        for c, (field, zh) in enumerate(columns):
            found = header[c] if c < len(header) else ""
            if found not in {_label(field, zh), field}:
                problems.append(
                    Problem(
                        cell_ref(sheet, c + 1, 1),
                        "bad_header",
                        {
                            "sheet": sheet,
                            "column": get_column_letter(c + 1),
                            "expected": _label(field, zh),
                        },
                    )
                )
        extra = header[len(columns) :] if key == "indicators" else []
        items = []
        for r, row in enumerate(rows[1:], start=2):
            if not row or all(v is None or v == "" for v in row):
                continue
            item: dict[str, Any] = {}
            for c, (field, _zh) in enumerate(columns):
                where = cell_ref(sheet, c + 1, r)
                item[field] = _cell_value(row[c] if c < len(row) else None, where, problems)
            if key == "indicators":
                params_at = cell_ref(sheet, len(columns), r)
                method, bad = parse_parameters(str(item.pop("parameters") or ""))
                if bad:
                    problems.append(
                        Problem(
                            params_at,
                            "wrong_type",
                            {"field": "parameters", "expected": "name=value; ..."},
                        )
                    )
                kind = item.pop("method")
                item["method"] = {"kind": kind, **method} if kind else method
                points = {}
                for c, category in enumerate(extra, start=len(columns)):
                    value = _cell_value(
                        row[c] if c < len(row) else None,
                        cell_ref(sheet, c + 1, r),
                        problems,
                    )
                    if category and value not in (None, ""):
                        points[category] = value
                item["points"] = points or None
                item["parent"] = item.get("parent") or None
            items.append(item)
        data[key] = items
    book.close()
    if problems:
        raise SchemeFileError(problems)
    return spec_from_data(data)


def to_xlsx(spec: SchemeSpec) -> bytes:
    """The scheme as an Excel template (the same content the JSON file holds)."""
    data = spec_to_data(spec)
    book = Workbook()
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    sheet = book.active
    assert sheet is not None
    sheet.title = SCHEME
    sheet.append(["项目 key", "值 value"])
    values = {
        "year": data["year"],
        "name": data["name"],
        "rules_text": data["rules_text"],
        "score_places": data["settings"]["score_places"],
        **{f"warning_{k}": v for k, v in data["settings"]["warning"].items()},
    }
    if data["settings"].get("appraisal"):
        values["appraisal"] = json.dumps(data["settings"]["appraisal"], ensure_ascii=False)
    for key, zh in SETTINGS:
        sheet.append([_label(key, zh), values.get(key)])
    categories = [c["code"] for c in data["categories"]]
    for key, (title, columns) in SHEETS.items():
        ws = book.create_sheet(title)
        header = [_label(f, zh) for f, zh in columns] + (categories if key == "indicators" else [])
        ws.append(header)
        for item in data[key]:
            if key == "indicators":
                method = dict(item["method"])
                kind = method.pop("kind", "")
                row = [item.get(f) for f, _zh in columns[:-2]] + [kind, parameters_text(method)]
                row += [item["points"].get(c) for c in categories]
            else:
                row = [item.get(f) for f, _zh in columns]
            ws.append(row)
        for cell in ws[1]:
            cell.font, cell.fill = head_font, head_fill
        ws.freeze_panes = "A2"
    for ws in book.worksheets:
        for c in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(c)].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
