"""The standings a bulletin prints: each unit's total of its indicator scores as of a date,
ranked in its category, or the annual round's results once the round is published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kaohe.appraisal.models import Round, RoundKind, RoundStatus
from kaohe.org.models import Unit
from kaohe.results.state import year_state
from kaohe.schemes.models import Scheme


@dataclass(frozen=True)
class Standing:
    unit: Unit
    score: Decimal
    points: Decimal
    rank: int
    grade: str = ""


def scores_as_of(*, scheme: Scheme, as_of: dt.date) -> list[Standing]:
    """Every assessed unit's total of its leaf scores as of a date, ranked in its category
    (ties share the better rank): each leaf by its own method, from the year's one read model
    (results.state), so the numbers are the cell page's and a round's on the same data."""
    state = year_state(scheme=scheme, as_of=as_of, with_warnings=False)
    return [
        Standing(
            unit,
            state.totals[unit.pk].total,
            Decimal(str(state.totals[unit.pk].points)),
            state.totals[unit.pk].rank,
        )
        for unit in state.units
    ]


def annual_standings(*, scheme: Scheme, as_of: dt.date) -> list[Standing]:
    """The annual ranking the annual results bulletin prints.

    The annual round's results (composite out of 100, rank and grade, after appeals) once it
    is published or final (kaohe.appraisal); until then the year's indicator scores as of its
    end (``scores_as_of``), without grades.
    """
    rnd = (
        Round.objects.filter(
            scheme=scheme,
            kind=RoundKind.ANNUAL,
            status__in=[RoundStatus.PUBLISHED, RoundStatus.FINAL],
        )
        .only("pk")
        .first()
    )
    if rnd is None:
        return scores_as_of(scheme=scheme, as_of=as_of)
    return [
        Standing(r.unit, r.composite.quantize(Decimal("0.01")), Decimal(100), r.rank, r.grade)
        for r in rnd.results.select_related("unit__category")
    ]
