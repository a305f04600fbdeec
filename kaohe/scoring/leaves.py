"""How a leaf indicator's category is scored from one value and one target per unit.

The scheme designer offers these methods for a leaf: each scorer takes the method's checked
parameters, the category's values and targets, the leaf's points, its direction and the places,
and calls the method's function (kaohe.scoring.registry names them in METHODS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from kaohe.scoring.batch import ScoreBatch
from kaohe.scoring.efficacy import efficacy_coefficient, efficacy_five_standards
from kaohe.scoring.methods import completion_ratio
from kaohe.scoring.relative import proportional_to_best, rank_points
from kaohe.scoring.stepped import stepped_completion
from kaohe.scoring.tallies import checklist, deduction, per_event_points, shortfall_deduction

#: Scores a leaf's category: (parameters, values, targets, points, higher_is_better, places).
LeafScorer = Callable[
    [Mapping[str, Any], npt.NDArray[np.float64], npt.NDArray[np.float64], float, bool, int],
    ScoreBatch,
]


def _kw(p: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: p[name] for name in names if name in p}


def _one_kind(p: Mapping[str, Any], name: str = "per_event") -> list[float]:
    # A leaf's value counts one kind of event; kinds and levels need the method's own inputs.
    each = p[name]
    if isinstance(each, bool) or not isinstance(each, int | float):
        raise ValueError(
            f"on a leaf indicator {name} must be one number (the value counts one kind of "
            "event); kinds and levels are scored with bind_method"
        )
    return [float(each)]


def _counts(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # A leaf's value is the number of events (or defects); none reported is none counted.
    return np.nan_to_num(x, nan=0.0)


LEAF_SCORERS: dict[str, LeafScorer] = {
    "completion_ratio": lambda p, x, t, pts, higher, places: completion_ratio(
        x, t, pts, higher_is_better=higher, places=places,
        **_kw(p, "cap", "floor", "all_or_nothing"),
    ),
    "stepped_completion": lambda p, x, t, pts, higher, places: stepped_completion(
        x, t, pts, higher_is_better=higher, places=places,
        **_kw(p, "step", "bonus_per_step", "penalty_step", "penalty_per_step", "ceiling",
              "floor", "linear"),
    ),
    # The order of xh and xs (and of the five standards) sets the direction by itself.
    "efficacy_coefficient": lambda p, x, t, pts, higher, places: efficacy_coefficient(
        x, pts, places=places, **_kw(p, "satisfactory", "not_allowed", "base", "floor", "cap")
    ),
    "efficacy_five_standards": lambda p, x, t, pts, higher, places: efficacy_five_standards(
        x, pts, places=places, **_kw(p, "standards", "coefficients", "below_poor")
    ),
    "rank_points": lambda p, x, t, pts, higher, places: rank_points(
        x, pts, higher_is_better=higher, places=places,
        **_kw(p, "table", "beyond_table", "step_share", "last_points", "step_up", "ties"),
    ),
    "proportional_to_best": lambda p, x, t, pts, higher, places: proportional_to_best(
        x, pts, higher_is_better=higher, places=places
    ),
    "deduction": lambda p, x, t, pts, higher, places: deduction(
        _counts(x), pts, per_event=_one_kind(p), floor=p.get("floor", 0.0), places=places
    ),
    "per_event_points": lambda p, x, t, pts, higher, places: per_event_points(
        _counts(x), pts, per_event=_one_kind(p), places=places
    ),
    # The assessor's count of conditions met (mode "met") or of defects found ("defects"), each
    # worth the same: a checklist whose conditions differ in worth is scored with bind_method.
    "checklist": lambda p, x, t, pts, higher, places: checklist(
        _counts(x)[:, None], pts, worth=_one_kind(p, "worth"), mode=p.get("mode", "met"),
        floor=p.get("floor", 0.0), places=places,
    ),
    "shortfall_deduction": lambda p, x, t, pts, higher, places: shortfall_deduction(
        x, t, pts, higher_is_better=higher, places=places,
        **_kw(p, "per_unit_points", "unit", "relative", "whole_units", "floor"),
    ),
}  # fmt: skip
