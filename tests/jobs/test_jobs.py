"""Background jobs: started by a request, run by the worker, seen only by their starter."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.audit.models import AuditEvent
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems, OutputFile, job_kind
from kaohe.jobs.services import job_confirm, job_run, job_start
from kaohe.org.models import Unit
from tests.factories import World

pytestmark = pytest.mark.django_db


@job_kind("test.count")
def _count(ctx: JobContext) -> JobOutcome:
    data = ctx.input_bytes() or b""
    lines = data.decode().splitlines()
    for n, _line in enumerate(lines, start=1):
        ctx.progress(n, len(lines), step="counting")
    if "bad" in lines:
        raise JobProblems([f"line {lines.index('bad') + 1}: bad"])
    return JobOutcome(
        summary=f"{len(lines)} lines",
        table=[["line"], *[[x] for x in lines]],
        file=OutputFile("行数.txt", str(len(lines)).encode(), "text/plain"),
        confirm_kind="test.write",
        confirm_label="Write them",
    )


@job_kind("test.write")
def _write(ctx: JobContext) -> JobOutcome:
    with transaction.atomic():
        Unit.objects.filter(county=ctx.county).update(name="renamed")
        if ctx.params.get("fail"):
            raise RuntimeError("disk on fire")
    return JobOutcome(summary="written", url="/map/")


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("lines.txt", text.encode())


def test_a_job_runs_and_keeps_its_outcome_file_and_hash(world: World) -> None:
    office = world.user("office")
    job = job_start(user=office, kind="test.count", label="Count", upload=_upload("a\nb\nc"))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == 3 and job.total == 3
    assert job.outcome["summary"] == "3 lines" and job.outcome["table"][1] == ["a"]
    assert job.output_file.read() == b"3"
    assert job.output_sha256 == "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce"
    actions = list(
        AuditEvent.objects.filter(object_type="background_job", object_id=str(job.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["job.start", "job.done"]


def test_problems_fail_the_job_and_offer_no_next_step(world: World) -> None:
    office = world.user("office")
    job = job_start(user=office, kind="test.count", label="Count", upload=_upload("a\nbad"))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.outcome["problems"] == ["line 2: bad"]
    with pytest.raises(ValidationError):
        job_confirm(user=office, job=job)


def test_the_next_step_runs_with_the_same_input_and_a_crash_writes_nothing(world: World) -> None:
    office = world.user("office")
    check = job_start(user=office, kind="test.count", label="Count", upload=_upload("a"))
    check.refresh_from_db()
    written = job_confirm(user=office, job=check)
    written.refresh_from_db()
    assert written.kind == "test.write" and written.status == JobStatus.DONE
    assert written.input_file.read() == b"a" and written.params["from_job"] == check.pk
    assert set(Unit.objects.filter(county=world.county).values_list("name", flat=True)) == {
        "renamed"
    }
    Unit.objects.filter(county=world.county).update(name="kept")
    with translation.override("zh-hans"):
        crashed = job_start(user=office, kind="test.write", label="W", params={"fail": True})
    crashed.refresh_from_db()
    assert crashed.status == JobStatus.FAILED
    problem = crashed.outcome["problems"][0]
    assert "日志" in problem and "disk on fire" not in problem  # the log keeps the trace
    assert set(Unit.objects.filter(county=world.county).values_list("name", flat=True)) == {"kept"}


def test_a_job_is_run_once_even_if_its_task_is_delivered_twice(world: World) -> None:
    job = job_start(user=world.user("office"), kind="test.count", label="C", upload=_upload("a"))
    assert job_run(job.pk) == "skipped"
    assert BackgroundJob.objects.get(pk=job.pk).status == JobStatus.DONE


def test_a_too_large_upload_is_refused_and_nothing_is_recorded(world: World) -> None:
    with pytest.raises(ValidationError, match="MB"):
        job_start(
            user=world.user("office"),
            kind="test.count",
            label="C",
            upload=_upload("x" * 2048),
            max_bytes=1024,
        )
    assert not BackgroundJob.objects.exists()


def test_only_its_starter_sees_a_job_its_file_and_its_next_step(world: World) -> None:
    office, leader = world.user("office"), world.user("leader")
    job = job_start(user=office, kind="test.count", label="Count", upload=_upload("a\nb"))
    mine, theirs = Client(), Client()
    mine.force_login(office)
    theirs.force_login(leader)
    for name in ("jobs:job", "jobs:status", "jobs:file"):
        url = reverse(name, args=[job.pk])
        assert mine.get(url).status_code == 200, name
        assert theirs.get(url).status_code == 404, name
    assert theirs.post(reverse("jobs:next", args=[job.pk])).status_code == 404
    with pytest.raises(Http404):
        job_confirm(user=leader, job=job)
    download = mine.get(reverse("jobs:file", args=[job.pk]))
    assert download["Content-Disposition"] == "attachment; filename*=UTF-8''%E8%A1%8C%E6%95%B0.txt"
    assert b"".join(download.streaming_content) == b"2"  # type: ignore[attr-defined]
    assert job.get_absolute_url() in mine.get(reverse("jobs:list")).content.decode()
    assert "Count" not in theirs.get(reverse("jobs:list")).content.decode()


def test_a_running_job_page_polls_and_a_finished_one_stops(world: World) -> None:
    office = world.user("office")
    job = job_start(user=office, kind="test.count", label="Count", upload=_upload("a"))
    client = Client()
    client.force_login(office)
    done = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in done and "1 lines" in done and 'data-testid="job-confirm"' in done
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=1, total=4)
    running = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in running and 'value="25"' in running


def test_the_next_step_page_starts_the_confirm_kind(world: World) -> None:
    office = world.user("office")
    job = job_start(user=office, kind="test.count", label="Count", upload=_upload("a"))
    client = Client()
    client.force_login(office)
    response: Any = client.post(reverse("jobs:next", args=[job.pk]))
    started = BackgroundJob.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == started.get_absolute_url()
    assert started.kind == "test.write"


def test_confirming_twice_starts_one_import(world: World) -> None:
    office = world.user("office")
    check = job_start(user=office, kind="test.count", label="Count", upload=_upload("a"))
    first = job_confirm(user=office, job=check)
    again = job_confirm(user=office, job=BackgroundJob.objects.get(pk=check.pk))
    assert again.pk == first.pk
    assert BackgroundJob.objects.filter(kind="test.write").count() == 1


def test_a_job_left_running_by_a_stopped_worker_is_marked_failed(
    world: World, settings: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from kaohe.jobs.services import jobs_reap_stale

    settings.KAOHE_JOB_TIMEOUT_MINUTES = 30
    job = job_start(user=world.user("office"), kind="test.count", label="C", upload=_upload("a"))
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now - dt.timedelta(minutes=29)
    )
    assert jobs_reap_stale(now=now) == 0  # still within its time
    assert jobs_reap_stale(now=now + dt.timedelta(minutes=2)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert AuditEvent.objects.filter(
        object_type="background_job", object_id=str(job.pk), action="job.failed"
    ).exists()


def test_a_waiting_job_says_how_many_are_ahead_and_every_job_links_back(
    world: World, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    office = world.user("office")
    first = job_start(user=office, kind="test.count", label="A", upload=_upload("a"))
    second = job_start(
        user=office,
        kind="test.count",
        label="B",
        upload=_upload("b"),
        back_url="/appraisal/rounds/",
    )
    client = Client()
    client.force_login(office)
    with translation.override("zh-hans"):
        page = client.get(reverse("jobs:job", args=[second.pk])).content.decode()
        assert "前面还有 1 个任务在排队" in page and 'href="/appraisal/rounds/"' in page
        assert "前面还有" not in client.get(reverse("jobs:job", args=[first.pk])).content.decode()
    outside = job_start(
        user=office, kind="test.count", label="C", upload=_upload("c"), back_url="https://x.cn/"
    )
    assert outside.back_url == ""  # only a path on this server
