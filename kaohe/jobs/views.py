"""The job pages: progress that updates itself, then the outcome, the file and the next step."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaohe.jobs.selectors import job_get, job_list, job_queue_ahead
from kaohe.jobs.services import job_confirm
from kaohe.org.access import login_only
from kaohe.org.models import User


def _me(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # login_only: never anonymous
    return user


@login_only
def jobs(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": job_list(user=_me(request))})


@login_only
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get(user=_me(request), pk=pk)
    return render(request, "jobs/job.html", {"job": job, "ahead": job_queue_ahead(job)})


@login_only
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx until the job has finished."""
    job = job_get(user=_me(request), pk=pk)
    return render(request, "jobs/_status.html", {"job": job, "ahead": job_queue_ahead(job)})


@login_only
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = job_get(user=_me(request), pk=pk)
    if not job.output_file:
        raise Http404
    response = FileResponse(job.output_file.open("rb"), content_type=job.output_type)
    # RFC 5987: a Chinese file name survives every browser.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.output_name)}"
    response["X-Content-SHA256"] = job.output_sha256
    return response


@login_only
@require_POST
def job_next(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get(user=_me(request), pk=pk)
    try:
        started = job_confirm(user=_me(request), job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(job)
    return redirect(started)
