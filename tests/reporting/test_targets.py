"""Targets: yearly and stretch targets, and a seasonal time schedule that warnings follow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.monitoring.models import Warning
from kaohe.reporting.plans import target_set
from kaohe.reporting.services import report_approve, report_submit
from tests.factories import World

# Tea: most of the year's value comes in spring. By the end of April 70% is due.
SPRING = [0.1, 0.15, 0.2, 0.25, 0.05, 0.05, 0.04, 0.04, 0.04, 0.04, 0.02, 0.02]


def test_the_office_sets_targets_with_a_reason_once_published(world: World) -> None:
    office = world.user("office")
    with pytest.raises(ValidationError):
        target_set(user=office, target=world.target, annual_target="1500")
    target = target_set(
        user=office,
        target=world.target,
        annual_target="1500",
        stretch_target="1800",
        reason="州下达任务调整",
    )
    assert (target.annual_target, target.stretch_target, target.schedule) == (
        Decimal("1500"),
        Decimal("1800"),
        "linear",
    )
    event = AuditEvent.objects.get(action="target.set")
    assert event.before is not None and Decimal(event.before["annual_target"]) == 1200
    with pytest.raises(ValidationError):
        target_set(
            user=office,
            target=world.target,
            annual_target="1500",
            stretch_target="1000",
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        target_set(user=world.user("unit"), target=world.target, annual_target="1", reason="x")


def test_monthly_shares_must_be_twelve_and_add_up_to_one(world: World) -> None:
    with pytest.raises(ValidationError):
        target_set(
            user=world.user("office"),
            target=world.target,
            annual_target="1200",
            monthly_shares=[0.5, 0.5],
            reason="x",
        )
    with pytest.raises(ValidationError):
        target_set(
            user=world.user("office"),
            target=world.target,
            annual_target="1200",
            monthly_shares=[0.2] * 12,
            reason="x",
        )


def test_a_seasonal_schedule_changes_the_colour(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    target_set(
        user=world.user("office"),
        target=world.target,
        annual_target="1200",
        monthly_shares=SPRING,
        reason="茶季",
    )
    # 600 by the end of April: 50% done. Linearly 120/365 = 33% would be due (green);
    # the spring profile asks for 70% (20 points behind: red).
    report = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[3], value="600", note=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(user=world.user("assessor"), report=report, version=report.version)
    warning = Warning.objects.get(unit=world.town, indicator=world.leaf)
    assert warning.colour == "red" and round(warning.schedule, 2) == 0.70


def test_a_unit_proposes_a_target_and_the_office_decides(world: World, client) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from kaohe.reporting.plans import target_proposal_decide, target_propose

    with pytest.raises(ValidationError):
        target_propose(user=world.user("unit"), target=world.target, proposed="1000", note=" ")
    with pytest.raises(PermissionDenied):
        target_propose(user=world.user("assessor"), target=world.target, proposed="1000", note="x")
    target = target_propose(
        user=world.user("unit"), target=world.target, proposed="1000", note="受疫情影响"
    )
    assert target.annual_target == Decimal("1200") and target.proposed_target == Decimal("1000")
    with pytest.raises(ValidationError):
        target_proposal_decide(user=world.user("office"), target=target, approve=False)
    target = target_proposal_decide(user=world.user("office"), target=target, approve=True)
    assert target.annual_target == Decimal("1000") and target.proposed_target is None
    assert AuditEvent.objects.filter(action="target.approve").exists()
    client.force_login(world.user("unit"))
    client.post(
        reverse("reporting:target_propose", args=[world.target.pk]),
        {"proposed": "900", "note": "再调"},
    )
    client.force_login(world.user("office"))
    assert "再调" in client.get(reverse("reporting:lists", args=[world.target.pk])).content.decode()
    client.post(
        reverse("reporting:target_decide", args=[world.target.pk]),
        {"decision": "reject", "reason": "不同意"},
    )
    world.target.refresh_from_db()
    assert world.target.annual_target == Decimal("1000") and world.target.proposed_target is None


def test_the_office_sets_milestones_on_the_lists_page(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.user("office"))
    url = reverse("reporting:target_schedule", args=[world.target.pk])
    page = client.get(reverse("reporting:lists", args=[world.target.pk])).content.decode()
    assert 'data-testid="schedule-form"' in page
    client.post(
        url,
        {
            "annual_target": "1200",
            "schedule": "milestones",
            "milestones": "2026-04-30 30%\n2026-08-31 0.6\n2026-12-31 1",
            "reason": "按项目节点考核",
        },
    )
    world.target.refresh_from_db()
    assert world.target.schedule == "milestones"
    assert world.target.milestones == [
        ["2026-04-30", 0.3],
        ["2026-08-31", 0.6],
        ["2026-12-31", 1.0],
    ]
    # A wrong line changes nothing and says why.
    response = client.post(
        url,
        {
            "annual_target": "1200",
            "schedule": "milestones",
            "milestones": "四月底 三成",
            "reason": "x",
        },
        follow=True,
    )
    world.target.refresh_from_db()
    assert world.target.milestones[0] == ["2026-04-30", 0.3]
    assert "节点" in " ".join(str(m) for m in response.context["messages"])
