"""An issued bulletin's files: drawing the PDF and the workbook, storing them once, reading them.

The PDF (WeasyPrint, kaohe.documents) of a county's monthly bulletin runs to 40 pages and takes
15-30 seconds to draw: far too long for a request. So a request never draws one. Issuing starts
a job (kaohe/dashboard/tasks.py) that the task worker runs: it draws both files from the frozen
content and stores them on the Bulletin with their SHA-256 and size, in one audited transaction.
A download reads the stored bytes after checking them against the stored hash (a file changed on
disk is refused, never served); a bulletin whose files are not stored yet (issued before files
were stored, or still rendering) gets one render job however many people ask for it at once.

The PDF and the workbook are drawn from the same tables (``bulletin_tables``), so they always
carry the same rows. Drafts are drawn by a job too, into the job's own output file.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kaohe.audit.services import audit_record
from kaohe.dashboard.bulletins import LEVEL_NAME, bulletin_intact, bulletin_render_ensure
from kaohe.dashboard.models import Bulletin
from kaohe.documents.official import bar_chart_svg, render_pdf
from kaohe.jobs.models import BackgroundJob
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import County, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
LEVEL_COLOUR = {0: "#1e8449", 1: "#d4ac0d", 2: "#ca6f1e", 3: "#c0392b"}
_COLOUR_CLASS = {-1: "none", 0: "green", 1: "yellow", 2: "orange", 3: "red"}
DRAFT_KIND = "bulletins.draft"


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


# -- names -----------------------------------------------------------------------------------

CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX}


def file_name(bulletin: Bulletin, ext: str) -> str:
    """The name a reader saves the file under: its number and title, as on the document
    (示绩通〔2026〕1号 关于2026年10月份…的通报.pdf); sent as RFC 5987 UTF-8."""
    return f"{bulletin.document_number} {bulletin.title}.{ext}"


def draft_file_name(content: dict[str, Any], ext: str) -> str:
    return f"{content['title']}（草稿）.{ext}"


def _disk_name(bulletin: Bulletin, ext: str) -> str:
    """ASCII on disk (any file system, any backup tool): county, kind, year and number."""
    return f"{bulletin.county.code}-{bulletin.kind}-{bulletin.year}-{bulletin.number}.{ext}"


# -- storing the issued files, once ----------------------------------------------------------

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, step: str) -> None:
    return None


def _may_read(user: User, bulletin: Bulletin) -> None:
    require(user, Permission.RESULT_VIEW)
    if bulletin.county_id != county_id_of(user):
        raise PermissionDenied("another county's bulletin")


def bulletin_files_render(
    *, user: User | None, bulletin: Bulletin, progress: Progress = _no_progress
) -> Bulletin:
    """Draw an issued bulletin's PDF and workbook from its frozen content and store both on it
    with their SHA-256 and size, audited (``bulletin.files``). Once: a bulletin whose files are
    stored comes back as it is, and two renders racing store one pair.

    Drawing takes seconds, so it runs outside any transaction and holds no lock; storing takes
    the bulletin row's lock. ``user`` None is the system (the render job after an issue, the
    operators' ``kaohe bulletins render``); a user must be one who reads the county's bulletins.
    Content that no longer matches its hash is not drawn: the files would certify it.
    """
    if user is not None:
        _may_read(user, bulletin)
    if bulletin.files_stored:
        return bulletin
    if not bulletin_intact(bulletin):
        raise ValidationError(
            _("The stored content of bulletin %(number)s no longer matches its hash.")
            % {"number": bulletin.document_number}
        )
    progress(0, 3, _("Drawing the PDF"))
    pdf = bulletin_pdf(bulletin.content)
    progress(1, 3, _("Drawing the Excel workbook"))
    xlsx = bulletin_xlsx(bulletin.content)
    progress(2, 3, _("Storing the files"))
    return _files_store(user=user, pk=bulletin.pk, files={"pdf": pdf, "xlsx": xlsx})


@transaction.atomic
def _files_store(*, user: User | None, pk: int, files: dict[str, bytes]) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().select_related("county").get(pk=pk)
    if bulletin.files_stored:  # another render stored them while this one was drawing
        return bulletin
    saved: list[str] = []
    try:
        after: dict[str, Any] = {"number": bulletin.document_number}
        for ext, data in files.items():
            field = getattr(bulletin, f"{ext}_file")
            field.save(_disk_name(bulletin, ext), ContentFile(data), save=False)
            saved.append(field.name)
            digest = hashlib.sha256(data).hexdigest()
            setattr(bulletin, f"{ext}_sha256", digest)
            setattr(bulletin, f"{ext}_size", len(data))
            after |= {f"{ext}_sha256": digest, f"{ext}_size": len(data), f"{ext}_file": field.name}
        bulletin.files_rendered_at = timezone.now()
        bulletin.save(
            update_fields=[
                *(f"{ext}_{part}" for ext in files for part in ("file", "sha256", "size")),
                "files_rendered_at",
            ]
        )
        audit_record(
            actor=user or "system",
            action="bulletin.files",
            county_code=bulletin.county.code,
            object_type="bulletin",
            object_id=bulletin.pk,
            after=after,
        )
    except BaseException:
        # The files are written before the row; a failed save leaves no file behind. (Should
        # an enclosing transaction roll back later, the files stay as unreferenced orphans: a
        # later render stores new ones under fresh names, never reusing these.)
        for name in saved:
            bulletin.pdf_file.storage.delete(name)
        raise
    return bulletin


def bulletin_files_request(*, user: User, bulletin: Bulletin) -> BackgroundJob | None:
    """A reader asks for files not stored yet: start the render job unless one is on its way
    (bulletin_render_ensure: one job however many ask at once). None when they are stored."""
    _may_read(user, bulletin)
    return bulletin_render_ensure(pk=bulletin.pk)


def bulletins_without_files(*, county: County | None = None) -> QuerySet[Bulletin]:
    """Issued bulletins whose files are not stored (issued before files were stored)."""
    rows = Bulletin.objects.filter(pdf_file="") | Bulletin.objects.filter(xlsx_file="")
    if county is not None:
        rows = rows.filter(county=county)
    return rows.select_related("county", "period__scheme").order_by("county__code", "issued_at")


def bulletins_render_missing(
    *, county: County | None = None, each: Callable[[Bulletin], None] | None = None
) -> int:
    """Draw and store the files of every issued bulletin without them, as the system (the
    operators' command and the demo build); returns how many were drawn."""
    drawn = 0
    for bulletin in bulletins_without_files(county=county):
        stored = bulletin_files_render(user=None, bulletin=bulletin)
        drawn += 1
        if each is not None:
            each(stored)
    return drawn


# -- reading a stored file -------------------------------------------------------------------


class StoredFileChanged(Exception):
    """A stored file's bytes no longer have the hash stored with them (or the file is gone)."""


@dataclass(frozen=True)
class StoredFile:
    fmt: str
    name: str
    content_type: str
    size: int
    sha256: str

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]


