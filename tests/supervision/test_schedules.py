"""Cadence without cron: schedules per county, the office's settings, the scheduler, run now."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.jobs import services as jobs
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.org import access
from kaohe.org.access import Permission
from kaohe.org.models import County, Role
from kaohe.supervision import cadence, services
from kaohe.supervision.models import (
    CadenceSchedule,
    JobFailure,
    JobRun,
    Notice,
    Snapshot,
    SupervisionSettings,
)
from kaohe.supervision.schedules import (
    ScheduleChange,
    cadence_run_now,
    cadence_settings_save,
    due_schedules,
    enqueue_due,
    scheduler_tick,
    schedules_of,
    schedules_read,
)
from kaohe.supervision.services import settings_of
from tests.factories import World, build_world
from tests.supervision import helpers as h

SH = ZoneInfo("Asia/Shanghai")
# Thursday 3 December 2026, noon in Shanghai.
NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=SH)


def _at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def _change(schedule: CadenceSchedule, **kw: Any) -> ScheduleChange:
    fields = {
        "job": schedule.job,
        "frequency": schedule.frequency,
        "at": schedule.at,
        "weekday": schedule.weekday,
        "day": schedule.day,
        "enabled": schedule.enabled,
        "version": schedule.version,
    }
    return ScheduleChange(**{**fields, **kw})


def _save(world: World, now: dt.datetime = NOON, **by_job: dict[str, Any]) -> Any:
    rows = schedules_of(world.county, now=now)
    return cadence_settings_save(
        user=world.user("office"),
        changes=[_change(s, **by_job.get(s.job, {})) for s in rows],
        escalation_issue=by_job.get("escalation", {}).get("issue", True),
        settings_version=settings_of(world.county).version,
        now=now,
    )


def test_a_county_starts_on_the_cadence_it_had_under_cron(world: World) -> None:
    rows = {s.job: s for s in schedules_of(world.county, now=NOON)}
    assert {job: (s.frequency, s.at.strftime("%H:%M")) for job, s in rows.items()} == {
        "nightly": ("daily", "02:00"),
        "weekly": ("weekly", "08:00"),
        "monthly": ("monthly", "03:00"),
        "quarterly": ("quarterly", "04:00"),
        "half": ("half_yearly", "05:00"),
    }
    assert rows["nightly"].next_run_at == _at(2026, 12, 4, 2)
    assert rows["weekly"].next_run_at == _at(2026, 12, 7, 8)  # Monday
    assert rows["monthly"].next_run_at == _at(2027, 1, 1, 3)
    assert rows["quarterly"].next_run_at == _at(2027, 1, 1, 4)
    assert rows["half"].next_run_at == _at(2027, 1, 1, 5)
    assert settings_of(world.county).escalation_issue is True
    made = AuditEvent.objects.get(action="cadence.schedules")
    assert (made.actor_id, sorted(made.after["schedules"])) == (
        None,
        ["half", "monthly", "nightly", "quarterly", "weekly"],
    )
    schedules_of(world.county, now=NOON)  # all there: nothing made, nothing audited again
    assert AuditEvent.objects.filter(action="cadence.schedules").count() == 1


def test_the_office_moves_the_weekly_push_to_friday_and_it_is_audited(world: World) -> None:
    _save(world, weekly={"weekday": 4, "at": dt.time(9, 0)}, escalation={"issue": False})
    weekly = CadenceSchedule.objects.get(county=world.county, job="weekly")
    assert (weekly.weekday, weekly.at, weekly.version) == (4, dt.time(9, 0), 2)
    assert weekly.next_run_at == _at(2026, 12, 4, 9)  # tomorrow, Friday 09:00
    assert CadenceSchedule.objects.get(county=world.county, job="nightly").version == 1
    assert settings_of(world.county).escalation_issue is False
    event = AuditEvent.objects.get(action="cadence.settings")
    assert event.before["schedules"]["weekly"]["weekday"] == 0
    assert event.after["schedules"]["weekly"] == {
        "frequency": "weekly",
        "at": "09:00",
        "weekday": 4,
        "day": 1,
        "enabled": True,
    }
    assert event.after["escalation_issue"] is False


def test_day_31_is_kept_and_runs_on_the_last_day_of_short_months(world: World) -> None:
    now = _at(2027, 2, 10, 12)
    _save(world, now=now, monthly={"day": 31})
    assert CadenceSchedule.objects.get(job="monthly").next_run_at == _at(2027, 2, 28, 3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": 32}, "1 到 31"),
        ({"day": 0}, "1 到 31"),
        ({"frequency": "hourly"}, "多久运行一次"),
        ({"weekday": 7}, "选择星期几"),
    ],
)
def test_a_bad_schedule_is_refused_and_nothing_changes(
    world: World, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _save(world, monthly=change, escalation={"issue": False})
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert CadenceSchedule.objects.get(job="monthly").version == 1
    assert settings_of(world.county).escalation_issue is True
    assert not AuditEvent.objects.filter(action="cadence.settings").exists()


def test_a_save_over_someone_elses_change_is_refused(world: World) -> None:
    stale = schedules_of(world.county, now=NOON)
    _save(world, nightly={"at": dt.time(1, 0)})
    with pytest.raises(ValidationError, match="其他人"):
        cadence_settings_save(
            user=world.user("office"),
            changes=[_change(s, at=dt.time(3, 0)) for s in stale],
            escalation_issue=True,
            settings_version=settings_of(world.county).version,
            now=NOON,
        )
    assert CadenceSchedule.objects.get(job="nightly").at == dt.time(1, 0)


@pytest.mark.parametrize("role", ["assessor", "leader", "supervisor"])
def test_only_the_office_saves_the_cadence_or_runs_a_job_now(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        cadence_settings_save(
            user=world.user(role), changes=[], escalation_issue=False, settings_version=1
        )
    with pytest.raises(PermissionDenied):
        cadence_run_now(user=world.user(role), job="nightly", now=NOON)
    client = Client()
    client.force_login(world.user(role))
    assert client.post(reverse("supervision:cadence_save"), {}).status_code == 403
    assert client.post(reverse("supervision:cadence_run", args=["nightly"])).status_code == 403
    assert not CadenceSchedule.objects.exists() and not BackgroundJob.objects.exists()


def test_seeing_the_cadence_is_not_enough_to_change_it(world: World, monkeypatch: Any) -> None:
    """Settings and "run now" need cadence.manage, not the page's cadence.view: a role given
    only the view sees the page without the buttons and is refused both writes."""
    monkeypatch.setitem(
        access.POLICY, Permission.CADENCE_VIEW, frozenset({Role.OFFICE, Role.LEADER})
    )
    client = Client()
    client.force_login(world.user("leader"))
    page = client.get(reverse("supervision:cadence"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="save-settings"' not in body and 'data-testid="run-nightly"' not in body
    assert client.post(reverse("supervision:cadence_save"), {}).status_code == 403
    assert client.post(reverse("supervision:cadence_run", args=["nightly"])).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_opening_the_cadence_page_writes_no_row(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    with CaptureQueriesContext(connection) as seen:
        page = client.get(reverse("supervision:cadence"))
    assert page.status_code == 200
    writes = [q["sql"] for q in seen if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    # The session's idle clock is the only write of a page view.
    assert [w for w in writes if '"django_session"' not in w] == []
    assert not CadenceSchedule.objects.exists() and not SupervisionSettings.objects.exists()
    # The defaults are shown all the same: the nightly job at 02:00 tomorrow.
    assert "02:00" in page.content.decode() and "每天" in page.content.decode()


def test_the_first_save_makes_the_schedules_and_audits_them(world: World) -> None:
    """A county whose schedules no tick has made yet: the office saves what the page showed
    (the defaults, version 1) with one change; the rows are made in the audited save."""
    shown = schedules_read(world.county, now=NOON)
    assert all(s.pk is None and s.version == 1 for s in shown)
    cadence_settings_save(
        user=world.user("office"),
        changes=[
            _change(s, at=dt.time(1, 30)) if s.job == "nightly" else _change(s) for s in shown
        ],
        escalation_issue=False,
        settings_version=1,
        now=NOON,
    )
    assert CadenceSchedule.objects.filter(county=world.county).count() == 5
    assert CadenceSchedule.objects.get(job="nightly").at == dt.time(1, 30)
    assert SupervisionSettings.objects.get(county=world.county).escalation_issue is False
    assert {e.action for e in AuditEvent.objects.filter(action__startswith="cadence.")} == {
        "cadence.schedules",
        "cadence.settings",
    }


def test_a_job_whose_starter_may_no_longer_run_it_does_nothing(world: World) -> None:
    """The worker checks the starter again: here the office clerk became an assessor between
    "run now" and the worker picking the job up."""
    office = world.user("office")
    queued = BackgroundJob.objects.create(
        county=world.county,
        user=office,
        kind="cadence.run",
        label="节奏任务：每晚刷新",
        params={"job": "nightly", "on": "2026-12-03", "trigger": "office"},
        language="zh-hans",
    )
    office.role = Role.ASSESSOR
    office.save(update_fields=["role"])
    assert jobs.job_run(queued.pk) == JobStatus.FAILED
    queued.refresh_from_db()
    assert queued.outcome["problems"] == ["您无权运行节奏任务，本任务未运行。"]
    assert not JobRun.objects.exists()


def test_a_disabled_schedule_has_no_next_run_and_is_never_started(world: World) -> None:
    _save(world, nightly={"enabled": False})
    assert CadenceSchedule.objects.get(job="nightly").next_run_at is None
    started = scheduler_tick(now=_at(2026, 12, 10, 12))
    assert "nightly" not in {j.params["job"] for j in started}


def test_the_scheduler_runs_a_due_job_once_and_moves_it_on(world: World) -> None:
    schedules_of(world.county, now=NOON)
    assert scheduler_tick(now=NOON) == []  # nothing due yet
    night = _at(2026, 12, 4, 2) + dt.timedelta(seconds=20)
    (job,) = scheduler_tick(now=night)
    assert (job.kind, job.user, job.county) == ("cadence.run", None, world.county)
    assert job.params == {"job": "nightly", "on": "2026-12-04", "trigger": "schedule"}
    assert BackgroundJob.objects.get(pk=job.pk).status == JobStatus.DONE
    run = JobRun.objects.get(county=world.county, job="nightly")
    assert (run.period_key, run.outcome, run.trigger) == ("2026-12-04", "ok", "schedule")
    schedule = CadenceSchedule.objects.get(job="nightly")
    assert schedule.next_run_at == _at(2026, 12, 5, 2)
    assert scheduler_tick(now=night + dt.timedelta(seconds=30)) == []


def test_a_scheduler_back_after_a_week_runs_each_missed_job_once_then_from_now(
    world: World,
) -> None:
    schedules_of(world.county, now=NOON)
    week_later = _at(2026, 12, 10, 12)
    started = scheduler_tick(now=week_later)
    assert sorted(j.params["job"] for j in started) == ["nightly", "weekly"]
    assert CadenceSchedule.objects.get(job="nightly").next_run_at == _at(2026, 12, 11, 2)
    assert CadenceSchedule.objects.get(job="weekly").next_run_at == _at(2026, 12, 14, 8)


def test_the_period_jobs_cover_the_period_that_has_just_ended(world: World) -> None:
    schedules_of(world.county, now=_at(2026, 6, 30, 12))
    started = scheduler_tick(now=_at(2026, 7, 1, 6))
    assert {j.params["job"]: j.params["on"] for j in started} == {
        "nightly": "2026-07-01",
        "monthly": "2026-06-30",
        "quarterly": "2026-06-30",
        "half": "2026-06-30",
    }
    assert {(s.job, s.year, s.number) for s in Snapshot.objects.all()} == {
        ("monthly", 2026, 6),
        ("quarterly", 2026, 2),
        ("half", 2026, 1),
    }


def test_two_schedulers_start_a_due_job_once(world: World) -> None:
    """Scheduler A reads the due schedules; scheduler B (another server) claims and starts
    them before A gets to it; A then starts nothing. (On PostgreSQL B would not even see rows
    A holds: the due rows are read with select_for_update(skip_locked=True).)"""
    schedules_of(world.county, now=NOON)
    night = _at(2026, 12, 4, 2, 1)
    seen_by_a = due_schedules(night)
    assert [s.job for s in seen_by_a] == ["nightly"]
    started_by_b = scheduler_tick(now=night)
    started_by_a = enqueue_due(seen_by_a, night)
    assert (len(started_by_b), started_by_a) == (1, [])
    assert BackgroundJob.objects.filter(kind="cadence.run").count() == 1
    assert JobRun.objects.get(job="nightly").runs == 1


def test_each_county_runs_on_its_own_schedule(world: World) -> None:
    other = build_world(code="900002")
    schedules_of(world.county, now=NOON)
    schedules_of(other.county, now=NOON)
    _save(world, nightly={"at": dt.time(23, 0)})
    started = scheduler_tick(now=_at(2026, 12, 3, 23, 1))
    assert [(j.county, j.params["job"]) for j in started] == [(world.county, "nightly")]
    assert JobRun.objects.get().county == world.county


def test_a_county_no_longer_hosted_is_not_run(world: World) -> None:
    schedules_of(world.county, now=NOON)
    County.objects.filter(pk=world.county.pk).update(is_hosted=False)
    assert scheduler_tick(now=_at(2026, 12, 4, 3)) == []


def test_a_failed_run_is_listed_and_stays_listed_after_a_later_success(
    world: World, monkeypatch: Any
) -> None:
    def boom(county: Any, today: dt.date) -> dict[str, int]:
        raise RuntimeError("table warnings is locked")

    with monkeypatch.context() as m:
        m.setitem(cadence.JOBS, "nightly", boom)
        job = cadence_run_now(user=world.user("office"), job="nightly", now=NOON)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    (problem,) = job.outcome["problems"]
    assert (
        problem
        == "每日预警刷新与提醒督办失败：任务因意外错误中止；系统管理员可在服务器日志中查看详情。"
    )
    assert "locked" not in problem
    again = cadence_run_now(user=world.user("office"), job="nightly", now=NOON)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE
    run = JobRun.objects.get(job="nightly")
    assert (run.outcome, run.runs, run.trigger) == ("ok", 2, "office")
    (failure,) = JobFailure.objects.all()
    assert (failure.job, failure.period_key, failure.message) == ("nightly", "2026-12-03", "")
    client = Client()
    client.force_login(world.user("office"))
    failures = client.get(reverse("supervision:cadence")).content.decode()
    assert "2026年12月3日" in failures and "任务因意外错误中止" in failures


def test_run_now_starts_a_job_whose_page_leads_back_to_the_cadence(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    response = client.post(reverse("supervision:cadence_run", args=["nightly"]))
    job = BackgroundJob.objects.get(kind="cadence.run")
    assert response.headers["Location"] == job.get_absolute_url()
    assert job.user == world.user("office")
    assert job.status == JobStatus.DONE
    assert job.outcome["url"] == reverse("supervision:cadence")
    assert job.outcome["table"][:2] == [["统计项", "数量"], ["刷新的预警", "2"]]
    page = client.get(reverse("supervision:cadence")).content.decode()
    assert "由绩效办立即运行" in page
    assert client.post(reverse("supervision:cadence_run", args=["hourly"])).status_code == 404


def test_the_page_saves_the_settings_and_shows_the_next_run(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    schedules_of(world.county)
    page = client.get(reverse("supervision:cadence")).content.decode()
    assert "每天" in page and "星期一" in page
    data: dict[str, Any] = {"version": 1, "escalation": "draft"}
    for s in CadenceSchedule.objects.all():
        data |= {
            f"{s.job}-version": s.version,
            f"{s.job}-frequency": s.frequency,
            f"{s.job}-at": s.at.strftime("%H:%M"),
            f"{s.job}-weekday": s.weekday,
            f"{s.job}-day": s.day,
            f"{s.job}-enabled": "on",
        }
    data |= {"weekly-weekday": 4, "weekly-at": "09:00"}
    response = client.post(reverse("supervision:cadence_save"), data, follow=True)
    body = response.content.decode()
    assert "节奏任务设置已保存" in body
    weekly = CadenceSchedule.objects.get(job="weekly")
    assert (weekly.weekday, weekly.at) == (4, dt.time(9, 0))
    assert "09:00（星期五）" in body
    assert settings_of(world.county).escalation_issue is False
    # A day past 31 is refused on the form and nothing is saved.
    data |= {"version": 2, "weekly-version": 2, "monthly-day": 40}
    refused = client.post(reverse("supervision:cadence_save"), data).content.decode()
    assert "设置未保存" in refused
    assert CadenceSchedule.objects.get(job="monthly").day == 1


def test_in_draft_mode_the_nightly_job_leaves_escalations_for_the_office(world: World) -> None:
    notice = h.issued(world)
    config = settings_of(world.county)
    config.escalation_issue = False
    config.save(update_fields=["escalation_issue"])
    later = notice.deadline + dt.timedelta(days=1)
    for _ in range(2):
        cadence.cadence_run(job="nightly", today=later)
    notice.refresh_from_db()
    (order,) = Notice.objects.filter(kind="order")
    assert (notice.status, order.status, order.number, order.parent_id) == (
        "escalated",
        "draft",
        "",
        notice.pk,
    )
    assert JobRun.objects.get(period_key=later.isoformat()).counts["escalated"] == 0
    # The office finds it among the drafts of the closed loop and issues it.
    client = Client()
    client.force_login(world.user("office"))
    drafts = client.get(reverse("supervision:notices"), {"status": "draft"}).content.decode()
    assert order.title in drafts
    services.notice_issue(user=world.user("office"), notice=order, today=later)
    order.refresh_from_db()
    assert order.status == "issued" and order.number


def test_the_scheduler_command_ticks_once(world: World) -> None:
    schedules_of(world.county, now=_at(2026, 1, 1))
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "30.0 s" in out.getvalue()
    assert BackgroundJob.objects.filter(kind="cadence.run").exists()  # a year of runs was due


def test_the_cadence_page_reads_as_many_queries_whatever_the_history(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    schedules_of(world.county)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("supervision:cadence")).status_code == 200
        return len(seen)

    few = queries()
    for month in range(1, 13):
        for job in ("monthly", "quarterly", "half"):
            cadence.cadence_run(job=job, today=dt.date(2026, month, 28))
    assert queries() == few <= 20


def test_the_demo_shows_a_failure_kept_after_its_retry(world: World) -> None:
    from kaohe.demo.cadence_demo import demo_cadence_build

    demo_cadence_build(scheme=world.scheme, today=dt.date(2026, 12, 4))
    assert CadenceSchedule.objects.filter(county=world.county).count() == 5
    monthly = JobRun.objects.get(job="monthly")
    assert (monthly.period_key, monthly.outcome, monthly.runs) == ("2026-11", "ok", 2)
    assert JobFailure.objects.get().period_key == "2026-11"
    assert JobRun.objects.get(job="half").period_key == "2026-H1"
