"""Monitoring listens to reporting's domain events (reporting never imports monitoring)."""

from __future__ import annotations

from typing import Any

from kaohe.reporting.events import report_approved


def _on_report_approved(sender: Any, report: Any, **kwargs: Any) -> None:
    from kaohe.monitoring.tasks import warning_refresh_for_report

    warning_refresh_for_report.enqueue(report.pk)


def connect() -> None:
    report_approved.connect(_on_report_approved, dispatch_uid="monitoring.warning_refresh")
