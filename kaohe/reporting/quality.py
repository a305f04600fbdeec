"""Data-quality flags for a value about to be submitted, from the unit's category and history.

The arithmetic is kaohe.scoring.quality's; this module only gathers what it compares with, in
three queries: the category's values for the same indicator and period, and the unit's own
earlier approved values.
"""

from __future__ import annotations

from decimal import Decimal

from kaohe.reporting.models import Period, ProgressReport, ReportStatus, Target
from kaohe.scoring.quality import Flag, value_flags

COUNTED = [ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.CONFIRMED]


def quality_flags(*, target: Target, period: Period, value: Decimal) -> list[Flag]:
    """Flags for ``value`` as the target's unit would report it for ``period``."""
    indicator = target.indicator
    peer_reports = ProgressReport.objects.none()
    if target.unit.category_id is not None:
        peer_reports = ProgressReport.objects.filter(
            indicator=indicator, period=period, unit__category_id=target.unit.category_id
        )
    peers = [
        float(v)
        for v in peer_reports.filter(
            status__in=COUNTED,
            value__isnull=False,
        )
        .exclude(unit_id=target.unit_id)
        .values_list("value", flat=True)
        if v is not None
    ]
    earlier = [
        float(v)
        for v in ProgressReport.objects.filter(
            unit_id=target.unit_id,
            indicator=indicator,
            period__kind=period.kind,
            period__end__lt=period.end,
            status__in=[ReportStatus.APPROVED, ReportStatus.CONFIRMED],
            value__isnull=False,
        )
        .order_by("period__end")
        .values_list("value", flat=True)
        if v is not None
    ]
    x = float(value)
    if indicator.cumulative and earlier:
        # A year-to-date amount: judge this period's increment against earlier increments,
        # and refuse to let it fall below what was already approved.
        increments = [b - a for a, b in zip([0.0, *earlier[:-1]], earlier, strict=True)]
        flags = value_flags(x - earlier[-1], history=increments)
        flags = [Flag(f.code, x, f.reference, f.score) for f in flags]
        flags += value_flags(x, category_values=peers, previous_cumulative=earlier[-1])
        return flags
    bounds = (0.0, None) if indicator.cumulative else (None, None)
    return value_flags(x, category_values=peers, history=earlier, bounds=bounds)
