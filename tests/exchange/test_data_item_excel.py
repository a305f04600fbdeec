"""The Excel template and uploads carry one column per data item of an itemised indicator."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.reporting.models import ProgressReport
from tests.factories import World
from tests.reporting.itemised import make_itemised


@pytest.fixture
def itemised(world: World) -> World:
    return make_itemised(world)


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    client.cookies["django_language"] = "en"
    return client


def _filled(world: World, role: str, url: str, edit: Any) -> bytes:
    book = load_workbook(io.BytesIO(_client(world, role).get(reverse(url)).content))
    edit(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _unit_upload(world: World, edit: Any) -> Any:
    content = _filled(world, "unit", "exchange:report_template", edit)
    return _client(world, "unit").post(
        reverse("exchange:report_upload"), {"file": SimpleUploadedFile("r.xlsx", content)}
    )


def test_the_unit_template_has_one_column_per_data_item(itemised: World) -> None:
    content = _client(itemised, "unit").get(reverse("exchange:report_template")).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(4, c).value for c in (8, 9)] == [
        "GDP 地区生产总值（亿元）",
        "GDP_LAST 上年同期地区生产总值（亿元）",
    ]
    assert sheet["H5"].protection.locked is False  # the items are typed in
    assert sheet["F5"].protection.locked is True  # the value is computed


def test_an_uploaded_template_computes_the_value_from_the_items(itemised: World) -> None:
    def fill(sheet: Any) -> None:
        sheet["H5"], sheet["I5"], sheet["G5"] = 105, 100, "增速稳定"

    response = _unit_upload(itemised, fill)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.value, report.items, report.note) == (
        Decimal("5"),
        {"GDP": "105.0000", "GDP_LAST": "100.0000"},
        "增速稳定",
    )
    # Downloaded again, the template carries the items back.
    sheet = load_workbook(
        io.BytesIO(_client(itemised, "unit").get(reverse("exchange:report_template")).content)
    ).active
    assert (sheet["H5"].value, sheet["I5"].value) == (105, 100)


@pytest.mark.parametrize(
    ("h5", "i5", "problem"),
    [
        (105, None, "I5: enter the value of 上年同期地区生产总值."),
        ("一百零五", 100, "H5: 一百零五 is not a number."),
        ("=100+5", 100, "H5 holds a formula; type the value."),
    ],
)
def test_a_bad_item_cell_is_named_and_nothing_is_written(
    itemised: World, h5: Any, i5: Any, problem: str
) -> None:
    def fill(sheet: Any) -> None:
        sheet["H5"], sheet["I5"] = h5, i5

    page = _unit_upload(itemised, fill)
    assert problem in page.context["problems"]
    assert not ProgressReport.objects.exists()


def test_a_division_by_zero_in_an_upload_is_refused(itemised: World) -> None:
    def fill(sheet: Any) -> None:
        sheet["H5"], sheet["I5"] = 105, 0

    page = _unit_upload(itemised, fill)
    assert any("divides by zero" in p for p in page.context["problems"])
    assert not ProgressReport.objects.exists()


def test_an_old_template_without_item_columns_is_refused(itemised: World) -> None:
    def fill(sheet: Any) -> None:
        sheet.delete_cols(8, 2)
        sheet["F5"] = 5

    page = _unit_upload(itemised, fill)
    assert page.context["problems"] == [
        "Row 5: the file has no column for data item GDP; download a new template."
    ]
    assert not ProgressReport.objects.exists()


def test_the_assessor_enters_every_units_items_at_once(itemised: World) -> None:
    def fill(sheet: Any) -> None:
        assert sheet["I4"].value == "GDP 地区生产总值（亿元）"
        sheet["I5"], sheet["J5"] = 110, 100
        sheet["I6"], sheet["J6"] = 99, 100

    content = _filled(itemised, "assessor", "exchange:assessor_template", fill)
    response = _client(itemised, "assessor").post(
        reverse("exchange:assessor_upload"), {"file": SimpleUploadedFile("d.xlsx", content)}
    )
    assert response.status_code == 302
    values = {r.unit.code: r.value for r in ProgressReport.objects.all()}
    assert values == {"T01": Decimal("10"), "T02": Decimal("-1")}
    event = AuditEvent.objects.get(action="report.enter")
    assert {r["items"]["GDP"] for r in event.after["rows"]} == {"110.0000", "99.0000"}
