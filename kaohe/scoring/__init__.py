"""The pure scoring core of Kaohe: every scoring method of SCORING.md, the composite, ranking,
grading with quotas and vetoes, schedules, warning levels and rounding.

numpy and the standard library only, never Django (an import-linter contract checks it): pure,
vectorised functions over arrays and frozen dataclasses. One call scores a whole category; every
number comes with an Explanation (inputs, method, parameters, arithmetic) built lazily when read.
The domain rules are those of SCORING.md; DESIGN.md rule 1 says why all maths lives here. The
rounding policy (half-up on the decimal reading, once, at the end, to the scheme's places) is
kaohe.scoring.rounding's.
"""

from kaohe.scoring.batch import ScoreBatch
from kaohe.scoring.composite import composite
from kaohe.scoring.efficacy import FIVE_COEFFICIENTS, efficacy_coefficient, efficacy_five_standards
from kaohe.scoring.explain import Explanation, format_number
from kaohe.scoring.grading import GradeResult, GradeRule, Quota, grade, grade_index
from kaohe.scoring.index import composite_index
from kaohe.scoring.lazy import LazySequence
from kaohe.scoring.methods import completion_ratio
from kaohe.scoring.rating import GRADE_POINTS, Group, evaluator_rating
from kaohe.scoring.registry import (
    METHODS,
    REGISTRY,
    MethodSpec,
    bind_method,
    check_method,
    score_method,
    validate_method,
)
from kaohe.scoring.relative import proportional_to_best, rank_points
from kaohe.scoring.rounding import MAX_PLACES, round_array, round_half_up, round_half_up_array
from kaohe.scoring.schedule import linear_share, linear_shares, monthly_share, monthly_shares
from kaohe.scoring.standings import RankBatch, TiedError, competition_ranks, rank_within
from kaohe.scoring.stepped import stepped_completion
from kaohe.scoring.tallies import (
    bonus,
    checklist,
    deduction,
    per_event_points,
    rank_bonus,
    shortfall_deduction,
)
from kaohe.scoring.veto import VetoBatch, veto
from kaohe.scoring.warnings import (
    NO_DATA,
    Level,
    WarningBatch,
    WarningThresholds,
    level_code,
    warning_levels,
)

__all__ = [
    "FIVE_COEFFICIENTS",
    "GRADE_POINTS",
    "MAX_PLACES",
    "METHODS",
    "NO_DATA",
    "REGISTRY",
    "Explanation",
    "GradeResult",
    "GradeRule",
    "Group",
    "LazySequence",
    "Level",
    "MethodSpec",
    "Quota",
    "RankBatch",
    "ScoreBatch",
    "TiedError",
    "VetoBatch",
    "WarningBatch",
    "WarningThresholds",
    "bind_method",
    "bonus",
    "check_method",
    "checklist",
    "competition_ranks",
    "completion_ratio",
    "composite",
    "composite_index",
    "deduction",
    "efficacy_coefficient",
    "efficacy_five_standards",
    "evaluator_rating",
    "format_number",
    "grade",
    "grade_index",
    "level_code",
    "linear_share",
    "linear_shares",
    "monthly_share",
    "monthly_shares",
    "per_event_points",
    "proportional_to_best",
    "rank_bonus",
    "rank_points",
    "rank_within",
    "round_array",
    "round_half_up",
    "round_half_up_array",
    "score_method",
    "shortfall_deduction",
    "stepped_completion",
    "validate_method",
    "veto",
    "warning_levels",
]
