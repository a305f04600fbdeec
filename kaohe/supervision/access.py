"""Which notices, inspections, problems and visits a user may reach: county first, then scope.

The office, supervision offices, leaders and the organisation department see the whole county;
a unit sees what concerns its own unit (never drafts); an assessing department sees notices on
the indicators it checks. Anything else is a 404, so nothing leaks.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from kaohe.org.access import Permission, county_id_of, require, scope_of, unit_id_of
from kaohe.org.models import Scope, User
from kaohe.supervision.models import (
    HelpVisit,
    Inspection,
    Notice,
    NoticeStatus,
    Problem,
    RectificationEvidence,
)

M = TypeVar("M", bound=Model)


def notices_visible(user: User) -> QuerySet[Notice]:
    require(user, Permission.NOTICE_VIEW)
    qs = Notice.objects.filter(county_id=county_id_of(user))
    scope = scope_of(user)
    if scope == Scope.OWN_UNIT:
        return qs.filter(recipient_id=unit_id_of(user)).exclude(status=NoticeStatus.DRAFT)
    if scope == Scope.OWN_INDICATORS:
        return (
            qs.filter(indicators__assessor_id=unit_id_of(user))
            .exclude(status=NoticeStatus.DRAFT)
            .distinct()
        )
    if scope == Scope.COUNTY:
        return qs
    return qs.none()


def _one(qs: QuerySet[M], pk: int) -> M:
    try:
        return qs.get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def notice_get(user: User, pk: int) -> Notice:
    """A notice the user may see; 404 for any other."""
    return _one(notices_visible(user).select_related("issuer", "recipient", "parent"), pk)


def notice_get_to_rectify(user: User, pk: int) -> Notice:
    """A notice addressed to the user's own unit, for its rectification; 404 for any other."""
    require(user, Permission.RECTIFY)
    return _one(
        Notice.objects.filter(county_id=county_id_of(user), recipient_id=unit_id_of(user))
        .exclude(status=NoticeStatus.DRAFT)
        .select_related("issuer", "recipient"),
        pk,
    )


def notice_get_to_manage(user: User, pk: int) -> Notice:
    """A notice of the user's county for the office or a supervision office to act on."""
    require(user, Permission.NOTICE_ISSUE)
    return _one(Notice.objects.filter(county_id=county_id_of(user)), pk)


def rectification_evidence_get(user: User, pk: int) -> RectificationEvidence:
    return _one(
        RectificationEvidence.objects.filter(rectification__notice__in=notices_visible(user)), pk
    )


def require_county_view(user: User) -> None:
    """Pages of county-wide figures: roles that see the whole county (not units, assessors)."""
    require(user, Permission.NOTICE_VIEW)
    if scope_of(user) != Scope.COUNTY:
        raise PermissionDenied("county scope")


def _unit_scoped(user: User, qs: QuerySet[M], assessor_lookup: str) -> QuerySet[M]:
    """County scope sees all, a unit its own; an assessing department what touches the
    indicators it checks (or, for problems, what is assigned to it)."""
    require(user, Permission.NOTICE_VIEW)
    qs = qs.filter(county_id=county_id_of(user))
    scope = scope_of(user)
    if scope == Scope.COUNTY:
        return qs
    if scope == Scope.OWN_UNIT:
        return qs.filter(unit_id=unit_id_of(user))
    if scope == Scope.OWN_INDICATORS:
        return qs.filter(**{assessor_lookup: unit_id_of(user)}).distinct()
    return qs.none()


def inspections_visible(user: User) -> QuerySet[Inspection]:
    return _unit_scoped(user, Inspection.objects.all(), "indicators__assessor_id")


def inspection_get(user: User, pk: int) -> Inspection:
    return _one(inspections_visible(user).select_related("office", "unit"), pk)


def problems_visible(user: User) -> QuerySet[Problem]:
    return _unit_scoped(user, Problem.objects.all(), "department_id")


def problem_get(user: User, pk: int) -> Problem:
    return _one(problems_visible(user).select_related("unit", "leader", "department"), pk)


def visits_visible(user: User) -> QuerySet[HelpVisit]:
    return _unit_scoped(user, HelpVisit.objects.all(), "indicators__assessor_id")
