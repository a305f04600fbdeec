"""What makes a round's rules sound, checked before any round is computed with them.

A round's rules (``RoundInputs["rules"]``) name the components and their weights, the grades
best first with their minimums, each grade's quota, the grade each kind of veto caps at, the
caps on bonuses and deductions, the decimal places, and optionally the evaluator groups of the
rating with their weights. ``rules_problems`` lists every problem as a ``RuleProblem``: the
setting it is about (``field``, e.g. ``"rating_groups"`` or ``"grades.1.minimum"``), a code
and its parameters, so that a page can put each one next to its field in the reader's language;
``problem_sentence`` gives the English sentence used by files and logs.

Weights are shares: the components' weights add up to 1, and so do the evaluator groups'
(SCORING.md "Composite, rank and grade" and method 10, e.g. leaders 20 %, peers 40 %, team 40 %).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from kaohe.scoring.grading import BOUNDARY_TIES, SHARE_ROUNDING
from kaohe.scoring.rounding import MAX_PLACES

COMPONENTS = ("own", "quarterly", "higher", "rating")
SHARE_ROUNDINGS = tuple(SHARE_ROUNDING)
MAX_SCORE = 200.0  # a grade's minimum above this is a typing error, not a scheme
# Weights are typed with at most three decimals; a sum within this of 1 is 1.
TOLERANCE = 1e-6


@dataclasses.dataclass(frozen=True)
class RuleProblem:
    """One problem with a round's rules: the setting, a code, and what to say about it."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


_SENTENCES = {
    "components_empty": "name at least one component with its weight",
    "component_unknown": "unknown component {name!r}",
    "weight_not_number": "the weight of {name} must be a non-negative number",
    "components_zero": "at least one component needs a weight above 0",
    "weights_sum": "the weights add up to {total}, not 1",
    "grades_too_few": "list at least two grades, best first, the last without minimum",
    "grade_name_empty": "grade {position} needs a name",
    "grade_name_twice": "the grade {name!r} is listed twice",
    "grade_minimum_missing": "the grade {name} needs a minimum score between 0 and {most}",
    "grade_minimum_order": "the minimum of {name} must be below that of {better}",
    "quota_grade": "{name!r} is not a grade that can have a quota",
    "quota_kind": "the quota of {name} is either a count or a share",
    "quota_count": "the quota of {name} must be a whole number of units, not negative",
    "quota_share": "the share of {name} must lie between 0 and 1",
    "quota_rounding": "the share of {name} rounds down, up or half_up",
    "veto_cap": "{name} caps at {cap!r}, which is not a grade",
    "cap_not_number": "must be empty (no cap) or a non-negative number",
    "places": "must be a whole number from 0 to {most}",
    "boundary_ties": "must be together or input_order",
    "groups_not_list": "must be a list of evaluator groups",
    "group_code": "evaluator group {position} needs a code",
    "group_code_twice": "the evaluator group {code!r} is listed twice",
    "group_name": "evaluator group {code} needs a name",
}


def problem_sentence(problem: RuleProblem) -> str:
    """The English sentence of a problem, prefixed with the setting it names."""
    text = _SENTENCES[problem.code].format(**problem.params)
    return f"{problem.field}: {text}"


