"""An assessing department enters the data it owns for all units at once, through Excel."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.monitoring.models import Warning
from kaohe.reporting.models import ProgressReport
from tests.factories import World


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("assessor"))
    client.cookies["django_language"] = "en"
    return client


def _filled(world: World, edit: Any) -> bytes:
    content = _client(world).get(reverse("exchange:assessor_template")).content
    book = load_workbook(io.BytesIO(content))
    edit(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(world: World, content: bytes) -> Any:
    return _client(world).post(
        reverse("exchange:assessor_upload"), {"file": SimpleUploadedFile("d.xlsx", content)}
    )


def test_the_workbook_lists_every_unit_of_the_departments_indicators(world: World) -> None:
    sheet = load_workbook(
        io.BytesIO(_client(world).get(reverse("exchange:assessor_template")).content)
    ).active
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 3).value) for r in (5, 6)] == [
        ("T01", "A01"),
        ("T02", "A01"),
    ]


def test_an_upload_enters_and_approves_every_units_value(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    def fill(sheet: Any) -> None:
        sheet["G5"], sheet["G6"], sheet["H6"] = 1100, 300, "统计快报"

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(world, _filled(world, fill))
    assert response.status_code == 302
    values = {r.unit.code: (r.value, r.status) for r in ProgressReport.objects.all()}
    assert values == {"T01": (Decimal("1100"), "approved"), "T02": (Decimal("300"), "approved")}
    # One audit event per batch, naming every row it wrote.
    events = AuditEvent.objects.filter(action="report.enter")
    assert events.count() == 1
    rows = events.get().after["rows"]
    assert sorted((r["id"], r["value"]) for r in rows) == sorted(
        (r.pk, str(r.value)) for r in ProgressReport.objects.all()
    )
    assert Warning.objects.count() == 2  # the colours follow at once


def test_one_bad_row_enters_nothing(world: World) -> None:
    def fill(sheet: Any) -> None:
        sheet["G5"], sheet["G6"] = 1100, "三百"

    page = _upload(world, _filled(world, fill))
    assert any("G6" in p for p in page.context["problems"])
    assert not ProgressReport.objects.exists()


def test_a_unit_workbook_or_another_departments_is_refused(world: World) -> None:
    def other(sheet: Any) -> None:
        sheet["B1"] = "D99"

    page = _upload(world, _filled(world, other))
    assert any("D99" in p for p in page.context["problems"])
    unit_template = Client()
    unit_template.force_login(world.user("unit"))
    content = unit_template.get(reverse("exchange:report_template")).content
    page = _upload(world, content)
    assert any("headers" in p for p in page.context["problems"])
    assert not ProgressReport.objects.exists()
