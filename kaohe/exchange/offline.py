"""Scoring a table of values against a scheme file with no database (`kaohe score`).

The values table has the columns unit, category, code, value, target: one row per unit and
indicator (or data item, whose value feeds the indicators whose formulas name it). Each leaf is
scored for each category in one call through kaohe.scoring's registry; units are totalled and
ranked within their category.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from openpyxl import Workbook, load_workbook

from kaohe.exchange.spec import SchemeSpec
from kaohe.scoring.formula import evaluate
from kaohe.scoring.registry import score_method
from kaohe.scoring.standings import competition_ranks

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
    """Every unit's leaf scores (with arithmetic), total and rank in its category."""
    leaves = [i for i in spec.indicators if i.code not in {j.parent for j in spec.indicators}]
    items = {d.code for d in spec.data_items}
    known = {i.code for i in leaves} | items
    for row in rows:
        if row.code not in known:
            raise ValuesFileError(
                f"{row.unit}: {row.code} is neither a leaf indicator nor a data item"
            )
        if row.category not in {c.code for c in spec.categories}:
            raise ValuesFileError(f"{row.unit}: unknown category {row.category}")
    results: list[UnitResult] = []
    for category in spec.categories:
        units = sorted({r.unit for r in rows if r.category == category.code})
        if not units:
            continue
        cell = {(r.unit, r.code): r for r in rows if r.category == category.code}
        totals = np.zeros(len(units))
        lines: dict[str, list[tuple[str, Decimal, str]]] = {u: [] for u in units}
        for leaf in leaves:
            if category.code not in leaf.points:
                continue
            targets = np.array(
                [cell[(u, leaf.code)].target if (u, leaf.code) in cell else np.nan for u in units]
            )
            if leaf.formula:
                inputs = {
                    code: [cell[(u, code)].value if (u, code) in cell else np.nan for u in units]
                    for code in items
                }
                values = evaluate(leaf.formula, inputs)
            else:
                values = np.array(
                    [
                        cell[(u, leaf.code)].value if (u, leaf.code) in cell else np.nan
                        for u in units
                    ]
                )
            scored = ~np.isnan(targets)
            if not scored.any():
                continue
            batch = score_method(
                {"kind": "completion_ratio", **leaf.method},
                values[scored],
                targets[scored],
                leaf.points[category.code],
                higher_is_better=leaf.direction == "higher",
                places=spec.score_places,
            )
            for k, u in enumerate(np.array(units)[scored]):
                lines[str(u)].append((leaf.code, batch.scores[k], batch.explanations[k].arithmetic))
            totals[scored] += np.array([float(s) for s in batch.scores])
        ranks = competition_ranks(totals)
        for n, u in enumerate(units):
            total = sum((s for _c, s, _a in lines[u]), Decimal(0))
            results.append(UnitResult(u, category.code, total, int(ranks[n]), lines[u]))
    return results


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
