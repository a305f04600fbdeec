"""Peer ranking (同级排位): the prefecture's counties compared on the same statistics."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import County


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
