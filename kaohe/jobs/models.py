"""A long piece of work run by the task worker on a user's behalf, with its progress and result.

Rendering a 40-page bulletin, importing a spreadsheet, computing a round or running a cadence job
takes seconds to minutes: longer than a request may hold a web worker. The request records a
BackgroundJob and enqueues it; the page polls its progress; the worker stores the outcome (a
summary, problems, a preview table, a link, a file with its hash) on the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import County


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class BackgroundJob(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Null for the scheduler's own runs.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="background_jobs",
    )
    kind = models.CharField(_("kind"), max_length=48)
    label = models.CharField(_("job"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    # The page the job was started from: its page links back there, done or failed.
    back_url = models.CharField(max_length=300, blank=True)
    # The job runs in the language of the page that started it.
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    input_file = models.FileField(upload_to="jobs/in/%Y/%m/", blank=True)
    input_name = models.CharField(max_length=200, blank=True)
    # The outcome: summary, problems, preview table, link, next step (see registry.JobOutcome).
    outcome = models.JSONField(default=dict, blank=True)
    output_file = models.FileField(upload_to="jobs/out/%Y/%m/", blank=True)
    output_name = models.CharField(max_length=200, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_idx")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("jobs:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0
