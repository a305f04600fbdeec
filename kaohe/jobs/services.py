"""Starting background jobs and running them in the worker.

``job_start`` records the job (audited) and enqueues it in the same transaction: the database
task backend stores the task row beside the job row, so the worker sees both or neither. In the
tests' immediate backend the job runs at once, inside the caller's transaction, so a test (or a
browser test's request) finds the job finished when ``job_start`` returns.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.jobs.models import BackgroundJob, JobStatus
from kaohe.jobs.registry import KINDS, JobContext, JobOutcome, JobProblems
from kaohe.org.models import County, User

log = logging.getLogger(__name__)
#: A larger upload is refused before it is stored; kinds may set a smaller limit.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _county_code(county: County | None) -> str | None:
    return county.code if county is not None else None


def _create(
    *,
    user: User | None,
    county: County | None,
    kind: str,
    label: str,
    params: dict[str, Any] | None,
    upload: UploadedFile | None,
    content: tuple[str, bytes] | None,
    max_bytes: int,
    back_url: str = "",
) -> BackgroundJob:
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    if upload is not None and upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB is accepted.")
            % {"size": f"{upload.size / 1048576:.1f}", "max": f"{max_bytes / 1048576:.0f}"}
        )
    job = BackgroundJob(
        county=county,
        user=user,
        kind=kind,
        label=str(label)[:200],
        params=params or {},
        language=translation.get_language() or "",
        back_url=back_url[:300] if back_url.startswith("/") else "",
    )
    if upload is not None:
        job.input_name = (upload.name or "")[:200]
        job.input_file.save(job.input_name or "upload", upload, save=False)
    elif content is not None:
        job.input_name = content[0][:200]
        job.input_file.save(job.input_name or "upload", ContentFile(content[1]), save=False)
    job.save()
    audit_record(
        actor=user or "system",
        action="job.start",
        county_code=_county_code(county),
        object_type="background_job",
        object_id=job.pk,
        after={"kind": kind, "label": job.label, "params": job.params, "file": job.input_name},
    )
    from kaohe.jobs.tasks import job_execute

    job_execute.enqueue(job.pk)
    return job


@transaction.atomic
def job_start(
    *,
    user: User,
    kind: str,
    label: str,
    params: dict[str, Any] | None = None,
    upload: UploadedFile | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    back_url: str = "",
) -> BackgroundJob:
    """Start a job of `kind` for `user` (of the user's county), with an optional uploaded file;
    its page links back to `back_url` (a path on this server), done or failed.

    The caller has checked the user may do what the job does; the job runs as that user."""
    return _create(
        back_url=back_url,
        user=user,
        county=user.county,
        kind=kind,
        label=label,
        params=params,
        upload=upload,
        content=None,
        max_bytes=max_bytes,
    )


@transaction.atomic
def job_start_system(
    *, county: County | None, kind: str, label: str, params: dict[str, Any] | None = None
) -> BackgroundJob:
    """Start a job for the system itself (the scheduler, a rendering after an issue)."""
    return _create(
        user=None,
        county=county,
        kind=kind,
        label=label,
        params=params,
        upload=None,
        content=None,
        max_bytes=MAX_UPLOAD_BYTES,
    )


@transaction.atomic
def job_confirm(*, user: User, job: BackgroundJob) -> BackgroundJob:
    """Take the next step a finished check offers: its confirm kind, same input and params.

    Once only: a second click (or a second tab) gets the job the first one started, so a
    file is never imported twice."""
    if job.user_id != user.pk:
        raise Http404
    job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if taken := job.outcome.get("confirmed_job"):
        return BackgroundJob.objects.get(pk=taken)
    kind = job.outcome.get("confirm_kind", "")
    if job.status != JobStatus.DONE or not kind or job.outcome.get("problems"):
        raise ValidationError(_("This job offers no next step."))
    content = None
    if job.input_file:
        with job.input_file.open("rb") as f:
            content = (job.input_name, f.read())
    started = _create(
        user=user,
        county=job.county,
        kind=kind,
        label=job.outcome.get("confirm_label") or job.label,
        params={**job.params, "from_job": job.pk},
        upload=None,
        content=content,
        max_bytes=MAX_UPLOAD_BYTES,
        back_url=job.back_url,
    )
    job.outcome = {**job.outcome, "confirmed_job": started.pk}
    job.save(update_fields=["outcome"])
    return started


def jobs_reap_stale(*, now: datetime | None = None) -> int:
    """Mark failed the jobs still "running" long after they started: their worker stopped
    (a restart, a crash) and nothing else will finish them. A queued job is left to wait for
    the worker. Each one is audited; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.KAOHE_JOB_TIMEOUT_MINUTES)
    reaped = 0
    for pk in BackgroundJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            job = (
                # Lock the job row alone: its county is a nullable join, which PostgreSQL
                # cannot lock.
                BackgroundJob.objects.select_for_update(of=("self",))
                .select_related("county")
                .filter(pk=pk, status=JobStatus.RUNNING)
                .first()
            )
            if job is None:
                continue
            job.status, job.finished_at = JobStatus.FAILED, now
            job.outcome = {
                "problems": [
                    _("The job was interrupted (the background worker stopped); start it again.")
                ]
            }
            job.save(update_fields=["status", "finished_at", "outcome"])
            audit_record(
                actor="system",
                action="job.failed",
                county_code=_county_code(job.county),
                object_type="background_job",
                object_id=job.pk,
                after={"kind": job.kind, "reason": "stale"},
            )
            reaped += 1
    return reaped


