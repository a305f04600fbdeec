"""Appraisal rounds and what rests on them: ratings, higher-level results, adjustments,
publication and appeals, awards, cadre actions.

A round keeps the frozen snapshot of its inputs and the hash of its inputs and results; results
change after computation only through a ResultAmendment that names the appeal behind it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import Cadre, County, Unit
from kaohe.schemes.models import Scheme, SourceIndicator
from kaohe.supervision.models import Notice


class RoundKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly appraisal")
    ANNUAL = "annual", _("Annual appraisal")


class RoundStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    PUBLISHED = "published", _("In its notice period")
    FINAL = "final", _("Final")


class Round(models.Model):
    """One appraisal round of a scheme: quarter 1-4, or the year (number 0)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.COMPUTED
    )
    as_of = models.DateField(_("data as of"))
    rules = models.JSONField(_("rules"))
    inputs = models.JSONField(_("inputs"))
    inputs_hash = models.CharField(_("hash of the inputs"), max_length=64)
    results_hash = models.CharField(_("hash of the results"), max_length=64)
    published_hash = models.CharField(_("hash when published"), max_length=64, blank=True)
    computed_at = models.DateTimeField(_("computed"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    notice_ends = models.DateField(_("end of the notice period"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)
    # Computed before its period ended: a preview on the data so far, which can be neither
    # published nor relied on until it is computed again after the period's last day.
    provisional = models.BooleanField(_("provisional (period not ended)"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("appraisal round")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "number"], name="one_round_each")
        ]
        ordering = ["scheme", "kind", "number"]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.kind} {self.number}"

    @property
    def period_end(self) -> dt.date:
        """The last day of the round's period: its quarter's, or the year's."""
        year = self.scheme.year
        if self.kind == RoundKind.QUARTERLY and 1 <= self.number <= 4:
            month = 3 * self.number
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, 12, 31)


class RulesVersion(models.Model):
    """A numbered version of a scheme's round rules (``Scheme.appraisal_rules``, every kind of
    round), with who changed which kind of round's rules, when and why."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rules_versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind of round"), max_length=12, choices=RoundKind.choices)
    rules = models.JSONField(_("rules"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("time"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("version of the round rules")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="one_rules_version_number")
        ]
        ordering = ["scheme", "-number"]

    def __str__(self) -> str:
        return f"rules v{self.number} of scheme {self.scheme_id}"


class RoundResult(models.Model):
    """A unit's result in a round: components, composite, rank and grade, with explanations."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="round_results")
    category_code = models.CharField(max_length=16)
    components = models.JSONField(_("components"))
    bonus = models.DecimalField(_("bonus"), max_digits=8, decimal_places=2, default=0)
    deduction = models.DecimalField(_("deduction"), max_digits=8, decimal_places=2, default=0)
    composite = models.DecimalField(_("composite score"), max_digits=8, decimal_places=4)
    rank = models.PositiveSmallIntegerField(_("rank"))
    of = models.PositiveSmallIntegerField(_("units in the category"))
    grade = models.CharField(_("grade"), max_length=16)
    veto = models.CharField(_("veto"), max_length=300, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict)
    amended = models.BooleanField(_("amended"), default=False)

    class Meta:
        verbose_name = _("round result")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_result_per_unit")
        ]
        ordering = ["category_code", "rank", "unit__code"]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.unit_id}: {self.composite} {self.grade}"


class RatingGroup(models.Model):
    """An evaluator group of a scheme's annual rating (评议), with its weight."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rating_groups")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)
    drop_extremes = models.BooleanField(_("drop the highest and the lowest"), default=False)

    class Meta:
        verbose_name = _("evaluator group")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="one_group_code_per_scheme")
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """One evaluator's rating of one unit. Only aggregates are ever shown to units: the
    evaluator is a number within the group, never a name."""

    group = models.ForeignKey(RatingGroup, on_delete=models.CASCADE, related_name="ratings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    evaluator = models.PositiveSmallIntegerField(_("evaluator number"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("rating")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "unit", "evaluator"], name="one_rating_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.unit_id}#{self.evaluator}"


class HigherResult(models.Model):
    """The prefecture's result on one of its indicators, for the county (as a percentage)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="higher_results")
    source = models.ForeignKey(
        SourceIndicator, on_delete=models.PROTECT, null=True, blank=True, related_name="results"
    )
    score = models.DecimalField(_("score (%)"), max_digits=6, decimal_places=2)
    prefecture_rank = models.PositiveSmallIntegerField(_("rank in the prefecture"), null=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("higher-level result")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "source"], name="one_higher_result")
        ]

    def __str__(self) -> str:
        return f"{self.source_id or 'county'}: {self.score}"


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("Bonus")
    DEDUCTION = "deduction", _("Deduction")
    VETO = "veto", _("Veto")


class Adjustment(models.Model):
    """A bonus, deduction or veto event of a unit in a scheme's year, dated."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="adjustments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=AdjustmentKind.choices)
    code = models.CharField(_("veto kind"), max_length=32, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    reason = models.CharField(_("reason"), max_length=300)
    on = models.DateField(_("date"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        verbose_name = _("adjustment")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.points}"


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """A unit's appeal against its result during the notice period."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="appeals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="appeals/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("appeal")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"appeal {self.pk} of {self.unit_id}"


class ResultAmendment(models.Model):
    """A change to a computed round, numbered, naming the appeal and the correction behind it,
    with every result it changed before and after."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("number"))
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="amendments")
    correction = models.JSONField(_("correction"))
    changes = models.JSONField(_("changes"))
    results_hash_before = models.CharField(max_length=64)
    results_hash_after = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("amendment of results")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="one_amendment_number")
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"amendment {self.number} of round {self.round_id}"


class AwardKind(models.TextChoices):
    COLLECTIVE_MERIT = "collective_merit", _("Collective merit (集体记功)")
    COMMENDATION = "commendation", _("Commendation (嘉奖)")
    PAY_COEFFICIENT = "pay_coefficient", _("Performance-pay coefficient")
    CRITICISM = "criticism", _("Notice of criticism (通报批评)")


class Award(models.Model):
    """What a unit's final annual result brings it."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(RoundResult, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("award")
        ordering = ["-decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} for result {self.result_id}"


class CadreActionKind(models.TextChoices):
    PROMOTION = "promotion", _("Promoted (提拔)")
    FURTHER_USE = "further_use", _("Further used (进一步使用)")
    RANK_RAISE = "rank_raise", _("Raised in rank (晋升职级)")
    REMINDER = "reminder", _("Reminder talk (提醒谈话)")
    ADJUSTMENT = "adjustment", _("Post adjusted (组织调整)")
    MOVED_DOWN = "moved_down", _("Moved down (能下)")
    AFTER_DISCIPLINE = "after_discipline", _("Promoted after the disciplinary period")


class CadreAction(models.Model):
    """A decision about a cadre, by the organisation department, with what it rests on."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=CadreActionKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    results = models.ManyToManyField(RoundResult, related_name="cadre_actions", blank=True)
    notices = models.ManyToManyField(
        Notice, related_name="cadre_actions", blank=True, verbose_name=_("notices relied on")
    )
    basis = models.TextField(_("basis"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("cadre action")
        ordering = ["-decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.kind} {self.year}"
