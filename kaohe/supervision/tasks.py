"""Background work of the loop, run by the task worker (django-tasks): the cadence jobs.

`cadence.run` is the background-job kind (kaohe/jobs) that the scheduler and the office's
"run now" start for one county; `cadence_job` is the older task that runs a job for every
hosted county, as `kaohe cadence` does.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems, job_kind
from kaohe.org.access import Permission, has_perm
from kaohe.supervision.cadence import (
    cadence_run,
    count_items,
    failure_text,
    job_run,
    period_label,
)
from kaohe.supervision.models import Job, JobRun, Trigger
from kaohe.supervision.schedule_calc import covered_day


@task()
def cadence_job(job: str, on: str | None = None) -> dict[str, str]:
    """Run a cadence job for every hosted county on a date (ISO; default today). Idempotent."""
    today = dt.date.fromisoformat(on) if on else timezone.localdate()
    runs = cadence_run(job=job, today=today)
    return {run.county.code: run.outcome for run in runs}


@job_kind("cadence.run")
def cadence_run_kind(ctx: JobContext) -> JobOutcome:
    """Run one cadence job for the job's county, as of the day the scheduler (or the office)
    chose; the run and any failure are recorded on the cadence page as well as here.

    A job the office started is checked again here: the starter's role may have changed (or
    the account been disabled) between "run now" and the worker picking the job up. The
    scheduler's jobs have no starter."""
    if ctx.user is not None and not has_perm(ctx.user, Permission.CADENCE_MANAGE):
        # require() would raise PermissionDenied, which the job page shows as an unexplained
        # error; this says what happened, and nothing has run.
        raise JobProblems([_("You may not run cadence jobs, so this job was not run.")])
    job = str(ctx.params.get("job", ""))
    if job not in Job.values or ctx.county is None:
        raise JobProblems([_("Unknown cadence job.")])
    on = ctx.params.get("on")
    today = dt.date.fromisoformat(on) if on else covered_day(job, timezone.localdate())
    label = Job(job).label
    ctx.progress(0, 1, step=_("Running: %(job)s") % {"job": label})
    run = job_run(
        job=job,
        county=ctx.county,
        today=today,
        trigger=str(ctx.params.get("trigger") or Trigger.SCHEDULE.value),
    )
    ctx.progress(1, 1, step=_("Running: %(job)s") % {"job": label})
    if run.outcome == JobRun.Outcome.FAILED:
        failed = _("%(job)s failed: %(message)s") % {
            "job": label,
            "message": failure_text(run.message),
        }
        raise JobProblems([failed])
    counts = count_items(run.counts)
    return JobOutcome(
        summary=_("%(job)s for %(period)s succeeded.")
        % {"job": label, "period": period_label(run.period_key)},
        table=[[_("What was counted"), _("How many")], *[[name, str(n)] for name, n in counts]],
        url=reverse("supervision:cadence"),
        url_label=_("Back to the cadence jobs"),
        data={"run": run.pk, "period": run.period_key},
    )
