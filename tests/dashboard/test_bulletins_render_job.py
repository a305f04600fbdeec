"""The job drawing a bulletin's files is the one the bulletin points to: the page polling it every
second reads it by that key; a job that finished without leaving files (failed, or marked failed
by the stale-job reaper after its worker died) counts as none, so the next reader starts another.
Issuing and drafts take the office's own permission to issue bulletins; dates read as Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.dashboard.bulletins import bulletin_issue, bulletin_render_ensure
from kaohe.dashboard.models import Bulletin
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.jobs.services import job_run, jobs_reap_stale
from kaohe.org.access import POLICY, Permission
from tests.factories import World

DEC_2 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def queued(world: World, settings: Any, django_capture_on_commit_callbacks: Any) -> Bulletin:
    """January's bulletin, issued, its render job waiting for the worker."""
    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletin_issue(user=world.user("office"), period=world.months[0], now=DEC_2)
    bulletin.refresh_from_db()
    return bulletin


def _render_jobs() -> list[BackgroundJob]:
    return list(BackgroundJob.objects.filter(kind="bulletins.render").order_by("pk"))


def test_issuing_points_the_bulletin_to_its_render_job(queued: Bulletin) -> None:
    (job,) = _render_jobs()
    assert queued.render_job == job and job.status == JobStatus.QUEUED
    assert job.params == {"bulletin": queued.pk}


def test_the_polled_panel_reads_the_job_by_its_key_not_by_searching_parameters(
    queued: Bulletin, world: World
) -> None:
    office = _client(world.user("office"))
    url = reverse("dashboard:bulletin", args=[queued.pk])
    with CaptureQueriesContext(connection) as queries:
        panel = office.get(url, {"part": "files"})
    assert 'data-testid="bulletin-files-progress"' in panel.content.decode()
    jobs_sql = [q["sql"] for q in queries if "jobs_backgroundjob" in q["sql"]]
    assert jobs_sql, "the panel shows the job's progress"
    assert not [sql for sql in jobs_sql if "params" in sql.split("WHERE")[-1]], jobs_sql


def test_readers_while_the_job_waits_are_shown_that_job_and_start_no_other(
    queued: Bulletin, world: World
) -> None:
    (job,) = _render_jobs()
    for role in ("unit", "leader", "office"):
        assert (
            _client(world.user(role))
            .get(reverse("dashboard:bulletin_pdf", args=[queued.pk]))
            .status_code
            == 202
        )
    assert bulletin_render_ensure(pk=queued.pk) == job
    assert _render_jobs() == [job]


def test_a_render_whose_worker_died_is_reaped_and_the_next_reader_starts_another(
    queued: Bulletin, world: World, settings: Any
) -> None:
    (job,) = _render_jobs()
    # A worker took the job and stopped (a restart) without finishing it.
    started = timezone.now() - dt.timedelta(minutes=settings.KAOHE_JOB_TIMEOUT_MINUTES + 1)
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=started)
    unit = _client(world.user("unit"))
    assert unit.get(reverse("dashboard:bulletin_pdf", args=[queued.pk])).status_code == 202
    assert _render_jobs() == [job], "a job still running is waited for, not doubled"

    assert jobs_reap_stale() == 1
    panel = unit.get(reverse("dashboard:bulletin", args=[queued.pk]), {"part": "files"})
    assert "文件生成失败" in panel.content.decode()
    assert "hx-get" not in panel.content.decode(), "a failed job is not polled for ever"

    waiting = unit.get(reverse("dashboard:bulletin_pdf", args=[queued.pk]))
    assert waiting.status_code == 202
    old, new = _render_jobs()
    assert old.status == JobStatus.FAILED and new.status == JobStatus.QUEUED
    queued.refresh_from_db()
    assert queued.render_job == new
    assert AuditEvent.objects.filter(action="job.start", object_id=str(new.pk)).exists()

    job_run(new.pk)  # the worker, back
    queued.refresh_from_db()
    assert queued.files_stored
    assert unit.get(reverse("dashboard:bulletin_pdf", args=[queued.pk])).status_code == 200


