"""Checking a whole SchemeSpec: every problem at once, each with where it is."""

from __future__ import annotations

from decimal import Decimal

from kaohe.exchange.problems import Problem
from kaohe.exchange.spec import IndicatorSpec, SchemeSpec
from kaohe.scoring.formula import FormulaError, parse
from kaohe.scoring.registry import validate_method


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _at(item: IndicatorSpec, field: str, fallback: str) -> str:
    return item.where.get(field) or item.where.get("") or fallback


def validate_spec(spec: SchemeSpec) -> list[Problem]:
    """Structure and arithmetic of a scheme: codes, tree, points and totals, methods, formulas."""
    problems: list[Problem] = []
    if not spec.indicators:
        problems.append(Problem("indicators", "no_indicators"))
    for group, members in (
        ("categories", spec.categories),
        ("data_items", spec.data_items),
        ("source_indicators", spec.sources),
        ("indicators", spec.indicators),
    ):
        seen: set[str] = set()
        for item in members:
            if item.code in seen:  # reported where it appears again
                problems.append(
                    Problem(item.where.get("code", group), "duplicate", {"code": item.code})
                )
            seen.add(item.code)
    categories = {c.code: c for c in spec.categories}
    by_code = {i.code: i for i in spec.indicators}
    has_children = {i.parent for i in spec.indicators if i.parent}
    data_codes = {d.code for d in spec.data_items}
    sources = {s.code for s in spec.sources}
    for n, ind in enumerate(spec.indicators):
        here = f"indicators[{n}]"
        if ind.parent and ind.parent not in by_code:
            problems.append(
                Problem(
                    _at(ind, "parent", here),
                    "unknown_parent",
                    {"parent": ind.parent, "code": ind.code},
                )
            )
        # Walk up to the root; meeting the start again is a cycle.
        seen, node = {ind.code}, ind
        while node.parent and node.parent in by_code:
            node = by_code[node.parent]
            if node.code in seen:
                problems.append(Problem(_at(ind, "parent", here), "cycle", {"code": ind.code}))
                break
            seen.add(node.code)
        leaf = ind.code not in has_children
        if leaf and not ind.points:
            problems.append(
                Problem(_at(ind, "points", here), "leaf_without_points", {"code": ind.code})
            )
        if not leaf and ind.points:
            problems.append(
                Problem(_at(ind, "points", here), "points_on_branch", {"code": ind.code})
            )
        for cat, pts in ind.points.items():
            if cat not in categories:
                problems.append(
                    Problem(_at(ind, "points", here), "unknown_category", {"category": cat})
                )
            if pts < 0:
                problems.append(
                    Problem(
                        _at(ind, "points", here),
                        "negative_points",
                        {"code": ind.code, "category": cat},
                    )
                )
        if leaf:
            for detail in validate_method({"kind": "completion_ratio", **ind.method}):
                problems.append(
                    Problem(
                        _at(ind, "method", here), "bad_method", {"code": ind.code, "detail": detail}
                    )
                )
        if ind.formula:
            try:
                names = parse(ind.formula).names
            except FormulaError as exc:
                problems.append(
                    Problem(
                        _at(ind, "formula", here), "bad_formula", {"code": ind.code, "detail": exc}
                    )
                )
            else:
                if missing := sorted(names - data_codes):
                    problems.append(
                        Problem(
                            _at(ind, "formula", here),
                            "unknown_data_item",
                            {"code": ind.code, "items": ", ".join(missing)},
                        )
                    )
        if ind.source and ind.source not in sources:
            problems.append(
                Problem(
                    _at(ind, "source", here),
                    "unknown_source",
                    {"code": ind.code, "source": ind.source},
                )
            )
    # Per category, the leaves that apply to it add up to its total (exactly, in decimals).
    sums: dict[str, Decimal] = {}
    for ind in spec.indicators:
        if ind.code in has_children:
            continue
        for cat, pts in ind.points.items():
            sums[cat] = sums.get(cat, Decimal(0)) + Decimal(str(pts))
    for n, category in enumerate(spec.categories):
        total = Decimal(str(category.total_points))
        got = sums.get(category.code, Decimal(0))
        if got != total:
            problems.append(
                Problem(
                    category.where.get("total_points", f"categories[{n}].total_points"),
                    "totals",
                    {"category": category.code, "sum": _plain(got), "total": _plain(total)},
                )
            )
    return problems
