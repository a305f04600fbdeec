"""The battle map, its big screen, the views by role, and the home page that sends each role to
its own work. Every table on these pages downloads as Excel with `?format=xlsx`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.dashboard import excel, selectors
from kaohe.dashboard.peers import peer_table
from kaohe.documents.explain_text import localized_name
from kaohe.org.access import Permission, login_only, permission_required, scope_of
from kaohe.org.models import Role, Scope, User
from kaohe.reporting.access import reports_visible
from kaohe.results.selectors import indicator_score
from kaohe.schemes.access import indicator_get
from kaohe.supervision.access import notices_visible

HOME_OF_ROLE: dict[str, str] = {
    Role.UNIT: "reporting:due",
    Role.ASSESSOR: "reporting:queue",
    Role.LEADER: "dashboard:portfolio",
    Role.SYSADMIN: "org:accounts",
    Role.SECADMIN: "org:accounts",
    Role.AUDITADMIN: "audit:log",
}

# The big screen reloads itself every few minutes and turns its panels every few seconds.
REFRESH_MINUTES = (5, 1, 60)  # default, least, most
ROTATE_SECONDS = (20, 5, 300)


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _export_url(request: HttpRequest) -> str:
    query = request.GET.copy()
    query["format"] = "xlsx"
    return f"?{query.urlencode()}"


def _bounded(request: HttpRequest, name: str, bounds: tuple[int, int, int]) -> int:
    default, least, most = bounds
    raw = request.GET.get(name, "")
    return min(max(int(raw), least), most) if raw.isdigit() else default


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
    filters = selectors.MapFilters.from_query(request.GET)
    data = selectors.battle_map(user=user, parent_code=parent, filters=filters)
    if parent and data.parent is None:
        raise Http404
    standings = selectors.standings(data)
    tables = [excel.map_table(data), excel.ranking_table(standings)]
    if _wants_xlsx(request):
        return excel.xlsx_response(tables, f"battlemap-{timezone.localdate():%Y%m%d}")
    return render(
        request,
        "dashboard/battlemap.html",
        {
            "map": data,
            "grid": tables[0],
            "ranking": tables[1],
            "tiles": selectors.township_tiles(data),
            "trend": selectors.trend(user=user, data=data).chart(),
            "export_url": _export_url(request),
        },
    )


@permission_required(Permission.BATTLEMAP_VIEW)
def screen(request: HttpRequest) -> HttpResponse:
    """The command room's big screen: 1920x1080, dark, rotating panels, reloading itself."""
    user: User = request.user  # type: ignore[assignment]
    data = selectors.battle_map(user=user)
    standings = selectors.standings(data)
    minutes = _bounded(request, "refresh", REFRESH_MINUTES)
    groups = [(_("Townships"), [(u, c) for u, c in data.rows if u.kind == "township"])]
    departments = [(u, c) for u, c in data.rows if u.kind != "township"]
    for category in data.categories:
        rows = [(u, c) for u, c in departments if u.category_id == category.pk]
        groups.append((localized_name(category), rows))
    groups.append((_("Other departments"), [(u, c) for u, c in departments if not u.category_id]))
    # A group longer than a panel holds turns over several panels, numbered 1/2, 2/2.
    panels = []
    for title, rows in groups:
        pages = selectors.balanced_pages(rows)
        for n, page in enumerate(pages, start=1):
            numbered = {"title": title, "page": n, "pages": len(pages)}
            label = _("%(title)s (%(page)s/%(pages)s)") % numbered if len(pages) > 1 else title
            panels.append((label, page))
    return render(
        request,
        "dashboard/screen.html",
        {
            "map": data,
            "panels": panels,
            "tiles": selectors.township_tiles(data),
            "top": standings[:10],
            "bottom": standings[::-1][:10],
            "trend": selectors.trend(user=user, data=data).chart(),
            "refresh_minutes": minutes,
            "refresh_seconds": minutes * 60,
            "rotate_seconds": _bounded(request, "rotate", ROTATE_SECONDS),
            "now": timezone.localtime(),
        },
    )


@permission_required(Permission.BATTLEMAP_VIEW)
def mine(request: HttpRequest) -> HttpResponse:
    """Each role's own view: a leader's portfolio, a unit's own page, the county's battle map."""
    user: User = request.user  # type: ignore[assignment]
    if user.role == Role.LEADER:
        return redirect("dashboard:portfolio")
    if user.role == Role.UNIT and user.unit_id is not None:
        return redirect("dashboard:unit", user.unit_id)
    return redirect("dashboard:battlemap")


@permission_required(Permission.BATTLEMAP_VIEW)
def portfolio(request: HttpRequest) -> HttpResponse:
    """A leader's indicators (those whose responsible leader they are), lagging first.

    The office and the other county-wide roles may look at any county leader's portfolio.
    """
    user: User = request.user  # type: ignore[assignment]
    if scope_of(user) != Scope.COUNTY:
        raise PermissionDenied("portfolio")
    leaders = selectors.county_leaders(user)
    cadre = None
    if user.role == Role.LEADER:
        cadre = next((c for c in leaders if c.pk == user.cadre_id), None)
    else:
        wanted = request.GET.get("leader", "")
        cadre = next((c for c in leaders if str(c.pk) == wanted), leaders[0] if leaders else None)
    data = selectors.portfolio(user=user, cadre=cadre, leaders=leaders)
    table = excel.portfolio_table(data)
    if _wants_xlsx(request):
        code = cadre.code if cadre else "none"
        return excel.xlsx_response([table], f"portfolio-{code}-{timezone.localdate():%Y%m%d}")
    return render(
        request,
        "dashboard/portfolio.html",
        {
            "data": data,
            "table": table,
            "own": user.role == Role.LEADER,
            "export_url": _export_url(request),
        },
    )


@permission_required(Permission.BATTLEMAP_VIEW)
def unit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """One unit: its indicators lagging first, its colours through the year, its rank."""
    user: User = request.user  # type: ignore[assignment]
    target = selectors.unit_for_map(user=user, pk=unit_pk)
    data = selectors.unit_overview(user=user, unit=target)
    tables = [excel.unit_indicator_table(data), excel.unit_history_table(data)]
    if _wants_xlsx(request):
        return excel.xlsx_response(tables, f"unit-{target.code}-{timezone.localdate():%Y%m%d}")
    history = {
        "months": [f"{m.month}月" for m, _c in data.history],
        "series": {
            selectors.COLOURS[level]: [c.get(level, 0) for _m, c in data.history]
            for level in selectors.LEVELS
        },
    }
    return render(
        request,
        "dashboard/unit.html",
        {
            "data": data,
            "indicators": tables[0],
            "history_table": tables[1],
            "history": history,
            # The unit's issued notices (提醒单、督办单、约谈), as far as this user may see them.
            "notices": notices_visible(user)
            .filter(recipient=target)
            .exclude(number="")
            .order_by("-issued_on", "-pk")[:10],
            "export_url": _export_url(request),
        },
    )


@permission_required(Permission.BATTLEMAP_VIEW)
def peers(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    table = peer_table(user=user, period=request.GET.get("period"))
    cells = excel.peer_table_cells(table, user.county_id)
    if _wants_xlsx(request):
        return excel.xlsx_response([cells], f"peers-{table.period or 'none'}")
    return render(
        request,
        "dashboard/peers.html",
        {"table": table, "cells": cells, "export_url": _export_url(request)},
    )


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
