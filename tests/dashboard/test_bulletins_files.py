"""Bulletins as files and pages: the PDF read as a person reads it, the Excel with the same rows,
and who may open what."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.dashboard.bulletin_files import bulletin_pdf, bulletin_tables, bulletin_xlsx
from kaohe.dashboard.bulletins import bulletin_issue
from kaohe.dashboard.models import Bulletin
from kaohe.jobs.models import BackgroundJob
from kaohe.reporting.services import report_approve, report_submit
from tests.factories import UserFactory, World, build_world
from tests.pdf import pdf_page_image, pdf_text

DEC_2 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def issued(world: World, django_capture_on_commit_callbacks: Any) -> Bulletin:
    """October's bulletin, issued on 2 December: 甲镇 orange (7.50), 乙镇 green (8.33)."""
    other = UserFactory(county=world.county, role="unit", unit=world.other_town)
    with django_capture_on_commit_callbacks(execute=True):
        for user, target, month, value in [
            (world.user("unit"), world.target, 9, "500"),
            (other, world.other_target, 9, "850"),
            (world.user("unit"), world.target, 10, "900"),
            (other, world.other_target, 10, "1000"),
        ]:
            report = report_submit(
                user=user, target=target, period=world.months[month - 1], value=value, note=""
            )
            report_approve(user=world.user("assessor"), report=report, version=report.version)
    return bulletin_issue(user=world.user("office"), period=world.months[9], now=DEC_2)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_reads_as_an_official_bulletin_with_its_table(issued: Bulletin) -> None:
    pdf = bulletin_pdf(issued.content)
    text = pdf_text(pdf)
    flat = _flat(text)
    for expected in [
        "示范县绩效考核办公室",
        "示绩通〔2026〕1号",
        "关于2026年10月份绩效考核指标月调度情况的通报",
        "各乡镇人民政府，县直各单位",
        "一类乡镇（满分10分）",
        "2026年12月2日",
        "附件1",
    ]:
        assert expected in flat, expected
    # The ranking table: each unit's line carries its rank and its score (the annexes follow).
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        if re.match(r"\s*\d+\s+[甲乙]镇", line):
            lines.setdefault(line.split()[1], line.split())
    assert lines["乙镇"][:3] == ["1", "乙镇", "8.33"]
    assert lines["甲镇"][:3] == ["2", "甲镇", "7.50"]
    assert "草稿" not in flat

    page = pdf_page_image(pdf)
    width, height = page.size
    px = np.asarray(page.crop((0, 0, width, height // 5))).astype(int)
    reds = int(((px[..., 0] > 180) & (px[..., 1] < 80) & (px[..., 2] < 80)).sum())
    assert reds > 200, "the issuing office is printed in red"


def test_the_excel_has_the_rows_of_the_pdf_tables(issued: Bulletin) -> None:
    book = load_workbook(io.BytesIO(bulletin_xlsx(issued.content)))
    tables = bulletin_tables(issued.content)
    assert book.sheetnames == [t.sheet for t in tables]
    text = _flat(pdf_text(bulletin_pdf(issued.content)))
    for table in tables:
        sheet = book[table.sheet]
        assert issued.content["title"] in sheet["A1"].value
        assert table.title in sheet["A1"].value
        assert [c.value for c in sheet[2]] == table.headers
        rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        assert len(rows) == len(table.rows)
        for got, want in zip(rows, table.rows, strict=True):
            for j, (g, w) in enumerate(zip(got, want, strict=True)):
                if isinstance(w, str) and re.fullmatch(r"-?\d+(\.\d+)?", w):
                    assert j in table.numeric, "a number in the PDF is a number in Excel"
                    assert Decimal(str(g)) == Decimal(w)
                else:
                    assert g == w
            # Every row of the workbook is a row of the PDF.
            assert _flat("".join(str(v) for v in want)) in text
    assert [r[1] for r in tables[0].rows] == ["乙镇", "甲镇"]
    assert tables[0].rows[0][2] == "8.33"


def test_a_draft_prints_without_a_number(world: World) -> None:
    client = Client()
    client.force_login(world.user("office"))
    started = client.post(reverse("dashboard:bulletin_draft_pdf", args=[world.months[0].pk]))
    job = BackgroundJob.objects.get(kind="bulletins.draft")
    assert started.url == reverse("jobs:job", args=[job.pk])
    response = client.get(reverse("jobs:file", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    flat = _flat(pdf_text(b"".join(response.streaming_content)))
    assert "草稿" in flat and "示绩通〔" in flat and "号" in flat
    assert not Bulletin.objects.exists(), "rendering a draft stores nothing"


def test_the_office_issues_from_the_list_and_others_read_it(world: World) -> None:
    office = Client()
    office.force_login(world.user("office"))
    page = office.get(reverse("dashboard:bulletins"))
    assert page.status_code == 200
    assert reverse("dashboard:bulletin_issue", args=[world.months[0].pk]) in page.content.decode()

    response = office.post(reverse("dashboard:bulletin_issue", args=[world.months[0].pk]))
    bulletin = Bulletin.objects.get()
    assert response.url == reverse("dashboard:bulletin", args=[bulletin.pk])
    again = office.post(reverse("dashboard:bulletin_issue", args=[world.months[0].pk]))
    assert again.status_code == 302 and Bulletin.objects.count() == 1

    for role in ("leader", "supervisor", "unit"):
        reader = Client()
        reader.force_login(world.user(role))
        listing = reader.get(reverse("dashboard:bulletins")).content.decode()
        assert bulletin.document_number in listing
        assert "bulletin_issue" not in listing and "/draft/" not in listing
        pdf = reader.get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert bulletin.title in _flat(pdf_text(b"".join(pdf.streaming_content)))
        xlsx = reader.get(reverse("dashboard:bulletin_xlsx", args=[bulletin.pk]))
        assert xlsx["Content-Disposition"].startswith("attachment")
        draft = reader.get(reverse("dashboard:bulletin_draft", args=[world.months[1].pk]))
        assert draft.status_code == 403


def test_another_countys_bulletins_and_periods_are_not_found(world: World) -> None:
    bulletin = bulletin_issue(user=world.user("office"), period=world.months[0], now=DEC_2)
    elsewhere = build_world(code="900002")
    client = Client()
    client.force_login(elsewhere.user("office"))
    assert client.get(reverse("dashboard:bulletin", args=[bulletin.pk])).status_code == 404
    assert client.get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk])).status_code == 404
    draft = reverse("dashboard:bulletin_draft", args=[world.months[1].pk])
    assert client.get(draft).status_code == 404
    issue = reverse("dashboard:bulletin_issue", args=[world.months[1].pk])
    assert client.post(issue).status_code == 404
    week = world.scheme.periods.filter(kind="week").first()
    own = Client()
    own.force_login(world.user("office"))
    assert own.get(reverse("dashboard:bulletin_draft", args=[week.pk])).status_code == 404
