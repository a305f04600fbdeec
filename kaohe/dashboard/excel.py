"""The dashboard's tables, built once: the page renders them and `?format=xlsx` downloads them.

Each page's view builds its tables here (headers and cells as plain text, with a link and a
warning colour where the page shows one); dashboard/_table.html renders a table and
`xlsx_response` writes the same tables as worksheets, header row first, so a download always
has the columns and rows the user saw.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kaohe.dashboard.peers import PeerTable
from kaohe.dashboard.selectors import (
    COLOURS,
    LEVELS,
    BattleMap,
    Portfolio,
    Standing,
    UnitOverview,
)
from kaohe.documents.explain_text import localized_name
from kaohe.monitoring.models import Level

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {"green": "C3FAE8", "yellow": "FFF3BF", "orange": "FFD8A8", "red": "FFC9C9"}
FILLS["none"] = "F1F3F5"


@dataclass
class TCell:
    text: str
    href: str = ""
    colour: str = ""  # a warning colour: the cell's background on the page and in Excel
    num: bool = False  # a whole number: right-aligned, written to Excel as a number
    note: str = ""  # a second, smaller line (exported after the text)
    title: str = ""
    css: str = ""

    @property
    def plain(self) -> str:
        return f"{self.text} {self.note}" if self.note else self.text

    def html(self, tag: str) -> str:
        """The cell as the page shows it (escaped): rendered here rather than in a template
        loop, since a county's map has thousands of cells."""
        classes = " ".join(
            x
            for x in (
                f"c c-{self.colour}" if self.colour else "",
                "num" if self.num else "",
                self.css,
            )
            if x
        )
        attrs = f' class="{classes}"' if classes else ""
        if self.colour:
            attrs += f' data-level="{self.colour}"'
        if self.title:
            attrs += f' title="{escape(self.title)}"'
        body = str(escape(self.text))
        if self.href:
            body = f'<a href="{escape(self.href)}">{body}</a>'
        if self.note:
            body += f'<br><small class="muted">{escape(self.note)}</small>'
        return f"<{tag}{attrs}>{body}</{tag}>"


