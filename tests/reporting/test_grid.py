"""The grid: a unit's whole period at once, pre-filled, all rows submitted or none."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.reporting.models import ProgressReport, Target
from kaohe.reporting.services import report_approve, report_submit
from kaohe.schemes.models import Indicator, IndicatorPoints
from tests.factories import World


@pytest.fixture
def two_rows(world: World) -> tuple[World, Target]:
    leaf = Indicator.objects.create(
        county=world.county,
        scheme=world.scheme,
        parent=world.root,
        code="A02",
        name="新增市场主体",
        level=2,
        position=3,
        unit_of_measure="户",
        frequency="monthly",
        assessor=world.assessor_unit,
    )
    IndicatorPoints.objects.create(indicator=leaf, category=world.category, points=Decimal("5"))
    target = Target.objects.create(
        county=world.county, scheme=world.scheme, unit=world.town, indicator=leaf, annual_target=120
    )
    return world, target


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("unit"))
    return client


def test_the_grid_lists_the_period_with_the_last_approved_value(
    two_rows: tuple[World, Target],
) -> None:
    world, _second = two_rows
    page = _client(world).get(reverse("reporting:grid"))
    items = [row[0] for row in page.context["rows"]]
    assert [i.target.indicator.code for i in items] == ["A01", "A02"]
    current = items[0].period
    earlier = (
        next(p for p in world.months if p.number == current.number - 1)
        if current.number > 1
        else None
    )
    if earlier is not None:
        r = report_submit(
            user=world.user("unit"), target=world.target, period=earlier, value="700", note=""
        )
        report_approve(user=world.user("assessor"), report=r, version=r.version)
        page = _client(world).get(reverse("reporting:grid"))
        assert page.context["rows"][0][0].previous.value == Decimal("700")
        assert "700" in page.content.decode()


def test_the_filled_rows_are_submitted_together(two_rows: tuple[World, Target]) -> None:
    world, _second = two_rows
    client = _client(world)
    items = [row[0] for row in client.get(reverse("reporting:grid")).context["rows"]]
    data = {
        f"value-{items[0].key}": "1,000",
        f"note-{items[0].key}": "稳步推进",
        f"value-{items[1].key}": "12",
    }
    response = client.post(reverse("reporting:grid"), data)
    assert response.status_code == 302
    assert {r.indicator.code: r.value for r in ProgressReport.objects.all()} == {
        "A01": Decimal("1000"),
        "A02": Decimal("12"),
    }


def test_one_bad_row_submits_nothing_and_is_marked(two_rows: tuple[World, Target]) -> None:
    world, _second = two_rows
    client = _client(world)
    items = [row[0] for row in client.get(reverse("reporting:grid")).context["rows"]]
    data = {f"value-{items[0].key}": "1000", f"value-{items[1].key}": "十二"}
    page = client.post(reverse("reporting:grid"), data)
    assert page.status_code == 200
    assert not ProgressReport.objects.exists()
    marked = {row[0].key: row[3] for row in page.context["rows"]}
    assert marked[items[1].key] and not marked[items[0].key]
    # What was typed stays in the grid to be corrected.
    assert page.context["rows"][0][1] == "1000"


def test_empty_rows_are_left_alone(two_rows: tuple[World, Target]) -> None:
    world, _second = two_rows
    client = _client(world)
    items = [row[0] for row in client.get(reverse("reporting:grid")).context["rows"]]
    client.post(reverse("reporting:grid"), {f"value-{items[1].key}": "3"})
    assert [r.indicator.code for r in ProgressReport.objects.all()] == ["A02"]
