"""The round rules as the office edits them on a page: from the form's fields to a rules dict
and back, every problem translated and put next to its field, and what changed between two
versions in words.

The rules themselves, and what makes them sound, are the scoring core's
(``kaohe.scoring.round_rules``); this module only speaks the page's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.appraisal.inputs import VETO_KINDS
from kaohe.scoring.round_rules import COMPONENTS, RuleProblem, rules_problems

COMPONENT_LABELS: dict[str, Promise] = {
    "own": gettext_lazy("Own appraisal"),
    "quarterly": gettext_lazy("Quarterly rounds"),
    "higher": gettext_lazy("Higher-level results"),
    "rating": gettext_lazy("Evaluators' rating"),
}
ROUNDING_LABELS: dict[str, Promise] = {
    "down": gettext_lazy("rounded down"),
    "up": gettext_lazy("rounded up"),
    "half_up": gettext_lazy("rounded half up"),
}
TIES_LABELS: dict[str, Promise] = {
    "together": gettext_lazy("stay together (the grade takes them all)"),
    "input_order": gettext_lazy("are cut in the units' order"),
}
# Blank rows offered below the grades and the evaluator groups a scheme has, for adding one.
SPARE_ROWS = 2
RULE_KEYS = (
    "components",
    "grades",
    "quotas",
    "vetoes",
    "bonus_cap",
    "deduction_cap",
    "places",
    "boundary_ties",
    "rating_groups",
)

MESSAGES: dict[str, Promise] = {
    "components_empty": gettext_lazy("Give at least one component a weight."),
    "component_unknown": gettext_lazy("%(name)s is not a component of a round."),
    "weight_not_number": gettext_lazy("A weight is a number, 0 or more."),
    "components_zero": gettext_lazy("At least one component needs a weight above 0."),
    "weights_sum": gettext_lazy("The weights add up to %(total)s; they must add up to 1."),
    "grades_too_few": gettext_lazy(
        "List at least two grades, best first; the last one has no minimum."
    ),
    "grade_name_empty": gettext_lazy("Give the grade a name."),
    "grade_name_twice": gettext_lazy("The grade %(name)s is listed twice."),
    "grade_minimum_missing": gettext_lazy(
        "Give the least score of %(name)s, from 0 to %(most)s (only the last grade has none)."
    ),
    "grade_minimum_order": gettext_lazy(
        "The minimum of %(name)s must be lower than that of %(better)s."
    ),
    "quota_grade": gettext_lazy("%(name)s is not a grade that can have a quota."),
    "quota_kind": gettext_lazy("A quota is either a number of units or a share."),
    "quota_count": gettext_lazy("A quota is a whole number of units, 0 or more."),
    "quota_share": gettext_lazy("A share lies between 0 and 1 (0.3 is 30 %%)."),
    "quota_rounding": gettext_lazy("Choose how the share rounds."),
    "veto_cap": gettext_lazy("%(cap)s is not one of the grades."),
    "cap_not_number": gettext_lazy("Leave it empty for no cap, or give a number, 0 or more."),
    "places": gettext_lazy("Decimal places are a whole number from 0 to %(most)s."),
    "boundary_ties": gettext_lazy("Choose how ties at a quota's boundary are treated."),
    "groups_not_list": gettext_lazy("The evaluator groups could not be read."),
    "group_code": gettext_lazy("Give the group a code."),
    "group_code_twice": gettext_lazy("The code %(code)s is used twice."),
    "group_name": gettext_lazy("Give the group a name."),
    "not_number": gettext_lazy("%(value)s is not a number."),
    "not_whole": gettext_lazy("%(value)s is not a whole number."),
}


def message(problem: RuleProblem) -> str:
    """A problem as a sentence in the reader's language."""
    return str(MESSAGES[problem.code]) % dict(problem.params)


