"""The reporting workflow as an explicit table of allowed transitions (DESIGN.md rule 5)."""

from __future__ import annotations

from kaohe.org.models import Role
from kaohe.reporting.models import ReportStatus as S

# (from, to) -> the role that may make the move
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): Role.UNIT,
    (S.RETURNED, S.SUBMITTED): Role.UNIT,
    (S.SUBMITTED, S.APPROVED): Role.ASSESSOR,
    (S.SUBMITTED, S.RETURNED): Role.ASSESSOR,
    (S.APPROVED, S.CONFIRMED): Role.OFFICE,
}

EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def allowed(current: str, target: str, role: str) -> bool:
    return TRANSITIONS.get((current, target)) == role
