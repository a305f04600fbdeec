"""When the cadence jobs run: each county's schedules, the office's settings, the scheduler.

No cron: `kaohe scheduler` (started by `kaohe serve` beside the task worker) calls
`scheduler_tick` every half minute. A tick claims the due schedules and starts one background
job (kaohe/jobs) for each, which the worker runs. Claiming is safe with several schedulers on
several machines: the due rows are locked with ``select_for_update(skip_locked=True)`` (a
second scheduler skips them instead of waiting), and each claim is also a compare-and-set on
``next_run_at``, so a scheduler that read a row before another moved it on enqueues nothing
(this also holds on SQLite, which has no row locks).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.jobs.models import BackgroundJob
from kaohe.jobs.services import job_start, job_start_system, jobs_reap_stale
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import County, User
from kaohe.supervision.models import (
    CadenceSchedule,
    Frequency,
    Job,
    SupervisionSettings,
    Trigger,
)
from kaohe.supervision.schedule_calc import Rule, covered_day, next_run
from kaohe.supervision.services import settings_of

log = logging.getLogger(__name__)
KIND = "cadence.run"
# How many due schedules one tick claims; the rest wait for the next tick (half a minute).
TICK_BATCH = 50

# The cadence as it ran from cron: the nightly refresh at 02:00, the weekly push on Monday
# morning, and the period jobs early on the first day after the period ends (snapshots after
# the night's refresh).
DEFAULTS: dict[str, tuple[str, dt.time, int, int]] = {
    Job.NIGHTLY: (Frequency.DAILY, dt.time(2, 0), 0, 1),
    Job.WEEKLY: (Frequency.WEEKLY, dt.time(8, 0), 0, 1),
    Job.MONTHLY: (Frequency.MONTHLY, dt.time(3, 0), 0, 1),
    Job.QUARTERLY: (Frequency.QUARTERLY, dt.time(4, 0), 0, 1),
    Job.HALF: (Frequency.HALF_YEARLY, dt.time(5, 0), 0, 1),
}
_FIELDS = ["frequency", "at", "weekday", "day", "enabled"]


def rule_of(schedule: CadenceSchedule) -> Rule:
    return Rule(
        frequency=schedule.frequency,
        hour=schedule.at.hour,
        minute=schedule.at.minute,
        weekday=schedule.weekday,
        day=schedule.day,
    )


def _next(schedule: CadenceSchedule, now: dt.datetime) -> dt.datetime | None:
    return next_run(rule_of(schedule), now, settings.TIME_ZONE) if schedule.enabled else None


def _default(county: County, job: str, now: dt.datetime) -> CadenceSchedule:
    frequency, at, weekday, day = DEFAULTS[job]
    schedule = CadenceSchedule(
        county=county, job=job, frequency=frequency, at=at, weekday=weekday, day=day
    )
    schedule.next_run_at = _next(schedule, now)
    return schedule


def schedules_read(county: County, *, now: dt.datetime | None = None) -> list[CadenceSchedule]:
    """The county's five schedules in the jobs' order, only read: a job with no saved row gets
    an unsaved one with the defaults (pk None, version 1), so a page shows a new county's
    cadence without writing anything. One query."""
    now = now or timezone.now()
    found = {s.job: s for s in CadenceSchedule.objects.filter(county=county)}
    return [found.get(job.value) or _default(county, job.value, now) for job in Job]


def schedules_of(county: County, *, now: dt.datetime | None = None) -> list[CadenceSchedule]:
    """The county's five schedules in the jobs' order, saving the missing ones with the
    defaults (a new county runs on the usual cadence from its first tick), audited as
    `cadence.schedules` by the system. Called by the scheduler's tick and the settings save,
    never by a page."""
    now = now or timezone.now()
    rows = schedules_read(county, now=now)
    if all(s.pk is not None for s in rows):
        return rows
    made: list[CadenceSchedule] = []
    with transaction.atomic():
        for n, schedule in enumerate(rows):
            if schedule.pk is not None:
                continue
            try:
                with transaction.atomic():
                    schedule.save()
            except IntegrityError:  # another process made it first
                rows[n] = CadenceSchedule.objects.get(county=county, job=schedule.job)
            else:
                made.append(schedule)
        if made:
            audit_record(
                actor="system",
                action="cadence.schedules",
                county_code=county.code,
                object_type="cadence_settings",
                object_id=county.pk,
                after={"schedules": {s.job: _state(s) for s in made}},
            )
    return rows


@dataclass(frozen=True)
class ScheduleChange:
    """The office's form row for one job; `version` is the one the office saw."""

    job: str
    frequency: str
    at: dt.time
    weekday: int
    day: int
    enabled: bool
    version: int


def _problems(change: ScheduleChange) -> list[str]:
    label = Job(change.job).label
    problems = []
    if change.frequency not in Frequency.values:
        problems.append(_("%(job)s: choose how often it runs.") % {"job": label})
    if not 0 <= change.weekday <= 6:
        problems.append(_("%(job)s: choose a weekday.") % {"job": label})
    if not 1 <= change.day <= 31:
        problems.append(
            _(
                "%(job)s: the day of the month must be 1 to 31 (a day past the end of a "
                "shorter month runs on its last day)."
            )
            % {"job": label}
        )
    return problems


def _state(schedule: CadenceSchedule) -> dict[str, object]:
    return {
        "frequency": schedule.frequency,
        "at": schedule.at.strftime("%H:%M"),
        "weekday": schedule.weekday,
        "day": schedule.day,
        "enabled": schedule.enabled,
    }


