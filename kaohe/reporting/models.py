"""Targets, reporting periods and progress reports (the target and progress lists)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import Cadre, County, Unit
from kaohe.schemes.models import Indicator, Scheme


class ScheduleKind(models.TextChoices):
    LINEAR = "linear", _("Linear")
    MONTHLY = "monthly", _("Monthly shares")
    MILESTONES = "milestones", _("Milestones")


class Target(models.Model):
    """The yearly target of one indicator for one unit, with its time schedule (目标清单)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    annual_target = models.DecimalField(_("yearly target"), max_digits=16, decimal_places=4)
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    schedule = models.CharField(
        _("time schedule"), max_length=16, choices=ScheduleKind.choices, default="linear"
    )
    # A seasonal profile: twelve monthly shares of the yearly target, adding up to 1.
    monthly_shares = models.JSONField(_("monthly shares"), default=list, blank=True)
    # [["2026-04-30", 0.3], ..., ["2026-12-31", 1.0]]: the share due by each milestone date.
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    # A unit may propose its own target; it counts only once the office approves it.
    proposed_target = models.DecimalField(
        _("proposed target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    proposal_note = models.CharField(_("reason for the proposal"), max_length=500, blank=True)
    # The stretch target (奋斗目标) a unit aims for beyond the yearly target.
    stretch_target = models.DecimalField(
        _("stretch target"), max_digits=16, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator"], name="one_target_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}: {self.annual_target}"

    @property
    def profile(self) -> list[Any]:
        """What the time schedule follows: milestones, monthly shares, or nothing (linear)."""
        if self.schedule == ScheduleKind.MILESTONES:
            return list(self.milestones)
        if self.schedule == ScheduleKind.MONTHLY:
            return list(self.monthly_shares)
        return []


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half year")
    YEAR = "year", _("Year")


class Period(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("submission deadline"))
    # After the review deadline the period locks: a unit changes nothing unless the office
    # reopens its report, with a reason (issue 4, "past-deadline periods lock").
    review_due = models.DateField(_("review deadline"), null=True)

    class Meta:
        verbose_name = _("period")
        ordering = ["scheme", "end", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "number"], name="period_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.year}-{self.kind}{self.number}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    CONFIRMED = "confirmed", _("Confirmed")


class ProgressReport(models.Model):
    """A unit's value and narrative for one indicator and period (进度清单)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True)
    # When the indicator has a formula over data items, the unit reports the items and `value`
    # is computed from them on submission: {item code: "decimal text"}, empty otherwise.
    items = models.JSONField(_("data item values"), default=dict, blank=True)
    note = models.TextField(_("progress note"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    review_note = models.TextField(_("review note"), blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    # Data-quality flags raised at submission (kaohe.scoring.quality), shown to the reviewer.
    flags = models.JSONField(_("data-quality flags"), default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Optimistic locking: every save checks and bumps it, so a stale form never overwrites.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("progress report")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period"], name="one_report_per_period"
            )
        ]
        indexes = [models.Index(fields=["county", "status"], name="report_status_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}/{self.period_id}: {self.status}"


class Evidence(models.Model):
    """A file attached to a report (佐证材料): type checked on content, SHA-256 recorded."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Reopening(models.Model):
    """The office reopening a locked or confirmed report for correction, with its reason."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField(_("reason"))
    previous_status = models.CharField(_("status before"), max_length=16)
    reopened_at = models.DateTimeField(_("reopened"), auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Open until the unit submits again.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reopening")
        ordering = ["report", "reopened_at"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.reopened_at:%Y-%m-%d}"


class TargetLists(models.Model):
    """The task, measures and responsibility lists (任务/措施/责任清单) of one target.

    Kept together with the target they break down: tasks with deadlines and milestones, the
    measures, and who answers for it (a leader, a person in charge, a contact).
    """

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="lists")
    tasks = models.JSONField(_("task list"), default=list)  # [{"title", "deadline", "milestone"}]
    measures = models.JSONField(_("measures list"), default=list)  # [str]
    leader = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    person_in_charge = models.CharField(_("person in charge"), max_length=64, blank=True)
    contact = models.CharField(_("contact"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("lists of a target")

    def __str__(self) -> str:
        return f"lists of target {self.target_id}"
