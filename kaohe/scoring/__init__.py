"""The pure scoring core of Kaohe: schedules, warning levels, scoring methods and rounding.

numpy and the standard library only, never Django (an import-linter contract checks it): pure,
vectorised functions over arrays and frozen dataclasses, each result with its Explanation. The
domain rules are those of SCORING.md; DESIGN.md rule 1 says why all maths lives here.
"""

from kaohe.scoring.explain import Explanation, format_number
from kaohe.scoring.methods import ScoreBatch, completion_ratio
from kaohe.scoring.rounding import MAX_PLACES, round_array, round_half_up
from kaohe.scoring.schedule import linear_share, linear_shares, monthly_share, monthly_shares
from kaohe.scoring.warnings import (
    NO_DATA,
    Level,
    WarningBatch,
    WarningThresholds,
    level_code,
    warning_levels,
)

__all__ = [
    "MAX_PLACES",
    "NO_DATA",
    "Explanation",
    "Level",
    "ScoreBatch",
    "WarningBatch",
    "WarningThresholds",
    "completion_ratio",
    "format_number",
    "level_code",
    "linear_share",
    "linear_shares",
    "monthly_share",
    "monthly_shares",
    "round_array",
    "round_half_up",
    "warning_levels",
]