@transaction.atomic
def cadence_settings_save(
    *,
    user: User,
    changes: Sequence[ScheduleChange],
    escalation_issue: bool,
    settings_version: int,
    now: dt.datetime | None = None,
) -> list[CadenceSchedule]:
    """Save the office's cadence settings: each job's schedule and whether the nightly job
    issues escalated notices at once or leaves them as drafts. All or nothing: a problem in
    any row, or a row (or the settings) changed by someone else since the page was opened,
    refuses the whole save. A changed schedule's next run is worked out again from now. Jobs
    the county has no saved schedule for yet are saved with the defaults first (a row the
    office saw as the default, version 1, is then that row)."""
    require(user, Permission.CADENCE_MANAGE)
    county = County.objects.get(pk=county_id_of(user))
    now = now or timezone.now()
    schedules_of(county, now=now)
    locked = {s.job: s for s in CadenceSchedule.objects.select_for_update().filter(county=county)}
    config = SupervisionSettings.objects.select_for_update().get(pk=settings_of(county).pk)
    stale = _(
        "Someone else changed the cadence settings after you opened them. Reload the page "
        "and try again."
    )
    problems = []
    by_job = {c.job: c for c in changes}
    if set(by_job) - set(locked):
        raise ValidationError(_("Unknown cadence job."))
    if config.version != settings_version:
        raise ValidationError(stale)
    for change in changes:
        if locked[change.job].version != change.version:
            raise ValidationError(stale)
        problems += _problems(change)
    if problems:
        raise ValidationError(problems)
    before = {
        "schedules": {job: _state(s) for job, s in locked.items()},
        "escalation_issue": config.escalation_issue,
    }
    for job, change in by_job.items():
        schedule = locked[job]
        old = _state(schedule)
        schedule.frequency = change.frequency
        schedule.at = change.at.replace(second=0, microsecond=0)
        schedule.weekday, schedule.day = change.weekday, change.day
        schedule.enabled = change.enabled
        if _state(schedule) == old:
            continue
        schedule.next_run_at = _next(schedule, now)
        schedule.version += 1
        schedule.save(update_fields=[*_FIELDS, "next_run_at", "version"])
    if config.escalation_issue != escalation_issue:
        config.escalation_issue = escalation_issue
        config.version += 1
        config.save(update_fields=["escalation_issue", "version"])
    audit_record(
        actor=user,
        action="cadence.settings",
        county_code=county.code,
        object_type="cadence_settings",
        object_id=county.pk,
        before=before,
        after={
            "schedules": {job: _state(s) for job, s in locked.items()},
            "escalation_issue": config.escalation_issue,
        },
    )
    return [locked[job.value] for job in Job]


def _label(job: str) -> str:
    return _("Cadence job: %(job)s") % {"job": Job(job).label}


@transaction.atomic
def cadence_run_now(*, user: User, job: str, now: dt.datetime | None = None) -> BackgroundJob:
    """The office starts a job for its county now, as the schedule would (a background job
    with a progress page); the schedule's next run stays as it was."""
    require(user, Permission.CADENCE_MANAGE)
    if job not in Job.values:
        raise ValidationError(_("Unknown cadence job."))
    today = timezone.localdate(now or timezone.now())
    return job_start(
        user=user,
        kind=KIND,
        label=_label(job),
        params={
            "job": job,
            "on": covered_day(job, today).isoformat(),
            "trigger": Trigger.OFFICE.value,
        },
        back_url=reverse("supervision:cadence"),
    )


def _claim(schedule: CadenceSchedule, now: dt.datetime) -> bool:
    """Move a due schedule on to its next run, unless another scheduler already has."""
    following = next_run(rule_of(schedule), now, settings.TIME_ZONE)
    moved = CadenceSchedule.objects.filter(
        pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at
    ).update(next_run_at=following, last_enqueued_at=now)
    schedule.next_run_at, schedule.last_enqueued_at = following, now
    return moved == 1


def due_schedules(now: dt.datetime) -> list[CadenceSchedule]:
    """Enabled schedules whose next run has come, locked (rows another scheduler holds are
    skipped). Call inside a transaction."""
    return list(
        CadenceSchedule.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(enabled=True, next_run_at__lte=now, county__is_hosted=True)
        .select_related("county")
        .order_by("next_run_at", "pk")[:TICK_BATCH]
    )


def enqueue_due(due: Sequence[CadenceSchedule], now: dt.datetime) -> list[BackgroundJob]:
    """Start one background job for each due schedule this scheduler manages to claim."""
    started = []
    today = timezone.localdate(now)
    for schedule in due:
        if not _claim(schedule, now):
            continue
        started.append(
            job_start_system(
                county=schedule.county,
                kind=KIND,
                label=_label(schedule.job),
                params={
                    "job": schedule.job,
                    "on": covered_day(schedule.job, today).isoformat(),
                    "trigger": Trigger.SCHEDULE.value,
                },
            )
        )
    return started


def scheduler_tick(*, now: dt.datetime | None = None) -> list[BackgroundJob]:
    """One turn of the scheduler: make any missing schedules, then claim and start what is due.

    A schedule overdue by a long way (the server was off) runs once and then goes on from now:
    missed runs are not replayed one by one, and the jobs are idempotent within their period."""
    now = now or timezone.now()
    complete = [
        row["county_id"]
        for row in CadenceSchedule.objects.values("county_id").annotate(n=Count("pk"))
        if row["n"] >= len(Job)
    ]
    for county in County.objects.filter(is_hosted=True).exclude(pk__in=complete):
        schedules_of(county, now=now)
    # Jobs whose worker stopped mid-run are failed here too, not only when the next job runs.
    jobs_reap_stale(now=now)
    with transaction.atomic():
        return enqueue_due(due_schedules(now), now)
