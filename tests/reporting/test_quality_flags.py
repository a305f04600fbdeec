"""Data-quality flags at submission: seen by the unit as it types and by the reviewer."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from kaohe.org.models import Unit
from kaohe.reporting.models import ProgressReport, Target
from kaohe.reporting.services import report_approve, report_submit
from tests.factories import UserFactory, World


def _peers(world: World, values: list[int]) -> None:
    """Other towns of the category reporting the same indicator and month."""
    for n, value in enumerate(values):
        town = Unit.objects.create(
            county=world.county,
            code=f"T9{n}",
            name=f"丙{n}镇",
            kind="township",
            category=world.category,
        )
        user = UserFactory(county=world.county, role="unit", unit=town)
        target = Target.objects.create(
            county=world.county,
            scheme=world.scheme,
            unit=town,
            indicator=world.leaf,
            annual_target=1200,
        )
        report_submit(user=user, target=target, period=world.months[9], value=str(value), note="")


def test_a_value_far_from_the_category_is_flagged_on_the_report(world: World) -> None:
    _peers(world, [1000, 1010, 990, 1005, 995])
    report = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="9000", note=""
    )
    assert [f["code"] for f in report.flags] == ["category_outlier"]
    client = Client()
    client.force_login(world.user("assessor"))
    page = client.get(reverse("reporting:queue")).content.decode()
    assert "9000" in page.replace(",", "") and "⚠" in page


def test_a_cumulative_value_that_falls_below_the_approved_one_is_flagged(world: World) -> None:
    september = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[8], value="800", note=""
    )
    report_approve(user=world.user("assessor"), report=september, version=september.version)
    october = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="700", note=""
    )
    assert [f["code"] for f in october.flags] == ["cumulative_fell"]
    assert october.flags[0]["reference"] == 800.0


def test_the_unit_sees_the_flags_while_it_types(world: World) -> None:
    _peers(world, [1000, 1010, 990, 1005, 995])
    client = Client()
    client.force_login(world.user("unit"))
    url = reverse("reporting:check", args=[world.target.pk, world.months[9].pk])
    assert "⚠" in client.post(url, {"value": "9000"}).content.decode()
    assert "⚠" not in client.post(url, {"value": "1002"}).content.decode()
    assert client.post(url, {"value": "not a number"}).status_code == 200
    assert not ProgressReport.objects.filter(unit=world.town).exists()  # checking writes nothing


def test_a_quiet_value_raises_no_flag(world: World) -> None:
    _peers(world, [1000, 1010, 990, 1005, 995])
    report = report_submit(
        user=world.user("unit"), target=world.target, period=world.months[9], value="1003", note=""
    )
    assert report.flags == [] and report.value == Decimal("1003")
