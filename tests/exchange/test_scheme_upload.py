"""Importing a scheme file from the browser: a check job lists every problem with where it is
and previews the scheme; its confirm button imports it as a draft. Exports round-trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kaohe.exchange.scheme_excel import parse_xlsx, to_xlsx
from kaohe.exchange.scheme_json import parse_json
from kaohe.jobs.models import BackgroundJob
from kaohe.schemes.models import Scheme, SchemeCategory
from tests.factories import World

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "scheme.json"


def _office(world: World) -> Client:
    client = Client()
    client.force_login(world.user("office"))
    client.cookies["django_language"] = "en"
    return client


def _file(year: int = 2027, change: Any = None, name: str = "scheme.json") -> SimpleUploadedFile:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["year"] = year
    if change:
        change(data)
    return SimpleUploadedFile(name, json.dumps(data, ensure_ascii=False).encode())


def _upload(client: Client, file: SimpleUploadedFile) -> BackgroundJob:
    response = client.post(reverse("schemefiles:upload"), {"file": file})
    assert response.status_code == 302, response.content
    job = BackgroundJob.objects.latest("pk")
    assert response["Location"] == job.get_absolute_url()
    return job


def test_a_file_with_problems_lists_every_one_with_where_it_is(world: World) -> None:
    def spoil(d: dict[str, Any]) -> None:
        d["indicators"][1]["points"] = {"XZ": -1}
        d["indicators"][2]["method"] = {"kind": "nonsense"}

    job = _upload(_office(world), _file(change=spoil))
    problems = job.outcome["problems"]
    assert len(problems) >= 2
    assert any(p.startswith("indicators[1].points") for p in problems)
    assert any(p.startswith("indicators[2].method") for p in problems)
    assert not job.outcome["confirm_kind"]
    assert not Scheme.objects.filter(year=2027).exists()


def test_a_year_that_already_has_a_scheme_is_a_problem(world: World) -> None:
    job = _upload(_office(world), _file(year=2026))
    assert any("already has a scheme for 2026" in p for p in job.outcome["problems"])
    assert not job.outcome["confirm_kind"]


def test_a_good_file_is_previewed_then_imported_as_a_draft_on_confirmation(world: World) -> None:
    client = _office(world)
    job = _upload(client, _file())
    assert job.status == "done" and job.outcome["problems"] == []
    table = job.outcome["table"]
    assert table[0][:3] == ["Code", "Indicator", "Scoring method"]
    assert table[-1][1] == "Total of the category" and table[-2][1] == "Points of the leaves"
    assert table[-1][3] == table[-2][3]
    assert job.outcome["confirm_kind"] == "scheme.import"
    assert not Scheme.objects.filter(year=2027).exists()
    response = client.post(reverse("jobs:next", args=[job.pk]))
    imported = BackgroundJob.objects.latest("pk")
    assert response["Location"] == imported.get_absolute_url()
    assert imported.status == "done", imported.outcome
    scheme = Scheme.objects.get(county=world.county, year=2027)
    assert scheme.status == "draft" and scheme.indicators.count() == 5
    assert imported.outcome["url"] == reverse("schemes:list")


def test_an_excel_file_is_checked_like_json(world: World) -> None:
    spec = parse_json(_file().read())
    content = to_xlsx(spec)
    job = _upload(_office(world), SimpleUploadedFile("方案.xlsx", content))
    assert job.outcome["problems"] == [] and job.outcome["confirm_kind"] == "scheme.import"


def test_a_damaged_workbook_is_a_clear_problem(world: World) -> None:
    job = _upload(_office(world), SimpleUploadedFile("方案.xlsx", b"not a zip at all"))
    assert job.outcome["problems"] == [
        "file: The file is not an Excel workbook (.xlsx) or it is damaged."
    ]


def test_a_file_that_is_neither_json_nor_xlsx_or_too_large_is_refused_at_once(
    world: World,
) -> None:
    client = _office(world)
    page = client.post(
        reverse("schemefiles:upload"), {"file": SimpleUploadedFile("方案.pdf", b"%PDF")}
    )
    assert "neither a JSON scheme file" in page.content.decode()
    big = SimpleUploadedFile("scheme.json", b" " * (5 * 1024 * 1024 + 1))
    page = client.post(reverse("schemefiles:upload"), {"file": big})
    assert "at most 5 MB" in page.content.decode()
    assert not BackgroundJob.objects.exists()


def test_a_scheme_exports_to_files_that_import_again(world: World) -> None:
    SchemeCategory.objects.create(scheme=world.scheme, category=world.category, total_points=10)
    client = _office(world)
    content = client.get(reverse("schemefiles:export", args=[world.scheme.pk, "json"])).content
    assert parse_json(content).indicators[1].code == "A01"
    response = client.get(reverse("schemefiles:export", args=[world.scheme.pk, "xlsx"]))
    # Saved under the scheme's own (Chinese) name, sent as RFC 5987 UTF-8.
    name = quote("2026年度绩效考核方案.xlsx")
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{name}"
    assert parse_xlsx(response.content).year == 2026
