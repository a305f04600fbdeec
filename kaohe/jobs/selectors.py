"""Reads of background jobs: a user sees their own jobs only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.org.models import User


def job_get(*, user: User, pk: int) -> BackgroundJob:
    """The user's own job (anyone else's answers 404: nobody learns that it exists)."""
    job = BackgroundJob.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise Http404
    return job


def job_list(*, user: User, limit: int = 50) -> QuerySet[BackgroundJob]:
    """The user's latest jobs, newest first."""
    return BackgroundJob.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def job_queue_ahead(job: BackgroundJob) -> int:
    """How many jobs the worker takes before this waiting one (0 once it runs)."""
    if job.status != JobStatus.QUEUED:
        return 0
    return BackgroundJob.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING], pk__lt=job.pk
    ).count()
