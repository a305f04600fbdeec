"""The cadence of the year: nightly refresh, weekly push, monthly dispatch, quarter-end
evaluation and the semi-annual summary.

Each job runs for one county and one period (the night, ISO week, month, quarter or half-year
holding ``today``) and is idempotent: snapshots are unique per county, job and period and are
updated in place; reminders are keyed, so a second run sends nothing twice; drafting and
escalation skip what is already done. Every run leaves a JobRun row (one per county, job and
period, its counter of runs going up) and every failure a JobFailure row, which the office
sees on the cadence page. When each job runs is the county's CadenceSchedule (schedules.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.services import audit_record
from kaohe.monitoring.selectors import latest_warnings
from kaohe.monitoring.services import warning_refresh
from kaohe.org.models import County, Unit, User
from kaohe.org.services import notify
from kaohe.reporting.calendar import deadline_reminders
from kaohe.reporting.models import Target
from kaohe.schemes.models import Indicator
from kaohe.supervision.models import (
    LIVE,
    HelpVisit,
    Job,
    JobFailure,
    JobRun,
    Notice,
    NoticeStatus,
    Problem,
    ProblemStatus,
    Snapshot,
    Trigger,
)
from kaohe.supervision.services import notices_draft_from_warnings, notices_escalate_overdue

log = logging.getLogger(__name__)
COLOURS = {0: "green", 1: "yellow", 2: "orange", 3: "red"}
PUSH_DAYS_AHEAD = 7
# What each job counts, as the cadence page and the job page name it.
COUNT_LABELS = {
    "warnings": gettext_lazy("warnings refreshed"),
    "drafted": gettext_lazy("reminders drafted"),
    "escalated": gettext_lazy("notices escalated"),
    "notice_reminders": gettext_lazy("reminders sent"),
    "notices_due": gettext_lazy("notices due"),
    "deadline_reminders": gettext_lazy("report deadline reminders"),
    "snapshots_created": gettext_lazy("snapshots made"),
    "units": gettext_lazy("units"),
    "problems": gettext_lazy("difficult problems"),
    "problems_solved": gettext_lazy("problems solved"),
    "visits": gettext_lazy("help visits"),
}


def count_items(counts: dict[str, int]) -> list[tuple[str, int]]:
    """A run's counts as (label, number) in the order above; unknown keys keep their name."""
    known = [(str(label), counts[k]) for k, label in COUNT_LABELS.items() if k in counts]
    return known + [(k, v) for k, v in counts.items() if k not in COUNT_LABELS]


def period_of(job: str, today: dt.date) -> tuple[str, int, int]:
    """The period a job run on `today` belongs to: its key, year and number."""
    if job == Job.NIGHTLY:
        return today.isoformat(), today.year, today.timetuple().tm_yday
    if job == Job.WEEKLY:
        year, week, _day = today.isocalendar()
        return f"{year}-W{week:02d}", year, week
    if job == Job.MONTHLY:
        return f"{today.year}-{today.month:02d}", today.year, today.month
    if job == Job.QUARTERLY:
        quarter = (today.month - 1) // 3 + 1
        return f"{today.year}-Q{quarter}", today.year, quarter
    if job == Job.HALF:
        half = 1 if today.month <= 6 else 2
        return f"{today.year}-H{half}", today.year, half
    raise ValueError(f"unknown job {job!r}")


# The quarters and halves as Chinese writes them (第一季度, 上半年): one message each, since
# the number is a word in Chinese, not a digit.
QUARTER_LABELS = {
    1: gettext_lazy("Q1 %(year)d"),
    2: gettext_lazy("Q2 %(year)d"),
    3: gettext_lazy("Q3 %(year)d"),
    4: gettext_lazy("Q4 %(year)d"),
}
HALF_LABELS = {
    1: gettext_lazy("first half of %(year)d"),
    2: gettext_lazy("second half of %(year)d"),
}


def period_label(key: str) -> str:
    """A period key of period_of as the office reads it, in the active language: 2026-12-03 ->
    2026年12月3日, 2026-W05 -> 2026年第5周, 2026-12 -> 2026年12月, 2026-Q4 -> 2026年第四季度,
    2026-H1 -> 2026年上半年. A key of no known shape is shown as it is."""
    year_text, _sep, rest = key.partition("-")
    try:
        year = int(year_text)
        if rest.startswith("W"):
            return _("week %(week)d of %(year)d") % {"week": int(rest[1:]), "year": year}
        if rest.startswith("Q") and int(rest[1:]) in QUARTER_LABELS:
            return str(QUARTER_LABELS[int(rest[1:])]) % {"year": year}
        if rest.startswith("H") and int(rest[1:]) in HALF_LABELS:
            return str(HALF_LABELS[int(rest[1:])]) % {"year": year}
        if len(rest) == 2:
            return date_format(dt.date(year, int(rest), 1), "YEAR_MONTH_FORMAT")
        return date_format(dt.date.fromisoformat(key), "DATE_FORMAT")
    except ValueError:
        return key


