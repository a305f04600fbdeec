"""Bulletins' pages and files: the list by period, a bulletin's page, its PDF and Excel, issuing.

The office sees every ended period, previews drafts (computed afresh, never stored) and issues
them; every business role reads issued bulletins, which print from their frozen content. The
PDF and the workbook are drawn from the same tables, so they carry the same rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kaohe.dashboard import bulletins
from kaohe.dashboard.bulletins import LEVEL_NAME
from kaohe.documents.official import bar_chart_svg, render_pdf
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEVEL_COLOUR = {0: "#1e8449", 1: "#d4ac0d", 2: "#ca6f1e", 3: "#c0392b"}
_COLOUR_CLASS = {-1: "none", 0: "green", 1: "yellow", 2: "orange", 3: "red"}


# -- tables, PDF and Excel -------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    sheet: str
    headers: list[str]
    widths: list[int]  # column widths in the PDF, in per cent
    rows: list[list[Any]]
    numeric: frozenset[int]  # columns holding numbers (right-aligned, numbers in Excel)
    levels: list[int | None]  # the warning level a row's colour column shows, if any
    level_columns: frozenset[int] = frozenset()

    def cells(self) -> list[list[tuple[Any, str]]]:
        """Rows with each cell's CSS class, for the PDF and the page."""
        out = []
        for row, level in zip(self.rows, self.levels, strict=True):
            colour = "" if level is None else f"lv-{_COLOUR_CLASS[level]}"
            out.append([(value, self._css(j, colour).strip()) for j, value in enumerate(row)])
        return out

    def _css(self, column: int, colour: str) -> str:
        num = "num" if column in self.numeric else ""
        return f"{num} {colour if column in self.level_columns else ''}"


