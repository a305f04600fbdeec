"""The history import page: upload a workbook, see every problem or a preview, confirm, and the
county holds the years (imported, whole, audited, with the forecasts recomputed)."""

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
from kaohe.exchange.history_excel import SHEET, history_book, template
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.monitoring.models import Forecast, HistoricalValue, HistorySource
from kaohe.monitoring.services import warning_refresh
from kaohe.reporting.models import ProgressReport
from tests.exchange.test_history_excel import chinese, workbook, year_row  # noqa: F401
from tests.factories import World


def office(world: World) -> Client:
    client = Client()
    client.force_login(world.user("office"))
    return client


def upload(client: Client, content: bytes, name: str = "历史数据.xlsx") -> Any:
    return client.post(
        reverse("history:index"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def evenly(total: int) -> list[int]:
    """A year that grew evenly: each month end holds j/12 of the total."""
    return [total * m // 12 for m in range(1, 13)]


def filled_template(world: World, years: list[int]) -> bytes:
    """The page's own template with 甲镇's rows filled in and 乙镇's left empty."""
    book = history_book(user=world.user("office"))
    assert book is not None
    wb = load_workbook(io.BytesIO(template(book, years)))
    data = wb[SHEET]
    for row in data.iter_rows(min_row=2):
        if row[0].value == "T01":
            for m, value in enumerate(evenly(1200), start=6):
                data.cell(row[0].row, m, f"{value:,}")
            data.cell(row[0].row, 18, 1200)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def the_job(kind: str) -> BackgroundJob:
    return BackgroundJob.objects.filter(kind=kind).latest("pk")


@pytest.mark.django_db
def test_a_file_with_bad_cells_lists_each_cell_and_writes_nothing(world: World) -> None:
    content = workbook(
        [year_row("T01", "A01", 2025, [100, "12,3a"]), year_row("X99", "A01", 2026, [1])]
    )
    page = upload(office(world), content).content.decode()
    job = the_job("history.check")
    assert job.status == JobStatus.DONE
    assert job.outcome["problems"] == [
        "数据!G2: 不是数字 '12,3a'",
        "数据!A3: 单位编码 'X99' 不是本县的被考核单位",
        "数据!E3: 年度 2026 不早于方案年度 2026，只有以前年度才是历史数据",
    ]
    assert "数据!G2: 不是数字 &#x27;12,3a&#x27;" in page and "未导入任何数据" in page
    assert 'data-testid="job-confirm"' not in page
    assert not HistoricalValue.objects.exists()
    assert not AuditEvent.objects.filter(action="history.import").exists()


@pytest.mark.django_db
def test_a_good_file_is_previewed_by_year_then_imported_on_confirm(world: World) -> None:
    HistoricalValue.objects.bulk_create(  # a synthetic 2024 of 甲镇 that the file replaces
        HistoricalValue(
            county=world.county,
            unit=world.town,
            indicator_code="A01",
            year=2024,
            month=m,
            value=Decimal(m),
            source=HistorySource.SYNTHETIC,
        )
        for m in range(1, 13)
    )
    client = office(world)
    page = upload(client, filled_template(world, [2024, 2025])).content.decode()
    check = the_job("history.check")
    assert check.outcome["problems"] == []
    assert check.outcome["table"] == [
        [
            "年度",
            "行数（单位×指标）",
            "月度数值",
            "新增的行",
            "替换已有数据的行",
            "被替换的已有数值",
            "其中示例数据",
        ],
        ["2024", "1", "12", "0", "1", "12", "12"],
        ["2025", "1", "12", "1", "0", "0", "0"],
        ["合计", "2", "24", "1", "1", "12", "12"],
    ]
    assert "待导入数值 24 个" in page and 'data-testid="job-confirm"' in page
    assert HistoricalValue.objects.get(year=2024, month=12).value == 12  # nothing written yet

    page = client.post(reverse("jobs:next", args=[check.pk]), follow=True).content.decode()
    imported = the_job("history.import")
    assert imported.status == JobStatus.DONE, imported.outcome
    assert "已导入 24 个数值" in page
    held = HistoricalValue.objects.filter(unit=world.town)
    assert held.count() == 24 and set(held.values_list("source", flat=True)) == {"imported"}
    assert held.get(year=2025, month=6).value == 600 and held.get(year=2025, month=6).target == 1200
    event = AuditEvent.objects.get(action="history.import")
    assert event.actor_id == world.user("office").pk
    assert event.after["years"] == [2024, 2025] and event.after["replaced"] == 12


@pytest.mark.django_db
def test_a_row_replaces_the_whole_year_it_holds(world: World) -> None:
    HistoricalValue.objects.bulk_create(
        HistoricalValue(
            county=world.county,
            unit=world.town,
            indicator_code="A01",
            year=2025,
            month=m,
            value=Decimal(m * 1000),
        )
        for m in range(1, 13)
    )
    client = office(world)
    upload(client, workbook([year_row("T01", "A01", 2025, [10, 20, 30])]))
    client.post(reverse("jobs:next", args=[the_job("history.check").pk]))
    assert list(HistoricalValue.objects.order_by("month").values_list("month", "value")) == [
        (1, 10),
        (2, 20),
        (3, 30),
    ]


@pytest.mark.django_db
def test_the_import_checks_again_and_writes_nothing_when_the_county_changed(world: World) -> None:
    client = office(world)
    upload(client, workbook([year_row("T02", "A01", 2025, [10, 20])]))
    world.other_town.is_assessed = False  # between the check and the confirm
    world.other_town.save(update_fields=["is_assessed"])
    client.post(reverse("jobs:next", args=[the_job("history.check").pk]))
    imported = the_job("history.import")
    assert imported.status == JobStatus.FAILED
    assert imported.outcome["problems"] == ["数据!A2: 单位编码 'T02' 不是本县的被考核单位"]
    assert not HistoricalValue.objects.exists()


@pytest.mark.django_db
def test_importing_history_recomputes_the_forecast_with_the_seasonal_profile(world: World) -> None:
    for month, value in zip(world.months, [75, 150, 225, 300, 375], strict=False):
        ProgressReport.objects.create(
            county=world.county,
            unit=world.town,
            indicator=world.leaf,
            period=month,
            value=Decimal(value),
            status="approved",
        )
    warning_refresh(indicator=world.leaf, as_of=world.months[4].end)
    before = Forecast.objects.get(warning__unit=world.town)
    assert before.history_years == 0  # the time schedule stands in for the profile
    client = office(world)
    upload(client, filled_template(world, [2023, 2024, 2025]))
    client.post(reverse("jobs:next", args=[the_job("history.check").pk]))
    after = Forecast.objects.get(warning__unit=world.town)
    assert after.history_years == 3
    assert after.year_end == pytest.approx(900.0)  # 375 is 5/12 of the evenly paced years


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("历史数据.csv", b"T01,A01,2025", "历史数据.csv 不是 Excel 工作簿（.xlsx）。"),
        ("大文件.xlsx", b"PK" + b"0" * (5 * 1024 * 1024), "文件大小为 5.0 MB，最多接受 5 MB。"),
    ],
)
def test_the_page_refuses_what_is_not_an_xlsx_or_over_5_mb(
    world: World, name: str, content: bytes, problem: str
) -> None:
    page = upload(office(world), content, name=name).content.decode()
    assert problem in page
    assert not BackgroundJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["unit", "assessor", "leader", "supervisor", "sysadmin"])
