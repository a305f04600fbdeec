"""Monitoring listens to reporting's domain events (reporting never imports monitoring)."""

from __future__ import annotations

from typing import Any

from kaohe.reporting.events import value_changed


def _on_value_changed(sender: Any, report: Any, **kwargs: Any) -> None:
    from kaohe.monitoring.tasks import warning_refresh_for_report

    warning_refresh_for_report.enqueue(report.pk)


def connect() -> None:
    value_changed.connect(_on_value_changed, dispatch_uid="monitoring.warning_refresh")
