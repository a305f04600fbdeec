"""Bulletins' pages: the list by period, a bulletin's page, its stored files, drafts, issuing.

The office sees every ended period, previews drafts (computed afresh, never stored) and issues
them; every business role reads issued bulletins. No request draws a PDF or a workbook: an
issued bulletin's files are drawn once by the task worker and stored with their hashes
(kaohe.dashboard.bulletin_files), and a draft's file is drawn by a job the office watches.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.dashboard import bulletins
from kaohe.dashboard.bulletin_files import (
    CONTENT_TYPES,
    DRAFT_KIND,
    StoredFileChanged,
    bulletin_file_open,
    bulletin_files_request,
    bulletin_tables,
    stored_files,
)
from kaohe.dashboard.bulletins import bulletin_render_job
from kaohe.dashboard.models import Bulletin
from kaohe.jobs.services import job_start
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User

log = logging.getLogger(__name__)


def _me(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # permission_required: logged in
    return user


@permission_required(Permission.RESULT_VIEW)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """The office: every ended period with its draft or issued bulletin; others: issued ones."""
    user = _me(request)
    periods = None
    if bulletins.can_issue(user):
        periods = [
            (period, bulletin, bulletins.period_label(period))
            for period, bulletin in bulletins.bulletin_periods(
                user=user, today=timezone.localdate()
            )
        ]
    return render(
        request,
        "dashboard/bulletins/list.html",
        {"periods": periods, "issued": bulletins.bulletins_issued(user=user)},
    )


@permission_required(Permission.BULLETIN_ISSUE)
def bulletin_draft(request: HttpRequest, period_pk: int) -> HttpResponse:
    user = _me(request)
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    content = bulletins.draft_content(period=period, today=timezone.localdate())
    return render(
        request,
        "dashboard/bulletins/detail.html",
        {"c": content, "tables": bulletin_tables(content), "period": period, "bulletin": None},
    )


def _draft_file(request: HttpRequest, period_pk: int, fmt: str) -> HttpResponse:
    """Start the job that draws a draft's file and go to its page (progress, then the file)."""
    user = _me(request)
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    label = _("Draft bulletin of %(period)s (%(format)s)") % {
        "period": bulletins.period_label(period),
        "format": "PDF" if fmt == "pdf" else "Excel",
    }
    job = job_start(
        user=user,
        kind=DRAFT_KIND,
        label=label,
        params={"period": period.pk, "format": fmt},
        back_url=reverse("dashboard:bulletin_draft", args=[period.pk]),
    )
    return redirect(job)


@require_POST
@permission_required(Permission.BULLETIN_ISSUE)
def bulletin_draft_pdf(request: HttpRequest, period_pk: int) -> HttpResponse:
    return _draft_file(request, period_pk, "pdf")


@require_POST
@permission_required(Permission.BULLETIN_ISSUE)
def bulletin_draft_xlsx(request: HttpRequest, period_pk: int) -> HttpResponse:
    return _draft_file(request, period_pk, "xlsx")


@require_POST
@permission_required(Permission.BULLETIN_ISSUE)
def bulletin_issue(request: HttpRequest, period_pk: int) -> HttpResponse:
    user = _me(request)
    period = bulletins.bulletin_period_get(user=user, pk=period_pk)
    try:
        bulletin = bulletins.bulletin_issue(user=user, period=period)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("dashboard:bulletins")
    messages.success(
        request, _("Bulletin %(number)s issued.") % {"number": bulletin.document_number}
    )
    return redirect(bulletin)


def _files_context(bulletin: Bulletin, fmt: str | None = None) -> dict[str, object]:
    """What the files panel shows: the stored files, or the progress of the job drawing them.
    ``fmt`` is the format a download asked for: on its 202 page, the panel carries the page's
    heading, so the heading changes with the panel once the files are ready."""
    return {
        "bulletin": bulletin,
        "files": stored_files(bulletin),
        "job": None if bulletin.files_stored else bulletin_render_job(bulletin),
        "fmt": fmt if fmt in CONTENT_TYPES else None,
    }


@permission_required(Permission.RESULT_VIEW)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _me(request)
    bulletin = bulletins.bulletin_get(user=user, pk=pk)
    if request.GET.get("part") == "files":  # the files panel alone, polled while they render
        return render(
            request,
            "dashboard/bulletins/_files.html",
            _files_context(bulletin, request.GET.get("fmt")),
        )
    if not bulletin.files_stored:  # issued before files were stored: draw them now, once
        bulletin_files_request(user=user, bulletin=bulletin)
        bulletin.refresh_from_db()
    content = bulletin.content
    return render(
        request,
        "dashboard/bulletins/detail.html",
        {
            **_files_context(bulletin),
            "c": content,
            "tables": bulletin_tables(content),
            "period": bulletin.period,
            "intact": bulletins.bulletin_intact(bulletin),
            "matches": bulletins.bulletin_matches_history(bulletin)
            if bulletins.can_issue(user)
            else None,
        },
    )


def _stored_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """Serve the stored file, checked against its hash; never draw one. Not stored yet: a page
    that follows the render job (started here unless one is on its way), status 202."""
    user = _me(request)
    bulletin = bulletins.bulletin_get(user=user, pk=pk)
    if not bulletin.files_stored:
        bulletin_files_request(user=user, bulletin=bulletin)
        # The worker draws them; only an in-process task backend has done so already.
        bulletin.refresh_from_db()
    try:
        opened = bulletin_file_open(bulletin=bulletin, fmt=fmt)
    except StoredFileChanged:
        log.warning("bulletin %s: stored %s file fails its hash check", bulletin.pk, fmt)
        return render(
            request, "dashboard/bulletins/tampered.html", {"bulletin": bulletin}, status=409
        )
    if opened is None:
        return render(
            request,
            "dashboard/bulletins/preparing.html",
            _files_context(bulletin, fmt),
            status=202,
        )
    handle, meta = opened
    # FileResponse streams the file and writes the Chinese name as filename*=utf-8'' (RFC 5987).
    response = FileResponse(
        handle, as_attachment=True, filename=meta.name, content_type=CONTENT_TYPES[fmt]
    )
    response["X-Content-SHA256"] = meta.sha256
    return response


@permission_required(Permission.RESULT_VIEW)
def bulletin_file_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _stored_file(request, pk, "pdf")


@permission_required(Permission.RESULT_VIEW)
def bulletin_file_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _stored_file(request, pk, "xlsx")