def snapshot_key(job: str, year: int, number: int) -> str:
    """The period key of a snapshot (monthly, quarterly or half-yearly), as period_of makes it."""
    if job == Job.MONTHLY:
        return f"{year}-{number:02d}"
    if job == Job.QUARTERLY:
        return f"{year}-Q{number}"
    if job == Job.HALF:
        return f"{year}-H{number}"
    return f"{year}-{number}"


def failure_text(message: str) -> str:
    """What the office reads about a failed run: the job's own (translated) problem, or, for an
    unexpected error (whose trace is in the server log, not on the page), a translated note."""
    return message or _(
        "The job stopped on an unexpected error; the system administrator finds the details in "
        "the server log."
    )


def warnings_as_of(county: County, today: dt.date) -> Any:
    """Each unit's and indicator's latest warning dated on or before `today`."""
    return latest_warnings(county_id=county.pk, as_of=today, published_only=True)


def loop_counts(county: County, today: dt.date, by: str) -> dict[int, dict[str, int]]:
    """Open, overdue, closed (accepted) and escalated notices per recipient or issuer."""
    rows = (
        Notice.objects.filter(county=county)
        .exclude(status__in=[NoticeStatus.DRAFT, NoticeStatus.WITHDRAWN])
        .values(by)
        .annotate(
            open=Count("pk", filter=Q(status__in=LIVE)),
            overdue=Count("pk", filter=Q(status__in=LIVE, deadline__lt=today)),
            closed=Count("pk", filter=Q(status=NoticeStatus.ACCEPTED)),
            escalated=Count("pk", filter=Q(status=NoticeStatus.ESCALATED)),
        )
    )
    return {r[by]: {k: r[k] for k in ("open", "overdue", "closed", "escalated")} for r in rows}


def figures(county: County, today: dt.date) -> dict[str, Any]:
    """Warnings by colour, open notices and a rank (fewest reds, then oranges, then yellows)
    for every assessed unit, with county totals: the body of a snapshot."""
    per_unit: dict[int, dict[str, int]] = {}
    for unit_id, level, n in (
        warnings_as_of(county, today)
        .filter(level__gte=0)
        .values_list("unit_id", "level")
        .annotate(n=Count("pk"))
    ):
        per_unit.setdefault(unit_id, {})[COLOURS[level]] = n
    loops = loop_counts(county, today, "recipient_id")
    units = list(Unit.objects.filter(county=county, is_assessed=True).order_by("code"))
    rows = []
    for unit in units:
        colours = per_unit.get(unit.pk, {})
        row: dict[str, Any] = {"unit": unit.code, "name": unit.name}
        row.update({c: colours.get(c, 0) for c in COLOURS.values()})
        row.update(loops.get(unit.pk, {"open": 0, "overdue": 0, "closed": 0, "escalated": 0}))
        rows.append(row)
    order = sorted(rows, key=lambda r: (r["red"], r["orange"], r["yellow"], r["unit"]))
    rank, previous = 0, None
    for n, row in enumerate(order, start=1):
        key = (row["red"], row["orange"], row["yellow"])
        if key != previous:
            rank, previous = n, key
        row["rank"] = rank
    totals = {c: sum(r[c] for r in rows) for c in [*COLOURS.values(), "open", "overdue", "closed"]}
    return {"as_of": today.isoformat(), "units": rows, "totals": totals}


def _snapshot(county: County, job: str, today: dt.date, extra: dict[str, Any]) -> dict[str, int]:
    _key, year, number = period_of(job, today)
    body = {**figures(county, today), **extra}
    _row, created = Snapshot.objects.update_or_create(
        county=county, job=job, year=year, number=number, defaults={"as_of": today, "data": body}
    )
    return {"snapshots_created": int(created), "units": len(body["units"])}


def job_nightly(county: County, today: dt.date) -> dict[str, int]:
    """Refresh every warning as of today, draft reminders for orange and red, escalate."""
    refreshed = 0
    leaves = Indicator.objects.filter(
        county=county,
        scheme__status="published",
        pk__in=Target.objects.filter(county=county).values("indicator_id"),
    ).select_related("scheme__county")
    for indicator in leaves:
        refreshed += len(warning_refresh(indicator=indicator, as_of=today))
    drafted = notices_draft_from_warnings(county=county, today=today)
    escalated = notices_escalate_overdue(county=county, today=today)
    return {"warnings": refreshed, "drafted": len(drafted), "escalated": len(escalated)}


