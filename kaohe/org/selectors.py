"""Reads on the organisation, filtered to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import User


def account_list(*, user: User) -> QuerySet[User]:
    """Accounts of the administrator's own county."""
    require(user, Permission.ACCOUNT_LIST)
    return (
        User.objects.filter(county_id=county_id_of(user))
        .select_related("unit")
        .order_by("username")
    )


def account_get(*, user: User, pk: int) -> User:
    """One account of the administrator's county; 404 for any other."""
    try:
        return account_list(user=user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
