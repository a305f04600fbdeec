"""Template helpers for the cadence page: period keys and failure messages in the reader's
language."""

from __future__ import annotations

from django import template

from kaohe.supervision import cadence
from kaohe.supervision.models import Snapshot

register = template.Library()


@register.filter
def period_label(key: str) -> str:
    """A run's period key (2026-W05, 2026-Q4, ...) as the office reads it."""
    return cadence.period_label(key)


@register.filter
def snapshot_period(snapshot: Snapshot) -> str:
    """The month, quarter or half-year a snapshot froze, as the office reads it."""
    return cadence.period_label(cadence.snapshot_key(snapshot.job, snapshot.year, snapshot.number))


@register.filter
def failure_text(message: str) -> str:
    """A failed run's stored message, or the translated note for an unexpected error."""
    return cadence.failure_text(message)
