"""Inspections, difficult problems and help visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.supervision import records
from kaohe.supervision.models import Notice, Problem
from tests.factories import UserFactory, World
from tests.supervision import helpers as h

TODAY = h.TODAY


def test_a_finding_becomes_a_draft_notice_or_a_problem(world: World) -> None:
    inspection = h.inspection(world)
    client = Client()
    client.force_login(world.user("supervisor"))
    client.post(reverse("supervision:inspection_notice", args=[inspection.pk]))
    client.post(reverse("supervision:inspection_problem", args=[inspection.pk]))
    notice = Notice.objects.get()
    assert (notice.status, notice.issuer.code, notice.recipient_id) == (
        "draft",
        "S03",
        world.town.pk,
    )
    assert notice.situation == inspection.findings and notice.inspection_id == inspection.pk
    problem = Problem.objects.get()
    assert (problem.source, problem.inspection_id, problem.unit_id) == (
        "supervision",
        inspection.pk,
        world.town.pk,
    )
    page = client.get(reverse("supervision:inspection", args=[inspection.pk])).content.decode()
    assert problem.title in page


def test_only_supervision_offices_inspect(world: World) -> None:
    with pytest.raises(ValidationError):
        records.inspection_record(
            user=world.user("office"),
            office=world.assessor_unit,
            kind="regular",
            date=TODAY,
            unit=world.town,
            indicators=[],
            findings="x",
        )
    with pytest.raises(PermissionDenied):
        records.inspection_record(
            user=world.user("unit"),
            office=h.office(world),
            kind="regular",
            date=TODAY,
            unit=world.town,
            indicators=[],
            findings="x",
        )


def test_a_problem_moves_from_open_to_solved_and_is_counted(world: World) -> None:
    problem = h.problem(world)
    office = world.user("office")
    with pytest.raises(ValidationError):
        records.problem_update(
            user=office,
            problem=problem,
            status="solved",
            leader=None,
            department=None,
            resolution="",
            today=TODAY,
        )
    records.problem_update(
        user=office,
        problem=problem,
        status="in_progress",
        leader=world.leader,
        department=world.assessor_unit,
        resolution="",
        today=TODAY,
    )
    records.problem_update(
        user=office,
        problem=problem,
        status="solved",
        leader=world.leader,
        department=world.assessor_unit,
        resolution="协调新增用地指标30亩",
        today=dt.date(2026, 7, 1),
    )
    problem.refresh_from_db()
    assert (problem.status, problem.solved_on) == ("solved", dt.date(2026, 7, 1))
    with pytest.raises(ValidationError):
        records.problem_update(
            user=office,
            problem=problem,
            status="open",
            leader=None,
            department=None,
            resolution="",
            today=TODAY,
        )
    assert AuditEvent.objects.filter(action="problem.update").count() == 2
    client = Client()
    client.force_login(world.user("leader"))
    response = client.get(reverse("supervision:problems") + "?year=2026")
    assert response.context["counts"] == {"total": 1, "open": 0, "in_progress": 0, "solved": 1}
    assert problem.title in response.content.decode()


def test_units_see_their_own_problems_and_visits_only(world: World) -> None:
    mine = h.problem(world)
    theirs = records.problem_raise(
        user=world.user("office"),
        title="乙镇道路",
        description="",
        source="unit",
        unit=world.other_town,
        raised_on=TODAY,
    )
    records.visit_record(
        user=world.user("supervisor"),
        date=TODAY,
        unit=world.other_town,
        visitors="张三",
        outcome="已协调",
        leader=world.leader,
        indicators=[world.leaf],
        problems=[theirs],
    )
    client = Client()
    client.force_login(world.user("unit"))
    assert client.get(reverse("supervision:problem", args=[mine.pk])).status_code == 200
    assert client.get(reverse("supervision:problem", args=[theirs.pk])).status_code == 404
    assert "张三" not in client.get(reverse("supervision:visits")).content.decode()
    other = UserFactory(county=world.county, role="unit", unit=world.other_town)
    client.force_login(other)
    assert "张三" in client.get(reverse("supervision:visits")).content.decode()
    # A unit may read its problem but not change it.
    client.post(reverse("supervision:problem", args=[theirs.pk]), {"status": "solved"})
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_forms_record_through_the_pages(world: World) -> None:
    h.office(world)
    client = Client()
    client.force_login(world.user("supervisor"))
    response = client.post(
        reverse("supervision:visit_new"),
        {
            "date": "2026-06-15",
            "unit": world.town.pk,
            "visitors": "李四",
            "outcome": "现场办公",
            "indicators": [world.leaf.pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("supervision:problem_new"),
        {"title": "资金缺口", "source": "unit", "unit": world.town.pk, "leader": world.leader.pk},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("supervision:inspection_new"),
        {
            "office": h.office(world).pk,
            "kind": "regular",
            "date": "2026-06-10",
            "unit": world.town.pk,
            "findings": "进度滞后",
        },
    )
    assert response.status_code == 302
    # Another county's unit is not a choice.
    from tests.factories import build_world

    elsewhere = build_world(code="900008")
    response = client.post(
        reverse("supervision:problem_new"),
        {"title": "x", "source": "unit", "unit": elsewhere.town.pk},
    )
    assert response.status_code == 200 and Problem.objects.count() == 1
