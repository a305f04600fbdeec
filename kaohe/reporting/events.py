"""Domain events reporting publishes for later stages of the year.

Data moves one way along the year (DESIGN.md): reporting never imports monitoring, so when a
value is approved it announces it here and monitoring, which subscribes in its AppConfig.ready,
recomputes the warning. Receivers run after the transaction commits.
"""

from django.dispatch import Signal

# Sent with: report (ProgressReport), after the approving transaction has committed.
report_approved = Signal()
