"""The battle map: units against first-level indicators, drilled down to leaves, worst colour."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from kaohe.dashboard.selectors import battle_map
from kaohe.reporting.services import report_approve, report_submit
from tests.factories import World


def _approve(world: World, value: str, month: int = 10) -> None:
    report = report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[month - 1],
        value=value,
        note="",
    )
    report_approve(user=world.user("assessor"), report=report, version=report.version)


def test_a_first_level_cell_takes_the_worst_colour_of_its_leaves(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        _approve(world, "100")  # 100 of 1200 by 31 October: far behind, red
    data = battle_map(user=world.user("office"))
    assert [c.code for c in data.columns] == ["A"]
    rows = {unit.code: cells for unit, cells in data.rows}
    assert rows["T01"][0].colour == "red" and rows["T01"][0].worst == 1
    assert rows["T02"][0].colour == "none"
    assert data.totals["red"] == 1


def test_drilling_down_shows_the_leaves_of_one_first_level_indicator(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    page = client.get(reverse("dashboard:battlemap") + "?parent=A")
    assert [c.code for c in page.context["map"].columns] == ["A01"]
    assert client.get(reverse("dashboard:battlemap") + "?parent=NOPE").status_code == 404


def test_a_unit_sees_only_its_own_row(world: World) -> None:
    data = battle_map(user=world.user("unit"))
    assert [unit.code for unit, _cells in data.rows] == ["T01"]


def test_a_scheme_published_early_for_next_year_waits_for_its_year(world: World) -> None:
    from django.utils import timezone

    from kaohe.schemes.models import Indicator, Scheme

    this_year = timezone.localdate().year
    Scheme.objects.filter(pk=world.scheme.pk).update(year=this_year)
    early = Scheme.objects.create(
        county=world.county, year=this_year + 1, name="明年方案", status="published"
    )
    Indicator.objects.create(
        county=world.county, scheme=early, code="Z", name="明年指标", level=1, position=1
    )
    client = Client()
    client.force_login(world.user("office"))
    columns = [c.code for c in client.get(reverse("dashboard:battlemap")).context["map"].columns]
    assert "Z" not in columns and "A" in columns
