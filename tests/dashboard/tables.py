"""Read a page's dashboard tables and a downloaded workbook as rows of text, to compare them."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from openpyxl import load_workbook


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._key: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._key = dict(attrs).get("data-testid")
            if self._key:
                self.tables[self._key] = []
        elif self._key and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._key = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", " ".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._key:
            self.tables[self._key].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and data.strip():
            self._cell.append(data.strip())


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """Each table with a data-testid: its rows (the header row first) as cell texts."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def workbook_sheets(content: bytes) -> list[list[list[str]]]:
    """Each worksheet's rows as text, in order."""
    wb = load_workbook(io.BytesIO(content))
    return [
        [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in wb.worksheets
    ]
