"""Reads on the organisation, filtered to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import County, User

# A county has hundreds of accounts; its page lists them a hundred at a time.
ACCOUNTS_PER_PAGE = 100


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


@dataclass(frozen=True)
class CountyAccounts:
    page: Page[User]
    total: int
    without_password: int


def county_accounts(*, user: User, county: County, page: str | int | None) -> CountyAccounts:
    """One page of a county's accounts for the platform administrators' county page.

    With how many accounts the county has in all and how many of them have no password yet
    (counted by the database, not by loading every account).
    """
    require(user, Permission.COUNTY_LIST)
    accounts = User.objects.filter(county=county)
    listing = Paginator(
        accounts.select_related("unit", "cadre").order_by("username"), ACCOUNTS_PER_PAGE
    ).get_page(page)
    return CountyAccounts(
        page=listing,
        total=listing.paginator.count,
        without_password=accounts.filter(password__startswith=UNUSABLE_PASSWORD_PREFIX).count(),
    )
