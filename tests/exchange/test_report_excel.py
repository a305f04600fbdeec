"""A unit's period through Excel: download, fill in, upload; bad files change nothing."""

from __future__ import annotations

import io
import zipfile
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


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("unit"))
    client.cookies["django_language"] = "en"  # assert on the English wording of problems
    return client


def _template(world: World) -> bytes:
    response = _client(world).get(reverse("exchange:report_template"))
    assert response.status_code == 200
    return response.content


def test_the_form_downloads_under_the_townships_own_name(world: World) -> None:
    from urllib.parse import unquote

    client = _client(world)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("exchange:report_template"))
    name = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert name.startswith(f"{world.town.name}填报表") and name.endswith(".xlsx")


def _filled(world: World, edit: Any) -> bytes:
    book = load_workbook(io.BytesIO(_template(world)))
    edit(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(world: World, content: bytes, name: str = "report.xlsx") -> Any:
    return _client(world).post(
        reverse("exchange:report_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def test_the_template_lists_what_is_due_with_the_unit_and_target(world: World) -> None:
    sheet = load_workbook(io.BytesIO(_template(world))).active
    assert sheet["B1"].value == "T01"
    assert (sheet["A5"].value, sheet["B5"].value, sheet["D5"].value) == (
        "A01",
        "招商引资到位资金",
        1200,
    )


def test_a_filled_template_round_trips_into_submitted_reports(world: World) -> None:
    def fill(sheet: Any) -> None:
        sheet["F5"], sheet["G5"] = 950.5, "项目资金到位"

    response = _upload(world, _filled(world, fill))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.value, report.note, report.status) == (
        Decimal("950.5"),
        "项目资金到位",
        "submitted",
    )
    # Downloaded again, the template carries the submitted value.
    assert load_workbook(io.BytesIO(_template(world))).active["F5"].value == 950.5


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"\x00" * (30 * 1024 * 1024))
    return out.getvalue()


def _merge(sheet: Any) -> None:
    sheet.merge_cells("F5:G5")


BAD: list[tuple[str, Any, str]] = [
    ("text in the value cell", lambda s: s.__setitem__("F5", "九百"), "F5"),
    ("a formula in the value cell", lambda s: s.__setitem__("F5", "=100*9"), "formula"),
    ("a formula in the note cell", lambda s: s.__setitem__("G5", "=A1"), "formula"),
    ("a boolean as the value", lambda s: s.__setitem__("F5", True), "F5"),
    ("merged cells", _merge, "merged"),
    ("another unit's file", lambda s: s.__setitem__("B1", "T02"), "T02"),
    ("a changed header", lambda s: s.__setitem__("F4", "数值"), "headers"),
    ("an indicator not due", lambda s: (s.__setitem__("A6", "Z99"), s.__setitem__("F6", 1)), "Z99"),
    (
        "a row given twice",
        lambda s: (s.__setitem__("A6", "A01"), s.__setitem__("F6", 1), s.__setitem__("F5", 2)),
        "A01",
    ),
    ("a value with letters", lambda s: s.__setitem__("F5", "12abc"), "F5"),
]


@pytest.mark.parametrize(("why", "edit", "says"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_workbook_is_refused_and_writes_nothing(
    world: World, why: str, edit: Any, says: str
) -> None:
    before = AuditEvent.objects.count()
    page = _upload(world, _filled(world, edit))
    assert page.status_code == 200
    assert any(says in p for p in page.context["problems"]), page.context["problems"]
    assert not ProgressReport.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("why", "content", "says"),
    [
        ("not a spreadsheet", b"%PDF-1.4 a pdf", "Excel"),
        ("an executable renamed to .xlsx", b"MZ\x90\x00" + b"\x00" * 200, "Excel"),
        ("a damaged workbook", b"PK\x03\x04" + b"\x00" * 100, "Excel"),
        ("a zip bomb", _zip_bomb(), "expands"),
        ("an oversized file", b"PK\x03\x04" + b"\x00" * (3 * 1024 * 1024), "MB"),
        ("a CSV renamed to .xlsx", "unit,value\n甲镇,1\n".encode(), "Excel"),
        ("an empty file", b"", "Excel"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "",
)
def test_a_file_that_is_not_the_template_is_refused(
    world: World, why: str, content: bytes, says: str
) -> None:
    page = _upload(world, content)
    assert any(says in p or says.lower() in p.lower() for p in page.context["problems"]), (
        page.context["problems"]
    )
    assert not ProgressReport.objects.exists()


def test_a_wrong_template_from_another_system_is_refused(world: World) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "统计报表"
    out = io.BytesIO()
    book.save(out)
    page = _upload(world, out.getvalue())
    assert any("headers" in p for p in page.context["problems"])
