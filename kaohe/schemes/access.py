"""Which schemes and indicators a user may reach: those of the user's own county."""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import User
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.selectors import scheme_in_force


def indicator_get(user: User, pk: int) -> Indicator:
    require(user, Permission.SCHEME_VIEW)
    try:
        return Indicator.objects.select_related("scheme", "assessor", "leader").get(
            pk=pk, county_id=county_id_of(user)
        )
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc


def scheme_current(user: User, today: dt.date | None = None) -> Scheme:
    """The scheme in force in the user's county today (``scheme_in_force``); 404 if none."""
    require(user, Permission.SCHEME_VIEW)
    scheme = scheme_in_force(county_id=county_id_of(user), today=today)
    if scheme is None:
        raise Http404
    return scheme


def scheme_get(user: User, pk: int, permission: Permission = Permission.SCHEME_MANAGE) -> Scheme:
    """A scheme of the user's own county (any status); another county's answers 404."""
    require(user, permission)
    try:
        return Scheme.objects.select_related("county").get(pk=pk, county_id=county_id_of(user))
    except Scheme.DoesNotExist as exc:
        raise Http404 from exc
