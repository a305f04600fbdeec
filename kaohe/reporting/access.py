"""Which reports and targets a user may reach: by county, then by the role's data scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kaohe.org.access import Permission, county_id_of, require, scope_of, unit_id_of
from kaohe.org.models import Scope, User
from kaohe.reporting.models import Evidence, Period, ProgressReport, Target


def reports_visible(user: User) -> QuerySet[ProgressReport]:
    """Reports in the user's county and scope: own unit, own indicators, or the whole county."""
    require(user, Permission.REPORT_VIEW)
    qs = ProgressReport.objects.filter(county_id=county_id_of(user))
    scope = scope_of(user)
    if scope == Scope.OWN_UNIT:
        return qs.filter(unit_id=unit_id_of(user))
    if scope == Scope.OWN_INDICATORS:
        return qs.filter(indicator__assessor_id=unit_id_of(user))
    if scope == Scope.COUNTY:
        return qs
    return qs.none()


def report_get(user: User, pk: int) -> ProgressReport:
    """One report the user may see; 404 (not 403) for anything else, so nothing leaks."""
    try:
        return reports_visible(user).select_related("unit", "indicator", "period").get(pk=pk)
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc


def target_get_for_fill(user: User, pk: int) -> Target:
    """A target of the user's own unit, for filling in its report; 404 for any other."""
    require(user, Permission.REPORT_FILL)
    try:
        return Target.objects.select_related("indicator", "unit", "scheme").get(
            pk=pk, county_id=county_id_of(user), unit_id=unit_id_of(user)
        )
    except Target.DoesNotExist as exc:
        raise Http404 from exc


def period_get(user: User, pk: int) -> Period:
    try:
        return Period.objects.select_related("scheme").get(pk=pk, county_id=county_id_of(user))
    except Period.DoesNotExist as exc:
        raise Http404 from exc


def evidence_get(user: User, pk: int) -> Evidence:
    """An evidence file of a report the user may see; 404 for any other."""
    try:
        return Evidence.objects.select_related("report").get(
            pk=pk, report__in=reports_visible(user)
        )
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc


def target_get(user: User, pk: int) -> Target:
    """A target the user may see (own unit, own indicators, or the county); 404 otherwise."""
    require(user, Permission.REPORT_VIEW)
    qs = Target.objects.select_related("indicator", "unit", "scheme").filter(
        county_id=county_id_of(user)
    )
    scope = scope_of(user)
    if scope == Scope.OWN_UNIT:
        qs = qs.filter(unit_id=unit_id_of(user))
    elif scope == Scope.OWN_INDICATORS:
        qs = qs.filter(indicator__assessor_id=unit_id_of(user))
    try:
        return qs.get(pk=pk)
    except Target.DoesNotExist as exc:
        raise Http404 from exc