def _outcome_dict(outcome: JobOutcome) -> dict[str, Any]:
    return {
        "summary": str(outcome.summary),
        "problems": [str(p) for p in outcome.problems],
        "table": [[str(c) for c in row] for row in outcome.table],
        "url": outcome.url,
        "url_label": str(outcome.url_label),
        "confirm_kind": outcome.confirm_kind,
        "confirm_label": str(outcome.confirm_label),
        "data": outcome.data,
    }


def _problems_of(exc: Exception) -> list[str]:
    if isinstance(exc, JobProblems):
        return exc.problems
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [_("The job stopped with an error; the administrator finds it in the log.")]


def job_run(job_id: int) -> str:
    """Run a queued job once (the worker's entry point); a failure is recorded, not raised."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # already run (a task delivered twice) or unknown
        return "skipped"
    # The worker that runs this job also finishes off any its predecessor left running.
    jobs_reap_stale()
    job = BackgroundJob.objects.select_related("user", "county").get(pk=job_id)
    with translation.override(job.language or None):
        try:
            outcome = KINDS[job.kind](JobContext(job))
            status, result = JobStatus.DONE, _outcome_dict(outcome)
        except Exception as exc:  # recorded for the user to see; the log keeps the trace
            if not isinstance(exc, JobProblems | ValidationError):
                log.exception("background job %s (%s) failed", job.pk, job.kind)
            outcome = None
            status, result = JobStatus.FAILED, {"problems": _problems_of(exc)}
        with transaction.atomic():
            job = BackgroundJob.objects.select_for_update().get(pk=job_id)
            job.status, job.outcome, job.finished_at = status, result, timezone.now()
            fields = ["status", "outcome", "finished_at"]
            if outcome is not None and outcome.file is not None:
                job.output_name = outcome.file.name[:200]
                job.output_type = outcome.file.content_type[:100]
                job.output_sha256 = hashlib.sha256(outcome.file.content).hexdigest()
                job.output_file.save(job.output_name, ContentFile(outcome.file.content), save=False)
                fields += ["output_name", "output_type", "output_sha256", "output_file"]
            job.save(update_fields=fields)
            audit_record(
                actor=job.user or "system",
                action=f"job.{status}",
                county_code=_county_code(job.county),
                object_type="background_job",
                object_id=job.pk,
                after={
                    "kind": job.kind,
                    "problems": len(result.get("problems", [])),
                    "file_sha256": job.output_sha256,
                },
            )
    return str(status)
