"""Background work of monitoring, run by the task worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from kaohe.monitoring.models import Warning
from kaohe.monitoring.services import warning_refresh
from kaohe.reporting.models import ProgressReport


@task()
def warning_refresh_for_report(report_id: int) -> int:
    """Recompute the warnings a change of the report's value in force touches: the one at its
    period's end, and every later one already kept for the unit and indicator (a nightly
    colour computed with a value since reopened must not outlive it). Idempotent."""
    report = ProgressReport.objects.select_related("indicator__scheme__county", "period").get(
        pk=report_id
    )
    dates = {report.period.end}
    dates.update(
        Warning.objects.filter(
            unit_id=report.unit_id, indicator_id=report.indicator_id, as_of__gt=report.period.end
        ).values_list("as_of", flat=True)
    )
    refreshed = 0
    for as_of in sorted(dates):
        refreshed += len(
            warning_refresh(indicator=report.indicator, as_of=as_of, unit_ids=[report.unit_id])
        )
    return refreshed
