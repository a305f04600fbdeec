"""Peer ranking (同级排位) and the official bulletins (通报) the office issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaohe.jobs.models import BackgroundJob
from kaohe.org.models import County
from kaohe.reporting.models import Period


class PeerMetric(models.Model):
    """A statistic the prefecture's counties are compared on (e.g. GDP growth)."""

    prefecture_code = models.CharField(_("prefecture code"), max_length=12)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("peer statistic")
        ordering = ["prefecture_code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture_code", "code"], name="peer_metric_per_prefecture"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PeerStat(models.Model):
    """One county's value of a statistic for a period (e.g. 2022Q3, cumulative year on year)."""

    metric = models.ForeignKey(PeerMetric, on_delete=models.PROTECT, related_name="stats")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="peer_stats")
    period = models.CharField(_("period"), max_length=8)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("peer value")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "county", "period"], name="peer_value_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.metric_id} {self.period}: {self.value}"


class BulletinKind(models.TextChoices):
    """The official bulletins of the cadence (周推进、月调度、季评估、半年一总结) and the year."""

    MONTHLY = "monthly", _("Monthly dispatch bulletin")
    QUARTERLY = "quarterly", _("Quarterly evaluation bulletin")
    SEMIANNUAL = "semiannual", _("Semi-annual summary bulletin")
    ANNUAL = "annual", _("Annual results bulletin")


class Bulletin(models.Model):
    """An issued bulletin (通报): its number and the content it was issued with, frozen.

    A draft is never stored: it is computed afresh for its period whenever it is shown. Issuing
    assigns the next number of its kind and year (gap-free: numbers are taken under a lock on
    the county) and keeps the content with its SHA-256, so the issued document can be printed
    again, identical, whatever happens to the data later.
    """

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=BulletinKind.choices)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    # The year and sequence of the document number (保绩通〔2026〕3号): the year of issue.
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    document_number = models.CharField(_("document number"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    # The issued files, rendered once by the task worker after the issue and stored with their
    # SHA-256: a download reads the stored bytes (never renders), and refuses bytes whose hash
    # no longer matches. Empty until the render job has run (kaohe/dashboard/bulletin_files.py).
    pdf_file = models.FileField(_("PDF file"), upload_to="bulletins/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size"), default=0)
    xlsx_file = models.FileField(_("Excel file"), upload_to="bulletins/%Y/", blank=True)
    xlsx_sha256 = models.CharField(_("Excel SHA-256"), max_length=64, blank=True)
    xlsx_size = models.PositiveIntegerField(_("Excel size"), default=0)
    files_rendered_at = models.DateTimeField(_("files rendered"), null=True, blank=True)
    # The latest job drawing those files, set when it is started (bulletin_render_ensure): the
    # bulletin page polls its progress every second, and reads it through this key instead of
    # searching the jobs' JSON parameters, which no index covers.
    render_job = models.ForeignKey(
        BackgroundJob,
        verbose_name=_("render job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulletin")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "year", "number"], name="bulletin_number_per_kind_year"
            ),
            models.UniqueConstraint(fields=["county", "period"], name="one_bulletin_per_period"),
        ]

    def __str__(self) -> str:
        return self.document_number

    def get_absolute_url(self) -> str:
        return reverse("dashboard:bulletin", args=[self.pk])

    @property
    def files_stored(self) -> bool:
        return bool(self.pdf_file and self.xlsx_file)
