"""The appraisal scheme: one county's indicator tree, points per category and methods for a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import Cadre, Category, County, Unit


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Scheme(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="schemes")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=128)
    status = models.CharField(
        _("status"), max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Warning thresholds in percentage points behind the time schedule (SCORING.md, Warnings).
    warn_yellow = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    warn_orange = models.DecimalField(max_digits=5, decimal_places=2, default=5)
    warn_red = models.DecimalField(max_digits=5, decimal_places=2, default=15)
    # Decimal places of indicator scores (a scheme setting, SCORING.md "Composite, rank, grade").
    score_places = models.PositiveSmallIntegerField(default=2)
    # The appraisal rules the scheme implements (考核管理办法), as published.
    rules_text = models.TextField(_("appraisal rules"), blank=True)
    # How rounds add up, per kind of round ("quarterly", "annual"): components and weights,
    # grades, quotas, vetoes, caps (docs/appraisal.md); what is absent takes the defaults.
    appraisal_rules = models.JSONField(_("rules of the appraisal rounds"), default=dict, blank=True)
    # Units edit their task, measures and responsibility lists until this date; after it the
    # lists lock and only the performance office changes them, with a reason.
    lists_deadline = models.DateField(_("deadline for the lists"), null=True, blank=True)
    # Optimistic locking: two clerks editing the scheme at once never overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("appraisal scheme")
        ordering = ["county", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_scheme_per_county_year")
        ]

    def __str__(self) -> str:
        return self.name


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF = "half", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class Indicator(models.Model):
    """A node of the indicator tree; leaves carry values, targets and points per category."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=24)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    position = models.PositiveIntegerField(default=0)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    # A cumulative value (e.g. investment to date) is compared with the share of the yearly
    # target due by the time schedule; a rate or level (e.g. a growth rate) with the target.
    cumulative = models.BooleanField(_("cumulative"), default=True)
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    assessor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="assessed_indicators"
    )
    leader = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    source_code = models.CharField(_("higher-level indicator"), max_length=24, blank=True)
    # The indicator's value: a data item's code, or a formula over data item codes
    # (e.g. "(GDP - GDP_LAST) / GDP_LAST * 100"); empty when it is reported on the indicator.
    formula = models.CharField(_("formula"), max_length=500, blank=True)
    method = models.JSONField(_("scoring method"), default=dict)
    evidence_required = models.BooleanField(_("evidence required"), default=False)

    class Meta:
        verbose_name = _("indicator")
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="indicator_code_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorPoints(models.Model):
    """What a leaf indicator is worth for one category (分类考核: weights differ by category)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="points")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("points")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "category"], name="points_per_indicator_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.category_id}: {self.points}"


class SchemeCategory(models.Model):
    """A category appraised under the scheme, with the total its leaves' points must reach."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    total_points = models.DecimalField(_("total points"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("scheme category")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "category"], name="category_once_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}/{self.category_id}: {self.total_points}"


class DataItem(models.Model):
    """A figure a unit reports once (数据项); indicators read it directly or through formulas."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="data_items")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16, blank=True)
    cumulative = models.BooleanField(_("cumulative"), default=True)

    class Meta:
        verbose_name = _("data item")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="data_item_code_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SourceIndicator(models.Model):
    """One of the higher-level (prefecture) indicators the county scheme implements (上级指标)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="source_indicators")
    code = models.CharField(_("code"), max_length=24)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("higher-level indicator")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="source_code_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SchemeAmendment(models.Model):
    """A change to a published scheme: numbered, with its reason and the change itself."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("scheme amendment")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="amendment_number_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} #{self.number}"