def test_a_finished_job_that_left_no_files_counts_as_none(queued: Bulletin) -> None:
    (job,) = _render_jobs()
    job_run(job.pk)
    queued.refresh_from_db()
    assert queued.files_stored and bulletin_render_ensure(pk=queued.pk) is None
    # The row lost its files (restored from an older backup): the done job drew nothing now.
    Bulletin.objects.filter(pk=queued.pk).update(pdf_file="", xlsx_file="")
    again = bulletin_render_ensure(pk=queued.pk)
    assert again is not None and again != job and again.status == JobStatus.QUEUED
    assert Bulletin.objects.get(pk=queued.pk).render_job == again


def test_the_202_page_heading_changes_with_the_panel_once_the_files_are_ready(
    queued: Bulletin, world: World
) -> None:
    unit = _client(world.user("unit"))
    waiting = unit.get(reverse("dashboard:bulletin_xlsx", args=[queued.pk])).content.decode()
    assert "<h1>文件正在生成</h1>" in waiting
    poll = f"{reverse('dashboard:bulletin', args=[queued.pk])}?part=files&amp;fmt=xlsx"
    assert f'hx-get="{poll}"' in waiting
    # The heading is inside the panel the poll replaces.
    panel_start = waiting.index('id="bulletin-files"')
    assert waiting.index("<h1>文件正在生成</h1>") > panel_start

    job_run(queued.render_job_id or 0)
    ready = unit.get(
        reverse("dashboard:bulletin", args=[queued.pk]), {"part": "files", "fmt": "xlsx"}
    ).content.decode()
    assert "文件正在生成" not in ready and "<h1>文件已生成</h1>" in ready
    assert 'data-testid="bulletin-file-xlsx"' in ready
    # The bulletin's own page has its title for a heading, not the 202 page's.
    page = unit.get(reverse("dashboard:bulletin", args=[queued.pk])).content.decode()
    assert "文件已生成" not in page and "文件正在生成" not in page


def test_dates_on_the_bulletin_pages_read_as_chinese_dates(queued: Bulletin, world: World) -> None:
    job_run(queued.render_job_id or 0)
    queued.refresh_from_db()
    office = _client(world.user("office"))
    page = office.get(reverse("dashboard:bulletin", args=[queued.pk])).content.decode()
    assert "于2026年12月2日 17:00印发" in page  # 09:00 UTC is 17:00 in the county
    drawn = timezone.localtime(queued.files_rendered_at)
    assert f"已于 {drawn.year}年{drawn.month}月{drawn.day}日 {drawn:%H:%M} 一次生成" in page
    listing = _client(world.user("unit")).get(reverse("dashboard:bulletins")).content.decode()
    assert "2026年12月2日" in listing and "2026-12-02" not in listing


def test_issuing_and_drafts_need_the_permission_to_issue_bulletins(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An office that still runs the cadence but may no longer issue bulletins.
    monkeypatch.setitem(POLICY, Permission.BULLETIN_ISSUE, frozenset())
    office = _client(world.user("office"))
    january = world.months[0].pk
    assert office.post(reverse("dashboard:bulletin_issue", args=[january])).status_code == 403
    assert office.get(reverse("dashboard:bulletin_draft", args=[january])).status_code == 403
    for name in ("dashboard:bulletin_draft_pdf", "dashboard:bulletin_draft_xlsx"):
        assert office.post(reverse(name, args=[january])).status_code == 403
    listing = office.get(reverse("dashboard:bulletins")).content.decode()
    assert "/draft/" not in listing
    assert not Bulletin.objects.exists() and not BackgroundJob.objects.exists()
    assert office.get(reverse("supervision:cadence")).status_code == 200