def job_weekly(county: County, today: dt.date) -> dict[str, int]:
    """Remind the county's units of notices due within a week or overdue, and of reports due
    or late (the reporting calendar's reminders for this county's periods only; keyed, so a
    re-run sends nothing twice)."""
    key, _y, _n = period_of(Job.WEEKLY, today)
    deadlines = deadline_reminders(today=today, county=county)
    sent = 0
    live = Notice.objects.filter(
        county=county,
        status__in=[NoticeStatus.ISSUED, NoticeStatus.RETURNED],
        deadline__lte=today + dt.timedelta(days=PUSH_DAYS_AHEAD),
    ).select_related("recipient")
    for notice in live:
        overdue = notice.deadline < today
        title = (
            _("Overdue: %(number)s was due on %(date)s")
            if overdue
            else _("Due soon: %(number)s is due on %(date)s")
        ) % {"number": notice.number, "date": date_format(notice.deadline, "DATE_FORMAT")}
        sent += len(
            notify(
                users=User.objects.filter(unit_id=notice.recipient_id, role="unit"),
                kind="notice.overdue" if overdue else "notice.due",
                key=f"notice.push:{notice.pk}:{key}",
                title=title,
                url=f"/supervision/notices/{notice.pk}/",
            )
        )
    return {"notice_reminders": sent, "notices_due": len(live), "deadline_reminders": deadlines}


def job_monthly(county: County, today: dt.date) -> dict[str, int]:
    return _snapshot(county, Job.MONTHLY, today, {})


def _problem_counts(county: County, year: int) -> dict[str, int]:
    problems = Problem.objects.filter(county=county, year=year)
    return {
        "problems": problems.count(),
        "problems_solved": problems.filter(status=ProblemStatus.SOLVED).count(),
        "visits": HelpVisit.objects.filter(county=county, date__year=year).count(),
    }


def job_quarterly(county: County, today: dt.date) -> dict[str, int]:
    return _snapshot(county, Job.QUARTERLY, today, _problem_counts(county, today.year))


def job_half(county: County, today: dt.date) -> dict[str, int]:
    return _snapshot(county, Job.HALF, today, _problem_counts(county, today.year))


JOBS: dict[str, Callable[[County, dt.date], dict[str, int]]] = {
    Job.NIGHTLY: job_nightly,
    Job.WEEKLY: job_weekly,
    Job.MONTHLY: job_monthly,
    Job.QUARTERLY: job_quarterly,
    Job.HALF: job_half,
}


def job_run(*, job: str, county: County, today: dt.date, trigger: str = Trigger.COMMAND) -> JobRun:
    """Run one job for one county and record it; a failure is recorded, not raised."""
    key, _year, _number = period_of(job, today)
    with transaction.atomic():
        run, created = JobRun.objects.select_for_update().get_or_create(
            county=county,
            job=job,
            period_key=key,
            defaults={
                "started_at": timezone.now(),
                "outcome": JobRun.Outcome.RUNNING,
                "trigger": trigger,
            },
        )
        if not created:
            run.runs += 1
            run.started_at = timezone.now()
            run.finished_at = None
            run.outcome = JobRun.Outcome.RUNNING
            run.trigger = trigger
            run.save(update_fields=["runs", "started_at", "finished_at", "outcome", "trigger"])
    try:
        with transaction.atomic():
            counts = JOBS[job](county, today)
            audit_record(
                actor="system",
                action=f"cadence.{job}",
                county_code=county.code,
                object_type="job_run",
                object_id=run.pk,
                after={"period": key, "counts": counts},
            )
        run.outcome, run.counts, run.message = JobRun.Outcome.OK, counts, ""
    except ValidationError as exc:  # a service refused: its messages are translated already
        run.outcome, run.counts = JobRun.Outcome.FAILED, {}
        run.message = " ".join(str(m) for m in exc.messages)[:2000]
    except Exception:  # the next run tries again; the trace goes to the log, not the page
        log.exception("cadence job %s failed for %s", job, county.code)
        # Empty: failure_text shows a translated note in the reader's language.
        run.outcome, run.counts, run.message = JobRun.Outcome.FAILED, {}, ""
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save(update_fields=["outcome", "counts", "message", "finished_at"])
        if run.outcome == JobRun.Outcome.FAILED:
            JobFailure.objects.create(
                county=county,
                run=run,
                job=job,
                period_key=key,
                failed_at=run.finished_at,
                trigger=trigger,
                message=run.message,
            )
    return run


def cadence_run(*, job: str, today: dt.date) -> list[JobRun]:
    """Run a job for every hosted county (`kaohe cadence`, the `cadence_job` task)."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}; one of {', '.join(JOBS)}")
    return [
        job_run(job=job, county=county, today=today)
        for county in County.objects.filter(is_hosted=True).order_by("code")
    ]