def _text(value: Any) -> str:
    """A number as the form shows it: 0.6, 95, 3 (no trailing zeros), '' for none."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class RulesForm:
    """The fields of the rules form: as read from the rules, or as the office typed them."""

    components: dict[str, str]
    grades: list[dict[str, str]]
    vetoes: dict[str, str]
    bonus_cap: str
    deduction_cap: str
    places: str
    boundary_ties: str
    groups: list[dict[str, Any]]

    def component_rows(self) -> list[tuple[str, Promise, str]]:
        return [(c, COMPONENT_LABELS[c], self.components.get(c, "")) for c in COMPONENTS]

    def veto_rows(self) -> list[tuple[str, str, str]]:
        return [(k, str(label), self.vetoes.get(k, "")) for k, label in VETO_KINDS.items()]

    def grade_names(self) -> list[str]:
        return [g["name"] for g in self.grades if g["name"]]


def form_from_rules(rules: dict[str, Any], groups: list[dict[str, Any]]) -> RulesForm:
    """The form's fields for ``rules``; ``groups`` are the evaluator groups to show when the
    rules name none (the groups as their ballots were imported)."""
    quotas = rules.get("quotas") or {}
    grades = []
    for name, minimum in rules.get("grades") or []:
        quota = quotas.get(name) or {}
        if isinstance(quota, int):
            quota = {"count": quota}
        kind = "count" if "count" in quota else "share" if "share" in quota else ""
        grades.append(
            {
                "name": str(name),
                "minimum": _text(minimum),
                "quota_kind": kind,
                "quota_value": _text(quota.get(kind)) if kind else "",
                "quota_rounding": str(quota.get("rounding", "down")),
            }
        )
    grades += [
        {"name": "", "minimum": "", "quota_kind": "", "quota_value": "", "quota_rounding": "down"}
    ] * SPARE_ROWS
    named = rules.get("rating_groups")
    shown = named if named is not None else groups
    rows = [
        {
            "code": str(g.get("code", "")),
            "name": str(g.get("name", "")),
            "weight": _text(g.get("weight")),
            "drop_extremes": bool(g.get("drop_extremes")),
        }
        for g in shown
    ]
    rows += [{"code": "", "name": "", "weight": "", "drop_extremes": False}] * SPARE_ROWS
    return RulesForm(
        components={c: _text(w) for c, w in (rules.get("components") or {}).items()},
        grades=grades,
        vetoes={k: str(v) for k, v in (rules.get("vetoes") or {}).items()},
        bonus_cap=_text(rules.get("bonus_cap")),
        deduction_cap=_text(rules.get("deduction_cap")),
        places=_text(rules.get("places", 2)),
        boundary_ties=str(rules.get("boundary_ties", "together")),
        groups=rows,
    )


class _Reader:
    """Numbers from the form, each unreadable one noted against its field."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def note(self, key: str, text: str) -> None:
        self.errors.setdefault(key, []).append(text)

    def number(self, raw: str, key: str) -> float | None:
        raw = raw.strip().replace("，", ".").replace("％", "%")
        if raw == "":
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.note(key, str(MESSAGES["not_number"]) % {"value": raw})
            return None
        if not value.is_finite():
            self.note(key, str(MESSAGES["not_number"]) % {"value": raw})
            return None
        # Decimal first, so 0.1 stays the 0.1 typed and the JSON reads as the office wrote it.
        return int(value) if value == value.to_integral_value() else float(value)

    def whole(self, raw: str, key: str) -> int | None:
        value = self.number(raw, key)
        if value is None:
            return None
        if not float(value).is_integer():
            self.note(key, str(MESSAGES["not_whole"]) % {"value": raw.strip()})
            return None
        return int(value)


def _blank(*values: str) -> bool:
    return all(not v.strip() for v in values)


def read_form(post: Any) -> tuple[RulesForm, dict[str, Any], dict[str, list[str]]]:
    """The typed fields, the rules they describe and the fields that could not be read."""
    r = _Reader()
    form = RulesForm(
        components={c: post.get(f"component-{c}", "") for c in COMPONENTS},
        grades=[],
        vetoes={k: post.get(f"veto-{k}", "") for k in VETO_KINDS},
        bonus_cap=post.get("bonus_cap", ""),
        deduction_cap=post.get("deduction_cap", ""),
        places=post.get("places", ""),
        boundary_ties=post.get("boundary_ties", "together"),
        groups=[],
    )
    rules: dict[str, Any] = {"components": {}}
    for c in COMPONENTS:
        weight = r.number(form.components[c], f"component-{c}")
        if weight is not None:
            rules["components"][c] = weight
    grades: list[list[Any]] = []
    quotas: dict[str, Any] = {}
    k = 0
    while f"grade_name-{k}" in post:
        row = {
            "name": post.get(f"grade_name-{k}", "").strip(),
            "minimum": post.get(f"grade_minimum-{k}", ""),
            "quota_kind": post.get(f"quota_kind-{k}", ""),
            "quota_value": post.get(f"quota_value-{k}", ""),
            "quota_rounding": post.get(f"quota_rounding-{k}", "down"),
        }
        form.grades.append(row)
        if not _blank(row["name"], row["minimum"], row["quota_value"]):
            grades.append([row["name"], r.number(row["minimum"], f"grade_minimum-{k}")])
            if row["quota_kind"] == "count":
                count = r.whole(row["quota_value"], f"quota-{k}")
                quotas[row["name"]] = {"count": -1 if count is None else count}
            elif row["quota_kind"] == "share":
                share = r.number(row["quota_value"], f"quota-{k}")
                quotas[row["name"]] = {
                    "share": -1 if share is None else share,
                    "rounding": row["quota_rounding"],
                }
            elif row["quota_value"].strip():
                r.note(f"quota-{k}", str(MESSAGES["quota_kind"]))
        k += 1
    rules["grades"] = grades
    rules["quotas"] = quotas
    rules["vetoes"] = {kind: cap for kind, cap in form.vetoes.items() if cap}
    rules["bonus_cap"] = r.number(form.bonus_cap, "bonus_cap")
    rules["deduction_cap"] = r.number(form.deduction_cap, "deduction_cap")
    places = r.whole(form.places, "places")
    rules["places"] = 2 if places is None else places
    rules["boundary_ties"] = form.boundary_ties
    groups: list[dict[str, Any]] = []
    k = 0
    while f"group_code-{k}" in post:
        row = {
            "code": post.get(f"group_code-{k}", "").strip()[:16],
            "name": post.get(f"group_name-{k}", "").strip()[:64],
            "weight": post.get(f"group_weight-{k}", ""),
            "drop_extremes": post.get(f"group_drop-{k}") == "on",
        }
        form.groups.append(row)
        if not _blank(row["code"], row["name"], row["weight"]):
            weight = r.number(row["weight"], f"group_weight-{k}")
            groups.append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "weight": -1 if weight is None else weight,
                    "drop_extremes": row["drop_extremes"],
                }
            )
        k += 1
    if groups:
        rules["rating_groups"] = groups
    return form, rules, r.errors