def stored_files(bulletin: Bulletin) -> list[StoredFile]:
    """The bulletin's stored files as recorded (name, size, hash), without reading them."""
    return [
        StoredFile(
            fmt=ext,
            name=file_name(bulletin, ext),
            content_type=CONTENT_TYPES[ext],
            size=getattr(bulletin, f"{ext}_size"),
            sha256=getattr(bulletin, f"{ext}_sha256"),
        )
        for ext in CONTENT_TYPES
        if getattr(bulletin, f"{ext}_file")
    ]


def bulletin_file_open(*, bulletin: Bulletin, fmt: str) -> tuple[IO[bytes], StoredFile] | None:
    """The stored file opened for reading, after checking its bytes against the stored hash;
    None when it is not stored yet. Raises StoredFileChanged when the bytes on disk are not
    the ones stored (changed, truncated or gone): such a file is never served as the issued one.
    """
    field = getattr(bulletin, f"{fmt}_file")
    if not field:
        return None
    meta = next(f for f in stored_files(bulletin) if f.fmt == fmt)
    try:
        handle: IO[bytes] = field.storage.open(field.name, "rb")
    except FileNotFoundError:
        raise StoredFileChanged(field.name) from None
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 16), b""):
        digest.update(chunk)
    if digest.hexdigest() != meta.sha256:
        handle.close()
        raise StoredFileChanged(field.name)
    handle.seek(0)
    return handle, meta


def bulletin_files_verify(bulletin: Bulletin) -> list[str]:
    """The formats of a bulletin's stored files that fail the hash check (empty: all intact)."""
    bad = []
    for meta in stored_files(bulletin):
        try:
            opened = bulletin_file_open(bulletin=bulletin, fmt=meta.fmt)
        except StoredFileChanged:
            bad.append(meta.fmt)
            continue
        if opened is not None:
            opened[0].close()
    return bad
