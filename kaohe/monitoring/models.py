"""Warnings: the colour of each unit's indicator against its time schedule, kept per date."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import County, Unit
from kaohe.schemes.models import Indicator


class Level(models.IntegerChoices):
    NO_DATA = -1, _("No data")
    GREEN = 0, _("Green")
    YELLOW = 1, _("Yellow")
    ORANGE = 2, _("Orange")
    RED = 3, _("Red")


class Warning(models.Model):
    """One computed warning; the rows of a unit and indicator over the year are its history."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="warnings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="warnings")
    as_of = models.DateField(_("as of"))
    level = models.SmallIntegerField(_("level"), choices=Level.choices)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=16, decimal_places=4)
    completion = models.FloatField(null=True)
    schedule = models.FloatField()
    explanation = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("warning")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "as_of"], name="one_warning_per_day"
            )
        ]
        indexes = [models.Index(fields=["county", "indicator", "as_of"], name="warning_map_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}@{self.as_of}: {self.colour}"

    @property
    def colour(self) -> str:
        return {-1: "none", 0: "green", 1: "yellow", 2: "orange", 3: "red"}[self.level]


class HistorySource(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    SYNTHETIC = "synthetic", _("Synthetic (demo)")


class HistoricalValue(models.Model):
    """An earlier year's cumulative value of a unit's indicator at a month end.

    Keyed by the indicator's code, not a row of a scheme: earlier years' schemes are often not in
    the system, and the code is what carries an indicator from one year's scheme to the next.
    The rows of a year give the unit's seasonal profile (kaohe.scoring.forecast).
    """

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="historical_values")
    indicator_code = models.CharField(_("indicator code"), max_length=24)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    # That year's target, repeated on each month of the year (so one import row carries it);
    # the back-test needs it to tell whether the year missed. Null when unknown.
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True)
    source = models.CharField(
        _("source"), max_length=16, choices=HistorySource.choices, default=HistorySource.IMPORTED
    )

    class Meta:
        verbose_name = _("historical value")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator_code", "year", "month"], name="one_history_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="history_month_1_12"
            ),
        ]
        indexes = [
            models.Index(fields=["county", "indicator_code", "year"], name="history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_code}@{self.year}-{self.month}: {self.value}"


class Forecast(models.Model):
    """The year-end forecast made with a warning (predictive warning, issue 5 item 2).

    One per warning, not fields on it: it is computed from the same value on the same date and
    kept as long as the warning is (the cell page reads both in one query), but only cumulative
    indicators have one, it carries its own explanation, and the battle map's hot query over
    warnings stays as narrow as it was.
    """

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    warning = models.OneToOneField(Warning, on_delete=models.CASCADE, related_name="forecast")
    year_end = models.FloatField(_("forecast year-end value"), null=True)
    sigma = models.FloatField(_("standard deviation"), null=True)
    miss_probability = models.FloatField(_("probability of missing the target"), null=True)
    # First month (1-12) whose month end is red on the forecast trajectory; 0 none; null unknown.
    red_month = models.SmallIntegerField(_("month it turns red"), null=True)
    data_month = models.SmallIntegerField(default=0)
    history_years = models.SmallIntegerField(default=0)
    explanation = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("forecast")

    def __str__(self) -> str:
        return f"forecast of {self.warning_id}: {self.year_end}"

    @property
    def miss_percent(self) -> int | None:
        """The probability of missing, in whole percent, for display: 0 and 100 only when certain
        (99.6% reads 99%, not a certainty it is not)."""
        p = self.miss_probability
        if p is None:
            return None
        return min(max(round(p * 100), 0 if p <= 0 else 1), 100 if p >= 1 else 99)

    @property
    def red_month_date(self) -> date | None:
        """The first day of the month it turns red, for showing the month's name."""
        if not self.red_month:
            return None
        return date(self.warning.as_of.year, self.red_month, 1)

    @property
    def turns_red(self) -> bool:
        """True when the trajectory turns red in a later month than the forecast's."""
        return bool(self.red_month and self.red_month > self.warning.as_of.month)