@dataclass
class Table:
    key: str
    title: str
    headers: list[TCell]
    rows: list[list[TCell]] = field(default_factory=list)
    css: str = ""

    def render(self) -> SafeString:
        head = "".join(h.html("th") for h in self.headers)
        body = "".join("<tr>" + "".join(c.html("td") for c in row) + "</tr>\n" for row in self.rows)
        if not self.rows:
            body = (
                f'<tr class="empty"><td colspan="{len(self.headers)}">'
                f"{escape(_('Nothing to show.'))}</td></tr>"
            )
        css = f' class="{escape(self.css)}"' if self.css else ""
        return mark_safe(  # noqa: S308 - every text above is escaped
            f'<table{css} data-testid="{escape(self.key)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )


def _h(*labels: str) -> list[TCell]:
    return [TCell(label) for label in labels]


def _n(value: int, href: str = "") -> TCell:
    return TCell(str(value), href=href, num=True)


def _url_maker(name: str, arity: int) -> Callable[..., str]:
    """A route's URL for many ids at the cost of one reverse(): ids are integers in the path."""
    marks = [str(987650 + n) for n in range(arity)]
    pattern = reverse(name, args=marks)

    def url(*ids: int) -> str:
        out = pattern
        for mark, pk in zip(marks, ids, strict=True):
            out = out.replace(mark, str(pk), 1)
        return out

    return url


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def level_names() -> dict[int, str]:
    return {int(level): str(level.label) for level in Level}


# --- the battle map -----------------------------------------------------------------------------


def map_table(data: BattleMap) -> Table:
    """Units against the columns; a first-level cell counts the leaves in its worst colour."""
    base = reverse("dashboard:battlemap")
    query: dict[str, str | int] = dict(data.filters.params())
    headers = _h(_("Unit"), _("Category"))
    # Names in the reader's language, looked up once per column rather than once per cell.
    column_names = {c.pk: localized_name(c) for c in data.columns}
    for c in data.columns:
        name = column_names[c.pk]
        if data.parent is None:
            href = f"{base}?{urlencode({**query, 'parent': c.code})}"
            headers.append(TCell(name, href=href, title=name))
        else:
            headers.append(TCell(c.code, note=name, title=name))
    drill = {c.pk: f"{base}?{urlencode({**query, 'parent': c.code})}" for c in data.columns}
    unit_url, cell_url = _url_maker("dashboard:unit", 1), _url_maker("dashboard:cell", 2)
    rows = []
    for unit, cells in data.rows:
        row = [
            TCell(unit.name, href=unit_url(unit.pk)),
            TCell(localized_name(unit.category), css="muted"),
        ]
        for cell in cells:
            if data.parent is None:
                href = drill[cell.column.pk]
                text = str(cell.worst) if cell.level >= 0 else "—"
            else:
                href = cell_url(unit.pk, cell.column.pk)
                text = cell.colour_label if cell.level >= 0 else "—"
            row.append(
                TCell(
                    text,
                    href=href,
                    colour=cell.colour,
                    title=f"{unit.name} · {column_names[cell.column.pk]}",
                )
            )
        rows.append(row)
    title = _("Battle map") + (f" {localized_name(data.parent)}" if data.parent else "")
    return Table("battlemap", title, headers, rows, css="map")


def ranking_table(standings: list[Standing], *, key: str = "ranking") -> Table:
    """Units by their share of green leaves, with their counts of each colour."""
    names = level_names()
    headers = _h(_("Rank"), _("Unit"), _("Category"), _("Rank in category"))
    headers += [TCell(names[int(level)], num=True) for level in LEVELS]
    headers += _h(_("Share of green"), _("Share of red"))
    rows = []
    for s in standings:
        unit_url = reverse("dashboard:unit", args=[s.unit.pk])
        row = [
            _n(s.rank),
            TCell(s.unit.name, href=unit_url),
            TCell(localized_name(s.unit.category)),
            TCell(f"{s.category_rank}/{s.category_size}"),
        ]
        row += [
            TCell(str(s.counts.get(level, 0)), href=unit_url, colour=COLOURS[level], num=True)
            for level in LEVELS
        ]
        row += [TCell(_pct(s.share(Level.GREEN))), TCell(_pct(s.share(Level.RED)))]
        rows.append(row)
    return Table(key, _("Ranking by share of green"), headers, rows)


# --- views by role ------------------------------------------------------------------------------


def portfolio_table(data: Portfolio) -> Table:
    """A leader's indicators, lagging first: how many units stand at each colour."""
    names = level_names()
    headers = _h(_("Indicator"), _("First-level indicator"), _("Assessing department"))
    headers += [TCell(names[int(level)], num=True) for level in LEVELS]
    headers += _h(_("Units lagging"))
    base = reverse("dashboard:battlemap")
    rows = []
    for r in data.rows:
        params = {"parent": r.first_level.code, "leader": data.cadre.pk if data.cadre else ""}
        drill = f"{base}?{urlencode(params)}"
        row = [
            TCell(f"{r.indicator.code} {localized_name(r.indicator)}"),
            TCell(localized_name(r.first_level), href=drill),
            TCell(r.indicator.assessor.name if r.indicator.assessor else ""),
        ]
        row += [
            TCell(str(r.counts.get(level, 0)), href=drill, colour=COLOURS[level], num=True)
            for level in LEVELS
        ]
        lagging = "、".join(u.name for u, _level in r.lagging[:6])
        if len(r.lagging) > 6:
            lagging += _("… (%(n)d in all)") % {"n": len(r.lagging)}
        row.append(TCell(lagging or "—"))
        rows.append(row)
    return Table("portfolio", _("Indicators in the portfolio"), headers, rows)


def unit_indicator_table(data: UnitOverview) -> Table:
    headers = _h(
        _("Indicator"), _("First-level indicator"), _("Warning"), _("As of"), _("Completion")
    )
    headers += _h(_("Time schedule"))
    rows = []
    for r in data.rows:
        w = r.warning
        href = reverse("dashboard:cell", args=[data.unit.pk, r.indicator.pk])
        completion = "—" if w is None or w.completion is None else f"{w.completion * 100:.1f}%"
        rows.append(
            [
                TCell(f"{r.indicator.code} {localized_name(r.indicator)}", href=href),
                TCell(localized_name(r.first_level)),
                TCell(str(Level(r.level).label), href=href, colour=COLOURS[r.level]),
                TCell(f"{w.as_of.month}月{w.as_of.day}日" if w else "—"),
                TCell(completion),
                TCell("—" if w is None else f"{w.schedule * 100:.1f}%"),
            ]
        )
    return Table("unit-indicators", _("Indicators, lagging first"), headers, rows)


def unit_history_table(data: UnitOverview) -> Table:
    names = level_names()
    headers = _h(_("Month"))
    headers += [TCell(names[int(level)], num=True) for level in LEVELS]
    headers += _h(_("Share of green"))
    rows = []
    for month, counts in data.history:
        n = sum(v for k, v in counts.items() if k >= 0)
        row = [TCell(f"{month.year}年{month.month}月")]
        row += [
            TCell(str(counts.get(level, 0)), colour=COLOURS[level], num=True) for level in LEVELS
        ]
        row.append(TCell(_pct(counts.get(Level.GREEN, 0) / n if n else None)))
        rows.append(row)
    return Table("unit-history", _("Colour through the year"), headers, rows)


# --- peer ranking -------------------------------------------------------------------------------


def peer_table_cells(table: PeerTable, own_county_id: int | None) -> Table:
    headers = _h(_("Statistic"))
    headers += [
        TCell(c.name, num=True, css="own" if c.pk == own_county_id else "") for c in table.counties
    ]
    rows = []
    for metric, cells in table.rows:
        row = [TCell(f"{localized_name(metric)}（{metric.unit_of_measure}）")]
        for cell in cells:
            if cell.value is None:
                row.append(TCell("—", num=True))
                continue
            text = f"{cell.value:.1f}" + ("*" if cell.synthetic else "")
            note = _("rank %(r)s") % {"r": cell.rank}
            row.append(TCell(text, note=note, num=True))
        rows.append(row)
    return Table("peers", _("Peer ranking"), headers, rows)


# --- the workbook -------------------------------------------------------------------------------

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def workbook(tables: Iterable[Table]) -> bytes:
    """One worksheet per table: the header row, then the rows, as the page shows them."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for table in tables:
        name = _SHEET_BAD.sub(" ", table.title)[:28] or table.key
        while name in used:
            name += "_"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([h.plain for h in table.headers])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="EEF2F7")
        for row in table.rows:
            ws.append([int(c.text) if c.num and c.text.isdigit() else c.plain for c in row])
            for xl, c in zip(ws[ws.max_row], row, strict=True):
                if c.colour:
                    xl.fill = PatternFill("solid", fgColor=FILLS[c.colour])
                    xl.alignment = Alignment(horizontal="center")
        for n, h in enumerate(table.headers, start=1):
            width = max([len(h.plain), *(len(r[n - 1].plain) for r in table.rows)], default=4)
            ws.column_dimensions[get_column_letter(n)].width = min(max(width * 2, 6), 60)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(tables: Iterable[Table], filename: str) -> HttpResponse:
    response = HttpResponse(workbook(tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
