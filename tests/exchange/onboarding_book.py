"""Organisation workbooks for the onboarding tests: any shape of county, any cell spoiled."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from kaohe.exchange.org_excel import INSTRUCTIONS, SHEETS
from kaohe.exchange.workbook import header

Rows = dict[str, list[list[Any]]]


def shaped(
    *,
    townships: int = 19,
    township_categories: int = 2,
    departments: int = 85,
    department_categories: int = 5,
    prefix: str = "",
) -> Rows:
    """A county's organisation: townships and departments spread over their categories, two
    supervision offices (S01 the performance office), a township station under T01, leaders,
    cadres, and one account per role."""
    cats = [[f"XZ{n}", f"{n}类乡镇", "乡镇"] for n in range(1, township_categories + 1)]
    cats += [[f"BM{n}", f"{n}类部门", "县直单位"] for n in range(1, department_categories + 1)]
    units: list[list[Any]] = [
        [
            f"T{n:02d}",
            f"第{n}镇",
            "乡镇",
            f"XZ{(n - 1) % township_categories + 1}",
            "",
            "是",
            "否",
            "否",
        ]
        for n in range(1, townships + 1)
    ]
    units += [
        [
            f"D{n:02d}",
            f"县第{n}局",
            "县直单位",
            f"BM{(n - 1) % department_categories + 1}",
            "",
            "是",
            "是" if n <= 30 else "否",
            "否",
        ]
        for n in range(1, departments + 1)
    ]
    units += [
        ["S01", "县绩效办", "县直单位", "", "", "否", "是", "是"],
        ["S02", "县委督查室", "县直单位", "", "", "否", "是", "是"],
        ["T0101", "第1镇农业服务站", "乡镇", "", "T01", "否", "否", "否"],
    ]
    cadres: list[list[Any]] = [
        [f"L{n:02d}", f"县领导{n}", "", "副县长", "副处级", "是", f"分管工作{n}"]
        for n in range(1, 6)
    ]
    cadres += [
        [f"C{n:02d}", f"书记{n}", f"T{n:02d}", "党委书记", "正科级", "否", ""]
        for n in range(1, townships + 1)
    ]
    p = prefix
    accounts = [
        [f"{p}office", "绩效办", "office@example.gov.cn", "S01", "", "绩效办"],
        [f"{p}t01", "第1镇 填报员", "", "T01", "", "被考核单位"],
        [f"{p}d01", "县第1局 审核员", "", "D01", "", "考核责任部门"],
        [f"{p}leader", "县领导1", "", "", "L01", "分管县领导"],
        [f"{p}supervisor", "督查室", "", "S02", "", "督查室"],
        [f"{p}organisation", "组织部", "", "D02", "", "organisation"],
        [f"{p}sysadmin", "系统管理员", "", "", "", "系统管理员"],
        [f"{p}secadmin", "安全管理员", "", "", "", "secadmin"],
        [f"{p}auditadmin", "审计管理员", "", "", "", "Audit administrator"],
    ]
    return {"categories": cats, "units": units, "cadres": cadres, "accounts": accounts}


def workbook(
    rows: Rows, *, drop: tuple[str, ...] = (), headers: dict[str, list[str]] | None = None
) -> bytes:
    """The rows as a filled template; `drop` leaves sheets out, `headers` replaces header rows."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = INSTRUCTIONS
    for key, (title, columns) in SHEETS.items():
        if key in drop:
            continue
        ws = book.create_sheet(title)
        ws.append((headers or {}).get(key) or [header(zh, f) for f, zh, _l in columns])
        for row in rows.get(key, []):
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
