"""The dashboard's background jobs: a bulletin's files are drawn here, never in a request.

``bulletins.render`` draws an issued bulletin's PDF and workbook and stores them on it (started
by the issue, or by the first reader of a bulletin issued before files were stored);
``bulletins.draft`` draws a draft's PDF or workbook into the job's own file for the office.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.dashboard import bulletins
from kaohe.dashboard.bulletin_files import (
    CONTENT_TYPES,
    DRAFT_KIND,
    bulletin_files_render,
    bulletin_pdf,
    bulletin_xlsx,
    draft_file_name,
)
from kaohe.dashboard.models import Bulletin
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems, OutputFile, job_kind


@job_kind(bulletins.RENDER_KIND)
def bulletin_render(ctx: JobContext) -> JobOutcome:
    """Draw and store an issued bulletin's files (a system job: it has no user)."""
    bulletin = (
        Bulletin.objects.filter(pk=int(ctx.params.get("bulletin", 0)), county=ctx.county)
        .select_related("county")
        .first()
    )
    if bulletin is None:
        raise JobProblems([_("The bulletin no longer exists.")])
    bulletin = bulletin_files_render(user=ctx.user, bulletin=bulletin, progress=ctx.progress)
    return JobOutcome(
        summary=_("The PDF and Excel files of bulletin %(number)s are stored.")
        % {"number": bulletin.document_number},
        url=bulletin.get_absolute_url(),
        url_label=_("Open the bulletin"),
    )


@job_kind(DRAFT_KIND)
def bulletin_draft(ctx: JobContext) -> JobOutcome:
    """Draw a draft bulletin's PDF or workbook for the office (nothing is stored but the file
    of the job itself)."""
    if ctx.user is None:
        raise JobProblems([_("A draft is drawn for a user.")])
    fmt = ctx.params.get("format")
    if fmt not in CONTENT_TYPES:
        raise JobProblems([_("Unknown file format.")])
    period = bulletins.bulletin_period_get(user=ctx.user, pk=int(ctx.params.get("period", 0)))
    ctx.progress(0, 2, _("Computing the draft"))
    content = bulletins.draft_content(period=period, today=timezone.localdate())
    ctx.progress(1, 2, _("Drawing the PDF") if fmt == "pdf" else _("Drawing the Excel workbook"))
    data = bulletin_pdf(content, draft=True) if fmt == "pdf" else bulletin_xlsx(content)
    return JobOutcome(
        summary=_("The draft of %(title)s is ready.") % {"title": content["title"]},
        file=OutputFile(
            name=draft_file_name(content, fmt), content=data, content_type=CONTENT_TYPES[fmt]
        ),
    )