def _standing_tables(content: dict[str, Any]) -> list[Table]:
    """One table of units per category, in rank order (units are ranked within a category)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in content["standings"]:
        groups.setdefault(s["category"], []).append(s)
    tables = []
    for n, (category, rows) in enumerate(groups.items(), start=1):
        full = max((r["points"] for r in rows), key=Decimal)
        if any("grade" in r for r in rows):  # the annual round's grades, once published
            tables.append(
                Table(
                    f"standings-{n}",
                    f"{category}（满分{full}分）",
                    f"得分排名{n}",
                    ["排名", "单位", "综合得分", "等次", "红色预警", "橙色预警"],
                    [12, 40, 14, 14, 10, 10],
                    [
                        [
                            r["rank"],
                            r["unit"],
                            r["score"],
                            r.get("grade", ""),
                            r["red"],
                            r["orange"],
                        ]
                        for r in rows
                    ],
                    frozenset({0, 2, 4, 5}),
                    [None] * len(rows),
                )
            )
            continue
        tables.append(
            Table(
                f"standings-{n}",
                f"{category}（满分{full}分）",
                f"得分排名{n}",
                ["排名", "单位", "得分", "满分", "红色预警", "橙色预警"],
                [12, 40, 14, 14, 10, 10],
                [
                    [r["rank"], r["unit"], r["score"], r["points"], r["red"], r["orange"]]
                    for r in rows
                ],
                frozenset({0, 2, 3, 4, 5}),
                [None] * len(rows),
            )
        )
    return tables


def bulletin_tables(content: dict[str, Any]) -> list[Table]:
    """The bulletin's tables, the same for the PDF and the Excel workbook: the units of each
    category with score and rank, then the two annexes (lagging and improved indicators)."""
    lagging = [
        [
            n,
            r["unit"],
            r["indicator"],
            r["value"],
            r["target"],
            r["completion"],
            r["schedule"],
            LEVEL_NAME[r["level"]],
        ]
        for n, r in enumerate(content["lagging"], start=1)
    ]
    improved = [
        [
            n,
            r["unit"],
            r["indicator"],
            LEVEL_NAME[r["before"]],
            LEVEL_NAME[r["after"]],
            r["completion_before"],
            r["completion_after"],
        ]
        for n, r in enumerate(content["improved"], start=1)
    ]
    return [
        *_standing_tables(content),
        Table(
            "lagging",
            "滞后指标明细（橙色、红色预警）",
            "滞后指标",
            ["序号", "单位", "指标", "完成值", "年度目标", "完成进度", "时序进度", "预警"],
            [6, 13, 27, 14, 14, 9, 9, 8],
            lagging,
            frozenset({0, 3, 4, 5, 6}),
            [r["level"] for r in content["lagging"]],
            frozenset({7}),
        ),
        Table(
            "improved",
            "预警等级好转的指标",
            "进展明显",
            ["序号", "单位", "指标", "上期预警", "本期预警", "上期完成进度", "本期完成进度"],
            [6, 18, 34, 9, 9, 12, 12],
            improved,
            frozenset({0, 5, 6}),
            [r["after"] for r in content["improved"]],
            frozenset({4}),
        ),
    ]


def bulletin_charts(content: dict[str, Any]) -> dict[str, str]:
    """The charts as inline SVG: warnings by colour, and the units with most lagging indicators."""
    n = content["counts"]
    charts = {
        "levels": bar_chart_svg(
            [LEVEL_NAME[lv] for lv in (0, 1, 2, 3)],
            [n[str(lv)] for lv in (0, 1, 2, 3)],
            colours=[LEVEL_COLOUR[lv] for lv in (0, 1, 2, 3)],
            unit="项",
            bar_height=18,
        )
    }
    if content["most_lagging"]:
        charts["most_lagging"] = bar_chart_svg(
            [name for name, _n in content["most_lagging"]],
            [total for _name, total in content["most_lagging"]],
            colours=["#ca6f1e"] * len(content["most_lagging"]),
            unit="项",
        )
    return charts


def bulletin_pdf(content: dict[str, Any], *, draft: bool = False) -> bytes:
    """The bulletin as an official document (red masthead, number, title, date)."""
    tables = bulletin_tables(content)
    return render_pdf(
        "dashboard/bulletins/document.html",
        {
            "issuer": content["issuer"],
            "number": content["number"],
            "title": content["title"],
            "issued_on": content["issued_on"],
            "c": content,
            "p": content["paragraphs"],
            "standings": [t for t in tables if t.key.startswith("standings")],
            "tables": {t.key: t for t in tables},
            "charts": bulletin_charts(content),
            "draft": draft,
        },
    )


_THIN = Side(style="thin", color="000000")


def bulletin_xlsx(content: dict[str, Any]) -> bytes:
    """The bulletin's tables as a workbook: one sheet per table, a title row, Chinese headers."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for table in bulletin_tables(content):
        sheet = book.create_sheet(table.sheet)
        width = len(table.headers)
        sheet.cell(1, 1, f"{content['title']}（{content['number']}）{table.title}")
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for j, header in enumerate(table.headers, start=1):
            cell = sheet.cell(2, j, header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            cell.border = Border(_THIN, _THIN, _THIN, _THIN)
            cell.alignment = Alignment(horizontal="center")
        for i, row in enumerate(table.rows, start=3):
            for j, value in enumerate(row):
                numeric = j in table.numeric and isinstance(value, str) and _is_decimal(value)
                cell = sheet.cell(i, j + 1, float(value) if numeric else value)
                if numeric:
                    cell.number_format = (
                        "0." + "0" * len(value.partition(".")[2]) if "." in value else "0"
                    )
                cell.border = Border(_THIN, _THIN, _THIN, _THIN)
        for j, header in enumerate(table.headers, start=1):
            longest = max([len(str(r[j - 1])) for r in table.rows] + [len(header)])
            sheet.column_dimensions[get_column_letter(j)].width = min(40, 2 * longest + 2)
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _is_decimal(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


# -- views -----------------------------------------------------------------------------------


def _file(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _name(content: dict[str, Any], ext: str) -> str:
    """An ASCII file name (headers stay plain ASCII): kind, period id and number."""
    period = content["period"]
    return f"bulletin-{content['kind']}-{period['kind']}{period['number']}.{ext}"


@permission_required(Permission.RESULT_VIEW)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """The office: every ended period with its draft or issued bulletin; others: issued ones."""
    user: User = request.user  # type: ignore[assignment]
    periods = None
    if bulletins.can_issue(user):
        periods = [
            (period, bulletin, bulletins.period_label(period))
            for period, bulletin in bulletins.bulletin_periods(
                user=user, today=timezone.localdate()
            )
        ]
    return render(
        request,
        "dashboard/bulletins/list.html",
        {"periods": periods, "issued": bulletins.bulletins_issued(user=user)},
    )


@permission_required(Permission.CADENCE_VIEW)
def bulletin_draft(request: HttpRequest, period_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    content = bulletins.draft_content(period=period, today=timezone.localdate())
    return render(
        request,
        "dashboard/bulletins/detail.html",
        {"c": content, "tables": bulletin_tables(content), "period": period, "bulletin": None},
    )


@permission_required(Permission.CADENCE_VIEW)
def bulletin_draft_pdf(request: HttpRequest, period_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    content = bulletins.draft_content(period=period, today=timezone.localdate())
    pdf = bulletin_pdf(content, draft=True)
    return _file(pdf, "application/pdf", _name(content, "pdf"), inline=True)


@permission_required(Permission.CADENCE_VIEW)
def bulletin_draft_xlsx(request: HttpRequest, period_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    content = bulletins.draft_content(period=period, today=timezone.localdate())
    return _file(bulletin_xlsx(content), XLSX, _name(content, "xlsx"))


@require_POST
@permission_required(Permission.CADENCE_VIEW)
def bulletin_issue(request: HttpRequest, period_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    try:
        bulletin = bulletins.bulletin_issue(user=user, period=period)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("dashboard:bulletins")
    messages.success(
        request, _("Bulletin %(number)s issued.") % {"number": bulletin.document_number}
    )
    return redirect("dashboard:bulletin", pk=bulletin.pk)


@permission_required(Permission.RESULT_VIEW)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    bulletin = bulletins.bulletin_get(user=user, pk=pk)
    content = bulletin.content
    return render(
        request,
        "dashboard/bulletins/detail.html",
        {
            "c": content,
            "tables": bulletin_tables(content),
            "period": bulletin.period,
            "bulletin": bulletin,
            "intact": bulletins.bulletin_intact(bulletin),
            "matches": bulletins.bulletin_matches_history(bulletin)
            if bulletins.can_issue(user)
            else None,
        },
    )


@permission_required(Permission.RESULT_VIEW)
def bulletin_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    bulletin = bulletins.bulletin_get(user=user, pk=pk)
    pdf = bulletin_pdf(bulletin.content)
    return _file(pdf, "application/pdf", _name(bulletin.content, "pdf"), inline=True)


@permission_required(Permission.RESULT_VIEW)
def bulletin_file_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    bulletin = bulletins.bulletin_get(user=user, pk=pk)
    return _file(bulletin_xlsx(bulletin.content), XLSX, _name(bulletin.content, "xlsx"))
