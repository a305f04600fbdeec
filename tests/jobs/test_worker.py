"""With the database task backend a job never runs in the request: the worker runs it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.jobs.services import job_start
from tests.factories import World
from tests.jobs import test_jobs  # noqa: F401  (registers the test kinds)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_request_only_queues_the_job_and_the_worker_runs_it(
    world: World, settings: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    office = world.user("office")
    job = job_start(
        user=office,
        kind="test.count",
        label="Count",
        upload=SimpleUploadedFile("l.txt", b"a\nb"),
    )
    client = Client()
    client.force_login(office)
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert BackgroundJob.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert 'hx-trigger="every 1s"' in page  # the page keeps asking until the worker is done
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.outcome["summary"] == "2 lines"
    assert "hx-trigger" not in client.get(reverse("jobs:status", args=[job.pk])).content.decode()


@pytest.mark.django_db
def test_the_scheduler_fails_a_job_its_worker_abandoned(world: World, settings: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from kaohe.supervision.schedules import scheduler_tick

    settings.TASKS = DATABASE_TASKS
    job = job_start(
        user=world.user("office"),
        kind="test.count",
        label="Count",
        upload=SimpleUploadedFile("l.txt", b"a"),
    )
    long_ago = timezone.now() - dt.timedelta(minutes=settings.KAOHE_JOB_TIMEOUT_MINUTES + 1)
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=long_ago)
    scheduler_tick()
    assert BackgroundJob.objects.get(pk=job.pk).status == JobStatus.FAILED
