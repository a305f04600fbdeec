"""An appraisal round from its frozen inputs: component scores, composite, rank and grade.

A round (季度考评 or 年度考核) is computed from one JSON-able snapshot of everything it rests on
(``RoundInputs``): the rules, the categories and units, each leaf indicator's method and points,
each unit's confirmed value and target, the quarterly rounds' scores, the higher-level results,
the evaluators' ratings and the adjustments (bonuses, deductions, vetoes). ``compute_round`` is
a pure function of that snapshot, so the same snapshot always gives the same results, and
``digest`` gives the SHA-256 both of the snapshot and of the results: a published round records
them, and a rerun proves it unchanged.

Per category (SCORING.md "Composite, rank and grade"):

- ``own``: the county's own appraisal, 100 × (sum of the leaf scores) / (sum of the points of
  the leaves the round appraises: the category's total once every leaf is due), each leaf
  scored by its method over the category's units through ``state.score_cells``, as every page
  scores it (a unit with no value, or no target where the method needs one, scores 0 on it);
- ``quarterly``, ``higher``: given per unit (0 when missing, said so in the explanation);
- ``rating``: ``rating.evaluator_rating`` over the evaluator groups;
- the composite (``composite.composite``) weights the components the rules name, adds bonuses
  and subtracts deductions within their caps; ranks (``standings.rank_within``) and grades
  (``grading.grade`` with thresholds, quotas and ``veto.veto`` caps) follow.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from kaohe.scoring.composite import composite
from kaohe.scoring.grading import grade
from kaohe.scoring.rating import Group, evaluator_rating
from kaohe.scoring.round_rules import COMPONENTS, problem_sentence, rules_problems
from kaohe.scoring.standings import rank_within
from kaohe.scoring.state import LeafRule, score_cells
from kaohe.scoring.veto import veto

RoundInputs = dict[str, Any]
RoundResults = dict[str, Any]


def canonical(data: Any) -> bytes:
    """The one byte form of a snapshot or results: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(data: Any) -> str:
    """SHA-256 of the canonical form, in hex."""
    return hashlib.sha256(canonical(data)).hexdigest()


def check_rules(rules: Mapping[str, Any]) -> list[str]:
    """Every problem with a round's rules, each a sentence naming the setting
    (``kaohe.scoring.round_rules``)."""
    return [problem_sentence(p) for p in rules_problems(rules)]


def _rating_scores(inputs: RoundInputs, unit_ids: list[int], places: int) -> dict[int, Any]:
    ratings = inputs.get("ratings") or {}
    groups_spec = ratings.get("groups") or []
    if not groups_spec:
        return {}
    groups = []
    for g in groups_spec:
        table = ratings.get("tables", {}).get(g["code"], {})
        width = max([len(table.get(str(u), [])) for u in unit_ids] + [1])
        grid = np.full((len(unit_ids), width), np.nan)
        for i, u in enumerate(unit_ids):
            row = table.get(str(u), [])
            grid[i, : len(row)] = row
        groups.append(Group(g["name"], float(g["weight"]), grid, bool(g.get("drop_extremes"))))
    batch = evaluator_rating(groups, places=places)
    return {
        u: (float(batch.rounded[i]), batch.explanations[i].arithmetic)
        for i, u in enumerate(unit_ids)
    }


def _own_scores(
    inputs: RoundInputs, category: str, unit_ids: list[int], places: int
) -> tuple[np.ndarray[Any, Any], dict[int, list[dict[str, Any]]]]:
    values: dict[tuple[int, int], float | None] = {}
    targets: dict[tuple[int, int], float | None] = {}
    for u, i, v, t in inputs.get("values", []):
        values[(int(u), int(i))] = v
        targets[(int(u), int(i))] = t
    leaves = [
        LeafRule(
            id=int(ind["id"]),
            code=ind["code"],
            method=ind.get("method") or {},
            higher_is_better=bool(ind.get("higher_is_better", True)),
            points={category: float(p)}
            if (p := (ind.get("points") or {}).get(category)) is not None
            else {},
        )
        for ind in inputs.get("indicators", [])
    ]
    # The points of the leaves the round appraises: the category's total when every leaf is
    # due, less in a quarterly round that comes before the yearly indicators are reported.
    total = math.fsum(p for leaf in leaves for p in leaf.points.values())
    if total <= 0:
        raise ValueError(f"category {category}: no leaf with points is appraised in this round")
    # Each leaf by its own method over the category, as every page scores it (scoring.state).
    cells = score_cells(leaves, [(u, category) for u in unit_ids], values, targets, places=places)
    # A page may show "not scored" and go on; a round must not publish zeros for it.
    broken = sorted({c.gap for c in cells.values() if c.gap.startswith("not scored: ")})
    if broken:
        raise ValueError(f"category {category}: {'; '.join(broken)}")
    names = {int(ind["id"]): ind.get("name", "") for ind in inputs.get("indicators", [])}
    sums = np.zeros(len(unit_ids))
    lines: dict[int, list[dict[str, Any]]] = {u: [] for u in unit_ids}
    for j, u in enumerate(unit_ids):
        for leaf in leaves:
            cell = cells.get((u, leaf.id))
            if cell is None:
                continue
            sums[j] += float(cell.score)
            lines[u].append(
                {
                    "indicator": leaf.code,
                    "name": names[int(leaf.id)],
                    "points": cell.points,
                    "score": float(cell.score),
                    "arithmetic": cell.arithmetic,
                }
            )
    return sums * 100.0 / total, lines


