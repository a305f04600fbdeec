"""An issued bulletin's files are drawn once, by a job, and stored with their hashes: downloads
read the stored bytes and draw nothing, a changed file is refused, and a bulletin without files
gets one render job however many people ask for it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import weasyprint
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.dashboard.bulletins import bulletin_issue
from kaohe.dashboard.models import Bulletin
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.jobs.services import job_run
from tests.factories import UserFactory, World, build_world
from tests.pdf import pdf_text

DEC_2 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class CountingHTML(weasyprint.HTML):  # type: ignore[misc]
    """WeasyPrint, counting the documents it is asked to draw."""

    calls = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).calls += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def weasy(monkeypatch: pytest.MonkeyPatch) -> type[CountingHTML]:
    CountingHTML.calls = 0
    monkeypatch.setattr(weasyprint, "HTML", CountingHTML)
    return CountingHTML


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _stored(bulletin: Bulletin, fmt: str) -> bytes:
    field = getattr(bulletin, f"{fmt}_file")
    with field.storage.open(field.name, "rb") as f:
        data: bytes = f.read()
    return data


@pytest.fixture
def issue(django_capture_on_commit_callbacks: Any) -> Any:
    """Issue a bulletin and commit it: the render job starts once the issue has committed."""

    def issue(world: World, month: int = 1) -> Bulletin:
        with django_capture_on_commit_callbacks(execute=True):
            bulletin = bulletin_issue(
                user=world.user("office"), period=world.months[month - 1], now=DEC_2
            )
        bulletin.refresh_from_db()
        return bulletin

    return issue


def _render_jobs(bulletin: Bulletin) -> list[BackgroundJob]:
    return list(BackgroundJob.objects.filter(kind="bulletins.render", params__bulletin=bulletin.pk))


def test_issuing_stores_the_pdf_and_excel_with_their_hashes_and_audits_both(
    issue: Any, world: World, weasy: type[CountingHTML]
) -> None:
    bulletin = issue(world)
    assert bulletin.files_stored
    assert weasy.calls == 1, "the issue's job drew the PDF once"
    for fmt in ("pdf", "xlsx"):
        data = _stored(bulletin, fmt)
        assert getattr(bulletin, f"{fmt}_sha256") == hashlib.sha256(data).hexdigest()
        assert getattr(bulletin, f"{fmt}_size") == len(data)
    assert bulletin.title in "".join(pdf_text(_stored(bulletin, "pdf")).split())
    assert load_workbook(io.BytesIO(_stored(bulletin, "xlsx"))).sheetnames

    (job,) = _render_jobs(bulletin)
    assert job.status == JobStatus.DONE and job.user is None  # a system job
    events = {e.action: e for e in AuditEvent.objects.filter(object_id=str(bulletin.pk))}
    assert events["bulletin.issue"].after["content_hash"] == bulletin.content_hash
    stored = events["bulletin.files"].after
    assert stored["pdf_sha256"] == bulletin.pdf_sha256
    assert stored["xlsx_sha256"] == bulletin.xlsx_sha256
    assert AuditEvent.objects.filter(action="job.start", object_id=str(job.pk)).exists()


def test_a_download_reads_the_stored_file_and_draws_nothing(
    issue: Any, world: World, weasy: type[CountingHTML], monkeypatch: pytest.MonkeyPatch
) -> None:
    bulletin = issue(world)
    weasy.calls = 0

    def no_workbook(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a download wrote a workbook")

    monkeypatch.setattr("openpyxl.Workbook.save", no_workbook)
    for role in ("office", "unit", "leader"):
        client = _client(world.user(role))
        pdf = client.get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert _body(pdf) == _stored(bulletin, "pdf")
        assert pdf["X-Content-SHA256"] == bulletin.pdf_sha256
        name = f"{bulletin.document_number} {bulletin.title}.pdf"
        assert pdf["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
        xlsx = client.get(reverse("dashboard:bulletin_xlsx", args=[bulletin.pk]))
        assert _body(xlsx) == _stored(bulletin, "xlsx")
        assert xlsx["Content-Disposition"].endswith(quote(".xlsx"))
        page = client.get(reverse("dashboard:bulletin", args=[bulletin.pk])).content.decode()
        assert bulletin.pdf_sha256[:12] in page and bulletin.xlsx_sha256[:12] in page
    assert weasy.calls == 0, "no request drew a PDF"
    assert len(_render_jobs(bulletin)) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_downloads_read_the_same_stored_bytes(
    issue: Any, weasy: type[CountingHTML], settings: Any
) -> None:
    # Sessions are not rewritten on every request here: SQLite's in-memory test database locks
    # a table on concurrent writes, and what is tested is the reading of the file.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    world = build_world()
    bulletin = issue(world)
    roles = ("unit", "leader", "office", "assessor") * 4
    readers = [_client(world.user(role)) for role in roles]
    weasy.calls = 0

    def download(client: Client) -> tuple[int, bytes]:
        try:
            response = client.get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
            return response.status_code, _body(response)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        results = list(pool.map(download, readers))
    assert {status for status, _ in results} == {200}
    assert {body for _, body in results} == {_stored(bulletin, "pdf")}
    assert weasy.calls == 0


def test_a_stored_file_changed_on_disk_is_refused(issue: Any, world: World) -> None:
    bulletin = issue(world)
    path = Path(bulletin.pdf_file.path)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOF\n% edited"))
    unit = _client(world.user("unit"))

    refused = unit.get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "不再与存储时的 SHA-256 一致" in text and bulletin.document_number in text
    # The workbook is untouched and still served; the command names the changed file.
    assert unit.get(reverse("dashboard:bulletin_xlsx", args=[bulletin.pk])).status_code == 200
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 bulletin"):
        call_command("bulletins", "verify", stdout=out)
    assert f"{bulletin.document_number}: pdf" in out.getvalue()

    path.unlink()
    assert unit.get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk])).status_code == 409


def test_a_bulletin_without_files_gets_one_render_job_however_many_ask(
    issue: Any, world: World, settings: Any, weasy: type[CountingHTML]
) -> None:
    settings.TASKS = DUMMY_TASKS  # the worker has not run yet: jobs wait in the queue
    bulletin = issue(world)
    (job,) = _render_jobs(bulletin)
    assert job.status == JobStatus.QUEUED and weasy.calls == 0

    other = UserFactory(county=world.county, role="unit", unit=world.other_town)
    for user in (world.user("unit"), other, world.user("leader"), world.user("unit")):
        waiting = _client(user).get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
        assert waiting.status_code == 202
        assert "文件正在生成" in waiting.content.decode()
        assert 'data-testid="bulletin-files-progress"' in waiting.content.decode()
    office = _client(world.user("office"))
    page = office.get(reverse("dashboard:bulletin", args=[bulletin.pk])).content.decode()
    assert "bulletin-files-progress" in page and "?part=files" in page
    assert len(_render_jobs(bulletin)) == 1, "one job, not one per reader"
    assert weasy.calls == 0, "no request drew the PDF"

    job_run(job.pk)  # the worker
    panel = office.get(reverse("dashboard:bulletin", args=[bulletin.pk]), {"part": "files"})
    bulletin.refresh_from_db()
    assert bulletin.pdf_sha256[:12] in panel.content.decode()
    assert "hx-get" not in panel.content.decode(), "the panel stops polling once stored"
    pdf = _client(other).get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
    assert pdf.status_code == 200 and _body(pdf) == _stored(bulletin, "pdf")


def test_an_older_bulletin_is_drawn_on_its_first_request_through_the_job(
    world: World, weasy: type[CountingHTML]
) -> None:
    # Issued without its render job (before files were stored, or the process stopped before
    # the job was enqueued): the first reader starts it, and with the tests' in-process task
    # backend it has run by the time the response is written.
    bulletin = bulletin_issue(user=world.user("office"), period=world.months[0], now=DEC_2)
    assert not _render_jobs(bulletin)
    pdf = _client(world.user("unit")).get(reverse("dashboard:bulletin_pdf", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert pdf.status_code == 200 and _body(pdf) == _stored(bulletin, "pdf")
    assert len(_render_jobs(bulletin)) == 1 and weasy.calls == 1


def test_a_failed_render_is_started_again_by_the_next_reader(
    issue: Any, world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DUMMY_TASKS
    bulletin = issue(world)
    (job,) = _render_jobs(bulletin)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr("kaohe.dashboard.bulletin_files.bulletin_xlsx", broken)
    job_run(job.pk)
    bulletin.refresh_from_db()
    assert not bulletin.files_stored and not bulletin.pdf_file
    page = _client(world.user("office")).get(reverse("dashboard:bulletin", args=[bulletin.pk]))
    assert len(_render_jobs(bulletin)) == 2 and page.status_code == 200


def test_the_operators_command_draws_the_files_of_older_bulletins(issue: Any, world: World) -> None:
    bulletin = issue(world)
    # A bulletin issued before files were stored.
    Bulletin.objects.filter(pk=bulletin.pk).update(pdf_file="", xlsx_file="", pdf_sha256="")
    out = io.StringIO()
    call_command("bulletins", "render", stdout=out)
    bulletin.refresh_from_db()
    assert bulletin.files_stored
    assert bulletin.pdf_sha256 == hashlib.sha256(_stored(bulletin, "pdf")).hexdigest()
    assert f"{bulletin.document_number}: PDF" in out.getvalue()
    again = io.StringIO()
    call_command("bulletins", "render", stdout=again)
    assert "0 bulletin(s)" in again.getvalue()
    call_command("bulletins", "verify", stdout=io.StringIO())


def test_a_drafts_file_is_drawn_by_a_job_the_office_follows(issue: Any, world: World) -> None:
    office = _client(world.user("office"))
    url = reverse("dashboard:bulletin_draft_xlsx", args=[world.months[0].pk])
    assert office.get(url).status_code == 405, "a request never draws a file"
    started = office.post(url)
    job = BackgroundJob.objects.get(kind="bulletins.draft")
    assert started.url == job.get_absolute_url()
    page = office.get(started.url).content.decode()
    assert "（草稿）.xlsx" in page
    book = load_workbook(io.BytesIO(_body(office.get(reverse("jobs:file", args=[job.pk])))))
    assert "草稿" not in "".join(book.sheetnames) and book.sheetnames
    assert not Bulletin.objects.exists()
    unit = _client(world.user("unit"))
    assert unit.post(url).status_code == 403
    assert unit.get(reverse("jobs:job", args=[job.pk])).status_code == 404
