"""The scoring methods a scheme can name, with their parameters, checked before use.

A scheme names a leaf's method as ``{"kind": "efficacy_coefficient", "satisfactory": 12,
"not_allowed": 6}``. ``validate_method`` reports every problem with such a description (an
unknown kind, a missing, unknown, mistyped or out-of-range parameter) and ``score_method`` scores
a category with it. Methods that need more than a value and a target per unit (evaluator
ratings, multi-kind checklists, composite indices) are called directly by the rounds that use
them; the registry covers the methods a leaf indicator's value and target drive.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kaohe.scoring.efficacy import efficacy_coefficient, efficacy_five_standards, stepped_completion
from kaohe.scoring.methods import ScoreBatch, completion_ratio
from kaohe.scoring.relative import proportional_to_best, rank_points
from kaohe.scoring.tallies import deduction, per_event_points


@dataclass(frozen=True)
class Param:
    kind: str  # "number", "bool", "numbers" (a list), "choice"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    length: int | None = None  # for "numbers": exact length


Scorer = Callable[..., ScoreBatch]


@dataclass(frozen=True)
class MethodSpec:
    code: str
    params: Mapping[str, Param]
    score: Callable[
        [Mapping[str, Any], npt.NDArray[np.float64], npt.NDArray[np.float64], float, bool, int],
        ScoreBatch,
    ]


def _completion(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    return completion_ratio(
        x,
        t,
        pts,
        cap=p.get("cap", 1.0),
        floor=p.get("floor", 0.0),
        all_or_nothing=p.get("all_or_nothing", False),
        higher_is_better=higher,
        places=places,
    )


def _stepped(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    if not higher:  # mirror: a value under a lower-is-better target is over-completion
        with np.errstate(divide="ignore", invalid="ignore"):
            x, t = np.where(x > 0, t * t / x, np.inf), t
    keys = ("step", "bonus_per_step", "penalty_step", "penalty_per_step", "ceiling", "linear")
    return stepped_completion(x, t, pts, places=places, **{k: p[k] for k in keys if k in p})


def _efficacy(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    keys = ("satisfactory", "not_allowed", "base", "floor", "cap")
    return efficacy_coefficient(x, pts, places=places, **{k: p[k] for k in keys if k in p})


def _five(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    keys = ("standards", "coefficients", "below_poor")
    return efficacy_five_standards(x, pts, places=places, **{k: p[k] for k in keys if k in p})


def _rank(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    keys = ("table", "beyond_table", "step_share", "last_points", "ties")
    return rank_points(
        x, pts, higher_is_better=higher, places=places, **{k: p[k] for k in keys if k in p}
    )


def _best(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    return proportional_to_best(x, pts, higher_is_better=higher, places=places)


def _deduction(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    counts = np.nan_to_num(np.asarray(x, dtype=np.float64))
    return deduction(
        counts, pts, per_event=[p["per_event"]], floor=p.get("floor", 0.0), places=places
    )


def _events(
    p: Mapping[str, Any], x: Any, t: Any, pts: float, higher: bool, places: int
) -> ScoreBatch:
    counts = np.nan_to_num(np.asarray(x, dtype=np.float64))
    return per_event_points(counts, pts, per_event=[p["per_event"]], places=places)


NUMBER = Param("number")
METHODS: dict[str, MethodSpec] = {
    "completion_ratio": MethodSpec(
        "completion_ratio",
        {
            "cap": Param("number", minimum=0.01, maximum=10),
            "floor": Param("number", minimum=0, maximum=10),
            "all_or_nothing": Param("bool"),
        },
        _completion,
    ),
    "stepped_completion": MethodSpec(
        "stepped_completion",
        {
            "step": Param("number", minimum=0.0001, maximum=1),
            "bonus_per_step": Param("number", minimum=0),
            "penalty_step": Param("number", minimum=0.0001, maximum=1),
            "penalty_per_step": Param("number", minimum=0),
            "ceiling": Param("number", minimum=1, maximum=10),
            "linear": Param("bool"),
        },
        _stepped,
    ),
    "efficacy_coefficient": MethodSpec(
        "efficacy_coefficient",
        {
            "satisfactory": Param("number", required=True),
            "not_allowed": Param("number", required=True),
            "base": Param("number", minimum=0, maximum=1),
            "floor": NUMBER,
            "cap": NUMBER,
        },
        _efficacy,
    ),
    "efficacy_five_standards": MethodSpec(
        "efficacy_five_standards",
        {
            "standards": Param("numbers", required=True, length=5),
            "coefficients": Param("numbers", length=5),
            "below_poor": Param("number", minimum=0, maximum=1),
        },
        _five,
    ),
    "rank_points": MethodSpec(
        "rank_points",
        {
            "table": Param("numbers"),
            "beyond_table": Param("number", minimum=0),
            "step_share": Param("number", minimum=0, maximum=1),
            "last_points": Param("number", minimum=0),
            "ties": Param("choice", choices=("share", "forbid")),
        },
        _rank,
    ),
    "proportional_to_best": MethodSpec("proportional_to_best", {}, _best),
    "deduction": MethodSpec(
        "deduction",
        {
            "per_event": Param("number", required=True, minimum=0),
            "floor": Param("number", minimum=0),
        },
        _deduction,
    ),
    "per_event_points": MethodSpec(
        "per_event_points", {"per_event": Param("number", required=True, minimum=0)}, _events
    ),
}


def _check_param(name: str, spec: Param, value: Any) -> str | None:
    if spec.kind == "bool":
        return None if isinstance(value, bool) else f"{name} must be true or false"
    if spec.kind == "choice":
        return None if value in spec.choices else f"{name} must be one of {', '.join(spec.choices)}"
    values = value if spec.kind == "numbers" else [value]
    if spec.kind == "numbers":
        if not isinstance(value, list | tuple) or not value:
            return f"{name} must be a list of numbers"
        if spec.length is not None and len(value) != spec.length:
            return f"{name} must have {spec.length} numbers"
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return f"{name} must be a number"
        if spec.minimum is not None and v < spec.minimum:
            return f"{name} must be at least {spec.minimum}"
        if spec.maximum is not None and v > spec.maximum:
            return f"{name} must be at most {spec.maximum}"
    return None


def validate_method(method: Mapping[str, Any]) -> list[str]:
    """Every problem with a method description (empty: it can be used)."""
    kind = method.get("kind")
    if kind not in METHODS:
        return [f"unknown scoring method {kind!r}; known: {', '.join(sorted(METHODS))}"]
    spec = METHODS[str(kind)]
    problems = [
        f"unknown parameter {name!r} for {kind}"
        for name in method
        if name != "kind" and name not in spec.params
    ]
    for name, param in spec.params.items():
        if name not in method:
            if param.required:
                problems.append(f"{name} is required for {kind}")
            continue
        problem = _check_param(name, param, method[name])
        if problem:
            problems.append(problem)
    if kind == "rank_points" and ("table" in method) == ("step_share" in method):
        problems.append("rank_points needs either table or step_share")
    if kind == "efficacy_coefficient" and method.get("satisfactory") == method.get("not_allowed"):
        problems.append("satisfactory and not_allowed must differ")
    return problems


def score_method(
    method: Mapping[str, Any],
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    points: float,
    *,
    higher_is_better: bool = True,
    places: int = 2,
) -> ScoreBatch:
    """Score a category with a method description; ValueError if it is not valid."""
    problems = validate_method(method)
    if problems:
        raise ValueError("; ".join(problems))
    spec = METHODS[str(method["kind"])]
    x = np.asarray(values, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    return spec.score(method, x, t, points, higher_is_better, places)


def parameters_text(method: Mapping[str, Any]) -> str:
    """A method's parameters as people type them: ``cap=1.2; standards=16,12,8,4,1``."""
    parts = []
    for name, value in method.items():
        if name == "kind":
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list | tuple):
            text = ",".join(_plain(v) for v in value)
        else:
            text = _plain(value)
        parts.append(f"{name}={text}")
    return "; ".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_value(text: str) -> Any:
    text = text.strip()
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    if "," in text:
        return [float(v) for v in text.split(",") if v.strip()]
    try:
        return float(text)
    except ValueError:
        return text


def parse_parameters(text: str) -> tuple[dict[str, Any], bool]:
    """Parameters typed as ``name=value; ...`` (lists with commas, true/false), and whether the
    text was malformed (a part without ``=``, or a list with a non-number)."""
    params: dict[str, Any] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            return params, True
        try:
            params[name.strip()] = _parse_value(value)
        except ValueError:
            return params, True
    return params, False
