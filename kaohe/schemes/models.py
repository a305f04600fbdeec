"""The appraisal scheme: one county's indicator tree, points per category and methods for a year."""

from __future__ import annotations

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
