"""The worker's side of background jobs (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def job_execute(job_id: int) -> str:
    """Run one BackgroundJob (kaohe.jobs.services.job_run)."""
    from kaohe.jobs.services import job_run

    return job_run(job_id)
