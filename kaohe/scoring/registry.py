"""The scoring methods a scheme can name, with their parameter schemas, checked before use.

A scheme names a method and its parameters as ``{"kind": "efficacy_coefficient",
"satisfactory": 12, "not_allowed": 6}``. REGISTRY maps every method code of SCORING.md (and
the composite, ranking and grading steps) to a MethodSpec: the function, the schema of its
parameters (kaohe.scoring.params: type, range, required) and, for the methods a leaf indicator's
value and target drive, how to score a category from them (METHODS holds those, the ones the
scheme designer offers for a leaf).

- ``validate_method`` lists every problem (an unknown method, an unknown, missing, mistyped or
  out-of-range parameter, or settings that contradict each other), each a sentence naming the
  parameter; ``check_method`` raises ValueError with them.
- ``score_method`` scores a category of leaf values and targets with a method description;
  ``bind_method`` gives any method's function with the scheme's parameters bound, to be called
  with the method's own inputs (counts, ratings, components, scores...).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import ScoreBatch
from kaohe.scoring.composite import composite
from kaohe.scoring.efficacy import efficacy_coefficient, efficacy_five_standards
from kaohe.scoring.grading import grade
from kaohe.scoring.index import composite_index
from kaohe.scoring.leaves import LEAF_SCORERS, LeafScorer
from kaohe.scoring.methods import completion_ratio
from kaohe.scoring.params import Param, parameters_text, parse_parameters
from kaohe.scoring.rating import evaluator_rating
from kaohe.scoring.relative import proportional_to_best, rank_points
from kaohe.scoring.standings import rank_within
from kaohe.scoring.stepped import stepped_completion
from kaohe.scoring.tallies import (
    bonus,
    checklist,
    deduction,
    per_event_points,
    rank_bonus,
    shortfall_deduction,
)
from kaohe.scoring.veto import veto

__all__ = [
    "METHODS",
    "REGISTRY",
    "MethodSpec",
    "bind_method",
    "check_method",
    "parameters_text",
    "parse_parameters",
    "score_method",
    "validate_method",
]


@dataclass(frozen=True)
class MethodSpec:
    """A method a scheme can name: its code, function, parameter schema, what else the function
    takes (``inputs``), and the leaf scorer when one value and target per unit drive it."""

    code: str
    function: Callable[..., Any]
    params: Mapping[str, Param]
    inputs: str
    leaf: LeafScorer | None = None
    check: Callable[[Mapping[str, Any]], list[str]] | None = field(default=None, repr=False)


SHARE = Param("number", minimum=0, maximum=10)
POINTS = Param("number", minimum=0)
PLACES = Param("integer", minimum=0, maximum=6, doc="decimal places of the result")
TIES = Param("choice", choices=("share", "forbid"))


def _same_length(*names: str) -> Callable[[Mapping[str, Any]], list[str]]:
    def check(p: Mapping[str, Any]) -> list[str]:
        lengths = {len(p[n]) for n in names if n in p}
        return [f"{', '.join(names)} must have one entry per item"] if len(lengths) > 1 else []

    return check


def _weights_add_up(p: Mapping[str, Any]) -> list[str]:
    weights = p.get("weights")
    if not isinstance(weights, Mapping):
        return ["weights must map each evaluator group's name to its weight"]
    if abs(math.fsum(weights.values()) - 1) > 1e-9:
        return ["weights of the evaluator groups must add up to 1"]
    return []


def _caps_are_grades(p: Mapping[str, Any]) -> list[str]:
    unknown = [c for c in p["caps"].values() if c not in p["grades"]]
    return [f"caps name grades that are not in grades: {unknown}"] if unknown else []


def _quotas_fit(p: Mapping[str, Any]) -> list[str]:
    grades = list(p["thresholds"])
    unknown = [g for g in p.get("quotas", {}) if g not in grades]
    if unknown:
        return [f"quotas name grades that are not in thresholds: {unknown}"]
    if grades[-1] in p.get("quotas", {}):
        return [f"the last grade, {grades[-1]}, takes everyone left and has no quota"]
    return []


def _spec(code: str, function: Callable[..., Any], inputs: str, **kw: Any) -> MethodSpec:
    return MethodSpec(code, function, inputs=inputs, leaf=LEAF_SCORERS.get(code), **kw)


LEAF_INPUTS = "values, targets and points per unit"
REGISTRY: dict[str, MethodSpec] = {
    spec.code: spec
    for spec in [
        _spec(
            "completion_ratio",
            completion_ratio,
            LEAF_INPUTS,
            params={
                "cap": Param("number", minimum=0.01, maximum=10),
                "floor": SHARE,
                "all_or_nothing": Param("bool"),
            },
        ),
        _spec(
            "stepped_completion",
            stepped_completion,
            LEAF_INPUTS,
            params={
                "step": Param("number", minimum=0.0001, maximum=1),
                "bonus_per_step": POINTS,
                "penalty_step": Param("number", minimum=0.0001, maximum=1),
                "penalty_per_step": POINTS,
                "ceiling": Param("number", minimum=1, maximum=10),
                "floor": Param("number", minimum=0, maximum=1),
                "linear": Param("bool"),
            },
        ),
        _spec(
            "efficacy_coefficient",
            efficacy_coefficient,
            "values and points per unit",
            params={
                "satisfactory": Param("number", required=True),
                "not_allowed": Param("number", required=True),
                "base": Param("number", minimum=0, maximum=1),
                "floor": Param("number", minimum=-10, maximum=10),
                "cap": Param("number", minimum=0, maximum=10),
            },
        ),
        _spec(
            "efficacy_five_standards",
            efficacy_five_standards,
            "values and points per unit",
            params={
                "standards": Param("numbers", required=True, length=5),
                "coefficients": Param("numbers", length=5, minimum=0, maximum=10),
                "below_poor": Param("number", minimum=0, maximum=1),
            },
        ),
        _spec(
            "rank_points",
            rank_points,
            "values and points per unit",
            params={
                "table": Param("numbers", minimum=0),
                "beyond_table": POINTS,
                "step_share": Param("number", minimum=0, maximum=1),
                "last_points": POINTS,
                "step_up": POINTS,
                "ties": TIES,
            },
        ),
        _spec("proportional_to_best", proportional_to_best, "values and points", params={}),
        _spec(
            "deduction",
            deduction,
            "counts (units × kinds) and points",
            params={"per_event": Param("per_event", required=True, minimum=0), "floor": POINTS},
        ),
        _spec(
            "shortfall_deduction",
            shortfall_deduction,
            LEAF_INPUTS,
            params={
                "per_unit_points": POINTS,
                "unit": Param("number", above=0),
                "relative": Param("bool"),
                "whole_units": Param("bool"),
                "floor": POINTS,
            },
        ),
        _spec(
            "per_event_points",
            per_event_points,
            "counts (units × kinds × levels) and points",
            params={"per_event": Param("per_event", required=True, minimum=0)},
        ),
        _spec(
            "composite_index",
            composite_index,
            "values (units × indicators)",
            params={
                "standards": Param("numbers", required=True, above=0),
                "weights": Param("numbers", required=True, minimum=0),
                "higher_is_better": Param("bools"),
                "scale": Param("number", above=0),
                "index_cap": Param("number", above=0),
                "names": Param("codes"),
            },
            check=_same_length("standards", "weights", "higher_is_better", "names"),
        ),
        _spec(
            "bonus",
            bonus,
            "counts (units × levels)",
            params={
                "per_event": Param("per_event", required=True),
                "cap": Param("number", required=True, minimum=0),
            },
        ),
        _spec(
            "rank_bonus",
            rank_bonus,
            "ranks in the higher-level appraisal",
            params={
                "out_of": Param("integer", required=True, minimum=1),
                "top": Param("numbers"),
                "bottom": Param("numbers"),
            },
        ),
        _spec(
            "checklist",
            checklist,
            "ticks (units × conditions) and points",
            params={
                "worth": Param("per_event", required=True, minimum=0),
                "mode": Param("choice", choices=("met", "defects")),
                "floor": POINTS,
            },
        ),
        _spec(
            "evaluator_rating",
            evaluator_rating,
            "ratings or votes per evaluator group, by name",
            params={
                "weights": Param("per_event", required=True, minimum=0, maximum=1),
                "drop_extremes": Param("bool"),
                "votes": Param("bool"),
                "grade_points": Param("per_event", minimum=0),
                "points": POINTS,
                "full_marks": Param("number", above=0),
            },
            check=_weights_add_up,
        ),
        _spec(
            "veto",
            veto,
            "flags (units × kinds of event)",
            params={
                "caps": Param("code_map", required=True),
                "grades": Param("codes", required=True),
            },
            check=_caps_are_grades,
        ),
        _spec(
            "composite",
            composite,
            "components (units × components), bonus and deduction per unit",
            params={
                "weights": Param("numbers", required=True, minimum=0),
                "bonus_cap": POINTS,
                "deduction_cap": POINTS,
                "names": Param("codes"),
            },
            check=_same_length("weights", "names"),
        ),
        _spec(
            "rank_within",
            rank_within,
            "scores per unit",
            params={"higher_is_better": Param("bool"), "ties": TIES, "places": PLACES},
        ),
        _spec(
            "grade",
            grade,
            "scores per unit, and vetoes",
            params={
                "thresholds": Param("thresholds", required=True),
                "quotas": Param("quotas"),
                "boundary_ties": Param("choice", choices=("together", "input_order")),
                "places": PLACES,
            },
            check=_quotas_fit,
        ),
    ]
}

#: The methods a leaf indicator's value and target drive: the scheme designer's choices.
METHODS: dict[str, MethodSpec] = {code: s for code, s in REGISTRY.items() if s.leaf is not None}


def validate_method(method: Mapping[str, Any], *, leaf: bool = True) -> list[str]:
    """Every problem with a method description, each naming its parameter (empty: usable).

    Beyond each parameter's type and range, settings that contradict each other are found: the
    methods without a leaf scorer run their own checks, and with ``leaf`` (the default: a scheme
    names methods for its leaf indicators) a leaf method scores a two-unit sample as a leaf.
    """
    kind = method.get("kind")
    if kind not in REGISTRY:
        return [f"unknown scoring method {kind!r}; known: {', '.join(sorted(REGISTRY))}"]
    spec = REGISTRY[str(kind)]
    problems = [
        f"unknown parameter {name!r} for {kind}; known: {', '.join(spec.params) or 'none'}"
        for name in method
        if name != "kind" and name not in spec.params
    ]
    for name, param in spec.params.items():
        if name not in method:
            if param.required:
                problems.append(f"{name} is required for {kind}")
        elif problem := param.problem(name, method[name]):
            problems.append(problem)
    if problems:
        return problems
    params = _arguments(spec, method)
    if spec.check is not None:
        problems.extend(spec.check(params))
    if leaf and spec.leaf is not None and not problems:
        try:
            spec.leaf(params, np.array([1.0, 2.0]), np.array([1.0, 1.0]), 1.0, True, 2)
        except ValueError as exc:
            problems.append(str(exc))
    return problems


def check_method(method: Mapping[str, Any], *, leaf: bool = True) -> dict[str, Any]:
    """The method's parameters, ready to pass on; ValueError listing every problem otherwise
    (``leaf`` as for ``validate_method``)."""
    problems = validate_method(method, leaf=leaf)
    if problems:
        raise ValueError(f"scoring method {method.get('kind')!r}: {'; '.join(problems)}")
    return _arguments(REGISTRY[str(method["kind"])], method)


def _arguments(spec: MethodSpec, method: Mapping[str, Any]) -> dict[str, Any]:
    # Whole numbers typed as 2.0 (a form parses every number as a float) become ints.
    return {
        name: int(value) if spec.params[name].kind == "integer" else value
        for name, value in method.items()
        if name != "kind"
    }


def bind_method(method: Mapping[str, Any]) -> Callable[..., Any]:
    """The method's function with the scheme's parameters bound, checked first.

    E.g. ``bind_method({"kind": "bonus", "per_event": {"province": 3}, "cap": 5})(counts)``.
    """
    params = check_method(method, leaf=False)
    return partial(REGISTRY[str(method["kind"])].function, **params)


def score_method(
    method: Mapping[str, Any],
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float,
    *,
    higher_is_better: bool = True,
    places: int = 2,
) -> ScoreBatch:
    """Score a category of leaf values and targets with a method description.

    ValueError if the description is not valid, or names a method that is not driven by one
    value and target per unit (use ``bind_method`` for those).
    """
    params = check_method(method)
    spec = REGISTRY[str(method["kind"])]
    if spec.leaf is None:
        raise ValueError(
            f"{spec.code} is not scored from a value and a target per unit; it takes "
            f"{spec.inputs} (see bind_method)"
        )
    x = np.asarray(values, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    return spec.leaf(params, x, t, points, higher_is_better, places)