def test_only_the_office_uploads_history(world: World, role: str) -> None:
    client = Client()
    client.force_login(world.user(role))
    response = client.post(
        reverse("history:index"), {"file": SimpleUploadedFile("x.xlsx", workbook([]))}
    )
    assert response.status_code == 403
    assert not BackgroundJob.objects.exists()


@pytest.mark.django_db
def test_the_page_shows_the_years_held_by_source_and_the_menu_leads_to_it(world: World) -> None:
    HistoricalValue.objects.bulk_create(
        HistoricalValue(
            county=world.county,
            unit=unit,
            indicator_code="A01",
            year=2024,
            month=m,
            value=Decimal(m),
            source=source,
        )
        for unit, source in ((world.town, "synthetic"), (world.other_town, "imported"))
        for m in range(1, 13)
    )
    client = office(world)
    home = client.get(reverse("results:designer")).content.decode()
    assert f'href="{reverse("history:index")}"' in home and "历史数据" in home
    page = client.get(reverse("history:index")).content.decode()
    assert '<tr data-year="2024">' in page
    row = page.split('<tr data-year="2024">')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1] for c in row.split("</td>")[:4]]
    assert cells == ["2024", "1", "2", "24"]  # indicators, units, values
    assert "示例数据</span> 12" in row and "导入</span> 12" in row
    assert "已预填本县 2 个被考核单位" in page


@pytest.mark.django_db
def test_before_the_county_has_a_scheme_the_page_says_so_and_offers_no_template(
    world: World,
) -> None:
    world.scheme.status = "draft"
    world.scheme.save(update_fields=["status"])
    client = office(world)
    page = client.get(reverse("history:index")).content.decode()
    assert "本县还没有考核方案" in page and 'data-testid="history-template"' not in page
    assert client.get(reverse("history:template")).status_code == 404


@pytest.mark.django_db
def test_an_english_page_gets_its_problems_in_english(world: World) -> None:
    client = office(world)
    client.cookies["django_language"] = "en"
    upload(client, workbook([year_row("T01", "A01", 2025, [100, "12,3a"])]))
    assert the_job("history.check").outcome["problems"] == ["数据!G2: not a number '12,3a'"]