def _form_key(problem: RuleProblem, rules: dict[str, Any]) -> str:
    """The form field a problem belongs next to."""
    parts = problem.field.split(".")
    head = parts[0]
    if head == "components":
        return f"component-{parts[1]}" if len(parts) > 1 else "components"
    if head == "grades":
        return f"grade_{parts[2]}-{parts[1]}" if len(parts) > 2 else "grades"
    if head == "quotas" and len(parts) > 1:
        names = [g[0] for g in rules.get("grades") or []]
        return f"quota-{names.index(parts[1])}" if parts[1] in names else "quotas"
    if head == "vetoes" and len(parts) > 1:
        return f"veto-{parts[1]}"
    if head == "rating_groups":
        return f"group_{parts[2]}-{parts[1]}" if len(parts) > 2 else "groups"
    return head


def rules_errors(rules: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem with ``rules``, translated, by the form field it belongs next to."""
    errors: dict[str, list[str]] = {}
    for problem in rules_problems(rules):
        errors.setdefault(_form_key(problem, rules), []).append(message(problem))
    return errors


def _number(value: Any) -> str:
    if value is None:
        return _("none")
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    return str(value)


def _readable(rules: dict[str, Any]) -> dict[str, str]:
    """Each setting of ``rules`` as a label and a short text, for comparing versions."""
    out: dict[str, str] = {}
    for c in COMPONENTS:
        weight = (rules.get("components") or {}).get(c)
        out[_("Weight of %(component)s") % {"component": COMPONENT_LABELS[c]}] = (
            _number(weight) if weight is not None else "—"
        )
    out[_("Grades")] = "; ".join(
        f"{name} ≥ {_number(minimum)}" if minimum is not None else str(name)
        for name, minimum in rules.get("grades") or []
    )
    for name, quota in (rules.get("quotas") or {}).items():
        if isinstance(quota, int):
            quota = {"count": quota}
        if "count" in quota:
            text = _("at most %(count)s units") % {"count": quota["count"]}
        else:
            text = _("at most %(share)s of the category, %(rounding)s") % {
                "share": _number(quota.get("share")),
                "rounding": ROUNDING_LABELS.get(str(quota.get("rounding", "down")), "?"),
            }
        out[_("Quota of %(grade)s") % {"grade": name}] = text
    for kind, label in VETO_KINDS.items():
        out[_("Veto: %(kind)s") % {"kind": str(label)}] = str(
            (rules.get("vetoes") or {}).get(kind, "—")
        )
    out[_("Bonus cap")] = _number(rules.get("bonus_cap"))
    out[_("Deduction cap")] = _number(rules.get("deduction_cap"))
    out[_("Decimal places")] = _number(rules.get("places", 2))
    out[_("Ties at a quota's boundary")] = str(
        TIES_LABELS.get(str(rules.get("boundary_ties", "together")), "?")
    )
    groups = rules.get("rating_groups")
    out[_("Evaluator groups")] = (
        "; ".join(
            f"{g.get('name')} ({g.get('code')}) {_number(g.get('weight'))}"
            + (" " + _("dropping the highest and lowest") if g.get("drop_extremes") else "")
            for g in groups
        )
        if groups
        else _("as their ballots were imported")
    )
    return out


def rules_diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What changed from ``before`` to ``after``: (setting, before, after), in the form's order."""
    old, new = _readable(before), _readable(after)
    return [
        (label, old.get(label, "—"), new.get(label, "—"))
        for label in list(old) + [k for k in new if k not in old]
        if old.get(label, "—") != new.get(label, "—")
    ]


def rules_clean(rules: dict[str, Any]) -> dict[str, Any]:
    """The rules as stored: the known settings only, in a fixed order, ties together unless
    said otherwise (the scoring core's default, written out so that versions compare)."""
    out = {k: rules[k] for k in RULE_KEYS if k in rules}
    out.setdefault("boundary_ties", "together")
    return out
