"""The battle map and the home page that sends each role to its own work."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kaohe.dashboard import selectors
from kaohe.dashboard.peers import peer_table
from kaohe.org.access import Permission, login_only, permission_required
from kaohe.org.models import Role, User
from kaohe.reporting.access import reports_visible
from kaohe.results.selectors import indicator_score
from kaohe.schemes.access import indicator_get

HOME_OF_ROLE: dict[str, str] = {
    Role.UNIT: "reporting:due",
    Role.ASSESSOR: "reporting:queue",
    Role.SYSADMIN: "org:accounts",
    Role.SECADMIN: "org:accounts",
    Role.AUDITADMIN: "audit:log",
}


@login_only
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.role:
        return render(request, "dashboard/no_role.html")
    return redirect(HOME_OF_ROLE.get(user.role, "dashboard:battlemap"))


@permission_required(Permission.BATTLEMAP_VIEW)
def battlemap(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    parent = request.GET.get("parent") or None
    data = selectors.battle_map(user=user, parent_code=parent)
    if parent and data.parent is None:
        raise Http404
    return render(request, "dashboard/battlemap.html", {"map": data})


@permission_required(Permission.BATTLEMAP_VIEW)
def peers(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    table = peer_table(user=user, period=request.GET.get("period"))
    return render(request, "dashboard/peers.html", {"table": table})


@permission_required(Permission.BATTLEMAP_VIEW)
def cell(request: HttpRequest, unit_pk: int, indicator_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = selectors.unit_for_map(user=user, pk=unit_pk)
    indicator = selectors.indicator_for_map(user=user, indicator=indicator_get(user, indicator_pk))
    history = selectors.warning_history(unit=unit, indicator=indicator)
    reports = (
        reports_visible(user)
        .filter(unit=unit, indicator=indicator)
        .select_related("period")
        .order_by("-period__end")
    )
    return render(
        request,
        "dashboard/cell.html",
        {
            "unit": unit,
            "indicator": indicator,
            "history": history,
            "latest": history[-1] if history else None,
            "score": indicator_score(unit=unit, indicator=indicator),
            "reports": reports,
        },
    )