def compute_round(inputs: RoundInputs) -> RoundResults:
    """Results of a round from its snapshot: per unit, components, composite, rank and grade."""
    rules = inputs["rules"]
    problems = check_rules(rules)
    if problems:
        raise ValueError("; ".join(problems))
    places = int(rules.get("places", 2))
    weights: dict[str, float] = {k: float(v) for k, v in rules["components"].items()}
    names = [c for c in COMPONENTS if c in weights]
    grades = [(str(code), minimum) for code, minimum in rules["grades"]]
    grade_codes = [g[0] for g in grades]
    veto_caps: dict[str, str] = dict(rules.get("vetoes") or {})
    adjustments = inputs.get("adjustments") or []
    results: dict[str, dict[str, Any]] = {}
    by_category: dict[str, list[int]] = {}
    for unit in inputs["units"]:
        by_category.setdefault(unit["category"], []).append(int(unit["id"]))
    for category, unit_ids in sorted(by_category.items()):
        n = len(unit_ids)
        columns: dict[str, np.ndarray[Any, Any]] = {}
        notes: dict[str, dict[int, str]] = {c: {} for c in names}
        own_lines: dict[int, list[dict[str, Any]]] = {u: [] for u in unit_ids}
        if "own" in names:
            columns["own"], own_lines = _own_scores(inputs, category, unit_ids, places)
        for given in ("quarterly", "higher"):
            if given in names:
                table = inputs.get(given) or {}
                columns[given] = np.array([float(table.get(str(u), 0.0)) for u in unit_ids])
                for u in unit_ids:
                    if str(u) not in table:
                        notes[given][u] = f"no {given} result → 0"
        if "rating" in names:
            rated = _rating_scores(inputs, unit_ids, places)
            columns["rating"] = np.array([rated.get(u, (0.0, ""))[0] for u in unit_ids])
            for u in unit_ids:
                notes["rating"][u] = rated.get(u, (0.0, "no rating groups → 0"))[1]
        bonus = np.zeros(n)
        deduction = np.zeros(n)
        flags = np.zeros((n, len(veto_caps)), dtype=bool)
        kinds = list(veto_caps)
        reasons: dict[int, list[str]] = {u: [] for u in unit_ids}
        veto_reasons: dict[int, list[str]] = {u: [] for u in unit_ids}
        index = {u: k for k, u in enumerate(unit_ids)}
        for adj in adjustments:
            k = index.get(int(adj["unit"]))
            if k is None:
                continue
            reasons[unit_ids[k]].append(f"{adj['kind']} {adj.get('code', '')}: {adj['reason']}")
            if adj["kind"] == "bonus":
                bonus[k] += float(adj["points"])
            elif adj["kind"] == "deduction":
                deduction[k] += float(adj["points"])
            elif adj["kind"] == "veto":
                if adj["code"] not in veto_caps:
                    raise ValueError(f"veto {adj['code']!r} is not one the rules name")
                flags[k, kinds.index(adj["code"])] = True
                veto_reasons[unit_ids[k]].append(str(adj["reason"]))
        matrix = np.column_stack([columns[c] for c in names])
        total = composite(
            matrix,
            [weights[c] for c in names],
            bonus=bonus,
            deduction=deduction,
            bonus_cap=rules.get("bonus_cap"),
            deduction_cap=rules.get("deduction_cap"),
            names=names,
            places=places,
        )
        ranks = rank_within(total.rounded, places=places)
        vetoes = veto(flags, veto_caps, grade_codes) if kinds else None
        graded = grade(
            total.rounded,
            grades,
            quotas=rules.get("quotas") or None,
            vetoes=vetoes.caps if vetoes else None,
            boundary_ties=rules.get("boundary_ties", "together"),
            places=places,
        )
        for k, u in enumerate(unit_ids):
            results[str(u)] = {
                "category": category,
                "components": {c: float(np.round(columns[c][k], 10)) for c in names},
                "bonus": float(bonus[k]),
                "deduction": float(deduction[k]),
                "composite": str(total.scores[k]),
                "rank": int(ranks.ranks[k]),
                "of": n,
                "grade": graded.grades[k],
                "qualified": grade_codes[int(graded.qualified[k])],
                # The best grade still allowed, and the events that capped it, as entered.
                "veto": f"≤ {vetoes.caps[k]} · {'; '.join(veto_reasons[u])}"
                if vetoes and vetoes.caps[k]
                else "",
                "explanation": {
                    "composite": total.explanations[k].arithmetic,
                    "rank": ranks.explanations[k].arithmetic,
                    "grade": graded.explain(k),
                    "components": {c: notes[c].get(u, "") for c in names if notes[c].get(u)},
                    "own": own_lines[u],
                    "adjustments": reasons[u],
                },
            }
    return {"units": results}
