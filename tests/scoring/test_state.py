"""kaohe.scoring.state: every unit × leaf scored by the leaf's own method, per category."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

from kaohe.scoring.state import LeafRule, gaps, score_cells, score_sample, unit_totals

UNITS = [("a", "town"), ("b", "town"), ("c", "town"), ("d", "dept")]


def _leaf(code: str, method: dict[str, object], points: dict[str, float], higher: bool = True):
    return LeafRule(code, code, method, higher, points)


def test_it_scores_a_rank_table_over_the_whole_category() -> None:
    leaf = _leaf("rank", {"kind": "rank_points", "table": [10, 8, 6]}, {"town": 10})
    values = {("a", "rank"): 3.0, ("b", "rank"): 9.0, ("c", "rank"): 5.0}
    cells = score_cells([leaf], UNITS, values, {})
    assert {u: cells[(u, "rank")].score for u in "abc"} == {
        "a": Decimal("6.00"),
        "b": Decimal("10.00"),
        "c": Decimal("8.00"),
    }
    # The department's category has no points on the leaf: it does not apply there.
    assert ("d", "rank") not in cells


def test_it_scores_efficacy_and_proportional_methods_without_any_target() -> None:
    efficacy = _leaf(
        "eff", {"kind": "efficacy_coefficient", "satisfactory": 12, "not_allowed": 6}, {"town": 100}
    )
    best = _leaf("best", {"kind": "proportional_to_best"}, {"town": 10})
    values = {("a", "eff"): 5.81, ("a", "best"): 4.0, ("b", "best"): 8.0}
    cells = score_cells([efficacy, best], UNITS[:2], values, {})
    # The published worked case: x=5.81, xh=12, xs=6 gives 58.73 on a 100-point scale.
    assert cells[("a", "eff")].score == Decimal("58.73")
    assert cells[("a", "best")].score == Decimal("5.00")
    assert cells[("b", "best")].score == Decimal("10.00")
    assert not cells[("a", "eff")].gap


def test_a_cell_without_a_value_or_a_needed_target_says_why_and_scores_zero() -> None:
    ratio = _leaf("r", {}, {"town": 10})  # no method named: completion ratio
    values = {("a", "r"): 5.0, ("b", "r"): 4.0}
    targets = {("a", "r"): 10.0, ("c", "r"): 10.0}
    cells = score_cells([ratio], UNITS[:3], values, targets)
    assert cells[("a", "r")].score == Decimal("5.00") and cells[("a", "r")].gap == ""
    assert (cells[("b", "r")].gap, cells[("b", "r")].score) == ("no target", Decimal(0))
    assert (cells[("c", "r")].gap, cells[("c", "r")].score) == ("no value", Decimal(0))
    assert cells[("c", "r")].arithmetic == "no value → 0"
    assert [c.unit for c in gaps(cells.values())] == ["b", "c"]


def test_a_unit_without_a_value_takes_no_part_in_the_ranking() -> None:
    leaf = _leaf("rank", {"kind": "rank_points", "table": [10, 8, 6]}, {"town": 10})
    cells = score_cells([leaf], UNITS[:3], {("a", "rank"): 1.0, ("b", "rank"): 2.0}, {})
    assert cells[("b", "rank")].score == Decimal("10.00")
    assert cells[("a", "rank")].score == Decimal("8.00")  # second of two, not of three
    assert cells[("c", "rank")].gap == "no value"


def test_a_method_that_cannot_score_names_its_problem_for_every_unit() -> None:
    leaf = _leaf("bad", {"kind": "efficacy_coefficient", "satisfactory": 6}, {"town": 10})
    cells = score_cells([leaf], UNITS[:2], {("a", "bad"): 1.0, ("b", "bad"): 2.0}, {})
    assert all(c.gap.startswith("not scored: ") and "not_allowed" in c.gap for c in cells.values())


def test_totals_add_the_leaf_scores_and_rank_within_the_category() -> None:
    leaves = [_leaf("x", {}, {"town": 10, "dept": 10}), _leaf("y", {}, {"town": 5})]
    values = {("a", "x"): 10.0, ("b", "x"): 5.0, ("c", "x"): 10.0, ("d", "x"): 1.0}
    values |= {("a", "y"): 1.0, ("c", "y"): 5.0}
    targets = {(u, leaf): 10.0 for u, _c in UNITS for leaf in ("x", "y")}
    totals = {t.unit: t for t in unit_totals(score_cells(leaves, UNITS, values, targets), UNITS)}
    assert totals["c"].total == Decimal("12.50") and totals["c"].rank == 1
    assert totals["a"].total == Decimal("10.50") and totals["a"].rank == 2
    assert totals["b"].total == Decimal("5.00") and totals["b"].rank == 3
    assert (totals["d"].rank, totals["d"].of, totals["d"].points) == (1, 1, 10.0)


def test_a_sample_scores_as_a_leaf_alone_would() -> None:
    cell = score_sample({"kind": "completion_ratio", "cap": 1.2}, 11.0, 10.0, 10.0)
    assert cell.score == Decimal("11.00")


def test_no_app_outside_the_scoring_core_calls_a_scoring_method() -> None:
    # The import-linter contract forbids importing the methods' modules; this catches calling
    # them through the registry instead, which would score a leaf otherwise than the rounds do.
    root = Path(__file__).resolve().parents[2] / "kaohe"
    callers = []
    for path in root.rglob("*.py"):
        if root / "scoring" in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in {"score_method", "bind_method"}:
                    callers.append(f"{path.relative_to(root)}:{node.lineno}")
    assert callers == []
