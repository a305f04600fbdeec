"""Scoring a table of values against a scheme file with no database (`kaohe score`).

The values table has the columns unit, category, code, value, target: one row per unit and
indicator (or data item, whose value feeds the indicators whose formulas name it); the target
cell may be empty for the methods that need none. Scored by kaohe.scoring.state, as the pages
and rounds score: each leaf for each category in one call; units totalled and ranked within
their category.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from openpyxl import Workbook, load_workbook

from kaohe.exchange.spec import SchemeSpec
from kaohe.scoring.formula import evaluate
from kaohe.scoring.state import LeafRule, gaps, score_cells, unit_totals

COLUMNS = ("unit", "category", "code", "value", "target")


class ValuesFileError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    unit: str
    category: str
    code: str
    value: float
    target: float


@dataclass(frozen=True)
class UnitResult:
    unit: str
    category: str
    total: Decimal
    rank: int
    lines: list[tuple[str, Decimal, str]]  # indicator code, score, arithmetic
    gaps: list[tuple[str, str]] = field(default_factory=list)  # indicator code, why not scored


def _number(text: Any, where: str) -> float:
    if text is None or str(text).strip() == "":
        return float("nan")
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        raise ValuesFileError(f"{where}: {text!r} is not a number") from None


def read_values(content: bytes) -> list[Row]:
    """Rows of a CSV or XLSX values file, checked (headers, numbers)."""
    if content[:4] == b"PK\x03\x04":
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    if not table or [str(h or "").strip().lower() for h in table[0][:5]] != list(COLUMNS):
        raise ValuesFileError(f"the first row must be: {', '.join(COLUMNS)}")
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        if not raw or all(v in (None, "") for v in raw):
            continue
        cells = [*raw, None, None, None, None, None][:5]
        if any(isinstance(c, str) and c.startswith("=") for c in cells):
            raise ValuesFileError(f"row {n}: formulas are not accepted, type the values")
        rows.append(
            Row(
                str(cells[0]).strip(),
                str(cells[1]).strip(),
                str(cells[2]).strip(),
                _number(cells[3], f"row {n}, value"),
                _number(cells[4], f"row {n}, target"),
            )
        )
    return rows


def score_table(spec: SchemeSpec, rows: list[Row]) -> list[UnitResult]:
    """Every unit's leaf scores (with arithmetic), total and rank in its category.

    Scored by kaohe.scoring.state, the path every page and round of Kaohe scores through: each
    leaf by its own method over the category; a target is needed only by the methods that use
    one. A leaf a unit cannot be scored on (no value, no target where one is needed) scores 0
    and is listed in the unit's ``gaps`` with the reason.
    """
    parents = {j.parent for j in spec.indicators}
    leaves = [i for i in spec.indicators if i.code not in parents]
    items = {d.code for d in spec.data_items}
    known = {i.code for i in leaves} | items
    categories = {c.code for c in spec.categories}
    for row in rows:
        if row.code not in known:
            raise ValuesFileError(
                f"{row.unit}: {row.code} is neither a leaf indicator nor a data item"
            )
        if row.category not in categories:
            raise ValuesFileError(f"{row.unit}: unknown category {row.category}")
    unit_category: dict[str, str] = {}
    for row in rows:
        if unit_category.setdefault(row.unit, row.category) != row.category:
            raise ValuesFileError(f"{row.unit}: listed in two categories")
    order = {c.code: n for n, c in enumerate(spec.categories)}
    units = sorted(unit_category.items(), key=lambda uc: (order[uc[1]], uc[0]))
    cell = {(r.unit, r.code): r for r in rows}
    values: dict[tuple[str, str], float | None] = {}
    targets: dict[tuple[str, str], float | None] = {}
    names = [u for u, _c in units]
    for leaf in leaves:
        if leaf.formula:
            computed = evaluate(
                leaf.formula,
                {
                    code: [cell[(u, code)].value if (u, code) in cell else np.nan for u in names]
                    for code in items
                },
            )
            for u, v in zip(names, computed, strict=True):
                values[(u, leaf.code)] = None if np.isnan(v) else float(v)
        for u in names:
            given = cell.get((u, leaf.code))
            if given is None:
                continue
            # A formula leaf's value comes from its data items; where they are not given, the
            # value typed on the leaf's own row (as Kaohe stores the computed value) stands.
            if not np.isnan(given.value) and values.get((u, leaf.code)) is None:
                values[(u, leaf.code)] = given.value
            if not np.isnan(given.target):
                targets[(u, leaf.code)] = given.target
    rules = [
        LeafRule(leaf.code, leaf.code, leaf.method, leaf.direction == "higher", leaf.points)
        for leaf in leaves
    ]
    cells = score_cells(rules, units, values, targets, places=spec.score_places)
    return [
        UnitResult(
            unit=str(t.unit),
            category=t.category,
            total=t.total,
            rank=t.rank,
            lines=[(str(c.leaf), c.score, c.arithmetic) for c in t.cells],
            gaps=[(str(c.leaf), c.gap) for c in gaps(t.cells)],
        )
        for t in unit_totals(cells, units)
    ]


def results_csv(results: list[UnitResult]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "category", "indicator", "score", "explanation", "total", "rank"])
    for r in results:
        for code, score, arithmetic in r.lines:
            writer.writerow([r.unit, r.category, code, score, arithmetic, r.total, r.rank])
    return out.getvalue()


def results_json(results: list[UnitResult]) -> list[dict[str, Any]]:
    return [
        {
            "unit": r.unit,
            "category": r.category,
            "total": str(r.total),
            "rank": r.rank,
            "indicators": [{"code": c, "score": str(s), "explanation": a} for c, s, a in r.lines],
        }
        for r in results
    ]


def results_xlsx(results: list[UnitResult]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "得分 Scores"
    for row in csv.reader(io.StringIO(results_csv(results))):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
