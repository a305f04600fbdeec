"""Warning levels (预警): green, yellow, orange or red by how far completion lags the schedule.

SCORING.md, "Warnings": "Completion ratio x/t is compared with [the time schedule]. Levels green /
yellow / orange / red by the gap between completion and schedule (thresholds per scheme, e.g. on
or ahead: green; up to 5 points behind: yellow; 5-15: orange; over 15: red)".

The precise rule, in percentage points: ``gap = (schedule - completion) * 100``;
``gap <= yellow`` green, ``yellow < gap <= orange`` yellow, ``orange < gap <= red`` orange,
``gap > red`` red. A boundary belongs to the milder colour: exactly 5 points behind is yellow.

Completion:
- higher is better: ``value / target`` (the cumulative value against the yearly target); a
  target of 0 means nothing is due, so completion is 1 (100%).
- lower is better (energy use per unit of GDP, accidents): the value must not exceed the target,
  so completion is ``min(target / value, LOWER_IS_BETTER_MAX_COMPLETION)``: at or under the
  target it is at least 1, which is green for any schedule (a schedule never exceeds 1); a value
  of 0 or less is fully compliant and gets the maximum. The maximum only keeps the number finite
  for storage and charts. This function does not pro-rate a cap: a caller judging a cumulative
  count by pace passes the share of the cap allowed by now as the target and a schedule of 1
  (kaohe.monitoring.services.warnings_compute does).
- a missing value (NaN) is its own state, ``NO_DATA`` (-1), not a colour: "no value reported".
  A missing target is ``NO_DATA`` too ("no target set"), so one unset target does not stop the
  colouring of a whole category; a negative target is a scheme error and raises ValueError.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from kaohe.scoring.explain import Explanation, format_number
from kaohe.scoring.lazy import LazySequence

#: Level of a unit without a reported value (or without a target): not a colour.
NO_DATA: Final = -1

#: Completion given to a lower-is-better value of 0 (or less), and the most any can reach.
LOWER_IS_BETTER_MAX_COMPLETION: Final = 10.0

# Gaps are compared after rounding to this many decimals of a point, so float noise such as
# (0.5 - 0.35) * 100 = 15.000000000000002 cannot push a unit exactly on a boundary into the
# harsher colour. 1e-9 points is far below anything a scheme distinguishes.
_GAP_DECIMALS = 9


class Level(IntEnum):
    """The four warning colours, ordered by severity."""

    GREEN = 0
    YELLOW = 1
    ORANGE = 2
    RED = 3

    @property
    def code(self) -> str:
        """The colour's code: "green", "yellow", "orange" or "red"."""
        return self.name.lower()


def level_code(level: int) -> str:
    """The code of a level as stored in a WarningBatch: a colour's code, or "no_data"."""
    return "no_data" if level == NO_DATA else Level(level).code


@dataclass(frozen=True)
class WarningThresholds:
    """A scheme's thresholds, in percentage points behind schedule (SCORING.md, Warnings).

    Defaults are SCORING.md's example: on or ahead green, up to 5 behind yellow, 5 to 15
    orange, over 15 red. Requires 0 <= yellow <= orange <= red, else ValueError.
    """

    yellow: float = 0.0
    orange: float = 5.0
    red: float = 15.0

    def __post_init__(self) -> None:
        values = (self.yellow, self.orange, self.red)
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"warning thresholds must be finite numbers, got {values}")
        if not 0 <= self.yellow <= self.orange <= self.red:
            raise ValueError(
                "warning thresholds must satisfy 0 <= yellow <= orange <= red, got "
                f"yellow={self.yellow}, orange={self.orange}, red={self.red}"
            )


DEFAULT_THRESHOLDS: Final = WarningThresholds()


@dataclass(frozen=True)
class WarningBatch:
    """Warnings for a whole category, one entry per unit in input order.

    ``levels`` is int8 (Level values, or NO_DATA); ``completion`` and ``gap`` (points behind)
    are NaN where there is no data. The arrays are read-only. ``explanations`` (or
    ``explain(i)``) gives unit i's Explanation, built when it is first read: the levels of a
    whole province are computed vectorised, and only the explanations looked at cost anything.
    """

    levels: npt.NDArray[np.int8]
    completion: npt.NDArray[np.float64]
    schedule: npt.NDArray[np.float64]
    gap: npt.NDArray[np.float64]
    explanations: Sequence[Explanation]

    def explain(self, i: int) -> Explanation:
        """Unit i's Explanation: completion, schedule, gap and the colour it gives."""
        return self.explanations[i]


def _frozen(array: npt.NDArray[np.generic]) -> None:
    array.setflags(write=False)


def _band(level: int, th: WarningThresholds) -> str:
    y, o, r = (format_number(v) for v in (th.yellow, th.orange, th.red))
    return {0: f"≤ {y}", 1: f"in ({y}, {o}]", 2: f"in ({o}, {r}]"}.get(level, f"> {r}")


