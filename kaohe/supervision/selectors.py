"""Reads for the loop's pages: loop counts, current colours, the cadence page, problem counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from kaohe.monitoring.models import Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.org.models import County, Unit
from kaohe.supervision.cadence import loop_counts
from kaohe.supervision.models import Job, JobRun, Notice, ProblemStatus, Snapshot


@dataclass
class LoopRow:
    unit: Unit
    open: int
    overdue: int
    closed: int
    escalated: int


def loops(county: County, today: dt.date, by: str) -> list[LoopRow]:
    """Loop counts per recipient unit (by="recipient_id") or issuing office ("issuer_id")."""
    counts = loop_counts(county, today, by)
    units = Unit.objects.filter(pk__in=counts).order_by("code")
    return [LoopRow(u, **counts[u.pk]) for u in units]


def current_colours(notice: Notice) -> list[tuple[Any, Warning | None]]:
    """Each indicator of a notice with the recipient's latest warning on it (two queries)."""
    indicators = list(notice.indicators.order_by("position"))
    latest = {
        w.indicator_id: w
        for w in latest_warnings(
            county_id=notice.county_id,
            unit_ids=[notice.recipient_id],
            indicator_ids=[i.pk for i in indicators],
        )
    }
    return [(indicator, latest.get(indicator.pk)) for indicator in indicators]


def cadence_overview(county: County) -> list[tuple[str, str, JobRun | None]]:
    """Every job with its last run (any period)."""
    return [
        (job.value, str(job.label), JobRun.objects.filter(county=county, job=job).first())
        for job in Job
    ]


def recent_runs(county: County) -> list[JobRun]:
    return list(JobRun.objects.filter(county=county)[:30])


def snapshots(county: County) -> list[Snapshot]:
    return list(Snapshot.objects.filter(county=county).order_by("-as_of", "job")[:12])


def problem_counts(qs: Any, year: int) -> dict[str, int]:
    counts: dict[str, int] = qs.filter(year=year).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=ProblemStatus.IN_PROGRESS)),
        solved=Count("pk", filter=Q(status=ProblemStatus.SOLVED)),
    )
    return counts


def problem_years(qs: Any) -> list[int]:
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)
