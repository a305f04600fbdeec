"""Reads for the loop's pages: loop counts, current colours, the cadence page, problem counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from kaohe.monitoring.models import Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.org.models import County, Unit
from kaohe.supervision.cadence import count_items, loop_counts
from kaohe.supervision.models import (
    CadenceSchedule,
    Job,
    JobFailure,
    JobRun,
    Notice,
    ProblemStatus,
    Snapshot,
    SupervisionSettings,
)
from kaohe.supervision.schedules import schedules_read


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


@dataclass
class CadenceRow:
    """One job on the cadence page: its schedule, its last run (any period) with the run's
    counts named, and what that run covered."""

    job: str
    label: str
    schedule: CadenceSchedule
    run: JobRun | None
    counts: list[tuple[str, int]]


def cadence_overview(county: County) -> list[CadenceRow]:
    """Every job with its schedule and last run (one query for the schedules, one per job).
    Only reads: a job with no saved schedule shows the defaults (see schedules_read)."""
    last: dict[str, JobRun] = {}
    for job in Job:
        run = JobRun.objects.filter(county=county, job=job).order_by("-started_at", "-pk").first()
        if run is not None:
            last[job.value] = run
    return [
        CadenceRow(
            job=s.job,
            label=str(Job(s.job).label),
            schedule=s,
            run=last.get(s.job),
            counts=count_items(last[s.job].counts) if s.job in last else [],
        )
        for s in schedules_read(county)
    ]


def settings_read(county: County) -> SupervisionSettings:
    """The county's loop settings, only read: an unsaved row with the defaults (version 1)
    while the county has none (the settings save, or the nightly job, makes it)."""
    found = SupervisionSettings.objects.filter(county=county).first()
    return found or SupervisionSettings(county=county)


def recent_runs(county: County) -> list[JobRun]:
    """The county's latest runs, newest first."""
    return list(JobRun.objects.filter(county=county)[:30])


def recent_failures(county: County) -> list[JobFailure]:
    """The county's latest failed runs with their messages, newest first."""
    return list(JobFailure.objects.filter(county=county)[:20])


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
