"""Past the review deadline a period locks; only the office reopens a report, with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.reporting.models import Period, ProgressReport, Reopening
from kaohe.reporting.services import (
    report_approve,
    report_confirm,
    report_reopen,
    report_return,
    report_submit,
)
from tests.factories import World


def _lock(period: Period) -> None:
    Period.objects.filter(pk=period.pk).update(
        review_due=timezone.localdate() - dt.timedelta(days=1)
    )
    period.refresh_from_db()


def _confirmed(world: World) -> ProgressReport:
    r = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="900", note=""
    )
    r = report_approve(user=world.user("assessor"), report=r, version=r.version)
    return report_confirm(user=world.user("office"), report=r, version=r.version)


def test_the_calendar_gives_every_period_a_review_deadline_after_its_submission_deadline(
    world: World,
) -> None:
    from kaohe.reporting.calendar import periods_of_year

    for period in periods_of_year(scheme=world.scheme):
        assert period.review_due is not None and period.review_due > period.due


def test_a_unit_cannot_submit_into_a_locked_period(world: World) -> None:
    period = world.months[9]
    _lock(period)
    with pytest.raises(ValidationError, match=r"closed|关闭"):
        report_submit(
            user=world.user("unit"), target=world.target, period=period, value="1", note=""
        )
    assert not ProgressReport.objects.exists()


def test_the_office_reopens_a_confirmed_report_and_the_unit_corrects_it(world: World) -> None:
    report = _confirmed(world)
    _lock(world.months[9])
    with pytest.raises(ValidationError):
        report_reopen(user=world.user("office"), report=report, version=report.version, reason=" ")
    report = report_reopen(
        user=world.user("office"), report=report, version=report.version, reason="统计口径调整"
    )
    assert report.status == "returned" and report.review_note == "统计口径调整"
    assert AuditEvent.objects.filter(action="report.reopen", object_id=str(report.pk)).exists()
    corrected = report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[9],
        value="950",
        note="按新口径",
    )
    assert corrected.status == "submitted" and corrected.value == 950
    reopening = Reopening.objects.get(report=report)
    assert reopening.previous_status == "confirmed" and reopening.closed_at is not None
    # Once resubmitted, the lock holds again.
    corrected = report_approve(
        user=world.user("assessor"), report=corrected, version=corrected.version
    )
    corrected = report_reopen(
        user=world.user("office"), report=corrected, version=corrected.version, reason="再核"
    )
    again = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="960", note=""
    )
    report_return(user=world.user("assessor"), report=again, version=again.version, reason="再改")
    with pytest.raises(ValidationError, match=r"closed|关闭"):
        report_submit(
            user=world.user("unit"),
            target=world.target,
            period=world.months[9],
            value="970",
            note="",
        )


@pytest.mark.parametrize(
    "role",
    [
        "unit",
        "assessor",
        "leader",
        "supervisor",
        "organisation",
        "sysadmin",
        "secadmin",
        "auditadmin",
    ],
)
def test_only_the_office_may_reopen(world: World, role: str) -> None:
    report = _confirmed(world)
    with pytest.raises(PermissionDenied):
        report_reopen(user=world.user(role), report=report, version=report.version, reason="x")


def test_a_submitted_report_cannot_be_reopened(world: World) -> None:
    r = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="1", note=""
    )
    with pytest.raises(ValidationError):
        report_reopen(user=world.user("office"), report=r, version=r.version, reason="x")


def test_each_reopening_is_visible_on_the_report(world: World) -> None:
    report = _confirmed(world)
    client = Client()
    client.force_login(world.user("office"))
    client.post(
        reverse("reporting:reopen", args=[report.pk]),
        {"reason": "补充佐证", "version": report.version},
    )
    client.force_login(world.user("unit"))
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "补充佐证" in page
