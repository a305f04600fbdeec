"""Tallies of warning colours: the share of one colour, and an overall colour.

A tally maps a level (kaohe.scoring.warnings: 0 green ... 3 red, NO_DATA -1) to how many
warnings have it. Warnings without data count for neither side: shares and the overall level
are taken among the warnings with data.
"""

from __future__ import annotations

from collections.abc import Mapping

from kaohe.scoring.rounding import round_half_up
from kaohe.scoring.warnings import NO_DATA


def with_data(counts: Mapping[int, int]) -> int:
    """How many warnings of the tally have a colour (NO_DATA left out)."""
    return sum(n for level, n in counts.items() if level >= 0)


def level_share(counts: Mapping[int, int], level: int) -> float | None:
    """The share of the coloured warnings that have ``level``; None when none has a colour."""
    n = with_data(counts)
    return counts.get(level, 0) / n if n else None


def overall_level(counts: Mapping[int, int]) -> int:
    """The mean level of the coloured warnings, rounded half up (四舍五入): a township whose
    leaves average 1.5 is orange; NO_DATA when none has a colour."""
    n = with_data(counts)
    if not n:
        return NO_DATA
    mean = sum(level * k for level, k in counts.items() if level >= 0) / n
    return int(round_half_up(mean, 0))
