"""The demo county's cadence: its schedules (the defaults), last month's dispatch that failed on
its scheduled run and succeeded on the retry (so the failures list has an entry and the run shows
two runs), and the last half-year's summary run by the schedule. Synthetic, like the rest."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kaohe.schemes.models import Scheme
from kaohe.supervision.cadence import job_run, period_of
from kaohe.supervision.models import Job, JobFailure, JobRun, Trigger
from kaohe.supervision.schedule_calc import covered_day
from kaohe.supervision.schedules import schedules_of

FAILURE = "演示数据：生成快照时数据库连接中断（connection reset by peer），已在重试中完成。"


def demo_cadence_build(*, scheme: Scheme, today: dt.date) -> dict[str, int]:
    """Schedules for the county, one failed-then-retried monthly run, one half-year run."""
    county = scheme.county
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    schedules_of(county, now=noon)

    month_end = covered_day(Job.MONTHLY, today)
    key, _year, _number = period_of(Job.MONTHLY, month_end)
    failed_at = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time(3, 0)))
    finished_at = failed_at + dt.timedelta(seconds=4)
    # The failure as the scheduled run recorded it (written directly: a demo cannot make the
    # database fail on cue); the retry below goes through the job itself.
    run = JobRun.objects.create(
        county=county,
        job=Job.MONTHLY,
        period_key=key,
        started_at=failed_at,
        finished_at=finished_at,
        outcome=JobRun.Outcome.FAILED,
        message=FAILURE,
        trigger=Trigger.SCHEDULE,
    )
    JobFailure.objects.create(
        county=county,
        run=run,
        job=Job.MONTHLY,
        period_key=key,
        failed_at=finished_at,
        trigger=Trigger.SCHEDULE,
        message=FAILURE,
    )
    job_run(job=Job.MONTHLY, county=county, today=month_end, trigger=Trigger.OFFICE)
    job_run(
        job=Job.HALF,
        county=county,
        today=covered_day(Job.HALF, today),
        trigger=Trigger.SCHEDULE,
    )
    return {"schedules": len(Job), "failures": 1}
