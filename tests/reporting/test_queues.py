"""The assessor's filtered queue and the office's completeness view."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from kaohe.reporting.selectors import completeness, review_queue
from kaohe.reporting.services import report_approve, report_return, report_submit
from tests.factories import UserFactory, World


def _reports(world: World) -> None:
    other = UserFactory(county=world.county, role="unit", unit=world.other_town)
    a = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="900", note=""
    )
    b = report_submit(
        user=other, target=world.other_target, period=world.months[9], value="500", note=""
    )
    report_approve(user=world.user("assessor"), report=a, version=a.version)
    report_submit(
        user=world.user("unit"), target=world.target, period=world.months[8], value="800", note=""
    )
    report_return(user=world.user("assessor"), report=b, version=b.version, reason="补材料")


def test_the_queue_filters_by_status_unit_and_indicator(world: World) -> None:
    _reports(world)
    assessor = world.user("assessor")
    assert [r.period.number for r in review_queue(user=assessor)] == [9]
    assert [r.unit.code for r in review_queue(user=assessor, status="returned")] == ["T02"]
    assert [
        r.unit.code for r in review_queue(user=assessor, status="approved", unit_id=world.town.pk)
    ] == ["T01"]
    assert not review_queue(user=assessor, status="approved", unit_id=world.other_town.pk).exists()
    client = Client()
    client.force_login(assessor)
    page = client.get(reverse("reporting:queue"), {"status": "returned"})
    assert "乙镇" in page.content.decode()


def test_completeness_counts_each_units_reports_for_a_period(world: World) -> None:
    _reports(world)
    rows = {r.unit_name: r for r in completeness(user=world.user("office"), period=world.months[9])}
    town, other = rows["甲镇"], rows["乙镇"]
    assert (town.due, town.approved, town.missing) == (1, 1, 0)
    assert (other.due, other.approved, other.submitted, other.missing) == (1, 0, 0, 1)  # returned
    assert town.late == 1  # October's deadline has passed
    client = Client()
    client.force_login(world.user("office"))
    page = client.get(reverse("reporting:completeness"), {"period": world.months[9].pk})
    assert page.status_code == 200 and "乙镇" in page.content.decode()
