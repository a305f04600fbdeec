"""The closed loop: notices, rectification, inspections, difficult problems, help visits and the
cadence jobs' runs and snapshots. Every row belongs to a county."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.monitoring.models import Warning
from kaohe.org.models import Cadre, County, Unit
from kaohe.schemes.models import Indicator


class SupervisionSettings(models.Model):
    """A county's settings for the loop (kept here so the scheme's tables stay as they are)."""

    county = models.OneToOneField(County, on_delete=models.PROTECT, related_name="+")
    # Issue drafted reminder notices at once instead of leaving them for an office to review.
    auto_issue = models.BooleanField(_("issue drafted reminders automatically"), default=False)
    # The office that issues drafted reminders (the performance office, 绩效办).
    performance_office = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision settings")

    def __str__(self) -> str:
        return f"settings of {self.county_id}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder notice")
    ORDER = "order", _("Supervision order")
    TALK = "talk", _("Admonition talk")


# The document number's prefix after the county's short name: 保 + 绩提 -> 保绩提〔2026〕3号.
NUMBER_PREFIX = {NoticeKind.REMINDER: "绩提", NoticeKind.ORDER: "绩督", NoticeKind.TALK: "绩谈"}
# A notice past its deadline without accepted rectification escalates to the next kind.
NEXT_KIND = {NoticeKind.REMINDER: NoticeKind.ORDER, NoticeKind.ORDER: NoticeKind.TALK}
# Days a unit is given to rectify, by kind (the issuer may set another deadline).
DEFAULT_DAYS = {NoticeKind.REMINDER: 15, NoticeKind.ORDER: 10, NoticeKind.TALK: 7}


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    RECTIFYING = "rectifying", _("Plan submitted")
    ACCEPTED = "accepted", _("Rectification accepted")
    RETURNED = "returned", _("Rectification returned")
    ESCALATED = "escalated", _("Escalated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Open: the loop is not closed yet. Closed: accepted (done), escalated (carried on by the child
# notice) or withdrawn.
OPEN = (NoticeStatus.DRAFT, NoticeStatus.ISSUED, NoticeStatus.RECTIFYING, NoticeStatus.RETURNED)
LIVE = (NoticeStatus.ISSUED, NoticeStatus.RECTIFYING, NoticeStatus.RETURNED)
ESCALATABLE = (NoticeStatus.ISSUED, NoticeStatus.RETURNED)


class NoticeCounter(models.Model):
    """The last number given to a county's notices of one kind in one year (locked to count)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "year"], name="notice_counter_per_kind_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.kind} {self.year}: {self.last}"


class Notice(models.Model):
    """A reminder notice, supervision order or admonition talk to one unit (提醒单/督办单/约谈)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    issuer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="notices_issued", verbose_name=_("issued by")
    )
    recipient = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="notices", verbose_name=_("recipient")
    )
    indicators = models.ManyToManyField(
        Indicator, related_name="notices", blank=True, verbose_name=_("indicators")
    )
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("situation"), blank=True)
    required_actions = models.TextField(_("required actions"))
    deadline = models.DateField(_("deadline"))
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("escalated from"),
    )
    warning = models.ForeignKey(
        Warning, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inspection = models.ForeignKey(
        "Inspection", on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("notice")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind", "year", "seq"], name="notice_number_once"
            )
        ]
        indexes = [models.Index(fields=["county", "status"], name="notice_status_idx")]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Rectification(models.Model):
    """A unit's answer to a notice: the plan, what it did, and the issuer's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="rectifications")
    plan = models.TextField(_("rectification plan"))
    actions = models.TextField(_("actions taken"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rectification")
        ordering = ["notice", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"rectification {self.pk} of notice {self.notice_id}"


class RectificationEvidence(models.Model):
    """A file attached to a rectification: type checked on content, SHA-256 recorded."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="rectification/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification evidence")
        ordering = ["rectification", "pk"]

    def __str__(self) -> str:
        return self.original_name


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("Regular inspection")
    SURPRISE = "surprise", _("Surprise inspection")


class Inspection(models.Model):
    """A supervision office's visit to a unit (督查), with what it found."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspections_made", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("unit")
    )
    indicators = models.ManyToManyField(
        Indicator, related_name="+", blank=True, verbose_name=_("indicators")
    )
    findings = models.TextField(_("findings"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.unit_id}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Unsolved")
    IN_PROGRESS = "in_progress", _("In progress")
    SOLVED = "solved", _("Solved")


class ProblemSource(models.TextChoices):
    UNIT = "unit", _("Raised by a unit")
    SUPERVISION = "supervision", _("Found by supervision")


class Problem(models.Model):
    """A difficult problem (疑难问题) tracked until it is solved."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=ProblemSource.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="problems", verbose_name=_("unit concerned")
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="problems"
    )
    leader = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader in charge"),
    )
    department = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems_assigned",
        verbose_name=_("responsible department"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    raised_on = models.DateField(_("raised on"))
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("difficult problem")
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["county", "year", "status"], name="problem_year_idx")]

    def __str__(self) -> str:
        return self.title


class HelpVisit(models.Model):
    """A monthly help visit (帮扶) to a lagging unit: who went, about what, what came of it."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="help_visits", verbose_name=_("unit visited")
    )
    visitors = models.CharField(_("visited by"), max_length=200)
    leader = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leading cadre"),
    )
    indicators = models.ManyToManyField(
        Indicator, related_name="+", blank=True, verbose_name=_("indicators")
    )
    problems = models.ManyToManyField(
        Problem, related_name="visits", blank=True, verbose_name=_("problems")
    )
    outcome = models.TextField(_("outcome"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("help visit")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.unit_id}"


class Job(models.TextChoices):
    NIGHTLY = "nightly", _("Nightly warning refresh and notices")
    WEEKLY = "weekly", _("Weekly push")
    MONTHLY = "monthly", _("Monthly dispatch")
    QUARTERLY = "quarterly", _("Quarter-end evaluation")
    HALF = "half", _("Semi-annual summary")


class JobRun(models.Model):
    """The last run of a cadence job for one period of one county (re-running updates it)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    job = models.CharField(_("job"), max_length=16, choices=Job.choices)
    period_key = models.CharField(_("period"), max_length=16)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    counts = models.JSONField(_("counts"), default=dict)
    message = models.TextField(blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=1)

    class Meta:
        verbose_name = _("job run")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "job", "period_key"], name="job_run_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period_key}: {self.outcome}"


class Snapshot(models.Model):
    """The figures of a month, quarter or half-year as the cadence job froze them."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    job = models.CharField(max_length=16, choices=Job.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()  # month 1-12, quarter 1-4, half 1-2
    as_of = models.DateField()
    # {"units": [{"unit", "name", "green", "yellow", "orange", "red", "open_notices", "rank"}],
    #  "totals": {...}}
    data = models.JSONField(default=dict)
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("snapshot")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "job", "year", "number"], name="snapshot_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.year}-{self.number}"
