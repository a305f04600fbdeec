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
    # The nightly job escalates overdue notices: issue the new notice at once (the published
    # rules' default), or leave it as a draft for the office to read and issue itself.
    escalation_issue = models.BooleanField(_("issue escalated notices at once"), default=True)
    version = models.PositiveIntegerField(default=1)

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


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    OFFICE = "office", _("Run now by the office")
    COMMAND = "command", _("Command line")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CadenceSchedule(models.Model):
    """When one cadence job runs for one county; the scheduler (`kaohe scheduler`, started by
    `kaohe serve`) starts it when `next_run_at` has come. Times are the county's wall clock
    (TIME_ZONE, Asia/Shanghai); the maths is kaohe/supervision/schedule_calc.py."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    job = models.CharField(_("job"), max_length=16, choices=Job.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    at = models.TimeField(_("time of day"))
    # Weekly rules only.
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    # Monthly, quarterly (first month of each quarter) and half-yearly (January, July) rules;
    # past a month's length it is the month's last day.
    day = models.PositiveSmallIntegerField(_("day of the month"), default=1)
    enabled = models.BooleanField(_("runs on schedule"), default=True)
    # Null while disabled.
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("cadence schedule")
        constraints = [
            models.UniqueConstraint(fields=["county", "job"], name="cadence_schedule_per_job")
        ]
        indexes = [models.Index(fields=["enabled", "next_run_at"], name="cadence_due_idx")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.job} {self.frequency}"


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
    # Who started the latest run.
    trigger = models.CharField(
        _("started by"), max_length=16, choices=Trigger.choices, default=Trigger.COMMAND
    )

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


class JobFailure(models.Model):
    """One failed run, kept after a later run of the same period succeeds (JobRun holds only
    the latest outcome), so the office sees every failure and its message."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(JobRun, on_delete=models.CASCADE, related_name="failures")
    job = models.CharField(_("job"), max_length=16, choices=Job.choices)
    period_key = models.CharField(_("period"), max_length=16)
    failed_at = models.DateTimeField(_("failed at"))
    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("job failure")
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.job} {self.period_key} failed at {self.failed_at}"


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
