"""The parameters of the scoring methods, in words: their labels, their values as people read
them, and kaohe.scoring's problems with a method worded for the field concerned.

A scheme stores a method's parameters under the codes of kaohe.scoring.registry ("cap=1.2");
people read and type them as labelled fields ("封顶 120%"). ONE table says, for every method
of the registry, what each parameter is called and whether it is a share of something (shown
and typed in per cent). tests/documents/test_parameter_labels.py fails if a parameter of the
registry has no label here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from kaohe.documents.explain_text import explain_text, method_name, reads_english

_P = "scoring parameter"  # the msgctxt: "Cap" here need not be "Cap" elsewhere in the interface


@dataclass(frozen=True)
class ParameterLabel:
    """A parameter's name in words and how its value reads: ``percent`` for a share (1.2 is
    shown and typed as 120%)."""

    text: Any  # a lazy translation
    percent: bool = False

    def __str__(self) -> str:
        return str(self.text)


PARAMETER_LABELS: Mapping[str, Mapping[str, ParameterLabel]] = {
    "completion_ratio": {
        "cap": ParameterLabel(pgettext_lazy(_P, "Cap"), True),
        "floor": ParameterLabel(pgettext_lazy(_P, "Floor"), True),
        "all_or_nothing": ParameterLabel(pgettext_lazy(_P, "Points only when the target is met")),
    },
    "stepped_completion": {
        "step": ParameterLabel(pgettext_lazy(_P, "Step above the target"), True),
        "bonus_per_step": ParameterLabel(pgettext_lazy(_P, "Points added per step")),
        "penalty_step": ParameterLabel(pgettext_lazy(_P, "Step below the target"), True),
        "penalty_per_step": ParameterLabel(pgettext_lazy(_P, "Points taken per step")),
        "ceiling": ParameterLabel(pgettext_lazy(_P, "Cap"), True),
        "floor": ParameterLabel(pgettext_lazy(_P, "Floor"), True),
        "linear": ParameterLabel(pgettext_lazy(_P, "Count part steps")),
    },
    "efficacy_coefficient": {
        "satisfactory": ParameterLabel(pgettext_lazy(_P, "Satisfactory value")),
        "not_allowed": ParameterLabel(pgettext_lazy(_P, "Not-allowed value")),
        "base": ParameterLabel(pgettext_lazy(_P, "Base share"), True),
        "floor": ParameterLabel(pgettext_lazy(_P, "Floor"), True),
        "cap": ParameterLabel(pgettext_lazy(_P, "Cap"), True),
    },
    "efficacy_five_standards": {
        "standards": ParameterLabel(pgettext_lazy(_P, "Five standard values")),
        "coefficients": ParameterLabel(pgettext_lazy(_P, "Coefficient of each band")),
        "below_poor": ParameterLabel(pgettext_lazy(_P, "Coefficient below the poor value")),
    },
    "rank_points": {
        "table": ParameterLabel(pgettext_lazy(_P, "Points by rank")),
        "beyond_table": ParameterLabel(pgettext_lazy(_P, "Points beyond the table")),
        "step_share": ParameterLabel(pgettext_lazy(_P, "Less per place down"), True),
        "last_points": ParameterLabel(pgettext_lazy(_P, "Points of the last place")),
        "step_up": ParameterLabel(pgettext_lazy(_P, "More per place up")),
        "ties": ParameterLabel(pgettext_lazy(_P, "Ties")),
    },
    "proportional_to_best": {},
    "deduction": {
        "per_event": ParameterLabel(pgettext_lazy(_P, "Points taken per event")),
        "floor": ParameterLabel(pgettext_lazy(_P, "Lowest score")),
    },
    "shortfall_deduction": {
        "per_unit_points": ParameterLabel(pgettext_lazy(_P, "Points taken per unit of shortfall")),
        "unit": ParameterLabel(pgettext_lazy(_P, "Unit of shortfall")),
        "relative": ParameterLabel(pgettext_lazy(_P, "Shortfall as a share of the target")),
        "whole_units": ParameterLabel(pgettext_lazy(_P, "Whole units only")),
        "floor": ParameterLabel(pgettext_lazy(_P, "Lowest score")),
    },
    "per_event_points": {
        "per_event": ParameterLabel(pgettext_lazy(_P, "Points per event")),
    },
    "composite_index": {
        "standards": ParameterLabel(pgettext_lazy(_P, "Standard values")),
        "weights": ParameterLabel(pgettext_lazy(_P, "Weights")),
        "higher_is_better": ParameterLabel(pgettext_lazy(_P, "Higher is better")),
        "scale": ParameterLabel(pgettext_lazy(_P, "Scale")),
        "index_cap": ParameterLabel(pgettext_lazy(_P, "Cap of the index")),
        "names": ParameterLabel(pgettext_lazy(_P, "Names")),
    },
    "bonus": {
        "per_event": ParameterLabel(pgettext_lazy(_P, "Points added per event")),
        "cap": ParameterLabel(pgettext_lazy(_P, "Most points added")),
    },
    "rank_bonus": {
        "out_of": ParameterLabel(pgettext_lazy(_P, "Units ranked")),
        "top": ParameterLabel(pgettext_lazy(_P, "Points added for the top places")),
        "bottom": ParameterLabel(pgettext_lazy(_P, "Points taken for the bottom places")),
    },
    "checklist": {
        "worth": ParameterLabel(pgettext_lazy(_P, "Points per item")),
        "mode": ParameterLabel(pgettext_lazy(_P, "Items counted")),
        "floor": ParameterLabel(pgettext_lazy(_P, "Lowest score")),
    },
    "evaluator_rating": {
        "weights": ParameterLabel(pgettext_lazy(_P, "Weights of the evaluator groups")),
        "drop_extremes": ParameterLabel(pgettext_lazy(_P, "Drop the highest and lowest")),
        "votes": ParameterLabel(pgettext_lazy(_P, "Counted as votes")),
        "grade_points": ParameterLabel(pgettext_lazy(_P, "Points of each grade")),
        "points": ParameterLabel(pgettext_lazy(_P, "Points")),
        "full_marks": ParameterLabel(pgettext_lazy(_P, "Full marks of a rating")),
    },
    "veto": {
        "caps": ParameterLabel(pgettext_lazy(_P, "Best grade after a veto")),
        "grades": ParameterLabel(pgettext_lazy(_P, "Grades")),
    },
    "composite": {
        "weights": ParameterLabel(pgettext_lazy(_P, "Weights")),
        "bonus_cap": ParameterLabel(pgettext_lazy(_P, "Most points added")),
        "deduction_cap": ParameterLabel(pgettext_lazy(_P, "Most points taken")),
        "names": ParameterLabel(pgettext_lazy(_P, "Names")),
    },
    "rank_within": {
        "higher_is_better": ParameterLabel(pgettext_lazy(_P, "Higher is better")),
        "ties": ParameterLabel(pgettext_lazy(_P, "Ties")),
        "places": ParameterLabel(pgettext_lazy(_P, "Decimal places")),
    },
    "grade": {
        "thresholds": ParameterLabel(pgettext_lazy(_P, "Minimum score of each grade")),
        "quotas": ParameterLabel(pgettext_lazy(_P, "Quotas")),
        "boundary_ties": ParameterLabel(pgettext_lazy(_P, "Ties on a boundary")),
        "places": ParameterLabel(pgettext_lazy(_P, "Decimal places")),
    },
}

#: The values of the parameters that are a choice, in words.
CHOICE_LABELS: Mapping[str, Any] = {
    "share": pgettext_lazy(_P, "tied units share the better rank"),
    "forbid": pgettext_lazy(_P, "ties are not allowed"),
    "met": pgettext_lazy(_P, "conditions met"),
    "defects": pgettext_lazy(_P, "defects found"),
    "together": pgettext_lazy(_P, "tied units fall together"),
    "input_order": pgettext_lazy(_P, "in the order given"),
}


def parameter_label(kind: str, name: str) -> str:
    """A parameter's name in the reader's language (its code when the table lacks it)."""
    label = PARAMETER_LABELS.get(kind, {}).get(name)
    return str(label) if label is not None else name


def is_percent(kind: str, name: str) -> bool:
    label = PARAMETER_LABELS.get(kind, {}).get(name)
    return label is not None and label.percent


def _number_text(value: Any, percent: bool) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    number = Decimal(str(value)) * (100 if percent else 1)
    percent = percent and number != 0  # "保底 0", not "0%"
    text = f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def _separator() -> str:
    return ", " if reads_english() else "、"


def parameter_value_text(kind: str, name: str, value: Any) -> str:
    """A parameter's value as people read it: 120% for a share, yes/no, lists, choices."""
    percent = is_percent(kind, name)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        return str(CHOICE_LABELS.get(value, value))
    if isinstance(value, list | tuple):
        return _separator().join(parameter_value_text(kind, name, v) for v in value)
    if isinstance(value, Mapping):
        return _separator().join(
            f"{k}: {parameter_value_text(kind, name, v)}" for k, v in value.items()
        )
    if value is None:
        return "—"
    return _number_text(value, percent)


