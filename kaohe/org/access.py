"""The one access policy: which role may do what, and which data each role's scope reaches.

Every view and (later) API operation checks a Permission here, and loads objects through an
app's access helpers, which filter by county and scope. A test walks every route with every role
against the table below (tests/test_access_routes.py).

The three administrators follow 等保 level 3's separation of powers (GB/T 22239-2019 8.1.4.2):
the system administrator manages configuration and the existence of accounts but reads no audit
log and grants no roles; the security administrator grants roles but sees no business data; the
audit administrator reads the audit log and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from kaohe.org.models import Role, Scope, User


class Permission(StrEnum):
    REPORT_FILL = "report.fill"
    REPORT_REVIEW = "report.review"
    REPORT_CONFIRM = "report.confirm"
    REPORT_VIEW = "report.view"
    SCHEME_VIEW = "scheme.view"
    SCHEME_MANAGE = "scheme.manage"
    BATTLEMAP_VIEW = "battlemap.view"
    ACCOUNT_MANAGE = "account.manage"
    ROLE_ASSIGN = "role.assign"
    ACCOUNT_LIST = "account.list"
    AUDIT_VIEW = "audit.view"
    # Warnings' closed loop (issue 5)
    NOTICE_VIEW = "notice.view"
    NOTICE_ISSUE = "notice.issue"
    RECTIFY = "notice.rectify"
    SUPERVISION_RECORD = "supervision.record"
    PROBLEM_MANAGE = "problem.manage"
    CADENCE_VIEW = "cadence.view"
    CADENCE_MANAGE = "cadence.manage"
    BULLETIN_ISSUE = "bulletin.issue"
    # Rounds, appeals and their application (issue 7)
    ROUND_MANAGE = "round.manage"
    RESULT_VIEW = "result.view"
    APPEAL_FILE = "appeal.file"
    RATING_ENTER = "rating.enter"
    CADRE_VIEW = "cadre.view"
    CADRE_MANAGE = "cadre.manage"
    # The platform (issue 13): counties onboarded by the server's own administrators.
    COUNTY_LIST = "county.list"
    COUNTY_MANAGE = "county.manage"
    COUNTY_ROLES = "county.roles"


_BUSINESS = frozenset(
    {Role.OFFICE, Role.ASSESSOR, Role.UNIT, Role.LEADER, Role.SUPERVISOR, Role.ORGANISATION}
)

POLICY: dict[Permission, frozenset[Role]] = {
    Permission.REPORT_FILL: frozenset({Role.UNIT}),
    Permission.REPORT_REVIEW: frozenset({Role.ASSESSOR}),
    Permission.REPORT_CONFIRM: frozenset({Role.OFFICE}),
    Permission.REPORT_VIEW: _BUSINESS,
    Permission.SCHEME_VIEW: _BUSINESS,
    Permission.SCHEME_MANAGE: frozenset({Role.OFFICE}),
    Permission.BATTLEMAP_VIEW: _BUSINESS,
    Permission.ACCOUNT_MANAGE: frozenset({Role.SYSADMIN}),
    Permission.ROLE_ASSIGN: frozenset({Role.SECADMIN}),
    Permission.ACCOUNT_LIST: frozenset({Role.SYSADMIN, Role.SECADMIN}),
    Permission.AUDIT_VIEW: frozenset({Role.AUDITADMIN}),
    Permission.NOTICE_VIEW: _BUSINESS,
    Permission.NOTICE_ISSUE: frozenset({Role.OFFICE, Role.SUPERVISOR}),
    Permission.RECTIFY: frozenset({Role.UNIT}),
    Permission.SUPERVISION_RECORD: frozenset({Role.OFFICE, Role.SUPERVISOR}),
    Permission.PROBLEM_MANAGE: frozenset({Role.OFFICE, Role.SUPERVISOR}),
    Permission.CADENCE_VIEW: frozenset({Role.OFFICE}),
    # Setting the cadence's schedules and running a job now; drafting and issuing bulletins.
    Permission.CADENCE_MANAGE: frozenset({Role.OFFICE}),
    Permission.BULLETIN_ISSUE: frozenset({Role.OFFICE}),
    Permission.ROUND_MANAGE: frozenset({Role.OFFICE}),
    Permission.RESULT_VIEW: _BUSINESS,
    Permission.APPEAL_FILE: frozenset({Role.UNIT}),
    Permission.RATING_ENTER: frozenset({Role.OFFICE}),
    # Cadre actions and records: the organisation department decides, the office may read.
    Permission.CADRE_VIEW: frozenset({Role.ORGANISATION, Role.OFFICE}),
    Permission.CADRE_MANAGE: frozenset({Role.ORGANISATION}),
}

# Permissions of the platform administrators: accounts with no county (the server's, i.e. the
# prefecture's or province's) and the system or security administrator's role. A new county has
# no users, so someone above the counties must create it; the same separation of powers holds
# one level up (the system administrator creates the county, its organisation and its accounts
# without roles; the security administrator grants the roles). These permissions are never a
# county account's, and a platform account has none of the county permissions above.
PLATFORM_POLICY: dict[Permission, frozenset[Role]] = {
    Permission.COUNTY_LIST: frozenset({Role.SYSADMIN, Role.SECADMIN}),
    Permission.COUNTY_MANAGE: frozenset({Role.SYSADMIN}),
    Permission.COUNTY_ROLES: frozenset({Role.SECADMIN}),
}
PLATFORM_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN})

SCOPE_OF_ROLE: dict[str, Scope] = {
    Role.UNIT: Scope.OWN_UNIT,
    Role.ASSESSOR: Scope.OWN_INDICATORS,
    Role.OFFICE: Scope.COUNTY,
    Role.LEADER: Scope.COUNTY,
    Role.SUPERVISOR: Scope.COUNTY,
    Role.ORGANISATION: Scope.COUNTY,
    Role.SYSADMIN: Scope.NONE,
    Role.SECADMIN: Scope.NONE,
    Role.AUDITADMIN: Scope.NONE,
}

# Roles whose accounts must be bound to a unit, because their scope is defined by it.
ROLES_NEEDING_UNIT = frozenset({Role.UNIT, Role.ASSESSOR})


def county_id_of(user: User) -> int:
    """The county every query of this user is filtered by (accounts without one see nothing)."""
    if user.county_id is None:
        raise PermissionDenied("no county")
    return user.county_id


def unit_id_of(user: User) -> int:
    """The unit that bounds a unit's or an assessor's scope; an unbound account sees nothing."""
    if user.unit_id is None:
        raise PermissionDenied("no unit")
    return user.unit_id


def scope_of(user: User) -> Scope:
    """The data scope a user's role gives: none for an account without a role."""
    return SCOPE_OF_ROLE.get(user.role, Scope.NONE)


def is_platform_admin(user: Any) -> bool:
    """True for an active administrator of the platform (an account with no county)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.county_id is None
        and user.role in PLATFORM_ROLES
    )


def has_perm(user: Any, permission: Permission) -> bool:
    """True when an active, logged-in user's role is granted the permission.

    County permissions need an account of a county; platform permissions need one of none.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if permission in PLATFORM_POLICY:
        return user.county_id is None and user.role in PLATFORM_POLICY[permission]
    if user.county_id is None:
        return False
    return user.role in POLICY[permission]


def require(user: Any, permission: Permission) -> None:
    """Raise PermissionDenied (403) unless the user has the permission."""
    if not has_perm(user, permission):
        raise PermissionDenied(permission.value)


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def permission_required(permission: Permission) -> Callable[[V], V]:
    """View decorator: anonymous users go to the login page, others need the permission."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, permission)
            return view(request, *args, **kwargs)

        wrapped.kaohe_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def login_only(view: V) -> V:
    """View decorator for pages every logged-in user may open (their own password, home)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]
