"""Background work of monitoring, run by the task worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from kaohe.monitoring.services import warning_refresh
from kaohe.reporting.models import ProgressReport


@task()
def warning_refresh_for_report(report_id: int) -> int:
    """Recompute the warning a newly approved value changes. Idempotent: safe to re-run."""
    report = ProgressReport.objects.select_related("indicator__scheme__county", "period").get(
        pk=report_id
    )
    warnings = warning_refresh(
        indicator=report.indicator, as_of=report.period.end, unit_ids=[report.unit_id]
    )
    return len(warnings)