def parameters_words(method: Mapping[str, Any]) -> str:
    """A method's parameters in words: "封顶 120%，保底 0" ("Cap 120%, Floor 0")."""
    kind = str(method.get("kind", "completion_ratio"))
    parts = [
        f"{parameter_label(kind, name)} {parameter_value_text(kind, name, value)}"
        for name, value in method.items()
        if name != "kind"
    ]
    return (", " if reads_english() else "，").join(parts)


# The problems kaohe.scoring.registry and kaohe.scoring.params find with a method, as English
# sentences naming a parameter by its code: each pattern, and the sentence shown instead.
_NAME = r"(?:each of )?(?P<name>\w+)"
_GOT = r"(?:, got (?P<value>.+))?"
_METHOD_PROBLEMS: tuple[tuple[str, str], ...] = (
    (
        r"unknown scoring method (?P<value>.+?); known: .*",
        gettext_noop("%(value)s is not a scoring method."),
    ),
    (
        r"unknown parameter '(?P<name>\w+)' for \w+; known: .*",
        gettext_noop("%(method)s has no parameter “%(name)s”."),
    ),
    (r"(?P<name>\w+) is required for \w+", gettext_noop("%(label)s is required.")),
    (_NAME + r" must be a number" + _GOT, gettext_noop("%(label)s must be a number.")),
    (
        _NAME + r" must be at least (?P<limit>\S+)" + _GOT,
        gettext_noop("%(label)s must be at least %(limit)s."),
    ),
    (
        _NAME + r" must be at most (?P<limit>\S+)" + _GOT,
        gettext_noop("%(label)s must be at most %(limit)s."),
    ),
    (
        _NAME + r" must be greater than (?P<limit>\S+)" + _GOT,
        gettext_noop("%(label)s must be greater than %(limit)s."),
    ),
    (_NAME + r" must be a whole number" + _GOT, gettext_noop("%(label)s must be a whole number.")),
    (_NAME + r" must be true or false", gettext_noop("%(label)s must be yes or no.")),
    (_NAME + r" must be one of .*", gettext_noop("%(label)s must be one of the choices given.")),
    (_NAME + r" must be a non-empty list", gettext_noop("%(label)s needs at least one number.")),
    (
        _NAME + r" must have (?P<limit>\d+) numbers, got \d+",
        gettext_noop("%(label)s must have %(limit)s numbers."),
    ),
    (
        _NAME + r" must be a table with rows of equal length",
        gettext_noop("%(label)s must have rows of equal length."),
    ),
    (_NAME + r" must name at least one kind of event", gettext_noop("%(label)s needs a value.")),
    (
        r"on a leaf indicator (?P<name>\w+) must be one number.*",
        gettext_noop("%(label)s must be one number on a leaf indicator."),
    ),
    (
        r"the satisfactory value and the not-allowed value must differ",
        gettext_noop("The satisfactory value and the not-allowed value must differ."),
    ),
    (
        r"rank_points needs either table or step_share.*",
        gettext_noop(
            "Rank points need either the points by rank or the share less per place down "
            "(or the points of the last place with the points more per place up), one of them."
        ),
    ),
    (
        r"rank_points: step_up needs last_points.*",
        gettext_noop("“More per place up” needs the points of the last place."),
    ),
)


@cache
def _method_problems() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p + r"$"), msgid) for p, msgid in _METHOD_PROBLEMS)


def method_problem(problem: str, kind: str = "") -> str:
    """A problem kaohe.scoring found with a method, in the reader's language, naming the
    parameter by its label (limits of a share in per cent); unknown sentences pass through."""
    text = str(problem).strip()
    for regex, msgid in _method_problems():
        match = regex.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        name = groups.get("name") or ""
        limit = groups.get("limit")
        if limit is not None:
            with suppress(ValueError):
                limit = _number_text(float(limit), is_percent(kind, name))
        return gettext(msgid) % {
            "label": parameter_label(kind, name),
            "name": name,
            "method": method_name(kind) if kind else "",
            "limit": limit,
            "value": groups.get("value") or "",
        }
    return explain_text(text)
