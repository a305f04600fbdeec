"""Rounds through their pages; ratings from a workbook; awards and cadre decisions; access."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaohe.appraisal.applications import (
    action_statistics,
    awards_apply,
    cadre_action_record,
)
from kaohe.appraisal.models import Award, Rating, RatingGroup
from kaohe.appraisal.ratings import ratings_import, read_ratings_sheet
from kaohe.appraisal.services import round_compute, round_finalise, round_publish
from kaohe.audit.models import AuditEvent
from tests.appraisal.golden import RULES, build_golden
from tests.factories import UserFactory, World

TODAY = dt.date(2027, 1, 10)


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def final_round(world: World):  # type: ignore[no-untyped-def]
    units = build_golden(world)
    office = world.user("office")
    rnd = round_compute(
        user=office, scheme=world.scheme, kind="annual", number=0, rules=RULES, today=TODAY
    )
    rnd = round_publish(user=office, round=rnd, notice_days=3, today=TODAY)
    rnd = round_finalise(user=office, round=rnd, today=TODAY + dt.timedelta(days=4))
    return world, units, rnd


def test_ratings_import_from_a_workbook_replaces_the_groups_ballots(world: World) -> None:
    rows = read_ratings_sheet(_workbook([["评议人", "T01", "乙镇"], [1, 90, 80], [2, 95, 85]]))
    group = ratings_import(
        user=world.user("office"),
        scheme=world.scheme,
        code="peers",
        name="互评",
        weight=Decimal("0.4"),
        drop_extremes=False,
        rows=rows,
    )
    assert sorted(Rating.objects.filter(group=group).values_list("points", flat=True)) == [
        80,
        85,
        90,
        95,
    ]
    assert AuditEvent.objects.filter(action="ratings.import").count() == 1


def test_a_bad_cell_or_file_imports_nothing(world: World) -> None:
    rows = read_ratings_sheet(_workbook([["评议人", "T01", "T99"], [1, "优", 80]]))
    with pytest.raises(ValidationError) as err:
        ratings_import(
            user=world.user("office"),
            scheme=world.scheme,
            code="peers",
            name="互评",
            weight=Decimal("0.4"),
            drop_extremes=False,
            rows=rows,
        )
    text = " ".join(err.value.messages)
    assert "T99" in text and "优" in text
    assert not RatingGroup.objects.exists()
    with pytest.raises(ValidationError):
        read_ratings_sheet(b"not a workbook")


def test_a_unit_sees_only_its_own_result_and_never_the_ballots(final_round) -> None:  # type: ignore[no-untyped-def]
    world, units, rnd = final_round
    client = Client()
    client.force_login(UserFactory(county=world.county, role="unit", unit=units["T05"]))
    page = client.get(reverse("appraisal:round", args=[rnd.pk])).content.decode()
    assert "戊镇" in page and "甲镇" not in page and "丁镇" not in page
    other = rnd.results.get(unit__code="T01")
    assert client.get(reverse("appraisal:result", args=[other.pk])).status_code == 404
    own = rnd.results.get(unit__code="T05")
    detail = client.get(reverse("appraisal:result", args=[own.pk])).content.decode()
    assert "84.90" in detail
    # The evaluators' single ballots (80, 80, 80) never leave the aggregate.
    assert "80, 80" not in detail and "[80" not in detail


def test_the_office_downloads_the_results_as_excel_with_the_pages_columns(final_round) -> None:  # type: ignore[no-untyped-def]
    world, _units, rnd = final_round
    client = Client()
    client.force_login(world.user("office"))
    response = client.get(reverse("appraisal:round", args=[rnd.pk]) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("类别", "名次", "单位")
    assert {r[2]: r[10] for r in rows[2:]}["丙镇"] == "良好"
    assert len(rows) == 2 + 5
    # The category by its name, as the clerk knows it, not its code.
    category = world.town.category
    assert {r[0] for r in rows[2:]} == {category.name} and category.name != category.code


def test_awards_rest_on_the_final_round_and_merit_only_for_the_top_grade(final_round) -> None:  # type: ignore[no-untyped-def]
    world, units, rnd = final_round
    office = world.user("office")
    with pytest.raises(ValidationError):
        awards_apply(
            user=office, round=rnd, coefficients={}, merit_units=[units["T03"].pk], decided_on=TODAY
        )
    made = awards_apply(
        user=office,
        round=rnd,
        coefficients={"优秀": Decimal("1.2"), "良好": Decimal("1.1"), "一般": Decimal("1.0")},
        merit_units=[units["T01"].pk],
        decided_on=TODAY,
    )
    assert len(made) == 6
    t04 = Award.objects.get(result__unit=units["T04"])
    assert t04.coefficient == Decimal("1.20")
    merit = Award.objects.get(kind="collective_merit")
    assert merit.result.unit == units["T01"] and merit.result.round == rnd


def test_cadre_decisions_rest_on_results_and_are_counted_for_the_year(final_round) -> None:  # type: ignore[no-untyped-def]
    world, _units, rnd = final_round
    organisation = world.user("organisation")
    world.leader.unit = world.town
    world.leader.save()
    result = rnd.results.get(unit=world.town)
    from kaohe.supervision.models import Notice

    notice = Notice.objects.create(
        county=world.county,
        kind="reminder",
        status="accepted",
        issuer=world.assessor_unit,
        recipient=world.town,
        title="关于招商引资进度滞后的提醒",
        required_actions="限期整改",
        deadline=TODAY,
        number="保绩提〔2026〕3号",
        issued_on=TODAY,
    )
    with pytest.raises(ValidationError):
        cadre_action_record(
            user=organisation,
            cadre=world.leader,
            kind="promotion",
            year=2026,
            results=[],
            basis="x",
            decided_on=TODAY,
        )
    cadre_action_record(
        user=organisation,
        cadre=world.leader,
        kind="promotion",
        year=2026,
        results=[result],
        basis="年度考核优秀，连续两年排名前列",
        decided_on=TODAY,
        notices=[notice],
    )
    stats = {
        code: count
        for code, _label, count in action_statistics(county_id=world.county.pk, year=2026)
    }
    assert stats["promotion"] == 1 and stats["moved_down"] == 0
    client = Client()
    client.force_login(world.user("office"))
    page = client.get(reverse("appraisal:cadre", args=[world.leader.pk])).content.decode()
    assert "年度考核优秀" in page and "98.40" in page and "保绩提〔2026〕3号" in page
    export = client.get(reverse("appraisal:cadre", args=[world.leader.pk]) + "?format=xlsx")
    cells = [
        c
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert "年度考核优秀，连续两年排名前列" in cells
    for role in ("unit", "leader", "supervisor", "assessor"):
        client.force_login(world.user(role))
        assert client.get(reverse("appraisal:cadre", args=[world.leader.pk])).status_code == 403
    office = world.user("office")
    with pytest.raises(PermissionDenied):  # the office reads cadre records but decides nothing
        cadre_action_record(
            user=office,
            cadre=world.leader,
            kind="reminder",
            year=2026,
            results=[result],
            basis="x",
            decided_on=TODAY,
        )
