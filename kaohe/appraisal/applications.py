"""Results applied: awards to units and decisions about cadres, each resting on final results,
and the cadre's record of achievement (干部实绩档案)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.appraisal.models import (
    Award,
    AwardKind,
    CadreAction,
    CadreActionKind,
    Round,
    RoundKind,
    RoundResult,
    RoundStatus,
)
from kaohe.audit.services import audit_record
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import Cadre, User
from kaohe.reporting.models import TargetLists
from kaohe.schemes.models import Indicator
from kaohe.supervision.models import Notice


def _final_annual(rnd: Round) -> None:
    if rnd.provisional:
        raise ValidationError(_("Awards cannot rest on a provisional preview of a round."))
    if rnd.kind != RoundKind.ANNUAL or rnd.status != RoundStatus.FINAL:
        raise ValidationError(_("Awards rest on a final annual round."))


@transaction.atomic
def awards_apply(
    *,
    user: User,
    round: Round,
    coefficients: dict[str, Decimal],
    merit_units: list[int],
    decided_on: dt.date,
) -> list[Award]:
    """Performance-pay coefficients by grade for every unit, and collective merit for the
    chosen units (which must be graded 优秀). Re-applying replaces the round's awards."""
    require(user, Permission.ROUND_MANAGE)
    if round.county_id != county_id_of(user):
        raise PermissionDenied
    _final_annual(round)
    for grade_code, c in coefficients.items():
        if not Decimal(0) <= c <= Decimal(3):
            raise ValidationError(
                _("The coefficient for %(grade)s lies between 0 and 3.") % {"grade": grade_code}
            )
    results = list(round.results.select_related("unit"))
    by_unit = {r.unit_id: r for r in results}
    for unit_id in merit_units:
        result = by_unit.get(unit_id)
        if result is None or result.grade != round.rules["grades"][0][0]:
            raise ValidationError(_("Collective merit goes only to units of the highest grade."))
    Award.objects.filter(result__round=round).delete()
    made = []
    for r in results:
        if r.grade in coefficients:
            made.append(
                Award(
                    county_id=round.county_id,
                    result=r,
                    kind=AwardKind.PAY_COEFFICIENT,
                    coefficient=coefficients[r.grade],
                    decided_on=decided_on,
                    recorded_by=user,
                )
            )
        if r.unit_id in merit_units:
            made.append(
                Award(
                    county_id=round.county_id,
                    result=r,
                    kind=AwardKind.COLLECTIVE_MERIT,
                    note=_("Rank %(rank)d, %(grade)s") % {"rank": r.rank, "grade": r.grade},
                    decided_on=decided_on,
                    recorded_by=user,
                )
            )
    Award.objects.bulk_create(made)
    audit_record(
        actor=user,
        action="awards.apply",
        county_code=round.scheme.county.code,
        object_type="appraisal.Round",
        object_id=round.pk,
        after={
            "coefficients": {k: str(v) for k, v in coefficients.items()},
            "merit": sorted(by_unit[u].unit.code for u in merit_units),
            "awards": len(made),
            "results_hash": round.results_hash,
        },
    )
    return made


@transaction.atomic
def cadre_action_record(
    *,
    user: User,
    cadre: Cadre,
    kind: str,
    year: int,
    results: list[RoundResult],
    basis: str,
    decided_on: dt.date,
    notices: list[Notice] | None = None,
) -> CadreAction:
    """The organisation department records a decision about a cadre and what it rests on."""
    require(user, Permission.CADRE_MANAGE)
    if cadre.county_id != county_id_of(user):
        raise PermissionDenied
    if kind not in CadreActionKind.values:
        raise ValidationError({"kind": _("Choose the kind of decision.")})
    if not basis.strip():
        raise ValidationError({"basis": _("Say what the decision rests on.")})
    if not results:
        raise ValidationError({"results": _("Name the appraisal results the decision rests on.")})
    notices = notices or []
    if any(r.round.county_id != cadre.county_id for r in results) or any(
        n.county_id != cadre.county_id for n in notices
    ):
        raise PermissionDenied
    if any(r.round.provisional for r in results):
        raise ValidationError(
            {"results": _("A decision cannot rest on a provisional preview of a round.")}
        )
    if any(r.round.status == RoundStatus.COMPUTED for r in results):
        raise ValidationError({"results": _("Only published or final results can be relied on.")})
    action = CadreAction.objects.create(
        county_id=cadre.county_id,
        cadre=cadre,
        kind=kind,
        year=year,
        basis=basis.strip(),
        decided_on=decided_on,
        recorded_by=user,
    )
    action.results.set(results)
    action.notices.set(notices)
    audit_record(
        actor=user,
        action="cadre_action.record",
        county_code=cadre.county.code,
        object_type="appraisal.CadreAction",
        object_id=action.pk,
        after={
            "cadre": cadre.code,
            "kind": kind,
            "year": year,
            "results": [r.pk for r in results],
            "notices": [n.number for n in notices],
            "basis": action.basis,
        },
    )
    return action


def action_statistics(*, county_id: int, year: int) -> list[tuple[str, str, int]]:
    """A year's decisions about cadres, counted by kind, in the order the kinds are listed."""
    counts = Counter(
        CadreAction.objects.filter(county_id=county_id, year=year).values_list("kind", flat=True)
    )
    return [(k.value, str(k.label), counts.get(k.value, 0)) for k in CadreActionKind]


@dataclass(frozen=True)
class CadreRecord:
    cadre: Cadre
    answered: list[dict[str, Any]]
    results: list[RoundResult]
    actions: list[CadreAction]
    notices: list[Notice]


def cadre_record(cadre: Cadre) -> CadreRecord:
    """Everything a cadre answered for and what came of it, across years."""
    answered: list[dict[str, Any]] = []
    for lists in TargetLists.objects.filter(leader=cadre).select_related(
        "target__unit", "target__indicator", "target__scheme"
    ):
        t = lists.target
        answered.append(
            {
                "year": t.scheme.year,
                "indicator": t.indicator,
                "unit": t.unit,
                "role": _("Responsible leader"),
            }
        )
    for indicator in Indicator.objects.filter(leader=cadre).select_related("scheme"):
        answered.append(
            {
                "year": indicator.scheme.year,
                "indicator": indicator,
                "unit": None,
                "role": _("Leader in charge"),
            }
        )
    answered.sort(key=lambda a: (-a["year"], a["indicator"].code))
    results: list[RoundResult] = []
    if cadre.unit_id:
        results = list(
            RoundResult.objects.filter(
                unit_id=cadre.unit_id,
                round__status__in=[RoundStatus.PUBLISHED, RoundStatus.FINAL],
            )
            .select_related("round__scheme", "unit")
            .order_by("-round__scheme__year", "round__kind", "-round__number")
        )
    actions = list(
        CadreAction.objects.filter(cadre=cadre).prefetch_related(
            "results__round__scheme", "results__unit", "notices"
        )
    )
    notices: list[Notice] = []
    if cadre.unit_id:
        notices = list(
            Notice.objects.filter(recipient_id=cadre.unit_id)
            .exclude(number="")
            .order_by("-issued_on", "-pk")
        )
    return CadreRecord(cadre, answered, results, actions, notices)