def _format_gap(gap: float, th: WarningThresholds) -> str:
    # Two decimals, more when the shown gap would look equal to a threshold it is not equal to
    # ("gap 5.00 > 5" would read as a contradiction).
    if not math.isfinite(gap):
        return format_number(gap)
    for decimals in range(2, _GAP_DECIMALS + 1):
        text = format_number(gap, decimals)
        if all(float(text) != v or gap == v for v in (th.yellow, th.orange, th.red)):
            return text
    return format_number(gap, _GAP_DECIMALS)


def _completion_text(value: float, target: float, completion: float, higher: bool) -> str:
    pct = f"{format_number(completion * 100, 1)}%"
    if higher and target == 0:
        return f"completion: target 0, nothing due = {pct}"
    if higher:
        return f"completion {format_number(value)} / {format_number(target)} = {pct}"
    if value <= 0:
        return f"completion: value {format_number(value)} ≤ 0, lower is better = {pct}"
    maximum = format_number(LOWER_IS_BETTER_MAX_COMPLETION)
    return f"completion min({format_number(target)} / {format_number(value)}, {maximum}) = {pct}"


def warning_levels(
    values: npt.ArrayLike,
    targets: npt.ArrayLike,
    schedule: npt.ArrayLike,
    *,
    higher_is_better: bool | npt.ArrayLike = True,
    thresholds: WarningThresholds = DEFAULT_THRESHOLDS,
) -> WarningBatch:
    """Colour every unit of a category by how far its completion lags the time schedule.

    SCORING.md, Warnings; the rule, the completion of each direction and the missing-data state
    are the module docstring's. ``values`` (cumulative to date), ``targets`` (yearly) and
    ``schedule`` (share due, 0..1, see kaohe.scoring.schedule) broadcast together, as does
    ``higher_is_better``, so a scalar applies to every unit. Raises ValueError for a negative or
    infinite target, an infinite value, or a schedule outside [0, 1].
    """
    arrays = np.broadcast_arrays(
        np.asarray(values, dtype=np.float64),
        np.asarray(targets, dtype=np.float64),
        np.asarray(schedule, dtype=np.float64),
        np.asarray(higher_is_better, dtype=np.bool_),
    )
    if arrays[0].ndim > 1:
        raise ValueError("warning_levels takes one-dimensional arrays (one entry per unit)")
    x, t, s, higher = (np.atleast_1d(a).copy() for a in arrays)
    if np.any(np.isinf(x)):
        raise ValueError("values must be finite numbers or NaN (no value reported)")
    if np.any(np.isinf(t) | (t < 0)):
        raise ValueError("targets must be non-negative numbers or NaN (no target set)")
    if not np.all((s >= 0) & (s <= 1)):
        raise ValueError("the schedule must be a share between 0 and 1 for every unit")

    no_data = np.isnan(x) | np.isnan(t)
    # Division by zero and overflow (a subnormal target) are handled by the np.where choices
    # or give ±inf, which still colours correctly; numpy need not warn about them.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        higher_completion = np.where(t > 0, x / t, 1.0)
        lower_completion = np.where(
            x > 0, np.minimum(t / x, LOWER_IS_BETTER_MAX_COMPLETION), LOWER_IS_BETTER_MAX_COMPLETION
        )
    completion = np.where(no_data, np.nan, np.where(higher, higher_completion, lower_completion))
    with np.errstate(over="ignore"):
        raw_gap = (s - completion) * 100.0
        # Beyond 1e15 a float has no decimals left to round (and rounding would overflow).
        gap = np.where(np.abs(raw_gap) < 1e15, np.round(raw_gap, _GAP_DECIMALS), raw_gap)
    levels = np.select(
        [gap <= thresholds.yellow, gap <= thresholds.orange, gap <= thresholds.red],
        [Level.GREEN, Level.YELLOW, Level.ORANGE],
        default=Level.RED,
    ).astype(np.int8)
    levels[no_data] = NO_DATA

    parameters = {
        "yellow": thresholds.yellow,
        "orange": thresholds.orange,
        "red": thresholds.red,
    }
    # The band text depends only on the level: build the four once, not once per unit.
    bands = {lv: _band(lv, thresholds) for lv in (0, 1, 2, 3)}

    def build(i: int) -> Explanation:
        value, target, share, level = float(x[i]), float(t[i]), float(s[i]), int(levels[i])
        if math.isnan(value):
            arithmetic = "no value reported"
        elif math.isnan(target):
            arithmetic = "no target set"
        else:
            arithmetic = (
                f"{_completion_text(value, target, float(completion[i]), bool(higher[i]))}; "
                f"schedule {format_number(share * 100, 1)}%; "
                f"gap {_format_gap(float(gap[i]), thresholds)} pt {bands[level]}"
                f" → {level_code(level)}"
            )
        return Explanation(
            method="warning_schedule",
            inputs={
                "value": None if math.isnan(value) else value,
                "target": None if math.isnan(target) else target,
                "schedule": share,
            },
            parameters={"direction": "higher" if higher[i] else "lower", **parameters},
            arithmetic=arithmetic,
            result=Decimal(level),
        )

    for array in (levels, completion, s, gap, x, t, higher):
        _frozen(array)
    return WarningBatch(levels, completion, s, gap, LazySequence(x.size, build))
