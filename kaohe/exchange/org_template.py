"""The organisation template to download: instructions, the four sheets, example rows.

The sheets and headers are those kaohe/exchange/org_excel.py reads; drop-down lists offer the
kinds, yes/no and the roles, so a clerk rarely types a value the check refuses.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kaohe.exchange.org_excel import FLAGS, INSTRUCTIONS, MAX_ROWS, SHEETS
from kaohe.exchange.workbook import header
from kaohe.org.models import Role

EXAMPLES: dict[str, list[list[Any]]] = {
    "categories": [["XZ1", "一类乡镇", "乡镇"], ["BM1", "经济发展类部门", "县直单位"]],
    "units": [
        ["T01", "示范镇", "乡镇", "XZ1", "", "是", "否", "否"],
        ["T0101", "示范镇农业综合服务站", "乡镇", "", "T01", "否", "否", "否"],
        ["D01", "县统计局", "县直单位", "BM1", "", "是", "是", "否"],
        ["S01", "县绩效办", "县直单位", "", "", "否", "是", "是"],
    ],
    "cadres": [
        ["L01", "张三", "", "副县长", "副处级", "是", "工业、招商引资"],
        ["C01", "李四", "T01", "党委书记", "正科级", "否", ""],
    ],
    "accounts": [
        ["office", "绩效办", "office@example.gov.cn", "S01", "", "绩效办"],
        ["t01", "示范镇 填报员", "", "T01", "", "被考核单位"],
        ["d01", "县统计局 审核员", "", "D01", "", "考核责任部门"],
        ["leader", "张三", "", "", "L01", "分管县领导"],
        ["sysadmin", "系统管理员", "", "", "", "系统管理员"],
        ["secadmin", "安全管理员", "", "", "", "安全管理员"],
        ["auditadmin", "审计管理员", "", "", "", "审计管理员"],
    ],
}


def _instructions() -> list[str]:
    return [
        _("How to fill in this workbook"),
        _(
            "Fill in one row per category, unit, cadre and account; delete the example rows "
            "first. Keep the sheet names and the header row as they are."
        ),
        _("Categories: code, name, kind (乡镇 township or 县直单位 county department)."),
        _(
            "Units: code, name, kind, category code (needed when the unit is assessed), the code "
            "of the unit it belongs to (optional), and 是/否 for assessed, assessing department "
            "and supervision office (blank: assessed 是, the others 否)."
        ),
        _(
            "Cadres: code, name, code of their unit (optional for county leaders), post, rank, "
            "county leader 是/否, and the work in their charge."
        ),
        _(
            "Accounts: user name (letters, digits, @ . + - _), display name, e-mail, unit code, "
            "cadre code, and the role the security administrator is to grant: %(roles)s. The "
            "assessed unit and assessing department roles need a unit code."
        )
        % {"roles": "、".join(str(label) for _v, label in Role.choices)},
        _(
            "The system administrator uploads the file: it is checked as a whole and every "
            "problem is listed with its cell; nothing is written until all is valid. Accounts "
            "are created without a role; the security administrator then uploads the same file "
            "to grant the roles."
        ),
        _("Cells are read as values: formulas are refused. At most 5 MB and 5000 rows a sheet."),
    ]


def org_template() -> bytes:
    """The organisation template: instructions, the four sheets with headers and example rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = INSTRUCTIONS
    for line in _instructions():
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    yes_no = '"是,否"'
    kinds = '"乡镇,县直单位"'
    with translation.override("zh-hans"):
        roles = '"' + ",".join(str(label) for _v, label in Role.choices) + '"'
    for key, (title, columns) in SHEETS.items():
        ws = book.create_sheet(title)
        ws.append([header(zh, f) for f, zh, _limit in columns])
        for example in EXAMPLES[key]:
            ws.append(example)
        for cell in ws[1]:
            cell.font, cell.fill = head_font, head_fill
        ws.freeze_panes = "A2"
        for c, (fld, _zh, _limit) in enumerate(columns, start=1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = 24 if fld in {"name", "portfolio"} else 16
            choices = yes_no if fld in FLAGS else kinds if fld == "kind" else None
            if fld == "role":
                choices = roles
            if choices:
                check = DataValidation(type="list", formula1=choices, allow_blank=True)
                check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
                ws.add_data_validation(check)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
