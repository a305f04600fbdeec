"""What every uploaded Excel file of the exchange goes through: the size limits, opening it
safely, the problem types, and reading a cell.

An upload is refused as a whole before openpyxl parses it when it is larger than its limit or
when its zip archive unpacks to far more than that (a zip bomb posing as a workbook: a few
kilobytes that expand to gigabytes in memory); anything openpyxl cannot read is "not an Excel
workbook". Cells are read as values: a cell holding an Excel formula is refused by the readers,
never evaluated.
"""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import fromstring, iterparse

from kaohe.documents.numbers import parse_number
from kaohe.documents.spreadsheet import XLSX

__all__ = [
    "FILE_MESSAGES",
    "MAX_BYTES",
    "MAX_UNPACKED",
    "XLSX",
    "FileProblem",
    "FileProblems",
    "WorkbookRefused",
    "cell_ref",
    "cell_text",
    "header",
    "is_formula",
    "merged_ranges",
    "open_xlsx",
    "parse_number",
]

#: The limits of an uploaded organisation, scheme or history file (the report templates of
#: one unit are smaller and have their own, report_excel.py).
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MIB = 1024 * 1024

#: The problems of a file as a whole, shared by every reader's message table.
FILE_MESSAGES = {
    "too_large": gettext_lazy("The file is larger than %(limit)s MB."),
    "expands": gettext_lazy("This file expands to far more than its size and is refused."),
    "not_xlsx": gettext_lazy("The file is not an Excel workbook (.xlsx) or it is damaged."),
}


@dataclass(frozen=True)
class FileProblem:
    """One problem of an uploaded file: where it is (a cell, a sheet, the file), a code of the
    reader's message table and the message's parameters; told in the active language."""

    location: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    messages: ClassVar[Mapping[str, Any]] = FILE_MESSAGES

    def message(self, language: str | None = None) -> str:
        if language is None:
            return str(self.messages[self.code]) % {k: str(v) for k, v in self.params.items()}
        with translation.override(language):
            return self.message()

    def __str__(self) -> str:
        return f"{self.location}: {self.message()}"


class FileProblems(ValueError):
    """An uploaded file that cannot be used; ``problems`` lists every reason at once (problem
    objects or lines already told), ``lines()`` as the page and the job page show them."""

    def __init__(self, problems: Sequence[Any], summary: str | None = None) -> None:
        super().__init__(summary or "; ".join(str(p) for p in problems))
        self.problems = list(problems)

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class WorkbookRefused(FileProblems):
    """The file as a whole is refused (too large, a zip bomb, not a workbook): ``code`` and
    ``params`` for a reader that words its problems itself, ``problems`` the one message."""

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        self.code = code
        self.params = params or {}
        super().__init__([FileProblem("", code, self.params).message()])


def open_xlsx(
    content: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED,
    read_only: bool = True,
) -> Any:
    """The uploaded workbook, opened for its values (formulas are read as their text), or
    WorkbookRefused. ``read_only`` streams the sheets (the memory stays small whatever the
    rows); a reader that needs merged cells or random access opens it in full mode."""
    if len(content) > max_bytes:
        raise WorkbookRefused("too_large", {"limit": max_bytes // MIB})
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise WorkbookRefused("not_xlsx") from None
    if unpacked > max_unpacked:
        raise WorkbookRefused("expands")
    try:
        return load_workbook(io.BytesIO(content), read_only=read_only, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise WorkbookRefused("not_xlsx") from None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def merged_ranges(content: bytes, sheet: str) -> list[str]:
    """The merged ranges of one sheet (["F3:G3"]), read from the file's XML as a stream.

    A workbook opened read-only has no merged cells to ask for; this reads them without loading
    the sheet (call it after open_xlsx accepted the file). A sheet it cannot find has none."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        try:
            book = fromstring(archive.read("xl/workbook.xml"))
            rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except KeyError:
            return []
        rid = next(
            (s.get(_R_ID) for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None
        )
        target = next(
            (r.get("Target") for r in rels.iter(f"{_RELS}Relationship") if r.get("Id") == rid), None
        )
        if not target:
            return []
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        try:
            stream = archive.open(path)
        except KeyError:
            return []
        ranges: list[str] = []
        with stream:
            for _event, element in iterparse(stream):
                if element.tag == f"{_MAIN}mergeCell":
                    ranges.append(element.get("ref", ""))
                elif element.tag == f"{_MAIN}row":
                    element.clear()  # the rows are not needed: memory stays small
        return ranges


def cell_text(raw: object) -> str:
    """A cell's text, stripped and with full-width letters and digits folded (NFKC); a code
    typed as a number reads as the code (101.0 is "101"); an empty cell is ""."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return unicodedata.normalize("NFKC", str(raw)).strip()


def is_formula(raw: object) -> bool:
    """Whether a cell read with its formulas holds one (it is refused, never evaluated)."""
    return isinstance(raw, str) and raw.startswith("=")


def cell_ref(sheet: str | None, col: int, row: int) -> str:
    """Where a cell is, as Excel names it: 数据!F12 (F12 without a sheet)."""
    ref = f"{get_column_letter(col)}{row}"
    return f"{sheet}!{ref}" if sheet else ref


def header(zh: str, en: str) -> str:
    """A column or sheet header of the exchange files: Chinese, then the English key."""
    return f"{zh} {en}"
