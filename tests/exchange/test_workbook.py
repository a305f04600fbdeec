"""What every exchange upload shares: one safe way to open a workbook, one family of file
problems, the same upload checks on every page, and downloads saved under Chinese names."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from kaohe.exchange.history_excel import SHEET, HistoryFileError, read_history
from kaohe.exchange.org_excel import OrgFileError, organisation_from_xlsx
from kaohe.exchange.problems import SchemeFileError
from kaohe.exchange.report_excel import UploadError
from kaohe.exchange.workbook import (
    FileProblems,
    WorkbookRefused,
    cell_ref,
    header,
    merged_ranges,
    open_xlsx,
)
from kaohe.jobs.models import BackgroundJob
from kaohe.org.models import County
from tests.exchange.test_history_excel import book_of, workbook, year_row
from tests.factories import UserFactory, World


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"\x00" * (60 * 1024 * 1024))
    return out.getvalue()


def test_a_workbook_opens_read_only_by_default_and_in_full_when_asked() -> None:
    assert type(open_xlsx(_xlsx())).__name__ == "Workbook"
    assert open_xlsx(_xlsx()).read_only
    assert not open_xlsx(_xlsx(), read_only=False).read_only


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"PK" + b"0" * (5 * 1024 * 1024), "too_large", "文件超过5 MB。"),
        (_bomb(), "expands", "该文件解压后远大于其本身大小，不予接收。"),
        (b"%PDF-1.4 not a workbook", "not_xlsx", "文件不是Excel工作簿（.xlsx）或已损坏。"),
        (b"PK\x03\x04broken", "not_xlsx", "文件不是Excel工作簿（.xlsx）或已损坏。"),
    ],
)
def test_a_file_too_large_a_zip_bomb_or_not_a_workbook_is_refused_before_it_is_parsed(
    content: bytes, code: str, message: str
) -> None:
    with pytest.raises(WorkbookRefused) as caught:
        open_xlsx(content)
    assert caught.value.code == code
    assert caught.value.lines() == [message]


def test_the_limits_are_the_callers() -> None:
    with pytest.raises(WorkbookRefused) as caught:
        open_xlsx(_xlsx(), max_bytes=100)
    assert caught.value.code == "too_large"
    with pytest.raises(WorkbookRefused) as caught:
        open_xlsx(_xlsx(), max_unpacked=100)
    assert caught.value.code == "expands"


def test_every_reader_refuses_a_file_with_one_family_of_problems() -> None:
    for error in (OrgFileError, HistoryFileError, UploadError, SchemeFileError):
        assert issubclass(error, FileProblems)


@pytest.mark.django_db
def test_each_reader_words_a_refused_file_its_own_way() -> None:
    county = County.objects.create(
        code="522701", name="新县", prefecture="新州", prefecture_code="522700", province="新省"
    )
    with pytest.raises(OrgFileError) as caught:
        organisation_from_xlsx(_bomb(), county=county)
    assert caught.value.lines() == ["文件: 该文件解压后远大于其本身大小，不予接收。"]


def test_cells_and_headers_are_named_as_excel_and_the_templates_name_them() -> None:
    assert cell_ref("数据", 6, 12) == "数据!F12"
    assert cell_ref(None, 28, 3) == "AB3"
    assert header("编码", "code") == "编码 code"


@pytest.mark.django_db
def test_merged_cells_of_a_history_file_are_named_though_it_is_read_as_a_stream(
    world: World,
) -> None:
    content = workbook([year_row("T01", "A01", 2025, [100, 200])])
    wb = load_workbook(io.BytesIO(content))
    wb[SHEET].merge_cells("F2:G2")
    out = io.BytesIO()
    wb.save(out)
    assert merged_ranges(out.getvalue(), SHEET) == ["F2:G2"]
    assert merged_ranges(out.getvalue(), "Sheet9") == []
    with pytest.raises(HistoryFileError) as caught:
        read_history(out.getvalue(), book_of(world))
    assert "单元格数据!F2:G2被合并，请取消合并。" in caught.value.problems


@pytest.mark.django_db
def test_the_onboarding_upload_refuses_a_file_that_is_not_a_workbook_before_any_job() -> None:
    sysadmin = UserFactory(username="platform-sys", county=None, role="sysadmin")
    county = County.objects.create(
        code="522701",
        name="新岭县",
        prefecture="黔南州",
        prefecture_code="522700",
        province="贵州省",
        is_hosted=True,
    )
    client = Client()
    client.force_login(sysadmin)
    page = client.post(
        reverse("onboarding:import_check", args=[county.pk]),
        {"file": SimpleUploadedFile("组织架构.csv", b"code,name\n")},
        follow=True,
    )
    assert "组织架构.csv 不是 Excel 工作簿（.xlsx）。" in page.content.decode()
    assert not BackgroundJob.objects.exists()


def _saved_as(response: object) -> str:
    disposition = response["Content-Disposition"]  # type: ignore[index]
    prefix = "attachment; filename*=UTF-8''"
    assert disposition.startswith(prefix), disposition
    return disposition.removeprefix(prefix)


@pytest.mark.django_db
def test_the_templates_are_saved_under_chinese_names(world: World) -> None:
    office = Client()
    office.force_login(world.user("office"))
    today = timezone.localdate()
    history = office.get(reverse("history:template"))
    assert _saved_as(history) == quote(f"示范县历年月度数据导入模板（{today:%Y%m%d}）.xlsx")
    sysadmin = Client()
    sysadmin.force_login(UserFactory(username="platform-sys", county=None, role="sysadmin"))
    organisation = sysadmin.get(reverse("onboarding:template"))
    assert _saved_as(organisation) == quote("组织机构导入模板.xlsx")