def _is_weight(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _weights_sum(found: list[RuleProblem], where: str, weights: list[float]) -> None:
    total = math.fsum(weights)
    if abs(total - 1) > TOLERANCE:
        found.append(RuleProblem(where, "weights_sum", {"total": f"{total:.10g}"}))


def _components(rules: Mapping[str, Any], found: list[RuleProblem]) -> None:
    weights = rules.get("components") or {}
    if not isinstance(weights, Mapping) or not weights:
        found.append(RuleProblem("components", "components_empty"))
        return
    before = len(found)
    for name, w in weights.items():
        if name not in COMPONENTS:
            found.append(RuleProblem("components", "component_unknown", {"name": name}))
        elif not _is_weight(w):
            found.append(RuleProblem(f"components.{name}", "weight_not_number", {"name": name}))
    if len(found) > before:
        return  # a sum of weights that are not all numbers says nothing more
    if not any(w > 0 for w in weights.values()):
        found.append(RuleProblem("components", "components_zero"))
    else:
        _weights_sum(found, "components", [float(w) for w in weights.values()])


def _grades(rules: Mapping[str, Any], found: list[RuleProblem]) -> list[str]:
    grades = rules.get("grades") or []
    if (
        not isinstance(grades, list)
        or len(grades) < 2
        or not all(isinstance(g, list | tuple) and len(g) == 2 for g in grades)
        or grades[-1][1] is not None
    ):
        found.append(RuleProblem("grades", "grades_too_few"))
        return [str(g[0]) for g in grades if isinstance(g, list | tuple) and g]
    codes: list[str] = []
    better: tuple[str, float] | None = None
    for k, (code, minimum) in enumerate(grades):
        name = str(code or "").strip()
        if not name:
            found.append(RuleProblem(f"grades.{k}.name", "grade_name_empty", {"position": k + 1}))
        elif name in codes:
            found.append(RuleProblem(f"grades.{k}.name", "grade_name_twice", {"name": name}))
        codes.append(name)
        if k == len(grades) - 1:
            break
        if not _is_weight(minimum) or minimum > MAX_SCORE:
            found.append(
                RuleProblem(
                    f"grades.{k}.minimum",
                    "grade_minimum_missing",
                    {"name": name or k + 1, "most": f"{MAX_SCORE:g}"},
                )
            )
            continue
        if better is not None and minimum >= better[1]:
            found.append(
                RuleProblem(
                    f"grades.{k}.minimum",
                    "grade_minimum_order",
                    {"name": name, "better": better[0]},
                )
            )
        better = (name, float(minimum))
    return codes


def _quotas(rules: Mapping[str, Any], codes: list[str], found: list[RuleProblem]) -> None:
    quotas = rules.get("quotas") or {}
    if not isinstance(quotas, Mapping):
        found.append(RuleProblem("quotas", "quota_kind", {"name": "?"}))
        return
    for name, quota in quotas.items():
        where = f"quotas.{name}"
        if name not in codes[:-1]:
            found.append(RuleProblem(where, "quota_grade", {"name": name}))
            continue
        if isinstance(quota, int) and not isinstance(quota, bool):
            quota = {"count": quota}
        if not isinstance(quota, Mapping) or ("count" in quota) == ("share" in quota):
            found.append(RuleProblem(where, "quota_kind", {"name": name}))
            continue
        if "count" in quota:
            count = quota["count"]
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                found.append(RuleProblem(where, "quota_count", {"name": name}))
        else:
            share = quota["share"]
            if not _is_weight(share) or share > 1:
                found.append(RuleProblem(where, "quota_share", {"name": name}))
            if quota.get("rounding", "down") not in SHARE_ROUNDINGS:
                found.append(RuleProblem(where, "quota_rounding", {"name": name}))


def _rating_groups(rules: Mapping[str, Any], found: list[RuleProblem]) -> None:
    groups = rules.get("rating_groups")
    if groups is None:
        return  # the groups as their ballots were imported, with the weights given then
    if not isinstance(groups, list) or not all(isinstance(g, Mapping) for g in groups):
        found.append(RuleProblem("rating_groups", "groups_not_list"))
        return
    seen: set[str] = set()
    weights_ok = True
    for k, g in enumerate(groups):
        code = str(g.get("code") or "").strip()
        if not code:
            found.append(RuleProblem(f"rating_groups.{k}.code", "group_code", {"position": k + 1}))
        elif code in seen:
            found.append(RuleProblem(f"rating_groups.{k}.code", "group_code_twice", {"code": code}))
        seen.add(code)
        if not str(g.get("name") or "").strip():
            found.append(RuleProblem(f"rating_groups.{k}.name", "group_name", {"code": code}))
        if not _is_weight(g.get("weight")):
            weights_ok = False
            found.append(
                RuleProblem(f"rating_groups.{k}.weight", "weight_not_number", {"name": code})
            )
    if groups and weights_ok:
        _weights_sum(found, "rating_groups", [float(g["weight"]) for g in groups])


def rules_problems(rules: Mapping[str, Any]) -> list[RuleProblem]:
    """Every problem with a round's rules, in the order of the settings (empty: sound)."""
    found: list[RuleProblem] = []
    _components(rules, found)
    codes = _grades(rules, found)
    _quotas(rules, codes, found)
    vetoes = rules.get("vetoes") or {}
    for kind, cap in vetoes.items() if isinstance(vetoes, Mapping) else []:
        if cap not in codes:
            found.append(RuleProblem(f"vetoes.{kind}", "veto_cap", {"name": kind, "cap": cap}))
    for cap_name in ("bonus_cap", "deduction_cap"):
        cap = rules.get(cap_name)
        if cap is not None and not _is_weight(cap):
            found.append(RuleProblem(cap_name, "cap_not_number"))
    places = rules.get("places", 2)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_PLACES:
        found.append(RuleProblem("places", "places", {"most": MAX_PLACES}))
    if rules.get("boundary_ties", "together") not in BOUNDARY_TIES:
        found.append(RuleProblem("boundary_ties", "boundary_ties"))
    _rating_groups(rules, found)
    return found
