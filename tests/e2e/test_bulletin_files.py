"""A bulletin's files in Chromium: the office issues January's bulletin from the menu and watches
its files being drawn, then downloads the PDF; a township downloads the very same stored file;
the office downloads a draft's Excel from the job that drew it; a township asking for a file
still being drawn watches the page turn from "being drawn" into the download.

The task backend here queues jobs without running them, and the test plays the worker
(``job_run``, what the worker started by ``kaohe serve`` calls), so the progress bar is seen
before the files exist, as it is on a server whose worker takes 20 seconds over a 40-page PDF.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from kaohe.dashboard.bulletins import bulletin_issue
from kaohe.dashboard.models import Bulletin
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.jobs.services import job_run
from tests.e2e.test_walking_chain import _login, _logout
from tests.factories import World, build_world
from tests.pdf import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db: None, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return build_world(year=timezone.localdate().year)


def _work() -> int:
    """The task worker: run every queued job once."""
    queued = list(
        BackgroundJob.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True)
    )
    for pk in queued:
        job_run(pk)
    return len(queued)


def _download(page: Any, link: Any) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _open_bulletins(page: Any) -> None:
    page.click("nav.menu a:has-text('通报')")
    page.locator("h1:has-text('通报')").wait_for()


def test_the_office_issues_a_bulletin_whose_stored_pdf_every_reader_downloads(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    january = f"{county.scheme.year}年1月"
    _login(page, base, county.user("office").username)
    _open_bulletins(page)
    row = page.locator(f"[data-testid=bulletin-periods] tr:has(td:text-is('{january}'))")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    row.locator("button:has-text('印发通报')").click()

    progress = page.locator("[data-testid=bulletin-files-progress]")
    progress.wait_for()
    assert asked and "文号" in asked[0] and "不能撤回" in asked[0]  # issuing is confirmed first
    assert "PDF 和 Excel 文件正在生成" in page.locator("[data-testid=bulletin-files]").inner_text()
    shot(page, "bulletin-files-rendering-office")
    assert _work() == 1  # the render job the issue started

    page.locator("[data-testid=bulletin-file-pdf]").wait_for()  # the panel updated itself
    bulletin = Bulletin.objects.get()
    panel = page.locator("[data-testid=bulletin-files]").inner_text()
    assert bulletin.pdf_sha256[:12] in panel and bulletin.xlsx_sha256[:12] in panel
    shot(page, "bulletin-files-stored-office")
    name, office_pdf = _download(page, page.locator("[data-testid=bulletin-file-pdf]"))
    assert office_pdf.startswith(b"%PDF")
    assert name == f"{bulletin.document_number} {bulletin.title}.pdf"
    text = re.sub(r"\s+", "", pdf_text(office_pdf))
    assert bulletin.title in text and bulletin.document_number in text
    assert hashlib.sha256(office_pdf).hexdigest() == bulletin.pdf_sha256
    _logout(page)

    _login(page, base, county.user("unit").username)
    _open_bulletins(page)
    issued = page.locator(f"[data-testid=bulletins-issued] tr:has-text('{bulletin.title}')")
    _name, unit_pdf = _download(page, issued.locator("a:text-is('PDF')"))
    assert unit_pdf == office_pdf, "the township downloads the same stored file"
    assert _work() == 0, "nothing was drawn again"


def test_the_office_downloads_a_drafts_excel_from_its_job(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    february = f"{county.scheme.year}年2月"
    _login(page, live_server.url, county.user("office").username)
    _open_bulletins(page)
    row = page.locator(f"[data-testid=bulletin-periods] tr:has(td:text-is('{february}'))")
    row.locator("button:has-text('Excel')").click()

    page.locator("[data-testid=job-progress]").wait_for()
    shot(page, "bulletin-draft-job-office")
    assert _work() == 1
    page.locator("[data-testid=job-file]").wait_for()
    name, data = _download(page, page.locator("[data-testid=job-file]"))
    assert name.endswith("（草稿）.xlsx") and "2月份" in name
    book = load_workbook(io.BytesIO(data))
    assert "〔" in book.worksheets[0]["A1"].value  # the draft's number line, left blank
    assert not Bulletin.objects.exists(), "a draft is never issued by downloading it"


def test_a_township_asking_for_a_pdf_still_being_drawn_sees_it_arrive(
    county: World, page: Any, live_server: Any, shot: Any
) -> None:
    bulletin = bulletin_issue(user=county.user("office"), period=county.months[0])
    assert BackgroundJob.objects.filter(status=JobStatus.QUEUED).count() == 1  # not drawn yet
    _login(page, live_server.url, county.user("unit").username)
    _open_bulletins(page)
    issued = page.locator(f"[data-testid=bulletins-issued] tr:has-text('{bulletin.title}')")
    issued.locator("a:text-is('PDF')").click()

    heading = page.locator("[data-testid=bulletin-files] h1")
    expect(heading).to_have_text("文件正在生成")
    page.locator("[data-testid=bulletin-files-progress]").wait_for()
    shot(page, "bulletin-file-preparing-unit")
    assert _work() == 1  # the job the issue started; the township's request started none

    expect(heading).to_have_text("文件已生成")  # the panel, heading included, updated itself
    expect(page.locator("h1:has-text('文件正在生成')")).to_have_count(0)
    shot(page, "bulletin-file-ready-unit")
    _name, data = _download(page, page.locator("[data-testid=bulletin-file-pdf]"))
    bulletin.refresh_from_db()
    assert hashlib.sha256(data).hexdigest() == bulletin.pdf_sha256
