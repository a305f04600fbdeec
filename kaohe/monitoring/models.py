"""Warnings: the colour of each unit's indicator against its time schedule, kept per date."""

from __future__ import annotations

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
