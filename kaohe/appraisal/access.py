"""Which rounds, results, appeals and cadres a user may reach.

The office sees every round of its county; the other business roles see published and final
ones; a unit sees only its own result in them. Cadre records are the organisation department's
and the office's alone. Anything else is a 404, so nobody learns what exists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kaohe.appraisal.models import Appeal, Round, RoundResult, RoundStatus
from kaohe.org.access import Permission, county_id_of, has_perm, require, unit_id_of
from kaohe.org.models import Cadre, Role, User

VISIBLE = [RoundStatus.PUBLISHED, RoundStatus.FINAL]


def rounds_visible(user: User) -> QuerySet[Round]:
    require(user, Permission.RESULT_VIEW)
    rounds = Round.objects.filter(county_id=county_id_of(user)).select_related("scheme")
    if not has_perm(user, Permission.ROUND_MANAGE):
        rounds = rounds.filter(status__in=VISIBLE)
    return rounds


def round_get(user: User, pk: int) -> Round:
    try:
        return rounds_visible(user).select_related("scheme__county").get(pk=pk)
    except Round.DoesNotExist as exc:
        raise Http404 from exc


def results_visible(user: User, rnd: Round) -> QuerySet[RoundResult]:
    """A round's results as this user may see them: a unit, only its own."""
    results = rnd.results.select_related("unit")
    if user.role == Role.UNIT:
        results = results.filter(unit_id=unit_id_of(user))
    return results


def result_get(user: User, pk: int) -> RoundResult:
    try:
        result = RoundResult.objects.select_related("round__scheme", "unit").get(pk=pk)
    except RoundResult.DoesNotExist as exc:
        raise Http404 from exc
    rnd = round_get(user, result.round_id)
    if not results_visible(user, rnd).filter(pk=pk).exists():
        raise Http404
    return result


def appeal_get(user: User, pk: int) -> Appeal:
    require(user, Permission.ROUND_MANAGE)
    try:
        return Appeal.objects.select_related("round", "unit").get(
            pk=pk, county_id=county_id_of(user)
        )
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


def cadres_visible(user: User) -> QuerySet[Cadre]:
    require(user, Permission.CADRE_VIEW)
    return Cadre.objects.filter(county_id=county_id_of(user)).select_related("unit")


def cadre_get(user: User, pk: int) -> Cadre:
    try:
        return cadres_visible(user).get(pk=pk)
    except Cadre.DoesNotExist as exc:
        raise Http404 from exc
