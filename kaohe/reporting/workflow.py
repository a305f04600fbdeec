"""The reporting workflow as an explicit table of allowed transitions (DESIGN.md rule 5)."""

from __future__ import annotations

from kaohe.org.models import Role
from kaohe.reporting.models import ReportStatus as S

# (from, to) -> the roles that may make the move
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.SUBMITTED): frozenset({Role.UNIT}),
    (S.RETURNED, S.SUBMITTED): frozenset({Role.UNIT}),
    (S.SUBMITTED, S.APPROVED): frozenset({Role.ASSESSOR}),
    (S.SUBMITTED, S.RETURNED): frozenset({Role.ASSESSOR}),
    (S.APPROVED, S.CONFIRMED): frozenset({Role.OFFICE}),
    # Reopening: only the office sends approved or confirmed data back, with a reason.
    (S.APPROVED, S.RETURNED): frozenset({Role.OFFICE}),
    (S.CONFIRMED, S.RETURNED): frozenset({Role.OFFICE}),
}

# Statuses the office may reopen (a returned report past the lock only needs unlocking).
REOPENABLE = frozenset({S.APPROVED, S.CONFIRMED, S.RETURNED})

EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def allowed(current: str, target: str, role: str) -> bool:
    return role in TRANSITIONS.get((current, target), frozenset())
