"""Time schedules (时序进度): the share of a yearly target due by a date.

SCORING.md, "Warnings": "the share of the yearly target due by a date; linear by default, or a
per-indicator seasonal profile (monthly shares)". Days count inclusively (a date means the end of
that day), so the last day of the period is due in full and the first day is not zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

#: How far the twelve monthly shares may sum away from 1: enough for shares typed with six
#: decimals (12 x 0.083333), not for a profile that is really off (12 x 8.33% = 99.96%).
MONTHLY_SUM_TOLERANCE = 1e-4

DateArrayLike: TypeAlias = npt.NDArray[np.datetime64] | Sequence[date]


def _as_day(value: date) -> np.datetime64:
    # A datetime is a date too; the schedule works in whole days, so drop the time of day.
    if isinstance(value, datetime):
        value = value.date()
    return np.datetime64(value, "D")


def _as_days(as_of: DateArrayLike) -> npt.NDArray[np.datetime64]:
    if isinstance(as_of, np.ndarray):
        return np.atleast_1d(as_of.astype("datetime64[D]"))
    days = [d.date() if isinstance(d, datetime) else d for d in as_of]
    return np.atleast_1d(np.asarray(days, dtype="datetime64[D]"))


def linear_shares(
    as_of: DateArrayLike, year_start: date, year_end: date
) -> npt.NDArray[np.float64]:
    """Vectorised ``linear_share``: one share per date; NaT gives NaN.

    Linear schedule (SCORING.md, Warnings): elapsed days, inclusive, over the days of the period,
    clipped to [0, 1] (before the period nothing is due, after it everything is).
    """
    start, end = _as_day(year_start), _as_day(year_end)
    if end < start:
        raise ValueError(f"year_end {year_end} is before year_start {year_start}")
    days = _as_days(as_of)
    total = float((end - start).astype(np.int64)) + 1.0
    elapsed = (days - start).astype(np.int64).astype(np.float64) + 1.0
    shares = np.clip(elapsed / total, 0.0, 1.0)
    shares[np.isnat(days)] = np.nan
    return shares


def linear_share(as_of: date, year_start: date, year_end: date) -> float:
    """Share of a yearly target due by ``as_of`` on the linear schedule.

    SCORING.md, Warnings ("linear by default"): elapsed days inclusive / days in the period,
    clipped to [0, 1]. In 2024 (a leap year) 29 February gives 60/366 and 31 December gives 1.
    """
    return float(linear_shares([as_of], year_start, year_end)[0])


def validate_monthly_shares(shares: Sequence[float]) -> npt.NDArray[np.float64]:
    """Check a seasonal profile: 12 finite, non-negative monthly shares summing to 1.

    Raises ValueError with the reason; returns the shares as a float64 array. A sum slightly
    off 1 is tolerated; callers divide by the actual sum so that 31 December is due in full.
    """
    profile = np.asarray(shares, dtype=np.float64)
    if profile.shape != (12,):
        raise ValueError(
            f"a seasonal profile needs 12 monthly shares (January to December), got {profile.size}"
        )
    if not np.all(np.isfinite(profile)):
        raise ValueError("monthly shares must be finite numbers")
    if np.any(profile < 0):
        months = [int(m) + 1 for m in np.flatnonzero(profile < 0)]
        raise ValueError(f"monthly shares must not be negative (months {months})")
    total = math.fsum(profile.tolist())
    if abs(total - 1.0) > MONTHLY_SUM_TOLERANCE:
        raise ValueError(
            f"monthly shares must sum to 1 (within {MONTHLY_SUM_TOLERANCE}), "
            f"they sum to {total:.6g}"
        )
    return profile


def monthly_shares(as_of: DateArrayLike, shares: Sequence[float]) -> npt.NDArray[np.float64]:
    """Vectorised ``monthly_share``: one share per date; NaT gives NaN."""
    profile = validate_monthly_shares(shares)
    days = _as_days(as_of)
    missing = np.isnat(days)
    # NaT would poison the integer month arithmetic; give it any date, then blank it out.
    days = np.where(missing, np.datetime64("2000-01-01", "D"), days)
    month = days.astype("datetime64[M]")
    month_index = (month - days.astype("datetime64[Y]").astype("datetime64[M]")).astype(np.int64)
    month_start = month.astype("datetime64[D]")
    days_in_month = ((month + 1).astype("datetime64[D]") - month_start).astype(np.float64)
    day_of_month = (days - month_start).astype(np.float64) + 1.0
    # Cumulative share at the start of each month: 0 before January, then running sums.
    before = np.concatenate(([0.0], np.cumsum(profile)))
    due = before[month_index] + profile[month_index] * day_of_month / days_in_month
    result: npt.NDArray[np.float64] = np.clip(due / before[-1], 0.0, 1.0)
    result[missing] = np.nan
    return result


def monthly_share(as_of: date, shares: Sequence[float]) -> float:
    """Share of a yearly target due by ``as_of`` on a seasonal profile (monthly shares).

    SCORING.md, Warnings ("a per-indicator seasonal profile (monthly shares)"): the shares of
    the months of ``as_of``'s calendar year before its month, plus the current month's share
    pro rata by days elapsed (inclusive). ``shares`` holds 12 non-negative numbers for January
    to December summing to 1 (within MONTHLY_SUM_TOLERANCE), else ValueError.
    """
    return float(monthly_shares([as_of], shares)[0])


def validate_milestones(milestones: Sequence[Sequence[Any]], year: int) -> list[tuple[date, float]]:
    """Check a milestone schedule: dates in ``year``, strictly increasing, each with the share
    of the yearly target due by then, non-decreasing in (0, 1] and ending at 1.

    Accepts dates or ISO strings; returns ``(date, share)`` pairs, or raises ValueError.
    """
    if not milestones:
        raise ValueError("a milestone schedule needs at least one milestone")
    parsed: list[tuple[date, float]] = []
    for n, item in enumerate(milestones, start=1):
        if len(item) != 2:
            raise ValueError(f"milestone {n}: give a date and a share")
        raw_day, raw_share = item
        try:
            day = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
            share = float(raw_share)
        except (TypeError, ValueError):
            raise ValueError(
                f"milestone {n}: {raw_day!r}, {raw_share!r} is not a date and a share"
            ) from None
        if day.year != year:
            raise ValueError(f"milestone {n}: {day.isoformat()} is not in {year}")
        if not (math.isfinite(share) and 0 < share <= 1):
            raise ValueError(f"milestone {n}: the share must lie in (0, 1], got {share}")
        if parsed and day <= parsed[-1][0]:
            raise ValueError(f"milestone {n}: dates must increase")
        if parsed and share < parsed[-1][1]:
            raise ValueError(f"milestone {n}: shares must not decrease")
        parsed.append((day, share))
    if parsed[-1][1] != 1.0:
        raise ValueError("the last milestone must be the whole target (share 1)")
    return parsed


def milestone_share(as_of: date, milestones: Sequence[Sequence[Any]]) -> float:
    """Share of a yearly target due by ``as_of`` on a milestone schedule (节点进度): the share
    of the last milestone on or before ``as_of`` (a step, nothing pro rata), 0 before the first.

    Milestones are ``(date, share)`` pairs as ``validate_milestones`` returns them (ISO strings
    are accepted), in date order.
    """
    due = 0.0
    for raw_day, share in milestones:
        day = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
        if day <= as_of:
            due = float(share)
    return due
