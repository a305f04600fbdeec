"""Background work of the loop, run by the task worker (django-tasks): the cadence jobs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from kaohe.supervision.cadence import cadence_run


@task()
def cadence_job(job: str, on: str | None = None) -> dict[str, str]:
    """Run a cadence job for every hosted county on a date (ISO; default today). Idempotent."""
    today = dt.date.fromisoformat(on) if on else timezone.localdate()
    runs = cadence_run(job=job, today=today)
    return {run.county.code: run.outcome for run in runs}
