"""Background work of monitoring, run by the task worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from kaohe.monitoring.models import Warning
from kaohe.monitoring.services import warning_refresh
from kaohe.reporting.models import ProgressReport


@task()
def warning_refresh_for_report(report_id: int) -> int:
    """Recompute the warnings a change of the report's value in force touches: the one at its
    period's end and the latest one kept after it (a nightly colour computed with a value since
    reopened must not stay on the map). Idempotent."""
    report = ProgressReport.objects.select_related("indicator__scheme__county", "period").get(
        pk=report_id
    )
    # The colour at the period's end, and the latest colour kept after it (the one the battle
    # map shows), not every nightly date in between: a January correction in November would
    # otherwise recompute some 300 days. The dates between keep the colour they were given.
    dates = {report.period.end}
    later = (
        Warning.objects.filter(
            unit_id=report.unit_id, indicator_id=report.indicator_id, as_of__gt=report.period.end
        )
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if later is not None:
        dates.add(later)
    refreshed = 0
    for as_of in sorted(dates):
        refreshed += len(
            warning_refresh(indicator=report.indicator, as_of=as_of, unit_ids=[report.unit_id])
        )
    return refreshed
