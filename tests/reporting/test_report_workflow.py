"""The reporting workflow: submit, return, resubmit, approve, confirm; who may; stale saves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.monitoring.models import Warning
from kaohe.reporting.models import ProgressReport
from kaohe.reporting.services import (
    StaleVersion,
    report_approve,
    report_confirm,
    report_return,
    report_submit,
)
from tests.factories import World


def _submit(world: World, value: str = "1000", month: int = 10) -> ProgressReport:
    return report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[month - 1],
        value=value,
        note="已完成三个项目签约",
    )


def test_a_unit_submits_a_value_and_the_write_is_audited(world: World) -> None:
    report = _submit(world)
    assert report.status == "submitted"
    assert report.value == Decimal("1000")
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    assert event.actor_id == world.user("unit").pk
    assert event.after is not None and event.after["value"] == "1000.0000"


@pytest.mark.parametrize(
    "role",
    [
        "office",
        "assessor",
        "leader",
        "supervisor",
        "organisation",
        "sysadmin",
        "secadmin",
        "auditadmin",
    ],
)
def test_only_the_unit_may_submit(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        report_submit(
            user=world.user(role), target=world.target, period=world.months[9], value="1", note=""
        )


@pytest.mark.parametrize("bad", ["abc", "", "1e400", "nan", "inf", "1" * 20])
def test_a_value_that_is_not_a_number_is_refused_and_nothing_is_written(
    world: World, bad: str
) -> None:
    with pytest.raises(ValidationError):
        report_submit(
            user=world.user("unit"), target=world.target, period=world.months[9], value=bad, note=""
        )
    assert not ProgressReport.objects.exists()
    assert not AuditEvent.objects.filter(action="report.submit").exists()


def test_a_submission_after_the_deadline_is_flagged_late(world: World) -> None:
    report = _submit(world, month=1)
    assert report.is_late


def test_the_assessor_approves_and_the_warning_is_recomputed(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _submit(world, value="1000", month=10)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_approve(user=world.user("assessor"), report=report, version=report.version)
    assert report.status == "approved"
    warning = Warning.objects.get(unit=world.town, indicator=world.leaf)
    # 1000 of 1200 is 83.3%; by 31 October 304/365 = 83.3% of the year is due: on schedule.
    assert warning.colour == "green"
    assert warning.as_of == world.months[9].end


def test_a_lagging_value_turns_red(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    report = _submit(world, value="600", month=10)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(user=world.user("assessor"), report=report, version=report.version)
    warning = Warning.objects.get(unit=world.town, indicator=world.leaf)
    assert warning.colour == "red"
    assert "red" in warning.explanation["arithmetic"]


def test_a_return_needs_a_reason_and_the_unit_can_resubmit(world: World) -> None:
    report = _submit(world)
    with pytest.raises(ValidationError):
        report_return(
            user=world.user("assessor"), report=report, version=report.version, reason=" "
        )
    report = report_return(
        user=world.user("assessor"), report=report, version=report.version, reason="缺少佐证"
    )
    assert report.status == "returned"
    again = _submit(world, value="1100")
    assert again.pk == report.pk and again.status == "submitted" and again.value == Decimal("1100")


def test_a_stale_version_is_refused_not_overwritten(world: World) -> None:
    report = _submit(world)
    stale = report.version
    report_return(user=world.user("assessor"), report=report, version=stale, reason="补充说明")
    with pytest.raises(StaleVersion):
        report_approve(user=world.user("assessor"), report=report, version=stale)
    report.refresh_from_db()
    assert report.status == "returned"


def test_a_report_cannot_be_approved_twice_or_confirmed_before_approval(world: World) -> None:
    report = _submit(world)
    with pytest.raises(ValidationError):
        report_confirm(user=world.user("office"), report=report, version=report.version)
    report = report_approve(user=world.user("assessor"), report=report, version=report.version)
    with pytest.raises(ValidationError):
        report_approve(user=world.user("assessor"), report=report, version=report.version)
    report = report_confirm(user=world.user("office"), report=report, version=report.version)
    assert report.status == "confirmed"
    with pytest.raises(ValidationError):
        _submit(world)


def test_an_assessor_of_another_department_may_not_review(world: World) -> None:
    from kaohe.org.models import Unit
    from tests.factories import UserFactory

    forestry = Unit.objects.create(
        county=world.county, code="D09", name="县林业局", kind="department", is_assessing=True
    )
    stranger = UserFactory(county=world.county, role="assessor", unit=forestry)
    report = _submit(world)
    with pytest.raises(PermissionDenied):
        report_approve(user=stranger, report=report, version=report.version)


def test_the_unit_page_lists_what_is_due_and_submits_through_the_form(world: World, client) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    client.force_login(world.user("unit"))
    page = client.get(reverse("reporting:due"))
    assert page.status_code == 200
    assert "招商引资到位资金" in page.content.decode()
    period = page.context["items"][0].period
    url = reverse("reporting:fill", args=[world.target.pk, period.pk])
    bad = client.post(url, {"value": "十二", "note": ""})
    assert bad.status_code == 200 and not ProgressReport.objects.exists()
    ok = client.post(url, {"value": "1,050.5", "note": "进展顺利"})
    assert ok.status_code == 302
    assert ProgressReport.objects.get().value == Decimal("1050.5")


def test_the_due_page_shows_the_quarters_theme(world: World, client) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.urls import reverse

    from kaohe.reporting.selectors import quarter_theme

    assert "training" in quarter_theme(dt.date(2026, 2, 1)) or "培训" in quarter_theme(
        dt.date(2026, 2, 1)
    )
    assert quarter_theme(dt.date(2026, 11, 24)) != quarter_theme(dt.date(2026, 8, 1))
    client.force_login(world.user("unit"))
    page = client.get(reverse("reporting:due")).content.decode()
    assert "本季度重点" in page
