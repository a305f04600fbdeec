"""Writes on inspections, difficult problems and help visits (each audited, county-checked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record, snapshot
from kaohe.org.access import Permission, require
from kaohe.org.models import Cadre, County, Unit, User
from kaohe.schemes.models import Indicator
from kaohe.supervision.models import (
    DEFAULT_DAYS,
    HelpVisit,
    Inspection,
    Notice,
    NoticeKind,
    Problem,
    ProblemSource,
    ProblemStatus,
)
from kaohe.supervision.services import notice_create

_PROBLEM_FIELDS = ["title", "status", "leader", "department", "resolution", "solved_on"]


def _county_of(user: User, *objects: Any) -> County:
    county = user.county
    if county is None:
        raise PermissionDenied
    for obj in objects:
        if obj is not None and obj.county_id != county.pk:
            raise PermissionDenied
    return county


def _audit(user: User, action: str, obj: Any, before: Any = None, after: Any = None) -> None:
    audit_record(
        actor=user,
        action=action,
        county_code=obj.county.code,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        before=before,
        after=after,
    )


@transaction.atomic
def inspection_record(
    *,
    user: User,
    office: Unit,
    kind: str,
    date: dt.date,
    unit: Unit,
    indicators: Iterable[Indicator],
    findings: str,
) -> Inspection:
    """A supervision office records a regular or surprise inspection and its findings."""
    require(user, Permission.SUPERVISION_RECORD)
    indicators = list(indicators)
    county = _county_of(user, office, unit, *indicators)
    if not office.is_supervision:
        raise ValidationError({"office": _("Choose a supervision office.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write down what the inspection found.")})
    inspection = Inspection.objects.create(
        county=county,
        office=office,
        kind=kind,
        date=date,
        unit=unit,
        findings=findings.strip(),
        created_by=user,
    )
    inspection.indicators.set(indicators)
    _audit(
        user,
        "inspection.record",
        inspection,
        after={"office": office.pk, "unit": unit.pk, "kind": kind, "date": date},
    )
    return inspection


@transaction.atomic
def inspection_to_notice(*, user: User, inspection: Inspection, today: dt.date) -> Notice:
    """A finding becomes a draft reminder notice from the inspecting office to the unit."""
    _county_of(user, inspection)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Reminder on the findings of the inspection of %(date)s") % {
            "date": inspection.date.isoformat()
        }
        actions = _("Rectify the problems the inspection found and report with evidence.")
    return notice_create(
        user=user,
        county=inspection.county,
        kind=NoticeKind.REMINDER,
        issuer=inspection.office,
        recipient=inspection.unit,
        indicators=inspection.indicators.all(),
        title=title,
        situation=inspection.findings,
        required_actions=actions,
        deadline=today + dt.timedelta(days=DEFAULT_DAYS[NoticeKind.REMINDER]),
        inspection=inspection,
    )


@transaction.atomic
def problem_raise(
    *,
    user: User,
    title: str,
    description: str,
    source: str,
    unit: Unit,
    raised_on: dt.date,
    leader: Cadre | None = None,
    department: Unit | None = None,
    inspection: Inspection | None = None,
) -> Problem:
    """Register a difficult problem raised by a unit or found by supervision."""
    require(user, Permission.PROBLEM_MANAGE)
    county = _county_of(user, unit, leader, department, inspection)
    if not title.strip():
        raise ValidationError({"title": _("Give the problem a title.")})
    problem = Problem.objects.create(
        county=county,
        year=raised_on.year,
        title=title.strip()[:200],
        description=description.strip(),
        source=source,
        unit=unit,
        inspection=inspection,
        leader=leader,
        department=department,
        raised_on=raised_on,
        created_by=user,
    )
    _audit(user, "problem.raise", problem, after=snapshot(problem, _PROBLEM_FIELDS))
    return problem


@transaction.atomic
def inspection_to_problem(*, user: User, inspection: Inspection, today: dt.date) -> Problem:
    """A finding becomes a difficult problem of the inspected unit, found by supervision."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Found in the inspection of %(date)s: %(unit)s") % {
            "date": inspection.date.isoformat(),
            "unit": inspection.unit.name,
        }
    return problem_raise(
        user=user,
        title=title,
        description=inspection.findings,
        source=ProblemSource.SUPERVISION,
        unit=inspection.unit,
        raised_on=today,
        inspection=inspection,
    )


_NEXT = {
    ProblemStatus.OPEN: {ProblemStatus.IN_PROGRESS, ProblemStatus.SOLVED},
    ProblemStatus.IN_PROGRESS: {ProblemStatus.SOLVED},
    ProblemStatus.SOLVED: set(),
}


@transaction.atomic
def problem_update(
    *,
    user: User,
    problem: Problem,
    status: str,
    leader: Cadre | None,
    department: Unit | None,
    resolution: str,
    today: dt.date,
) -> Problem:
    """Assign a problem to a leader and a department and move it on: open -> in progress ->
    solved (a solved problem needs its resolution)."""
    require(user, Permission.PROBLEM_MANAGE)
    _county_of(user, problem, leader, department)
    problem = Problem.objects.select_for_update().select_related("county").get(pk=problem.pk)
    if status != problem.status and status not in _NEXT[ProblemStatus(problem.status)]:
        raise ValidationError(
            {
                "status": _("A problem that is %(s)s cannot go back.")
                % {"s": problem.get_status_display()}
            }
        )
    if status == ProblemStatus.SOLVED and not resolution.strip():
        raise ValidationError({"resolution": _("Say how the problem was solved.")})
    before = snapshot(problem, _PROBLEM_FIELDS)
    problem.status = status
    problem.leader = leader
    problem.department = department
    problem.resolution = resolution.strip()
    if status == ProblemStatus.SOLVED and problem.solved_on is None:
        problem.solved_on = today
    problem.save(update_fields=["status", "leader", "department", "resolution", "solved_on"])
    _audit(user, "problem.update", problem, before, snapshot(problem, _PROBLEM_FIELDS))
    return problem


@transaction.atomic
def visit_record(
    *,
    user: User,
    date: dt.date,
    unit: Unit,
    visitors: str,
    outcome: str,
    leader: Cadre | None = None,
    indicators: Iterable[Indicator] = (),
    problems: Iterable[Problem] = (),
) -> HelpVisit:
    """Record a help visit: who went to which unit, when, about what, and what came of it."""
    require(user, Permission.PROBLEM_MANAGE)
    indicators, problems = list(indicators), list(problems)
    county = _county_of(user, unit, leader, *indicators, *problems)
    if not visitors.strip() or not outcome.strip():
        raise ValidationError(_("Say who visited and what came of it."))
    visit = HelpVisit.objects.create(
        county=county,
        date=date,
        unit=unit,
        visitors=visitors.strip()[:200],
        leader=leader,
        outcome=outcome.strip(),
        created_by=user,
    )
    visit.indicators.set(indicators)
    visit.problems.set(problems)
    _audit(user, "visit.record", visit, after={"unit": unit.pk, "date": date})
    return visit
