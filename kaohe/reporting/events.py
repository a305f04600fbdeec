"""Domain events reporting publishes for later stages of the year.

Data moves one way along the year (DESIGN.md): reporting never imports monitoring, so when the
value in force of a unit's indicator changes it announces it here and monitoring, which
subscribes in its AppConfig.ready, recomputes the warning (the score is read from the value in
force, so it follows by itself). Receivers run after the transaction commits.
"""

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# Sent with: report (ProgressReport) whose approval, confirmation, reopening or correction
# changed the value in force, after the transaction has committed.
value_changed = Signal()


def value_changed_on_commit(report: Any) -> None:
    """Announce, once the current transaction commits, that the report's value changed."""
    transaction.on_commit(lambda: value_changed.send(sender=type(report), report=report))
