"""Cadence jobs: each run twice produces no duplicates and leaves one JobRun per period."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.audit.models import AuditEvent
from kaohe.monitoring.models import Warning
from kaohe.org.models import Notification
from kaohe.reporting.services import report_approve, report_submit
from kaohe.supervision import cadence
from kaohe.supervision.models import JobFailure, JobRun, Notice, Snapshot
from kaohe.supervision.tasks import cadence_job
from tests.factories import World, build_world
from tests.supervision import helpers as h

JUNE_1 = dt.date(2026, 6, 1)


def _approve(world: World, month: int, value: str) -> None:
    report = report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[month - 1],
        value=value,
        note="",
    )
    report_approve(user=world.user("assessor"), report=report, version=report.version)


def test_nightly_refreshes_drafts_and_escalates_once(world: World) -> None:
    h.office(world)
    _approve(world, 5, "100")  # 100 of 1200 by the end of May: red
    for _ in range(2):
        (run,) = cadence.cadence_run(job="nightly", today=JUNE_1)
    assert (run.outcome, run.runs, run.period_key) == ("ok", 2, "2026-06-01")
    assert run.counts["drafted"] == 0  # drafted on the first run, not again
    assert Warning.objects.filter(as_of=JUNE_1).count() == 2  # both towns, once each
    (notice,) = Notice.objects.all()
    assert (notice.recipient_id, notice.status) == (world.town.pk, "draft")
    assert JobRun.objects.count() == 1
    # Issued, then left past its deadline: the nightly job escalates it, once.
    from kaohe.supervision.services import notice_issue

    notice_issue(user=world.user("office"), notice=notice, today=JUNE_1)
    later = notice.deadline + dt.timedelta(days=1)
    for _ in range(2):
        cadence.cadence_run(job="nightly", today=later)
    assert Notice.objects.filter(kind="order").count() == 1
    assert Notice.objects.count() == 2
    assert JobRun.objects.get(period_key=later.isoformat()).counts["escalated"] == 0


def test_weekly_push_reminds_once_per_week(world: World) -> None:
    notice = h.issued(world)
    monday = notice.deadline - dt.timedelta(days=3)
    for _ in range(2):
        (run,) = cadence.cadence_run(job="weekly", today=monday)
    notes = Notification.objects.filter(user=world.user("unit"), kind="notice.due")
    assert notes.count() == 1 and notice.number in notes.get().title
    assert (run.runs, run.counts["notices_due"]) == (2, 1)
    # The next week, past the deadline: one "overdue" reminder.
    for _ in range(2):
        cadence.cadence_run(job="weekly", today=monday + dt.timedelta(days=7))
    assert Notification.objects.filter(kind="notice.overdue").count() == 1
    # The reporting calendar's reminders ride along (June's monthly report is due 5 July).
    assert Notification.objects.filter(kind__startswith="deadline.").exists()


@pytest.mark.parametrize(
    ("job", "day", "key", "number"),
    [
        ("monthly", dt.date(2026, 6, 30), "2026-06", 6),
        ("quarterly", dt.date(2026, 6, 30), "2026-Q2", 2),
        ("half", dt.date(2026, 6, 30), "2026-H1", 1),
    ],
)
def test_snapshots_are_unique_per_period(
    world: World, job: str, day: dt.date, key: str, number: int
) -> None:
    _approve(world, 5, "100")
    h.issued(world)
    for _ in range(2):
        (run,) = cadence.cadence_run(job=job, today=day)
    snap = Snapshot.objects.get()
    assert (snap.job, snap.year, snap.number) == (job, 2026, number)
    assert (run.period_key, run.runs, run.outcome) == (key, 2, "ok")
    rows = {r["unit"]: r for r in snap.data["units"]}
    assert (rows["T01"]["red"], rows["T01"]["open"], rows["T01"]["rank"]) == (1, 1, 2)
    assert rows["T02"]["rank"] == 1
    assert snap.data["totals"]["red"] == 1
    assert AuditEvent.objects.filter(action=f"cadence.{job}").count() == 2


def test_the_command_and_the_task_run_a_job(world: World) -> None:
    out = StringIO()
    call_command("cadence", "monthly", "--date", "2026-06-30", stdout=out)
    assert "2026-06: ok" in out.getvalue()
    result = cadence_job.enqueue("monthly", "2026-06-30")
    assert result.return_value == {world.county.code: "ok"}
    assert JobRun.objects.get().runs == 2
    assert Snapshot.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("cadence", "monthly", "--date", "30/06/2026", stdout=out)


def test_an_unexpected_failure_shows_a_translated_note_and_keeps_the_trace_in_the_log(
    world: World, monkeypatch: Any, caplog: Any
) -> None:
    def boom(county: Any, today: dt.date) -> dict[str, int]:
        raise RuntimeError("connection to 10.0.0.5 refused")

    monkeypatch.setitem(cadence.JOBS, "monthly", boom)
    (run,) = cadence.cadence_run(job="monthly", today=dt.date(2026, 6, 30))
    assert (run.outcome, run.message) == ("failed", "")
    assert "connection to 10.0.0.5 refused" in caplog.text  # the trace, for the administrator
    client = Client()
    client.force_login(world.user("office"))
    page = client.get(reverse("supervision:cadence")).content.decode()
    assert "2026年6月" in page and "任务因意外错误中止；系统管理员可在服务器日志中查看详情" in page
    assert "10.0.0.5" not in page and "RuntimeError" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("supervision:cadence")).content.decode()
    assert "The job stopped on an unexpected error" in english and "June 2026" in english


def test_a_service_refusal_is_shown_as_the_service_worded_it(
    world: World, monkeypatch: Any
) -> None:
    def refused(county: Any, today: dt.date) -> dict[str, int]:
        raise ValidationError(["绩效办尚未设置。", "请先设置绩效办。"])

    monkeypatch.setitem(cadence.JOBS, "quarterly", refused)
    (run,) = cadence.cadence_run(job="quarterly", today=dt.date(2026, 12, 31))
    assert (run.outcome, run.message) == ("failed", "绩效办尚未设置。 请先设置绩效办。")
    assert JobFailure.objects.get().message == run.message


def test_a_weekly_run_for_one_county_sends_nothing_to_another_countys_units(
    world: World,
) -> None:
    other = build_world(code="900002")
    friday = dt.date(2026, 7, 3)  # June's monthly reports are due on 5 July, in both counties
    run = cadence.job_run(job="weekly", county=world.county, today=friday)
    mine = Notification.objects.filter(kind__startswith="deadline.", user__county=world.county)
    assert run.counts["deadline_reminders"] == mine.count() > 0
    assert mine.filter(kind="deadline.approaching", user=world.user("unit")).exists()
    theirs = Notification.objects.filter(user__county=other.county)
    assert not theirs.exists()
    # The other county's own weekly run reminds its own units, and only them.
    sent = mine.count()
    cadence.job_run(job="weekly", county=other.county, today=friday)
    assert theirs.filter(kind="deadline.approaching", user=other.user("unit")).exists()
    assert mine.count() == sent


@pytest.mark.parametrize(
    ("key", "chinese", "english"),
    [
        ("2026-12-03", "2026年12月3日", "Dec. 3, 2026"),
        ("2026-W05", "2026年第5周", "week 5 of 2026"),
        ("2026-12", "2026年12月", "December 2026"),
        ("2026-Q1", "2026年第一季度", "Q1 2026"),
        ("2026-Q4", "2026年第四季度", "Q4 2026"),
        ("2026-H1", "2026年上半年", "first half of 2026"),
        ("2026-H2", "2026年下半年", "second half of 2026"),
        ("odd", "odd", "odd"),
    ],
)
def test_period_keys_read_as_the_office_says_them(key: str, chinese: str, english: str) -> None:
    with translation.override("zh-hans"):
        assert cadence.period_label(key) == chinese
    with translation.override("en"):
        assert cadence.period_label(key) == english


def test_the_cadence_page_names_periods_and_dates_as_chinese_readers_do(world: World) -> None:
    cadence.cadence_run(job="quarterly", today=dt.date(2026, 12, 31))
    cadence.cadence_run(job="half", today=dt.date(2026, 6, 30))
    client = Client()
    client.force_login(world.user("office"))
    page = client.get(reverse("supervision:cadence")).content.decode()
    assert "2026年第四季度" in page and "2026年上半年" in page
    assert "2026-Q4" not in page and "2026-H1" not in page
    assert "2026年6月30日" in page  # the half-year snapshot's date
    assert "kaohe cadence" not in page and "--date" not in page  # no command-line advice
